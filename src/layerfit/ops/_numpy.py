"""Keras's numpy-like ops (``keras.ops.mean``, ``ops.matmul``, ...), argument names included.

Each converts its operands with ``convert_to_tensor`` and runs the torch function; axis
arguments accept an int, a tuple or None (all axes), as numpy's do.
"""

from __future__ import annotations

import builtins  # this module defines Keras's sum, max, any, ... over the builtins

import torch

from layerfit import backend, config
from layerfit.ops._core import convert_to_tensor, dtype_of, tensors


def _axes(axis, rank: int):
    if axis is None:
        return tuple(range(rank))
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


def _float_dtype(dtype):
    return dtype_of(dtype) or dtype_of(config.floatx())


def _device():
    return backend.default_device()


# -- creation ------------------------------------------------------------------------------------


def ones(shape, dtype=None):
    return torch.ones(shape, dtype=_float_dtype(dtype), device=_device())


def zeros(shape, dtype=None):
    return torch.zeros(shape, dtype=_float_dtype(dtype), device=_device())


def full(shape, fill_value, dtype=None):
    fill = convert_to_tensor(fill_value)
    return torch.full(shape, fill.item(), dtype=dtype_of(dtype) or fill.dtype, device=_device())


def ones_like(x, dtype=None):
    return torch.ones_like(convert_to_tensor(x), dtype=dtype_of(dtype))


def zeros_like(x, dtype=None):
    return torch.zeros_like(convert_to_tensor(x), dtype=dtype_of(dtype))


def full_like(x, fill_value, dtype=None):
    return torch.full_like(convert_to_tensor(x), fill_value, dtype=dtype_of(dtype))


