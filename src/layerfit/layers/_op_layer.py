"""Op nodes: ``x + y``, ``x[:, :3]``, ``ops.expand_dims(x, -1)`` inside a functional model.

An op called on a symbolic tensor becomes a layer without weights, as Keras's ``Operation``:
one class per op, named as Keras names it (``Add``, ``GetItem``, ``ExpandDims``), whose
instances are named ``add``, ``get_item``, ... The tensors of the call are the node's
arguments; the op's other arguments (``axis=-1``, a dtype) are the layer's config, as Keras
writes them, so a saved model names the op and its values, never code. The output shape comes
from running the op on small zero tensors.
"""

from __future__ import annotations

import inspect

import numpy as np
import torch

from layerfit import backend
from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._symbolic import KerasTensor, Node, contains_symbolic
from layerfit.ops import _symbolic as _ops_symbolic
from layerfit.ops._core import dtype_of

# Parameters Keras's op classes take in call() even when given a plain value (x * 0.5).
_CALL_PARAMETERS = frozenset(
    {"x", "x1", "x2", "x3", "key", "condition", "inputs", "indices", "updates", "fill_value"}
)
_KERAS_MODULES = {
    "numpy": "keras.src.ops.numpy",
    "core": "keras.src.ops.core",
    "nn": "keras.src.ops.nn",
    "image": "keras.src.ops.image",
    "linalg": "keras.src.ops.linalg",
    "math": "keras.src.ops.math",
}


class OpLayer(Layer):
    """A layer that runs one op of ``layerfit.ops``; ``op_class(name)`` makes one class per op."""

    op_name: str = ""

    def __init__(self, name=None, **arguments):
        super().__init__(name=name or backend.unique_name(self.op_name))
        self.arguments = arguments
        self.built = True
        self.__dict__["_takes_training"] = False
        self.__dict__["_invoke"] = _invoker(type(self).op, arguments)

    def run(self, args, kwargs):
        """The op on real tensors with this node's config values."""
        invoke = self.__dict__.get("_invoke")
        if invoke is not None:
            return invoke(args, kwargs)
        return self.op(*args, **kwargs, **self.arguments)

    @staticmethod
    def op(*args, **kwargs):  # replaced per class
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        for item in args:  # each step of a forward pass: a type check per argument
            kind = type(item)
            if kind is torch.Tensor:
                continue
            if kind is KerasTensor or (kind in _CONTAINERS and contains_symbolic(item)):
                return _record_node(self, args, kwargs)
        if kwargs and contains_symbolic(kwargs):
            return _record_node(self, args, kwargs)
        return self.run(args, kwargs)

    def __reduce_ex__(self, protocol):
        # The class is made per op at run time: pickle rebuilds it by the op's name.
        state = {k: v for k, v in self.__getstate__().items() if k != "_invoke"}
        return (_empty_op_layer, (self.op_name,), state)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self.__dict__["_invoke"] = _invoker(type(self).op, self.arguments)

    def call(self, *args, **kwargs):
        return self.run(args, kwargs)

    def compute_output_shape(self, *args, **kwargs):
        return self._inbound_nodes[0].outputs.shape if self._inbound_nodes else None

    def get_config(self) -> dict:
        return {"name": self.name, **self.arguments}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


_classes: dict[str, type] = {}
_CONTAINERS = frozenset((list, tuple, dict))


def _empty_op_layer(op_name: str) -> OpLayer:
    cls = op_class(op_name)
    return cls.__new__(cls)


