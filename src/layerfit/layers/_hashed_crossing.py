"""HashedCrossing: crosses two or more categorical features into ``num_bins`` buckets, with
TensorFlow's ``tf.sparse.cross_hashed`` (what Keras calls) reproduced bit for bit."""

from __future__ import annotations

import numpy as np
import torch

from layerfit import backend
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._farmhash import fingerprint64
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import as_array, encode_categorical
from layerfit.layers._symbolic import KerasTensor

_M = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
_HASH_KEY = 0xDECAFCAFFE  # tf.sparse.cross_hashed's default key


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _fingerprint_cat(left: int, right: int) -> int:
    """TensorFlow's FingerprintCat64: folds one feature's 64-bit value into the cross."""
    result = left ^ _MUL
    result ^= (_shift_mix((right * _MUL) & _M) * _MUL) & _M
    result = (result * _MUL) & _M
    result = (_shift_mix(result) * _MUL) & _M
    return _shift_mix(result)


def _feature(value) -> int:
    # TensorFlow crosses integers by value and strings by their Fingerprint64.
    if isinstance(value, (int, np.integer)):
        return int(value) & _M
    if isinstance(value, bytes):
        return fingerprint64(value)
    return fingerprint64(str(value).encode("utf-8"))


def cross_hashed(columns: list[list], num_bins: int) -> list[int]:
    """Bucket of each row of the crossed columns (equal-length lists of ints or strings)."""
    buckets = []
    for row in zip(*columns):
        hashed = _HASH_KEY
        for value in row:
            hashed = _fingerprint_cat(hashed, _feature(value))
        buckets.append(hashed % num_bins)
    return buckets


class HashedCrossing(Layer):
    """Crosses categorical features: each row's tuple of values -> one of ``num_bins`` buckets.

    Gives the same buckets as Keras (which runs TensorFlow's ``tf.sparse.cross_hashed``).

    Args:
        num_bins: how many buckets.
        output_mode: 'int' (bucket ids) or 'one_hot'. Defaults to 'int'.
        sparse: TensorFlow-only; True raises. Defaults to False.

    Inputs: a tuple of two or more features of equal shape, each ``()``, ``(batch,)`` or
    ``(batch, 1)``, of integers or strings.

    Example:
    >>> HashedCrossing(num_bins=5)((["A", "B"], [101, 101])).tolist()
    [1, 4]
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins < 1:
            raise LayerfitValueError(
                explain(
                    f"HashedCrossing got num_bins={num_bins!r}.",
                    "a positive integer.",
                    "HashedCrossing(num_bins=64)",
                )
            )
        if output_mode not in ("int", "one_hot"):
            raise LayerfitValueError(
                explain(
                    f"HashedCrossing got output_mode={output_mode!r}.",
                    "'int' or 'one_hot'.",
                    "output_mode='int'",
                )
            )
        if sparse:
            raise LayerfitValueError(
                explain(
                    "HashedCrossing got sparse=True, which Keras allows on TensorFlow only.",
                    "sparse=False.",
                    "drop sparse=True: the dense output holds the same buckets.",
                )
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise LayerfitValueError(
                explain(
                    f"HashedCrossing got {type(inputs).__name__} inputs, not a tuple of features.",
                    "a tuple or list of at least two features of equal shape.",
                    "layer((feature_a, feature_b))",
                )
            )
        if any(isinstance(feature, KerasTensor) for feature in inputs):
            # In a model (FeatureSpace.get_encoded_features): at run time it gets the
            # features' values and returns int64 buckets.
            outputs = Layer.__call__(self, list(inputs), *args, **kwargs)
            outputs.dtype = "int64" if self.output_mode == "int" else "float32"
            return outputs
        return self.call(inputs)  # strings never become tensors; no weights to build

    def call(self, inputs):
        columns = [as_array(x) for x in inputs]
        shape = columns[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise LayerfitValueError(
                explain(
                    f"HashedCrossing got features of shape {shape}.",
                    "each feature of shape (), (batch,) or (batch, 1).",
                    "cross one column per feature: x[:, i:i + 1].",
                )
            )
        kinds = [c.dtype.kind for c in columns]
        if any(c.shape != shape for c in columns) or any(k not in "iuUSO" for k in kinds):
            raise LayerfitValueError(
                explain(
                    "HashedCrossing got features of shapes "
                    f"{[c.shape for c in columns]} and dtypes {[str(c.dtype) for c in columns]}.",
                    "features of one shape, each of integers or strings.",
                    "cast float features to integers (or bucket them with Discretization) "
                    "and give every feature the same shape.",
                )
            )
        buckets = cross_hashed([c.reshape(-1).tolist() for c in columns], self.num_bins)
        indices = torch.as_tensor(np.asarray(buckets, dtype=np.int64).reshape(shape))
        if self.output_mode == "int":
            return indices.to(backend.torch_dtype(self.dtype))
        one_hot = encode_categorical(indices, "one_hot", self.num_bins)
        return one_hot.to(backend.torch_dtype(self.compute_dtype))

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        if shape and shape[-1] == 1:
            shape = shape[:-1]
        return (*shape, self.num_bins)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": False,
        }
