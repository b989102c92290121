"""Chooses how to batch each kind of input; arrays and tensors take the fast path."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import torch

from layerfit._tree import map_structure
from layerfit.data._arrays import ArrayBatches, as_input, as_tensor, is_array_like
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers._strings import is_text


class Batches(Protocol):
    """An iterable of (x, y, sample_weight) device tensors with a ``first_batch()`` to peek."""

    def __iter__(self): ...

    def first_batch(self): ...


def prepare_xy(x, y=None, sample_weight=None, *, y_dtype=None, device=None):
    """Converts array-likes to device tensors once: x as floats, y as ``y_dtype``."""
    if x is None:
        raise LayerfitValueError(
            explain(
                "x is None.",
                "the input data: an array, DataFrame or tensor.",
                "pass the features, e.g. model.fit(x_train, y_train).",
            )
        )
    x = map_structure(lambda leaf: as_input(leaf, device=device), _as_structure(x))
    if y is not None:
        y = map_structure(
            lambda leaf: as_tensor(leaf, "y", dtype=y_dtype, device=device), _as_structure(y)
        )
    if sample_weight is not None:
        sample_weight = as_tensor(
            sample_weight, "sample_weight", dtype=torch.float32, device=device
        ).reshape(-1)
    return x, y, sample_weight


def _as_structure(value):
    """A list of numbers (or of lists) is one array; a list of arrays is several inputs."""
    if (
        isinstance(value, list)
        and value
        and (all(isinstance(item, (int, float, list)) for item in value) or is_text(value))
    ):
        return np.asarray(value)
    return value


def make_batches(
    x,
    y=None,
    sample_weight=None,
    *,
    batch_size=32,
    shuffle=False,
    steps=None,
    y_dtype=None,
    device=None,
    argument="x",
):
    """Returns the batches for ``x`` (arrays, tensors, DataFrames; other kinds via adapters)."""
    if is_array_like(x):
        x, y, sample_weight = prepare_xy(x, y, sample_weight, y_dtype=y_dtype, device=device)
        return ArrayBatches(
            x, y, sample_weight, batch_size=batch_size, shuffle=shuffle, steps=steps
        )
    from layerfit.data import _iterables

    if _iterables.is_supported(x):
        if y is not None:
            raise LayerfitValueError(
                explain(
                    f"{argument} is a {type(x).__name__}, which yields its own targets, "
                    "and y was given too.",
                    "y=None when x yields (x, y) pairs.",
                    "drop the y argument.",
                )
            )
        return _iterables.IterableBatches(x, steps=steps, y_dtype=y_dtype, device=device)
    raise LayerfitTypeError(
        explain(
            f"{argument} of type {type(x).__name__} is not a kind of data layerfit can read.",
            "a numpy array, list, pandas DataFrame/Series, torch tensor, torch Dataset or "
            "DataLoader, a generator of (x, y) batches, or a layerfit.utils.PyDataset.",
            f"convert {argument} with np.asarray({argument}).",
        )
    )
