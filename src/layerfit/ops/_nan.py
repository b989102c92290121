"""Keras's NaN-ignoring ops not in ``_numpy_extra.py``: arg-extremes, scans and quantiles.

Integer and bool inputs hold no NaN: the arg-ops behave as ``argmax``/``argmin``, the scans as
``cumsum``/``cumprod`` (bool scans give int32, as Keras), and the quantiles give floatx.
"""

from __future__ import annotations

import math

import torch

from layerfit import config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _nan_arg(x, axis, keepdims, fill, pick):
    x = convert_to_tensor(x)
    if x.is_floating_point():
        missing = torch.isnan(x)
        x = torch.where(missing, torch.as_tensor(fill, dtype=x.dtype, device=x.device), x)
    else:
        missing = torch.zeros_like(x, dtype=torch.bool)
    if axis is None:  # numpy's index into the flattened tensor
        index = pick(x.reshape(-1), dim=0)
        all_missing = missing.all()
        if keepdims:
            index, all_missing = index.reshape([1] * x.dim()), all_missing.reshape([1] * x.dim())
    else:
        index = pick(x, dim=axis, keepdim=keepdims)
        all_missing = missing.all(dim=axis, keepdim=keepdims)
    return torch.where(all_missing, -1, index).to(torch.int32)


def nanargmax(x, axis=None, keepdims=False):
    """The index of the largest value ignoring NaNs, int32; -1 where every value is NaN.

    Example:
    >>> nanargmax([[float("nan"), 1.0], [2.0, float("nan")]], axis=1)
    tensor([1, 0], dtype=torch.int32)
    """
    return _nan_arg(x, axis, keepdims, -math.inf, torch.argmax)


def nanargmin(x, axis=None, keepdims=False):
    """The index of the smallest value ignoring NaNs, int32; -1 where every value is NaN."""
    return _nan_arg(x, axis, keepdims, math.inf, torch.argmin)


def _nan_scan(x, axis, dtype, fill, scan):
    x = convert_to_tensor(x)
    out_dtype = dtype_of(dtype) or (torch.int32 if x.dtype == torch.bool else x.dtype)
    if x.is_floating_point() or x.is_complex():
        x = torch.nan_to_num(x, nan=fill, posinf=math.inf, neginf=-math.inf)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return scan(x, dim=axis, dtype=out_dtype)  # torch would widen small ints to int64


def nancumsum(x, axis=None, dtype=None):
    """The running sum along ``axis`` (of the flattened tensor when None), NaNs counted as 0.

    Example:
    >>> nancumsum([1.0, float("nan"), 2.0])
    tensor([1., 1., 3.])
    """
    return _nan_scan(x, axis, dtype, 0.0, torch.cumsum)


def nancumprod(x, axis=None, dtype=None):
    """The running product along ``axis`` (of the flattened tensor when None), NaNs as 1."""
    return _nan_scan(x, axis, dtype, 1.0, torch.cumprod)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``, ignoring NaNs; floatx for ints.

    Example:
    >>> nanquantile([1.0, float("nan"), 3.0], 0.5)
    tensor(2.)
    """
    if method not in _METHODS:
        raise LayerfitValueError(
            explain(
                f"nanquantile/nanpercentile got method={method!r}.",
                f"one of {', '.join(repr(m) for m in _METHODS)}.",
                "method='linear'",
            )
        )
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        x = x.to(dtype_of(config.floatx()))
    q = float(q) if isinstance(q, (int, float)) else convert_to_tensor(q).to(x.dtype)
    if axis is None:
        out = torch.nanquantile(x.reshape(-1), q, dim=0, interpolation=method)
        if keepdims:
            out = out.reshape(*out.shape, *[1] * x.dim())
        return out
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = sorted(a % x.dim() for a in axes)
    rest = [d for d in range(x.dim()) if d not in axes]
    # torch reduces one axis: move the reduced ones to the end and flatten them into one.
    moved = x.permute(*rest, *axes).reshape(*[x.shape[d] for d in rest], -1)
    out = torch.nanquantile(moved, q, dim=-1, interpolation=method)
    if keepdims:
        offset = 1 if torch.is_tensor(q) and q.dim() else 0
        for a in axes:
            out = out.unsqueeze(a + offset)
    return out


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) along ``axis``, ignoring NaNs."""
    q = q / 100.0 if isinstance(q, (int, float)) else convert_to_tensor(q) / 100.0
    return nanquantile(x, q, axis, method, keepdims)


def nanmedian(x, axis=None, keepdims=False):
    """The median along ``axis``, ignoring NaNs (the mean of the middle two for even counts)."""
    return nanquantile(x, 0.5, axis, "linear", keepdims)
