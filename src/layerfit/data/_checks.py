"""Checks on the raw arrays before batching: lengths, empty data, NaN and inf.

They run once per fit/evaluate/predict, never per batch, and name the array and the fix.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit._tree import flatten
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._strings import is_text


def _length(value) -> int | None:
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape):
        return int(shape[0])
    try:
        return len(value)
    except TypeError:
        return None


def check_arrays(x, y, x_name: str, y_name: str | None) -> None:
    """Same number of samples in x and y, no empty data, no NaN or inf values."""
    if isinstance(x, (list, tuple)) and is_text(x):
        x = np.asarray(x)  # a list of texts is one input (a string Input's)
    x_lengths = {_length(leaf) for leaf in flatten(x)}
    if 0 in x_lengths:
        raise LayerfitValueError(
            explain(
                f"{x_name} is empty (0 samples).",
                "at least one sample.",
                f"check how {x_name} was loaded or filtered.",
            )
        )
    _check_finite(x, x_name)
    if y is None or y_name is None:
        return
    y_lengths = {_length(leaf) for leaf in flatten(y)}
    if len(x_lengths | y_lengths) > 1 and None not in x_lengths | y_lengths:
        raise LayerfitValueError(
            explain(
                f"{x_name} has {_counts(x_lengths)} samples but {y_name} has {_counts(y_lengths)}.",
                "one label per sample: the same first-axis length.",
                "check that x and y come from the same split (x_train with y_train).",
            )
        )
    _check_finite(y, y_name)


def _counts(lengths: set) -> str:
    # One length reads as a number ("64"); several (a list of arrays) as a list.
    return str(next(iter(lengths))) if len(lengths) == 1 else str(sorted(lengths))


def _check_finite(structure, name: str) -> None:
    leaves = flatten(structure)
    for index, leaf in enumerate(leaves):
        label = name if len(leaves) == 1 else f"{name}[{index}]"
        found = nonfinite(leaf)
        if found is None:
            continue
        nan, inf, row, columns = found
        where = f"first in sample {row}" + (f", columns {columns}" if columns else "")
        raise LayerfitValueError(
            explain(
                f"{label} contains {nan} NaN and {inf} inf values ({where}).",
                "finite numbers only: one NaN makes the loss NaN and training stops learning.",
                "drop or fill them before fit: df.dropna() or df.fillna(df.mean()) for a "
                "DataFrame, x[~np.isnan(x).any(axis=1)] or np.nan_to_num(x) for an array "
                f"(np.isnan({name}).any(axis=1) finds the rows).",
            )
        )


def nonfinite(leaf):
    """(NaN count, inf count, first bad sample, bad DataFrame columns) or None when all finite."""
    columns = None
    if torch.is_tensor(leaf):
        # A sum is finite exactly when every value is (or it overflowed: then look closer).
        if (
            not leaf.is_floating_point()
            or bool(torch.isfinite(leaf.sum()))
            or bool(torch.isfinite(leaf).all())
        ):
            return None
        array = leaf.detach().cpu().numpy()
    else:
        if hasattr(leaf, "select_dtypes"):  # DataFrame: numeric columns; as_tensor names the rest
            leaf = leaf.select_dtypes("number")
            columns = [str(c) for c in leaf.columns]
        array = leaf.to_numpy() if hasattr(leaf, "to_numpy") else leaf
        try:
            array = np.asarray(array)
        except (TypeError, ValueError):
            return None
        if not np.issubdtype(array.dtype, np.floating):
            return None
        with np.errstate(over="ignore"):
            if np.isfinite(array.sum()) or np.isfinite(array).all():
                return None
    nan_mask, inf_mask = np.isnan(array), np.isinf(array)
    bad = (nan_mask | inf_mask).reshape(len(array), -1)
    row = int(np.flatnonzero(bad.any(axis=1))[0])
    if columns is not None:
        columns = [c for c, hit in zip(columns, bad.any(axis=0)) if hit]
    return int(nan_mask.sum()), int(inf_mask.sum()), row, columns
