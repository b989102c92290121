"""Keras's ``keras.callbacks``: hooks into fit, evaluate and predict."""

from layerfit.callbacks._backup import BackupAndRestore
from layerfit.callbacks._callback import Callback, CallbackList
from layerfit.callbacks._checkpoint import ModelCheckpoint
from layerfit.callbacks._csv_logger import CSVLogger
from layerfit.callbacks._early_stopping import EarlyStopping
from layerfit.callbacks._history import History
from layerfit.callbacks._lambda import LambdaCallback
from layerfit.callbacks._learning_rate import LearningRateScheduler, ReduceLROnPlateau
from layerfit.callbacks._progbar import ProgbarLogger
from layerfit.callbacks._swap_ema import SwapEMAWeights
from layerfit.callbacks._tensorboard import TensorBoard
from layerfit.callbacks._terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]
