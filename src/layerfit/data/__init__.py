"""Turns what users pass to fit/evaluate/predict into batches of device tensors.

Mostly private; ``Dataset`` (what the ``*_dataset_from_*`` functions return) and tf.data's
``AUTOTUNE`` and cardinality constants are public: ``layerfit.data.AUTOTUNE``.
"""

from layerfit.data._adapters import Batches, make_batches, prepare_xy
from layerfit.data._arrays import ArrayBatches, as_tensor, num_samples, split_validation
from layerfit.data._checks import check_arrays
from layerfit.data._dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from layerfit.data._fit import OneBatch, checked_batches, fit_batches
from layerfit.data._weights import class_sample_weight

__all__ = [
    "AUTOTUNE",
    "Dataset",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "ArrayBatches",
    "Batches",
    "OneBatch",
    "as_tensor",
    "check_arrays",
    "checked_batches",
    "class_sample_weight",
    "fit_batches",
    "make_batches",
    "num_samples",
    "prepare_xy",
    "split_validation",
]
