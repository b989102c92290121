"""Keras's ``keras.preprocessing``: the older home of ``sequence.pad_sequences``, kept by Keras 3."""

from layerfit.preprocessing import sequence

__all__ = ["sequence"]
