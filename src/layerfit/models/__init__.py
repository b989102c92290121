"""Keras's ``keras.models``: Sequential, Model (functional and subclassed), and loading."""

from layerfit.models._cloning import clone_model
from layerfit.models._functional import Functional
from layerfit.models._loading import load_model, model_from_json, save_model
from layerfit.models._model import Model
from layerfit.models._sequential import Sequential

__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "save_model",
]