def camel_case(name: str) -> str:
    """'get_item' -> 'GetItem', 'log1p' -> 'Log1p', as Keras names its op classes."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def op_class(class_or_op_name: str) -> type | None:
    """The OpLayer class of an op, by op name ('expand_dims') or class name ('ExpandDims');
    None when layerfit has no such op (only ops of ``layerfit.ops`` are ever found)."""
    name = class_or_op_name
    if name not in _ops_symbolic.OPS:
        name = backend.snake_case(class_or_op_name)
    fn = _ops_symbolic.OPS.get(name)
    if fn is None:
        return None
    if name not in _classes:
        _classes[name] = type(
            camel_case(name),
            (OpLayer,),
            {
                "op_name": name,
                "op": staticmethod(fn),
                "__module__": _keras_module(name),
                "__doc__": f"The node of ``ops.{name}`` in a functional model.",
            },
        )
    return _classes[name]


# Keras's ops in keras.src.ops.math and .core (layerfit has no such submodules); the rest
# follow layerfit's submodule (nn, image, linalg), else numpy. Only the config's module
# depends on this: a new op missing here is still recorded, saved and loaded by layerfit.
_KERAS_MATH = frozenset(
    "cdist erf erfc erfinv extract_sequences fft fft2 ifft2 in_top_k irfft istft logdet "
    "logsumexp rfft rsqrt segment_max segment_min segment_prod segment_sum stft top_k "
    "view_as_complex view_as_real".split()
)
_KERAS_CORE = frozenset(
    "associative_scan cast cond convert_to_tensor fori_loop map saturate_cast scan scatter "
    "scatter_update slice slice_update stop_gradient switch unstack vectorized_map "
    "while_loop".split()
)


def _keras_module(name: str) -> str:
    if name in _KERAS_MATH:
        return "keras.src.ops.math"
    if name in _KERAS_CORE:
        return "keras.src.ops.core"
    submodule = _ops_symbolic.SUBMODULE_OF.get(name, "numpy")
    return _KERAS_MODULES.get(submodule, "keras.src.ops.numpy")


def is_op_module(module) -> bool:
    """Whether a config's ``module`` names Keras's (or layerfit's) ops."""
    return isinstance(module, str) and module.startswith(
        ("keras.src.ops", "keras.ops", "layerfit.ops")
    )


def record_op(name: str, fn, args: tuple, kwargs: dict):
    """``ops.NAME(*args, **kwargs)`` with a symbolic argument: a new op layer called on them."""
    call_args, call_kwargs, arguments = _split_arguments(name, fn, args, kwargs)
    layer = op_class(name)(**arguments)
    return layer(*call_args, **call_kwargs)


def _split_arguments(name, fn, args, kwargs):
    """Keras's split: tensors, arrays and Keras's call parameters (x, x1, x2, key, ...) are the
    call's arguments; other values (axis=-1, a dtype, einsum's subscripts) the op's config."""
    try:
        signature = inspect.signature(fn)
        bound = signature.bind(*args, **kwargs)
    except (TypeError, ValueError) as error:
        signature = _signature_text(fn)
        raise LayerfitTypeError(
            explain(
                f"ops.{name}() got arguments it does not take: {error}.",
                f"the arguments of ops.{name}{signature}.",
                f"check the call against help(keras.ops.{name}).",
            )
        ) from None
    call_args, call_kwargs, arguments, skipped = [], {}, {}, []
    for parameter in signature.parameters.values():
        if parameter.name not in bound.arguments:
            if parameter.kind in _POSITIONAL:
                skipped.append(parameter)
            continue
        value = bound.arguments[parameter.name]
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            call_args.extend(value)
        elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
            for key, item in value.items():
                (call_kwargs if contains_symbolic(item) else arguments)[key] = item
        elif parameter.kind in _POSITIONAL and _is_call_argument(parameter.name, value):
            # A default skipped before a later call argument is written out, so the
            # positions of the call's arguments stay those of the op's parameters.
            arguments.update({p.name: p.default for p in skipped})
            skipped = []
            call_args.append(value)
        elif contains_symbolic(value):
            call_kwargs[parameter.name] = value
        else:
            arguments[parameter.name] = value
    return call_args, call_kwargs, arguments


def _is_call_argument(name: str, value) -> bool:
    return (
        name in _CALL_PARAMETERS
        or isinstance(value, (np.ndarray, torch.Tensor))
        or contains_symbolic(value)
    )


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _invoker(fn, arguments: dict):
    """How an op layer calls its op: ``fn(*args, **arguments)``, or, when a config value sits
    before the call's arguments in the op's signature (``einsum(subscripts, *operands)``),
    with the config values put back in their positions."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    positional = [p for p in parameters if p.kind in _POSITIONAL or p.kind is p.VAR_POSITIONAL]
    keyed = [i for i, p in enumerate(positional) if p.name in arguments]
    if not keyed or all(p.name in arguments for p in positional[keyed[0] :]):
        return None  # config values come after every call argument: plain keywords

    def invoke(args, kwargs):
        remaining = iter(args)
        placed, used = [], set()
        for parameter in positional:
            if parameter.kind is parameter.VAR_POSITIONAL:
                placed.extend(remaining)
                break
            if parameter.name in arguments:
                placed.append(arguments[parameter.name])
                used.add(parameter.name)
                continue
            value = next(remaining, _MISSING)
            if value is _MISSING:
                break
            placed.append(value)
        placed.extend(remaining)
        rest = {k: v for k, v in arguments.items() if k not in used}
        return fn(*placed, **kwargs, **rest)

    return invoke


_MISSING = object()


def _signature_text(fn) -> str:
    try:
        return str(inspect.signature(fn))
    except (TypeError, ValueError):
        return "(...)"


def _record_node(layer: OpLayer, args: tuple, kwargs: dict):
    """Records ``layer(*args, **kwargs)`` on symbolic tensors; shapes from two small runs."""
    first = _dry_run(layer, args, kwargs, 2)
    second = first
    if any(
        d is None for t in flatten((args, kwargs)) if isinstance(t, KerasTensor) for d in t.shape
    ):
        try:
            second = _dry_run(layer, args, kwargs, 3)
        except LayerfitValueError:
            second = first  # sizes fixed by the op's arguments: the first run's stand

    def as_symbolic(a, b):
        shape = tuple(
            None if size_a != size_b else int(size_a) for size_a, size_b in zip(a.shape, b.shape)
        )
        return (shape, str(a.dtype).removeprefix("torch."))

    first_leaves, second_leaves = flatten(first), flatten(second)
    described = [as_symbolic(a, b) for a, b in zip(first_leaves, second_leaves)]
    node = Node(layer, args, kwargs, None)
    leaves = iter(described)
    counter = iter(range(len(described)))

    def make(_):
        shape, dtype = next(leaves)
        return KerasTensor(shape, dtype, node=node, name=f"{layer.name}_output_{next(counter)}")

    node.outputs = map_structure(make, first)
    layer._inbound_nodes.append(node)
    return node.outputs


def _dry_run(layer: OpLayer, args, kwargs, unknown: int):
    device = backend.default_device()
    op = layer.op_name

    def fill(item):
        if not isinstance(item, KerasTensor):
            return item
        if item.dtype == "string":
            raise LayerfitTypeError(
                explain(
                    f"ops.{op}() got a text (string) symbolic tensor.",
                    "numbers: ops compute on tensors of numbers.",
                    "turn text into numbers first with layers.TextVectorization or "
                    "layers.StringLookup.",
                )
            )
        shape = [unknown if d is None else d for d in item.shape]
        return torch.zeros(shape, dtype=dtype_of(item.dtype), device=device)

    try:
        with torch.no_grad():
            output = layer.run(tuple(map_structure(fill, args)), map_structure(fill, kwargs))
    except (LayerfitTypeError, LayerfitValueError):
        raise
    except Exception as error:
        shapes = [t.shape for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        raise LayerfitValueError(
            explain(
                f"ops.{op}() cannot take symbolic tensors of shapes {shapes}: {error}",
                f"inputs that ops.{op} accepts.",
                "check the shapes of the tensors (model.summary() shows each layer's output).",
            )
        ) from None
    for leaf in flatten(output):
        if not torch.is_tensor(leaf):
            kind = type(leaf).__name__
            raise LayerfitTypeError(
                explain(
                    f"ops.{op}() on a symbolic tensor gives "
                    f"{kind}, not a tensor, so it cannot be a node of a "
                    "functional model.",
                    "ops that return tensors.",
                    "use a layers.Lambda layer, or compute it from tensor.shape while "
                    "building the model.",
                )
            )
    return output


_ops_symbolic.register(KerasTensor, record_op)
