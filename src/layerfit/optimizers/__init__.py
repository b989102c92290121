"""Keras's ``keras.optimizers``: Keras 3's update rules on torch parameters."""

from layerfit.optimizers import schedules
from layerfit.optimizers._adafactor import Adafactor
from layerfit.optimizers._adagrad import Adadelta, Adagrad
from layerfit.optimizers._adam import Adam, Adamax, AdamW, Nadam
from layerfit.optimizers._ftrl import Ftrl
from layerfit.optimizers._lamb import Lamb
from layerfit.optimizers._lion import Lion
from layerfit.optimizers._lookup import OPTIMIZERS, deserialize, get, serialize
from layerfit.optimizers._loss_scale import LossScaleOptimizer
from layerfit.optimizers._optimizer import Optimizer
from layerfit.optimizers._sgd import SGD, RMSprop

__all__ = [
    "OPTIMIZERS",
    "SGD",
    "Adafactor",
    "Ftrl",
    "Lamb",
    "Lion",
    "LossScaleOptimizer",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]
