"""``keras.preprocessing.sequence.pad_sequences``, the same function as ``utils.pad_sequences``."""

from layerfit.utils._sequences import pad_sequences

__all__ = ["pad_sequences"]
