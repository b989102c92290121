"""Turns what users pass to fit/evaluate/predict into batches of device tensors.

Mostly private; ``Dataset`` (what the ``*_dataset_from_*`` functions return) and tf.data's
``AUTOTUNE`` and cardinality constants are public: ``layerfit.data.AUTOTUNE``.
"""

from layerfit.data._adapters import Batches, make_batches, prepare_xy
from layerfit.data._arrays import ArrayBatches, as_tensor, num_samples, split_validation
from layerfit.data._dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset

__all__ = [
    "AUTOTUNE",
    "Dataset",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "ArrayBatches",
    "Batches",
    "as_tensor",
    "make_batches",
    "num_samples",
    "prepare_xy",
    "split_validation",
]
