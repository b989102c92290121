"""Private: turns what users pass to fit/evaluate/predict into batches of device tensors."""

from layerfit.data._adapters import Batches, make_batches, prepare_xy
from layerfit.data._arrays import ArrayBatches, as_tensor, num_samples, split_validation

__all__ = [
    "ArrayBatches",
    "Batches",
    "as_tensor",
    "make_batches",
    "num_samples",
    "prepare_xy",
    "split_validation",
]
