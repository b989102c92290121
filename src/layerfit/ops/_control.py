"""Keras's core ops for control flow and indexed updates (``ops.cond``, ``ops.scan``,
``ops.scatter``, ``ops.slice``, ...), run eagerly: PyTorch needs no traced loops."""

from __future__ import annotations

import builtins

import torch

from layerfit.ops._core import convert_to_tensor, dtype_of

_builtin_slice = builtins.slice  # this module defines Keras's slice over the builtin


def cond(pred, true_fn, false_fn):
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    return true_fn() if bool(convert_to_tensor(pred)) else false_fn()


def switch(index, branches, *operands):
    """Calls ``branches[index](*operands)``, the index clamped to the branches, as Keras."""
    position = int(convert_to_tensor(index))
    position = max(0, min(position, len(branches) - 1))
    return branches[position](*operands)


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def while_loop(cond, body, loop_vars, maximum_iterations=None):  # noqa: A002 (Keras's names)
    single = not isinstance(loop_vars, (list, tuple))
    values = (loop_vars,) if single else tuple(loop_vars)
    count = 0
    while bool(cond(*values)) and (maximum_iterations is None or count < maximum_iterations):
        values = body(*values)
        values = (values,) if single or not isinstance(values, (list, tuple)) else tuple(values)
        count += 1
    return values[0] if single else values


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """``carry, y = f(carry, x)`` over the first axis of ``xs``; returns (carry, stacked ys)."""
    steps = length if xs is None else convert_to_tensor(xs).shape[0]
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    carry, ys = init, []
    for i in order:
        carry, y = f(carry, None if xs is None else xs[i])
        ys.append(y)
    if reverse:
        ys.reverse()
    stacked = torch.stack([convert_to_tensor(y) for y in ys]) if ys and ys[0] is not None else None
    return carry, stacked


def map(f, xs):  # noqa: A001 (Keras's name)
    return torch.stack([convert_to_tensor(f(x)) for x in convert_to_tensor(xs)])


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` along axis 0 (torch.vmap when it
    can, else a loop)."""
    try:
        return torch.vmap(function)(convert_to_tensor(elements))
    except RuntimeError:
        return map(function, elements)


def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices`` (index rows)."""
    indices, values = convert_to_tensor(indices).long(), convert_to_tensor(values)
    out = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    out.index_put_(tuple(indices.T), values, accumulate=True)
    return out


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs).clone()
    indices, updates = convert_to_tensor(indices).long(), convert_to_tensor(updates)
    key = tuple(indices.T)
    if reduction is None:
        inputs[key] = updates.to(inputs.dtype)
    elif reduction == "add":
        inputs.index_put_(key, updates.to(inputs.dtype), accumulate=True)
    else:
        combine = {"max": torch.maximum, "min": torch.minimum, "mul": torch.mul}[reduction]
        inputs[key] = combine(inputs[key], updates.to(inputs.dtype))
    return inputs


def slice(inputs, start_indices, shape):  # noqa: A001 (Keras's name)
    inputs = convert_to_tensor(inputs)
    starts = [int(s) for s in convert_to_tensor(start_indices).reshape(-1)]
    index = tuple(
        _builtin_slice(s, inputs.shape[i] if n == -1 else s + n)
        for i, (s, n) in enumerate(zip(starts, shape))
    )
    return inputs[index]


def slice_update(inputs, start_indices, updates):
    inputs, updates = convert_to_tensor(inputs).clone(), convert_to_tensor(updates)
    starts = [int(s) for s in convert_to_tensor(start_indices).reshape(-1)]
    index = tuple(_builtin_slice(s, s + n) for s, n in zip(starts, updates.shape))
    inputs[index] = updates.to(inputs.dtype)
    return inputs


def saturate_cast(x, dtype):
    """Casts with values clipped to ``dtype``'s range first (no wrap-around)."""
    x, target = convert_to_tensor(x), dtype_of(dtype)
    info = torch.finfo(target) if target.is_floating_point else torch.iinfo(target)
    return x.clamp(info.min, info.max).to(target)
