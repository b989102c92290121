"""More of Keras's numpy-like ops: creation, shape changes, elementwise math, statistics.

Same conventions as ``_numpy.py``: operands go through ``convert_to_tensor`` (Python ints
become int32, floats floatx) and the names and arguments are Keras's.
"""

from __future__ import annotations

import builtins
import math

import torch

from layerfit import backend, config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of, tensors


def _float(x):
    """Keras's rule for float-valued math of integer inputs: the result is floatx."""
    x = convert_to_tensor(x)
    return x if x.is_floating_point() else x.to(dtype_of(config.floatx()))


def _dims(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


# -- creation -----------------------------------------------------------------------------------


def array(x, dtype=None):
    """A tensor holding ``x`` (Keras's ``ops.array``): lists of ints give int32, floats floatx.

    Example:
    >>> array([1, 2, 3]).dtype
    torch.int32
    """
    return convert_to_tensor(x, dtype=dtype)


def empty(shape, dtype=None):
    return torch.empty(shape, dtype=dtype_of(dtype) or dtype_of(config.floatx()),
                       device=backend.default_device())  # fmt: skip


def empty_like(x, dtype=None):
    return torch.empty_like(convert_to_tensor(x), dtype=dtype_of(dtype))


def copy(x):
    return convert_to_tensor(x).clone()


def tri(N, M=None, k=0, dtype=None):  # noqa: N803 (Keras's argument names)
    ones = torch.ones(N, M or N, dtype=dtype_of(dtype) or dtype_of(config.floatx()),
                      device=backend.default_device())  # fmt: skip
    return ones.tril(k)


def tril(x, k=0):
    return convert_to_tensor(x).tril(k)


def triu(x, k=0):
    return convert_to_tensor(x).triu(k)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    count = num if endpoint else num + 1
    values = torch.logspace(start, stop if endpoint else stop, count, base=base,
                            dtype=dtype_of(dtype) or dtype_of(config.floatx()))  # fmt: skip
    return values if endpoint else values[:-1]


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    return logspace(math.log10(start), math.log10(stop), num, endpoint, 10, dtype, axis)


def meshgrid(*x, indexing="xy"):
    return list(torch.meshgrid(*tensors(*x), indexing=indexing))


# -- shape --------------------------------------------------------------------------------------


def swapaxes(x, axis1, axis2):
    return convert_to_tensor(x).swapaxes(axis1, axis2)


def moveaxis(x, source, destination):
    return torch.moveaxis(convert_to_tensor(x), source, destination)


def broadcast_to(x, shape):
    return torch.broadcast_to(convert_to_tensor(x), tuple(shape))


def ravel(x):
    return convert_to_tensor(x).reshape(-1)


def unstack(x, num=None, axis=0):
    return list(torch.unbind(convert_to_tensor(x), dim=axis))


def roll(x, shift, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.roll(x.reshape(-1), shift).reshape(x.shape)
    return torch.roll(x, shift, dims=axis)


def append(x1, x2, axis=None):
    a, b = tensors(x1, x2)
    if axis is None:
        return torch.cat([a.reshape(-1), b.reshape(-1)])
    return torch.cat([a, b], dim=axis)


def hstack(xs):
    return torch.hstack(tensors(*xs))


def vstack(xs):
    return torch.vstack(tensors(*xs))


def dstack(xs):
    return torch.dstack(tensors(*xs))


def array_split(x, indices_or_sections, axis=0):
    return list(torch.tensor_split(convert_to_tensor(x), indices_or_sections, dim=axis))


def hsplit(x, indices_or_sections):
    return list(torch.hsplit(convert_to_tensor(x), indices_or_sections))


def vsplit(x, indices_or_sections):
    return list(torch.vsplit(convert_to_tensor(x), indices_or_sections))


def flipud(x):
    return torch.flipud(convert_to_tensor(x))


def fliplr(x):
    return torch.fliplr(convert_to_tensor(x))


def rot90(array, k=1, axes=(0, 1)):
    return torch.rot90(convert_to_tensor(array), k, dims=tuple(axes))


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(convert_to_tensor(x), offset, axis1, axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    return diagonal(x, offset, axis1, axis2).sum(-1)


def pad(x, pad_width, mode="constant", constant_values=None):
    """numpy's pad: ``pad_width`` one (before, after) pair per axis (or one for all)."""
    x = convert_to_tensor(x)
    pairs = [tuple(p) for p in pad_width] if hasattr(pad_width[0], "__len__") else [pad_width]
    if len(pairs) == 1:
        pairs = pairs * x.dim()
    spec = [amount for pair in reversed(pairs) for amount in pair]
    if mode == "constant":
        return torch.nn.functional.pad(x, spec, value=constant_values or 0)
    torch_mode = {"reflect": "reflect", "edge": "replicate"}.get(mode)
    if torch_mode is None or x.dim() > 3:
        raise LayerfitValueError(
            explain(
                f"ops.pad got mode={mode!r} for a tensor of rank {x.dim()}.",
                "mode='constant' for any rank, or 'reflect'/'edge' for ranks 1 to 3.",
                "use mode='constant', or pad fewer axes at a time.",
            )
        )
    # torch pads the trailing axes of a batched tensor: add batch and channel axes.
    return torch.nn.functional.pad(x[None, None], spec, mode=torch_mode)[0, 0]


def nonzero(x):
    return torch.nonzero(convert_to_tensor(x), as_tuple=True)


def isin(x1, x2, assume_unique=False, invert=False):
    a, b = tensors(x1, x2)
    return torch.isin(a, b, assume_unique=assume_unique, invert=invert)


# -- products ------------------------------------------------------------------------------------


def tensordot(x1, x2, axes=2):
    a, b = tensors(x1, x2)
    return torch.tensordot(a, b, dims=axes)


def inner(x1, x2):
    a, b = tensors(x1, x2)
    return torch.inner(a, b)


def vdot(x1, x2):
    a, b = tensors(x1, x2)
    return torch.vdot(a.reshape(-1), b.reshape(-1))


def kron(x1, x2):
    a, b = tensors(x1, x2)
    return torch.kron(a, b)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    a, b = tensors(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    out = torch.linalg.cross(a.movedim(axisa, -1), b.movedim(axisb, -1))
    return out.movedim(-1, axisc)


# -- statistics and scans -------------------------------------------------------------------------


def amax(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dims = tuple(range(x.dim())) if axis is None else _dims(axis)
    return x.amax(dim=dims, keepdim=keepdims)


def amin(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dims = tuple(range(x.dim())) if axis is None else _dims(axis)
    return x.amin(dim=dims, keepdim=keepdims)


def average(x, axis=None, weights=None):
    x = _float(x)
    if weights is None:
        return x.mean() if axis is None else x.mean(dim=axis)
    w = convert_to_tensor(weights).to(x.dtype)
    if axis is None:
        return (x * w).sum() / w.sum()
    if w.dim() == 1:
        shape = [1] * x.dim()
        shape[axis] = -1
        w = w.reshape(shape)
    return (x * w).sum(dim=axis) / w.sum(dim=axis if w.dim() == x.dim() else None)


def cumprod(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    out = torch.cumprod(x.reshape(-1) if axis is None else x, dim=0 if axis is None else axis)
    return out if dtype is None else out.to(dtype_of(dtype))


def diff(a, n=1, axis=-1):
    return torch.diff(convert_to_tensor(a), n=n, dim=axis)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    q = float(q) if isinstance(q, (int, float)) else convert_to_tensor(q).to(x.dtype)
    if isinstance(axis, (list, tuple)):  # torch takes one axis: move them to the end, flatten
        rest = [d for d in range(x.dim()) if d not in [a % x.dim() for a in axis]]
        moved = x.permute(*rest, *axis).reshape(*[x.shape[d] for d in rest], -1)
        out = torch.quantile(moved, q, dim=-1, interpolation=method)
        if keepdims:
            for a in sorted(a % x.dim() for a in axis):
                out = out.unsqueeze(a + (1 if torch.is_tensor(q) and q.dim() else 0))
        return out
    return torch.quantile(x, q, dim=axis, keepdim=keepdims, interpolation=method)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    q = q / 100.0 if isinstance(q, (int, float)) else convert_to_tensor(q) / 100.0
    return quantile(x, q, axis, method, keepdims)


def ptp(x, axis=None, keepdims=False):
    return amax(x, axis, keepdims) - amin(x, axis, keepdims)


def bincount(x, weights=None, minlength=0, sparse=False):
    x = convert_to_tensor(x)
    w = None if weights is None else convert_to_tensor(weights)
    if x.dim() == 2:  # Keras counts each row of a batch
        width = builtins.max(int(x.max()) + 1 if x.numel() else 0, minlength)
        return torch.stack([torch.bincount(r, None if w is None else w[i], width)
                            for i, r in enumerate(x)])  # fmt: skip
    return torch.bincount(x, w, minlength)


def searchsorted(sorted_sequence, values, side="left"):
    s, v = tensors(sorted_sequence, values)
    return torch.searchsorted(s, v.to(s.dtype), right=side == "right").to(torch.int32)


def digitize(x, bins):
    x, b = tensors(x, bins)
    return torch.bucketize(x, b.to(x.dtype), right=True).to(torch.int32)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):  # noqa: A002 (Keras's names)  # fmt: skip
    x = convert_to_tensor(x)
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True,
                                           return_counts=True, dim=axis)  # fmt: skip
    out = [values]
    if return_index:
        first = torch.full((values.shape[0],), x.numel(), dtype=torch.int64, device=x.device)
        order = torch.arange(inverse.numel(), device=x.device)
        out.append(first.scatter_reduce(0, inverse.reshape(-1), order, "amin"))
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


def select(condlist, choicelist, default=0):
    result = convert_to_tensor(default)
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        choice, result = tensors(choice, result)
        result = torch.where(convert_to_tensor(condition).bool(), choice, result)
    return result


def _nan(function, fill):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        dims = tuple(range(x.dim())) if axis is None else _dims(axis)
        return function(torch.nan_to_num(x, nan=fill), dim=dims, keepdim=keepdims)

    return op


nansum = _nan(torch.sum, 0.0)
nanmax = _nan(torch.amax, -math.inf)
nanmin = _nan(torch.amin, math.inf)


def nanmean(x, axis=None, keepdims=False):
    x = _float(x)
    dims = tuple(range(x.dim())) if axis is None else _dims(axis)
    return torch.nanmean(x, dim=dims, keepdim=keepdims)


def nanprod(x, axis=None, keepdims=False):
    x = torch.nan_to_num(convert_to_tensor(x), nan=1.0)
    axes = range(x.dim()) if axis is None else _dims(axis)
    axes = [axes] if isinstance(axes, int) else axes
    for dim in sorted((a % x.dim() for a in axes), reverse=True):
        x = x.prod(dim=dim, keepdim=keepdims)
    return x


def nanvar(x, axis=None, keepdims=False):
    x = _float(x)
    dims = tuple(range(x.dim())) if axis is None else _dims(axis)
    mean = torch.nanmean(x, dim=dims, keepdim=True)
    return torch.nanmean((x - mean).square(), dim=dims, keepdim=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar(x, axis, keepdims))


def _segment(reduce):
    def op(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 (Keras's name)
        data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids).long()
        count = int(ids.max()) + 1 if num_segments is None else int(num_segments)
        out = torch.zeros((count, *data.shape[1:]), dtype=data.dtype, device=data.device)
        index = ids.reshape(-1, *[1] * (data.dim() - 1)).expand_as(data)
        return out.scatter_reduce(0, index, data, reduce, include_self=False)

    return op


segment_sum = _segment("sum")
segment_max = _segment("amax")
segment_min = _segment("amin")
segment_prod = _segment("prod")
