"""Keras's ``keras.utils``: one-hot labels, seeds, file downloads and plotting helpers."""

from layerfit.utils import np_utils
from layerfit.utils._config import Config
from layerfit.utils._get_file import get_file
from layerfit.utils._image_utils import (
    array_to_img,
    img_to_array,
    load_img,
    save_img,
    smart_resize,
)
from layerfit.utils._numerical import normalize, to_categorical
from layerfit.utils._plot_model import plot_model
from layerfit.utils._progbar import Progbar
from layerfit.utils._py_dataset import PyDataset, Sequence
from layerfit.utils._sequences import pad_sequences
from layerfit.utils._step_data import pack_x_y_sample_weight, unpack_x_y_sample_weight

# Datasets read from files are data/ machinery (a higher level), found on first use.
_FROM_DATA = {
    "audio_dataset_from_directory": "layerfit.data._audio",
    "image_dataset_from_directory": "layerfit.data._images",
    "text_dataset_from_directory": "layerfit.data._text",
    "timeseries_dataset_from_array": "layerfit.data._timeseries",
    "split_dataset": "layerfit.data._split",
    # Keras's keras.utils.FeatureSpace is a layer (made of preprocessing layers).
    "FeatureSpace": "layerfit.layers._feature_space",
    # Keras exports these from keras.utils too; each lives where its machinery is.
    "CustomObjectScope": "layerfit.saving",
    "custom_object_scope": "layerfit.saving",
    "deserialize_keras_object": "layerfit.saving",
    "get_custom_objects": "layerfit.saving",
    "get_registered_name": "layerfit.saving",
    "get_registered_object": "layerfit.saving",
    "register_keras_serializable": "layerfit.saving",
    "serialize_keras_object": "layerfit.saving",
    "clear_session": "layerfit.backend",
    "standardize_dtype": "layerfit.backend",
    "get_source_inputs": "layerfit.layers._symbolic",
    "is_keras_tensor": "layerfit.layers._symbolic",
    "disable_interactive_logging": "layerfit.config",
    "enable_interactive_logging": "layerfit.config",
    "is_interactive_logging_enabled": "layerfit.config",
}


def __getattr__(name):
    # Loaded on use so `layerfit.datasets` (numpy only) does not import torch through utils.
    if name == "set_random_seed":
        from layerfit.backend._session import set_random_seed

        return set_random_seed
    if name in _FROM_DATA:
        import importlib

        return getattr(importlib.import_module(_FROM_DATA[name]), name)
    raise AttributeError(f"module 'layerfit.utils' has no attribute {name!r}")


__all__ = [
    "Config",
    "CustomObjectScope",
    "FeatureSpace",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "load_img",
    "normalize",
    "np_utils",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "smart_resize",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
