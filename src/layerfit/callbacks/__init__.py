"""Keras's ``keras.callbacks``: hooks into fit, evaluate and predict."""

from layerfit.callbacks._callback import Callback, CallbackList
from layerfit.callbacks._checkpoint import BackupAndRestore, ModelCheckpoint
from layerfit.callbacks._early_stopping import EarlyStopping
from layerfit.callbacks._history import History
from layerfit.callbacks._lambda import LambdaCallback
from layerfit.callbacks._progbar import ProgbarLogger

__all__ = [
    "BackupAndRestore",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "ModelCheckpoint",
    "ProgbarLogger",
]
