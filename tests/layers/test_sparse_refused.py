"""``sparse=True`` is refused with our error on every preprocessing layer that has it.

Keras outside TensorFlow refuses it on StringLookup, IntegerLookup, TextVectorization and
HashedCrossing (and its Hashing fails on it); on JAX it returns BCOO tensors from
CategoryEncoding and Discretization. A torch sparse COO output would feed Dense (checked), but
Concatenate, Reshape, BatchNormalization and LayerNormalization raise torch errors on it, so
layerfit keeps dense outputs (same values) and says so instead.
"""

from __future__ import annotations

import pytest

from layerfit import layers
from layerfit.errors import LayerfitValueError

MAKERS = {
    "CategoryEncoding": lambda: layers.CategoryEncoding(num_tokens=4, sparse=True),
    "Discretization": lambda: layers.Discretization(bin_boundaries=[0.5], sparse=True),
    "Hashing": lambda: layers.Hashing(num_bins=4, output_mode="multi_hot", sparse=True),
    "HashedCrossing": lambda: layers.HashedCrossing(num_bins=4, sparse=True),
    "StringLookup": lambda: layers.StringLookup(output_mode="multi_hot", sparse=True),
    "IntegerLookup": lambda: layers.IntegerLookup(output_mode="multi_hot", sparse=True),
    "TextVectorization": lambda: layers.TextVectorization(output_mode="multi_hot", sparse=True),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_sparse_true_is_our_error_naming_the_layer(name):
    with pytest.raises(LayerfitValueError, match="sparse=True") as error:
        MAKERS[name]()
    text = str(error.value)
    assert name in text
    assert "sparse=False" in text or "drop sparse=True" in text
