"""Keras's function transformations on torch autograd: ``custom_gradient``, ``jvp``,
``vectorize`` and ``associative_scan``."""

from __future__ import annotations

import functools
import warnings

import torch

from layerfit import _tree
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor


def custom_gradient(f):
    """Decorates ``f(*args)`` returning ``(output, grad_fn)``: in backpropagation the gradients
    of the tensor arguments are ``grad_fn(upstream)`` (one per tensor argument), as Keras's.

    ``grad_fn`` gets the upstream gradient positionally, so both Keras patterns work:
    ``def grad(upstream)`` and ``def grad(*args, upstream=None)``.

    Example:
    >>> @custom_gradient
    ... def clip_gradient(x):
    ...     return x * 1.0, lambda upstream: upstream.clamp(-1.0, 1.0)
    """

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        positions = [i for i, a in enumerate(args) if torch.is_tensor(a)]
        if not positions:
            return f(*args, **kwargs)[0]

        class _Function(torch.autograd.Function):
            @staticmethod
            def forward(ctx, *tensors):
                call_args = list(args)
                for position, tensor in zip(positions, tensors):
                    call_args[position] = tensor
                output, ctx.grad_fn = f(*call_args, **kwargs)
                return output

            @staticmethod
            def backward(ctx, *upstream):
                grads = ctx.grad_fn(*upstream)
                return tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)

        return _Function.apply(*[args[i] for i in positions])

    return wrapper


def jvp(fun, primals, tangents, has_aux=False):
    """``(fun(*primals), J @ tangents)``, the Jacobian-vector product (forward mode), plus
    ``fun``'s auxiliary output when ``has_aux``; as Keras's ``ops.jvp``.

    Example:
    >>> jvp(lambda x: x * x, (torch.tensor(3.0),), (torch.tensor(1.0),))[1]
    tensor(6.)
    """
    if not isinstance(primals, (tuple, list)) or len(primals) != len(tangents):
        raise LayerfitValueError(
            explain(
                "ops.jvp got primals and tangents that are not tuples of the same length.",
                "primals=(x, ...) and tangents=(dx, ...), one tangent per primal.",
                "jvp(fun, (x,), (ops.ones_like(x),))",
            )
        )
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t).to(p.dtype) for p, t in zip(primals, tangents))
    with warnings.catch_warnings():  # torch's first forward-mode call loads decompositions
        warnings.filterwarnings("ignore", ".*torch.jit.script.*", DeprecationWarning)
        return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` mapped over the leading axis of its tensor arguments (``torch.func.vmap``);
    with ``signature`` ('(n),(n)->()'), over every axis before the core ones, as numpy's.

    Example:
    >>> vectorize(lambda a, b: a + b)(torch.ones(3), torch.ones(3)).shape
    torch.Size([3])
    """
    excluded = set(excluded or ())

    def elementwise(*args, **kwargs):
        fixed = {i: a for i, a in enumerate(args) if i in excluded}
        mapped = [convert_to_tensor(a) for i, a in enumerate(args) if i not in excluded]

        def call(*values):
            values, full = list(values), []
            for i in range(len(args)):
                full.append(fixed[i] if i in fixed else values.pop(0))
            return pyfunc(*full, **kwargs)

        if signature is None:  # elementwise: broadcast, then map over every element
            mapped = torch.broadcast_tensors(*mapped)
            shape = mapped[0].shape
            flat = [m.reshape(-1) for m in mapped]
            out = torch.func.vmap(call)(*flat) if flat[0].numel() else flat[0]
            return _tree.map_structure(lambda o: o.reshape(*shape, *o.shape[1:]), out)
        cores = [_core_rank(part) for part in signature.split("->")[0].split("),")]
        batch = [m.shape[: m.dim() - r] for m, r in zip(mapped, cores)]
        batch_shape = torch.broadcast_shapes(*batch)
        mapped = [
            m.expand(*batch_shape, *m.shape[m.dim() - r :]).reshape(-1, *m.shape[m.dim() - r :])
            for m, r in zip(mapped, cores)
        ]
        out = torch.func.vmap(call)(*mapped)
        return _tree.map_structure(lambda o: o.reshape(*batch_shape, *o.shape[1:]), out)

    return functools.wraps(pyfunc)(elementwise)


def _core_rank(part):
    inside = part.strip().strip("()")
    return len([name for name in inside.split(",") if name.strip()])


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan of an associative ``f`` along ``axis`` of ``elems`` (a tensor or a nest
    of tensors with that axis in common); Keras's ``ops.associative_scan``.

    Runs in O(log n) calls of ``f`` on whole slices (Hillis-Steele), so ``f`` must be
    elementwise over the slices it gets.

    Example:
    >>> associative_scan(lambda a, b: a + b, torch.arange(5.0))
    tensor([ 0.,  1.,  3.,  6., 10.])
    """
    leaves = [convert_to_tensor(leaf) for leaf in _tree.flatten(elems)]
    lengths = {leaf.shape[axis] for leaf in leaves}
    if len(lengths) != 1:
        raise LayerfitValueError(
            explain(
                f"ops.associative_scan got elems whose axis {axis} lengths differ: "
                f"{sorted(lengths)}.",
                "every tensor in elems the same length along the scanned axis.",
                "slice or pad the tensors to one length first.",
            )
        )
    leaves = [leaf.movedim(axis, 0) for leaf in leaves]
    if reverse:
        leaves = [leaf.flip(0) for leaf in leaves]
    (length,), offset = lengths, 1
    while offset < length:
        earlier = _pack(elems, [leaf[:-offset] for leaf in leaves])
        later = _pack(elems, [leaf[offset:] for leaf in leaves])
        combined = _tree.flatten(f(earlier, later))
        leaves = [torch.cat([leaf[:offset], new]) for leaf, new in zip(leaves, combined)]
        offset *= 2
    if reverse:
        leaves = [leaf.flip(0) for leaf in leaves]
    return _pack(elems, [leaf.movedim(0, axis) for leaf in leaves])


def _pack(structure, leaves):
    """``leaves`` put back into the nesting of ``structure`` (in ``_tree.flatten``'s order)."""
    remaining = iter(leaves)
    return _tree.map_structure(lambda _: next(remaining), structure)
