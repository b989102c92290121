"""Keras's ``keras.preprocessing``: the older home of ``sequence``, ``image`` and the datasets."""

from layerfit.preprocessing import image, sequence

# Keras 3 keeps these dataset makers here too; they are data/ machinery, found on first use.
_FROM_DATA = {
    "image_dataset_from_directory": "layerfit.data._images",
    "text_dataset_from_directory": "layerfit.data._text",
    "timeseries_dataset_from_array": "layerfit.data._timeseries",
}


def __getattr__(name):
    if name in _FROM_DATA:
        import importlib

        return getattr(importlib.import_module(_FROM_DATA[name]), name)
    raise AttributeError(f"module 'layerfit.preprocessing' has no attribute {name!r}")


__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
