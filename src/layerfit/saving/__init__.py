"""Keras's ``keras.saving``: one safe file per model (JSON config + safetensors), no pickle.

See docs/saving.md for the file format.
"""

from layerfit.saving._file_editor import KerasFileEditor
from layerfit.saving._limits import set_load_limits
from layerfit.saving._objects import deserialize_keras_object, serialize_keras_object
from layerfit.saving._registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    register_serializable,
)
from layerfit.saving._saving import load_model, load_weights, save_model, save_weights

__all__ = [
    "CustomObjectScope",
    "KerasFileEditor",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "register_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
    "set_load_limits",
]
