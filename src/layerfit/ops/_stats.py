"""Keras's ops for distances, histograms, correlation, Vandermonde matrices and integration.

Integer inputs give floatx results, as Keras's dtype rules (``vander`` keeps ints).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of, tensors


def _float(x):
    x = convert_to_tensor(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(dtype_of(config.floatx()))


def _floats(*values):
    out = [_float(v) for v in tensors(*values)]
    common = out[0].dtype
    for value in out[1:]:
        common = torch.promote_types(common, value.dtype)
    return [value.to(common) for value in out]


def cdist(x, y):
    """Euclidean distances between the rows of ``x`` (..., P, D) and ``y`` (..., R, D):
    (..., P, R).

    Example:
    >>> cdist([[0.0, 0.0]], [[3.0, 4.0]])
    tensor([[5.]])
    """
    x, y = _floats(x, y)
    if x.dim() < 2 or y.dim() < 2 or x.shape[-1] != y.shape[-1]:
        raise LayerfitValueError(
            explain(
                f"ops.cdist got shapes {tuple(x.shape)} and {tuple(y.shape)}.",
                "two tensors of rank 2 or more whose last axes (the coordinates) match.",
                "cdist(points_a, points_b) with shapes (P, D) and (R, D).",
            )
        )
    difference = x.unsqueeze(-2) - y.unsqueeze(-3)  # (..., P, R, D), broadcasting batch axes
    return difference.square().sum(-1).sqrt()


def histogram(x, bins=10, range=None):  # noqa: A002 (Keras's name)
    """(counts, bin edges) of a 1-D tensor, both floatx as Keras; ``range`` defaults to
    (min, max) of ``x``.

    Example:
    >>> histogram([1.0, 2.0, 3.0], bins=2)
    (tensor([1., 2.]), tensor([1., 2., 3.]))
    """
    x = _float(x)
    if x.dim() != 1:
        raise LayerfitValueError(
            explain(
                f"ops.histogram got a tensor of shape {tuple(x.shape)}.",
                "a 1-D tensor of values.",
                "ops.histogram(ops.ravel(x), bins=10)",
            )
        )
    low, high = (x.min(), x.max()) if range is None else range
    low, high = float(low), float(high)
    if low == high:  # numpy widens an empty range to one unit
        low, high = low - 0.5, high + 0.5
    edges = torch.linspace(low, high, bins + 1, dtype=x.dtype, device=x.device)
    # numpy's rule: bins are half-open [a, b) except the last, which holds its right edge.
    index = torch.bucketize(x, edges, right=True) - 1
    index = torch.where(x == edges[-1], bins - 1, index)
    inside = (index >= 0) & (index < bins)
    counts = torch.zeros(bins, dtype=x.dtype, device=x.device)
    counts.index_add_(0, index[inside], torch.ones_like(x[inside]))
    return counts, edges


def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D tensors, as numpy's ``correlate`` ('valid', 'same', 'full').

    Example:
    >>> correlate([1.0, 2.0, 4.0], [1.0, 0.5])
    tensor([2., 4.])
    """
    a, v = _floats(x1, x2)
    if mode not in ("valid", "same", "full") or a.dim() != 1 or v.dim() != 1:
        raise LayerfitValueError(
            explain(
                f"ops.correlate got shapes {tuple(a.shape)} and {tuple(v.shape)}, mode={mode!r}.",
                "two 1-D tensors and mode 'valid', 'same' or 'full'.",
                "correlate(signal, kernel, mode='full')",
            )
        )
    n, m = a.shape[0], v.shape[0]
    # The full correlation, lags -(m-1) .. n-1; 'valid' and 'same' are its middle, as numpy's.
    full = F.conv1d(F.pad(a, (m - 1, m - 1))[None, None], v.conj()[None, None])[0, 0]
    short, long = min(n, m), max(n, m)
    same_start = (short - 1) // 2 if n >= m else short // 2  # numpy swaps when a is shorter
    start, length = {"full": (0, n + m - 1), "valid": (short - 1, long - short + 1),
                     "same": (same_start, long)}[mode]  # fmt: skip
    return full[start : start + length]


def corrcoef(x):
    """Pearson correlation coefficients of the rows of ``x`` (variables in rows)."""
    x = _float(x)
    return torch.corrcoef(x)


def vander(x, N=None, increasing=False):  # noqa: N803 (Keras's argument name)
    """The Vandermonde matrix of a 1-D ``x``: columns are powers of ``x`` (decreasing unless
    ``increasing``); ``N`` columns, ``len(x)`` by default. Keeps the dtype of ``x``."""
    x = convert_to_tensor(x)
    if x.dim() != 1:
        raise LayerfitValueError(
            explain(
                f"ops.vander got a tensor of shape {tuple(x.shape)}.",
                "a 1-D tensor.",
                "ops.vander(ops.ravel(x))",
            )
        )
    columns = x.shape[0] if N is None else N
    powers = torch.arange(columns, device=x.device)
    if not increasing:
        powers = powers.flip(0)
    return x.unsqueeze(-1) ** powers.to(x.dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, with sample points ``x``
    or a spacing ``dx``.

    Example:
    >>> trapezoid([1.0, 2.0, 3.0])
    tensor(4.)
    """
    y = _float(y)
    if x is None:
        return torch.trapezoid(y, dx=float(dx), dim=axis)
    return torch.trapezoid(y, convert_to_tensor(x).to(y.dtype), dim=axis)
