"""Keras's ``keras.utils``: one-hot labels, seeds, file downloads and plotting helpers."""

from layerfit.utils import np_utils
from layerfit.utils._get_file import get_file
from layerfit.utils._numerical import normalize, to_categorical
from layerfit.utils._plot_model import plot_model
from layerfit.utils._progbar import Progbar
from layerfit.utils._py_dataset import PyDataset, Sequence
from layerfit.utils._sequences import pad_sequences
from layerfit.utils._step_data import pack_x_y_sample_weight, unpack_x_y_sample_weight


def __getattr__(name):
    # Loaded on use so `layerfit.datasets` (numpy only) does not import torch through utils.
    if name == "set_random_seed":
        from layerfit.backend._session import set_random_seed

        return set_random_seed
    raise AttributeError(f"module 'layerfit.utils' has no attribute {name!r}")


__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "get_file",
    "normalize",
    "np_utils",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "set_random_seed",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