def arange(start, stop=None, step=None, dtype=None):
    """Integers give int32, any float gives floatx, as in Keras; ``step`` defaults to 1."""
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    floats = builtins.any(isinstance(v, float) for v in (start, stop, step))
    default = dtype_of(config.floatx()) if floats else torch.int32
    return torch.arange(start, stop, step, dtype=dtype_of(dtype) or default, device=_device())


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    count = num if endpoint else num + 1
    values = torch.linspace(start, stop, count, dtype=_float_dtype(dtype), device=_device())
    values = values if endpoint else values[:-1]
    step = (stop - start) / builtins.max(1, (num - 1) if endpoint else num)
    return (values, step) if retstep else values


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 (Keras's argument names)
    ones_ = torch.ones(N, M or N, dtype=_float_dtype(dtype), device=_device())
    return ones_.triu(k).tril(k)  # ones on the k-th diagonal only


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


# -- elementwise ---------------------------------------------------------------------------------


def _binary(function):
    def op(x1, x2):
        a, b = tensors(x1, x2)
        return function(a, b)

    op.__name__ = function.__name__
    return op


add = _binary(torch.add)
subtract = _binary(torch.subtract)
multiply = _binary(torch.multiply)
divide = _binary(torch.true_divide)
true_divide = divide
floor_divide = _binary(torch.floor_divide)
mod = _binary(torch.remainder)
power = _binary(torch.pow)
maximum = _binary(torch.maximum)
minimum = _binary(torch.minimum)
equal = _binary(torch.eq)
not_equal = _binary(torch.ne)
greater = _binary(torch.gt)
greater_equal = _binary(torch.ge)
less = _binary(torch.lt)
less_equal = _binary(torch.le)
logical_and = _binary(torch.logical_and)
logical_or = _binary(torch.logical_or)


def _unary(function, floats=False):
    def op(x):
        x = convert_to_tensor(x)
        if floats and not x.is_floating_point():
            x = x.to(dtype_of(config.floatx()))  # Keras: sqrt, exp, log of ints are floats
        return function(x)

    op.__name__ = function.__name__
    return op


negative = _unary(torch.negative)
abs = _unary(torch.abs)  # noqa: A001 (Keras's name)
absolute = abs
square = _unary(torch.square)
sign = _unary(torch.sign)
floor = _unary(torch.floor)
ceil = _unary(torch.ceil)
logical_not = _unary(torch.logical_not)
isnan = _unary(torch.isnan)
isinf = _unary(torch.isinf)
isfinite = _unary(torch.isfinite)
sqrt = _unary(torch.sqrt, floats=True)
exp = _unary(torch.exp, floats=True)
log = _unary(torch.log, floats=True)
log1p = _unary(torch.log1p, floats=True)
sin = _unary(torch.sin, floats=True)
cos = _unary(torch.cos, floats=True)
tanh = _unary(torch.tanh, floats=True)


def round(x, decimals=0):  # noqa: A001 (Keras's name)
    return torch.round(convert_to_tensor(x), decimals=decimals)


def clip(x, x_min, x_max):
    return torch.clamp(convert_to_tensor(x), x_min, x_max)


def where(condition, x1=None, x2=None):
    condition = convert_to_tensor(condition).bool()
    if x1 is None and x2 is None:
        return torch.nonzero(condition, as_tuple=True)
    a, b = tensors(x1, x2)
    return torch.where(condition, a, b)


# -- reductions ----------------------------------------------------------------------------------


def _reduction(function, floats=False):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        if floats and not x.is_floating_point():
            x = x.to(dtype_of(config.floatx()))
        if axis is None and not keepdims:
            return function(x)
        return function(x, dim=_axes(axis, x.dim()), keepdim=keepdims)

    op.__name__ = function.__name__
    return op


sum = _reduction(torch.sum)  # noqa: A001 (Keras's name)
mean = _reduction(torch.mean, floats=True)
_amax, _amin = _reduction(torch.amax), _reduction(torch.amin)


def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001 (Keras's name)
    """The largest value along ``axis``; ``initial`` (if given) takes part as in numpy."""
    result = _amax(x, axis, keepdims)
    return result if initial is None else torch.clamp(result, min=initial)


def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001 (Keras's name)
    """The smallest value along ``axis``; ``initial`` (if given) takes part as in numpy."""
    result = _amin(x, axis, keepdims)
    return result if initial is None else torch.clamp(result, max=initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    for dim in sorted(_axes(axis, x.dim()), reverse=True):
        x = torch.prod(x, dim=dim, keepdim=keepdims)
    return x if dtype is None else x.to(dtype_of(dtype))


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x).to(_float_dtype(None))
    return torch.var(x, dim=_axes(axis, x.dim()), keepdim=keepdims, correction=0)


def std(x, axis=None, keepdims=False):
    return torch.sqrt(var(x, axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims=False):  # noqa: A001 (Keras's name)
    x = convert_to_tensor(x).bool()
    return (
        torch.all(x)
        if axis is None and not keepdims
        else _reduce_each(torch.all, x, axis, keepdims)
    )


def any(x, axis=None, keepdims=False):  # noqa: A001 (Keras's name)
    x = convert_to_tensor(x).bool()
    return (
        torch.any(x)
        if axis is None and not keepdims
        else _reduce_each(torch.any, x, axis, keepdims)
    )


def _reduce_each(function, x, axis, keepdims):
    for dim in sorted(_axes(axis, x.dim()), reverse=True):
        x = function(x, dim=dim, keepdim=keepdims)
    return x


def argmax(x, axis=None, keepdims=False):
    """The index of the largest value (of the flattened tensor when ``axis`` is None), int32."""
    x = convert_to_tensor(x)
    return torch.argmax(x, dim=axis, keepdim=keepdims).to(torch.int32)


def argmin(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return torch.argmin(x, dim=axis, keepdim=keepdims).to(torch.int32)


def cumsum(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    x = x.reshape(-1) if axis is None else x
    return torch.cumsum(x, dim=0 if axis is None else axis, dtype=dtype_of(dtype))


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 (Keras's name)
    x = convert_to_tensor(x).to(_float_dtype(None))
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


# -- shapes and combining ------------------------------------------------------------------------


def reshape(x, newshape):
    return convert_to_tensor(x).reshape(newshape)


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    return x.permute(*(axes if axes is not None else reversed(range(x.dim()))))


def expand_dims(x, axis):
    return convert_to_tensor(x).unsqueeze(axis)


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    return x.squeeze() if axis is None else x.squeeze(axis)


def concatenate(xs, axis=0):
    return torch.cat(tensors(*xs), dim=axis)


def stack(x, axis=0):
    return torch.stack(tensors(*x), dim=axis)


def split(x, indices_or_sections, axis=0):
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, int):
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, list(indices_or_sections), dim=axis))


def tile(x, repeats):
    return convert_to_tensor(x).tile(tuple(repeats) if not isinstance(repeats, int) else (repeats,))


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    return torch.repeat_interleave(x.reshape(-1) if axis is None else x, repeats, dim=axis or 0)


def flip(x, axis=None):
    x = convert_to_tensor(x)
    return torch.flip(x, dims=_axes(axis, x.dim()))


def take(x, indices, axis=None):
    x, indices = convert_to_tensor(x), convert_to_tensor(indices).long()
    if axis is None:
        return x.reshape(-1)[indices]
    return torch.index_select(x, axis, indices.reshape(-1)).reshape(
        *x.shape[: axis % x.dim()], *indices.shape, *x.shape[axis % x.dim() + 1 :]
    )


def take_along_axis(x, indices, axis=None):
    x, indices = convert_to_tensor(x), convert_to_tensor(indices).long()
    if axis is None:
        return x.reshape(-1)[indices.reshape(-1)]
    return torch.take_along_dim(x, indices, dim=axis)


def sort(x, axis=-1):
    return torch.sort(convert_to_tensor(x), dim=axis).values


def argsort(x, axis=-1):
    return torch.argsort(convert_to_tensor(x), dim=axis).to(torch.int32)


def matmul(x1, x2):
    a, b = tensors(x1, x2)
    return torch.matmul(a, b)


def dot(x1, x2):
    a, b = tensors(x1, x2)
    if a.dim() == 0 or b.dim() == 0:
        return a * b
    if b.dim() == 1 or a.dim() == 1:
        return torch.matmul(a, b)
    return torch.tensordot(a, b, dims=([-1], [-2])) if b.dim() > 2 else torch.matmul(a, b)


def outer(x1, x2):
    a, b = tensors(x1, x2)
    return torch.outer(a.reshape(-1), b.reshape(-1))


def einsum(subscripts, *operands, **kwargs):
    if kwargs:  # Keras hands these to its backend's einsum; torch's takes none
        from layerfit.errors import warn

        warn(
            f"ops.einsum ignores {sorted(kwargs)}: torch.einsum takes no such options.",
            fix="drop them; the result does not depend on them.",
        )
    return torch.einsum(subscripts, *tensors(*operands))


def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    return torch.count_nonzero(x, dim=axis).to(torch.int32)


def diag(x, k=0):
    return torch.diag(convert_to_tensor(x), k)
