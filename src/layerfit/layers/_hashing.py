"""Hashing: strings or integers -> ``num_bins`` buckets with TensorFlow's FarmHash, as Keras."""

from __future__ import annotations

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._farmhash import fingerprint64
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import as_array, encode_categorical, symbolic_text_call
from layerfit.layers._siphash import siphash24
from layerfit.layers._symbolic import KerasTensor


def _bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (int, np.integer)):
        return str(int(value)).encode()  # Keras hashes integers as their decimal strings
    return str(value).encode("utf-8")


class Hashing(Layer):
    """Hashes each input into one of ``num_bins`` buckets (FarmHash64, as Keras on TensorFlow).

    With a ``mask_value``, that value maps to 0 and the others to ``1 .. num_bins - 1``.

    Args:
        num_bins: how many buckets (the mask bucket included).
        mask_value: a value mapped to bucket 0. Defaults to None.
        salt: an integer, or a pair of them, keying SipHash-2-4 instead of FarmHash (as
            Keras's ``tf.strings.to_hash_bucket_strong``); one integer s means (s, s).
            Defaults to None.
        output_mode: 'int', 'one_hot', 'multi_hot' or 'count'. Defaults to 'int'.
        sparse: not supported (True raises). Defaults to False.

    Example:
    >>> Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).tolist()
    [[1], [0], [1], [1], [2]]
    """

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        super().__init__(**kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins < 1:
            raise LayerfitValueError(
                explain(
                    f"Hashing got num_bins={num_bins!r}.",
                    "a positive integer.",
                    "Hashing(num_bins=64)",
                )
            )
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise LayerfitValueError(
                explain(
                    f"Hashing got output_mode={output_mode!r}.",
                    "'int', 'one_hot', 'multi_hot' or 'count'.",
                    "output_mode='int'",
                )
            )
        if sparse:
            raise LayerfitValueError(
                explain(
                    "Hashing(sparse=True): layerfit returns dense tensors only.",
                    "sparse=False.",
                    "drop sparse=True; the dense one_hot/multi_hot/count output holds the "
                    "same values.",
                )
            )
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = _checked_salt(salt)
        self.output_mode = output_mode
        self.built = True

    takes_strings = True  # a string model input's numpy array reaches call() as it is

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, KerasTensor):
            return symbolic_text_call(self, inputs, args, kwargs)
        if isinstance(inputs, torch.Tensor) and inputs.is_floating_point():
            raise LayerfitValueError(
                explain(
                    "Hashing got float inputs.",
                    "strings or integers.",
                    "cast to integers first, or use Discretization for numbers.",
                )
            )
        return self.call(inputs)  # strings never become tensors; no weights to build

    def call(self, inputs):
        values = as_array(inputs)
        if values.dtype.kind == "f":
            return self.__call__(torch.as_tensor(values))
        flat = values.reshape(-1).tolist()
        masked = self.mask_value is not None
        bins = self.num_bins - 1 if masked else self.num_bins
        buckets = [
            0
            if masked and value == self.mask_value
            else self._hash(_bytes(value)) % bins + int(masked)
            for value in flat
        ]
        indices = torch.as_tensor(np.asarray(buckets, dtype=np.int64).reshape(values.shape))
        if self.output_mode == "int":
            return indices
        return encode_categorical(indices, self.output_mode, self.num_bins)

    def _hash(self, data: bytes) -> int:
        if self.salt is None:
            return fingerprint64(data)  # tf.strings.to_hash_bucket_fast
        return siphash24(self.salt[0], self.salt[1], data)  # to_hash_bucket_strong

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        return (*tuple(input_shape)[:-1], self.num_bins)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "mask_value": self.mask_value,
            "salt": self.salt,
            "output_mode": self.output_mode,
            "sparse": False,
        }


def _checked_salt(salt):
    """Keras's rule: None, one integer s (the key (s, s)) or a pair of integers."""
    if salt is None:
        return None
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    if (
        isinstance(salt, (tuple, list))
        and len(salt) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in salt)
    ):
        return list(salt)
    raise LayerfitValueError(
        explain(
            f"Hashing got salt={salt!r}.",
            "None, an integer, or a pair of integers (the SipHash key).",
            "Hashing(num_bins=3, salt=133) or salt=[133, 137]",
        )
    )
