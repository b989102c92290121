"""Ops on symbolic tensors: every public op also builds a node of a functional model.

In Keras 3 every ``keras.ops`` function called on a ``KerasTensor`` (an ``Input`` or a layer's
output while a functional model is built) records an operation in the graph. Here one wrapper,
applied to every name in ``__all__`` of ``layerfit.ops`` and its public submodules
(``wrap_namespaces``), does that for every op, including ops added later: when no argument is
symbolic it calls the op at once (a few type checks); otherwise it hands the call to the
recorder that ``layerfit.layers`` registers (ops sit below layers and never import them).
"""

from __future__ import annotations

import functools
import sys
import types

import torch

_Tensor = torch.Tensor


class _NoSymbolicTensorYet:
    """Stands for ``KerasTensor`` until ``layerfit.layers`` registers it."""


_symbolic_type: type = _NoSymbolicTensorYet
_record = None  # (name, fn, args, kwargs) -> symbolic outputs; set by layerfit.layers
_containers = frozenset((list, tuple, dict))

# Ops whose result on a symbolic tensor is known now, without a node (as in Keras).
_STATIC = {
    "shape": lambda x: x.shape,
    "ndim": lambda x: len(x.shape),
    "dtype": lambda x: x.dtype,
}
# Names in __all__ that are not ops on tensors (no wrapper).
_NOT_OPS = frozenset({"is_tensor", "convert_to_numpy", "custom_gradient", "dtype_of"})

OPS: dict[str, types.FunctionType] = {}  # public op name -> the op itself (unwrapped)
SUBMODULE_OF: dict[str, str] = {}  # public op name -> 'nn', 'image', 'linalg', 'numpy'
_wrappers: dict[tuple, object] = {}  # (id(op), name) -> wrapper: ops.add is ops.numpy.add
# Aliases Keras records under another op's class (ops.abs(x) makes an Absolute node).
_KERAS_NAMES = {"abs": "absolute", "conj": "conjugate"}


def register(symbolic_type: type, record) -> None:
    """Called once by ``layerfit.layers``: the symbolic tensor class and the node recorder."""
    global _symbolic_type, _record
    _symbolic_type = symbolic_type
    _record = record
    wrap_namespaces()  # ops appended to an __all__ after the ops package loaded


def _has_symbolic(container) -> bool:
    """Whether a list/tuple/dict holds a symbolic tensor at any depth (loops, no generators)."""
    for value in container.values() if type(container) is dict else container:
        kind = type(value)
        if kind is _Tensor:
            continue
        if kind is _symbolic_type or (kind in _containers and _has_symbolic(value)):
            return True
    return False


def symbolic_aware(fn, name: str):
    """``fn`` that records a graph node when any argument (nested too) is a symbolic tensor."""
    if getattr(fn, "_layerfit_op", None) is not None:
        return fn
    if (id(fn), name) in _wrappers:
        return _wrappers[id(fn), name]
    static = _STATIC.get(name)
    recorded = _KERAS_NAMES.get(name, name)

    @functools.wraps(fn)
    def op(*args, **kwargs):
        # The eager path: tensors and numbers pass these checks at the cost of a type() each.
        for item in args:
            kind = type(item)
            if kind is _Tensor:
                continue
            if kind is _symbolic_type or (kind in _containers and _has_symbolic(item)):
                break
        else:
            for item in kwargs.values():
                kind = type(item)
                if kind is _symbolic_type or (kind in _containers and _has_symbolic(item)):
                    break
            else:
                return fn(*args, **kwargs)
        if static is not None and args and type(args[0]) is _symbolic_type:
            return static(args[0])
        return _record(recorded, fn, args, kwargs)

    op._layerfit_op = fn
    _wrappers[id(fn), name] = op
    return op


def wrap_module(module) -> None:
    """Replaces every op in ``module.__all__`` by its symbolic-aware wrapper."""
    submodule = module.__name__.rsplit(".", 1)[-1]
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        if name in _NOT_OPS or not isinstance(obj, types.FunctionType):
            continue
        original = getattr(obj, "_layerfit_op", obj)
        OPS.setdefault(name, original)
        if submodule != "ops":
            SUBMODULE_OF[name] = submodule
        setattr(module, name, symbolic_aware(original, name))


def wrap_namespaces() -> None:
    """Wraps ``layerfit.ops`` and every public submodule of it that is loaded."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("layerfit.ops"):
            continue
        parts = module_name.split(".")
        if any(part.startswith("_") for part in parts):
            continue
        wrap_module(module)


def get_item(x, key):
    """``x[key]``, as Keras's ``ops.get_item`` (what ``KerasTensor.__getitem__`` records).

    Example:
    >>> get_item(ops.arange(4), 1)
    tensor(1, dtype=torch.int32)
    """
    if isinstance(key, list):
        key = tuple(key)  # as Keras's GetItem (and a key read back from JSON, which has no tuples)
    if not torch.is_tensor(x):
        from layerfit.ops._core import convert_to_tensor

        x = convert_to_tensor(x)
    return x[key]
