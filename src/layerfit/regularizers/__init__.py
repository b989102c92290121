"""Keras's ``keras.regularizers``: weight penalties added to the training loss."""

from layerfit.regularizers._regularizers import (
    L1,
    L1L2,
    L2,
    REGULARIZERS,
    OrthogonalRegularizer,
    Regularizer,
    deserialize,
    get,
    serialize,
)

# Keras's lowercase aliases.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "REGULARIZERS",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]
