"""Symbolic tensors: shapes that flow through layers when a functional model is built.

Calling a layer on a ``KerasTensor`` builds the layer, computes its output shape and records
a ``Node`` (layer, inputs, outputs); a functional model walks these nodes once, at
construction, into a flat list of steps.
"""

from __future__ import annotations

import contextlib
import inspect
import threading

import torch

from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers._strings import text_reached_error


class KerasTensor:
    """A placeholder with a shape (batch axis None) and the node that produced it."""

    def __init__(self, shape, dtype: str = "float32", node: Node | None = None, name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtype
        self.node = node
        self.name = name

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def _keras_mask(self):
        """The mask this tensor will carry, as a bool KerasTensor (Keras's ``x._keras_mask``).

        Found on first use by running the graph up to here on a batch of zeros; a tensor
        without a mask raises AttributeError, as in Keras (so ``getattr(x, "_keras_mask",
        None)`` is None).
        """
        if "_mask_found" not in self.__dict__:
            self.__dict__["_mask_found"] = _symbolic_mask(self)
        found = self.__dict__["_mask_found"]
        if found is None:
            raise AttributeError("'KerasTensor' object has no attribute '_keras_mask'")
        return found

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __len__(self):
        raise LayerfitValueError(
            explain(
                "len() of a symbolic tensor has no value while the model is being built.",
                fix="use tensor.shape instead.",
            )
        )

    # -- Keras's operators: each records an op node (layerfit.layers._op_layer) -------------------

    def reshape(self, newshape):
        return _ops().reshape(self, newshape)

    def squeeze(self, axis=None):
        return _ops().squeeze(self, axis=axis)

    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __truediv__(self, other):
        return _ops().true_divide(self, other)

    def __rtruediv__(self, other):
        return _ops().true_divide(other, self)

    def __floordiv__(self, other):
        return _ops().floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops().floor_divide(other, self)

    def __mod__(self, other):
        return _ops().mod(self, other)

    def __rmod__(self, other):
        return _ops().mod(other, self)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __neg__(self):
        return _ops().negative(self)

    def __abs__(self):
        return _ops().absolute(self)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)

    def __ne__(self, other):  # __eq__ stays identity, as in Keras (tensors key dicts)
        return _ops().not_equal(self, other)

    __hash__ = object.__hash__
    # numpy_array + tensor: numpy steps aside, so Python calls __radd__ (a node), as torch does.
    __array_ufunc__ = None

    def __and__(self, other):
        return _ops().logical_and(self, other)

    def __rand__(self, other):
        return _ops().logical_and(other, self)

    def __or__(self, other):
        return _ops().logical_or(self, other)

    def __ror__(self, other):
        return _ops().logical_or(other, self)

    def __xor__(self, other):
        return _ops().logical_xor(self, other)

    def __rxor__(self, other):
        return _ops().logical_xor(other, self)

    def __invert__(self):
        return _ops().logical_not(self)

    def __getitem__(self, key):
        return _ops().get_item(self, key)

    def __round__(self, ndigits=None):
        return _ops().round(self, decimals=ndigits or 0)

    # -- what a symbolic tensor cannot do: our errors, with the fix ------------------------------

    def __iter__(self):
        raise LayerfitTypeError(
            explain(
                f"A symbolic tensor of shape {self.shape} cannot be iterated over while the "
                "model is being built (it holds no values yet).",
                "ops on the whole tensor.",
                "select parts with keras.ops (x[:, 0], ops.split(x, 2, axis=-1), "
                "ops.unstack(x, axis=1)) or write the loop inside a layer's call().",
            )
        )

    def __bool__(self):
        raise LayerfitTypeError(
            explain(
                "A symbolic tensor cannot be used as a boolean (in an if, while, and/or): it "
                "has no value while the model is being built.",
                "conditions computed inside the graph.",
                "use ops.where(condition, x, y) for values, or put the if inside a layer's "
                "call(), where tensors hold values.",
            )
        )

    def __array__(self, dtype=None, copy=None):
        raise LayerfitTypeError(
            explain(
                "A symbolic tensor was converted to a numpy array: it has no values while "
                "the model is being built.",
                "keras.ops functions on symbolic tensors (they become nodes of the model).",
                "use keras.ops (ops.mean(x), x + 1, ...) instead of numpy, or wrap the numpy "
                "code in a layers.Lambda layer.",
            )
        )

    def __int__(self):
        raise self._no_value("int")

    def __float__(self):
        raise self._no_value("float")

    def __index__(self):
        raise self._no_value("index")

    def _no_value(self, what: str) -> Exception:
        return LayerfitTypeError(
            explain(
                f"A symbolic tensor cannot be used as a Python {what}: it has no value while "
                "the model is being built.",
                "keras.ops functions on symbolic tensors.",
                "compute with keras.ops (ops.cast, ops.sum, ...), or read sizes from tensor.shape.",
            )
        )

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", str(func)).removeprefix("torch.")
        raise LayerfitTypeError(
            explain(
                f"The torch function {name}() was called on a symbolic tensor (a Keras "
                "Input or a layer's output while a functional model is built); torch "
                "functions need real tensors.",
                "keras.ops functions, which become nodes of the model.",
                f"use keras.ops (ops.{name}(x) if it exists) or put the "
                "torch code in a layer: layers.Lambda(lambda t: torch_fn(t)) or a custom "
                "Layer's call().",
            )
        )


def _ops():
    from layerfit import ops  # layers sit above ops: imported on first use, once loaded

    return ops


class Node:
    """One call of a layer on symbolic inputs."""

    def __init__(self, layer, args: tuple, kwargs: dict, outputs):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs

    @property
    def inputs(self):
        return self.args[0] if self.args else self.kwargs.get("inputs")

    def parent_tensors(self) -> list[KerasTensor]:
        return [t for t in flatten((self.args, self.kwargs)) if isinstance(t, KerasTensor)]


def _symbolic_mask(tensor: KerasTensor):
    """A bool KerasTensor shaped like the mask ``tensor`` carries at run time, or None."""
    order, seen, stack = [], set(), [tensor]
    while stack:  # the nodes ``tensor`` depends on, parents before children
        current = stack[-1]
        node = current.node
        parents = [] if node is None else node.parent_tensors()
        pending = [p for p in parents if id(p) not in seen]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        if id(current) not in seen:
            seen.add(id(current))
            order.append(current)
    values: dict[int, object] = {}

    def value(t):
        return values[id(t)] if isinstance(t, KerasTensor) else t

    try:
        with torch.no_grad():
            for current in order:
                if id(current) in values:
                    continue
                node = current.node
                parents = [] if node is None else node.parent_tensors()
                if not parents:
                    is_int = "int" in str(current.dtype) or current.dtype == "bool"
                    shape = [1 if d is None else d for d in current.shape]
                    values[id(current)] = torch.zeros(
                        shape, dtype=torch.int64 if is_int else torch.float32
                    )
                    continue
                layer = node.layer
                was_training = layer.training
                layer.eval()
                try:
                    result = layer(
                        *map_structure(value, node.args), **map_structure(value, node.kwargs)
                    )
                finally:
                    layer.train(was_training)
                for symbolic, concrete in zip(flatten(node.outputs), flatten(result)):
                    values[id(symbolic)] = concrete
    except Exception:  # a graph that cannot run on zeros: no mask to report
        return None
    mask = getattr(values.get(id(tensor)), "_keras_mask", None)
    if not torch.is_tensor(mask):
        return None
    shape = tensor.shape[: mask.dim()] if mask.dim() <= len(tensor.shape) else mask.shape
    return KerasTensor((None, *shape[1:]), dtype="bool", name=f"{tensor.name}_mask")


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic tensor of a functional model under construction."""
    return isinstance(x, KerasTensor)


def get_source_inputs(tensor) -> list:
    """The ``Input`` tensors that ``tensor`` is computed from (itself for an Input), as Keras's."""
    if not isinstance(tensor, KerasTensor):
        raise LayerfitTypeError(
            explain(
                f"get_source_inputs() got {type(tensor).__name__}.",
                "a symbolic tensor from keras.Input or from calling a layer on one.",
                "inputs = keras.Input((4,)); get_source_inputs(Dense(2)(inputs))",
            )
        )
    found, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        node = current.node
        parents = [] if node is None else node.parent_tensors()
        if not parents:
            found.append(current)
        stack.extend(reversed(parents))
    return found


def contains_symbolic(structure) -> bool:
    if isinstance(structure, KerasTensor):
        return True
    if isinstance(structure, (list, tuple, dict)):
        return any(isinstance(leaf, KerasTensor) for leaf in flatten(structure))
    return False


def symbolic_call(layer, args: tuple, kwargs: dict):
    """Calls ``layer`` on KerasTensors: builds it, infers the output shape, records a Node."""
    inputs = args[0] if args else kwargs.get("inputs")
    if not getattr(layer, "takes_strings", False):
        for tensor in flatten((args, kwargs)):
            if isinstance(tensor, KerasTensor) and tensor.dtype == "string":
                raise text_reached_error(layer, "string")
    shapes = map_structure(lambda t: t.shape if isinstance(t, KerasTensor) else t, inputs)
    layer.build_checked(shapes)
    others = flatten((args[1:], {k: v for k, v in kwargs.items() if k != "inputs"}))
    if any(isinstance(item, KerasTensor) for item in others):
        # Keras's rule: every tensor in the arguments is a graph input, so the output shape
        # comes from a dry run on all of them (a layer called as layer(targets, logits)).
        out_shapes = dry_run_call(layer, args, kwargs)
    else:
        out_shapes = layer.compute_output_shape(shapes, **_shape_arguments(layer, kwargs))
    node = Node(layer, args, kwargs, None)
    counter = iter(range(1000))
    node.outputs = map_structure(
        lambda s: KerasTensor(s, node=node, name=f"{layer.name}_output_{next(counter)}"), out_shapes
    )
    layer._inbound_nodes.append(node)
    return node.outputs


def _shape_arguments(layer, kwargs: dict) -> dict:
    """The call's keyword arguments that ``compute_output_shape`` also takes (Keras passes
    them, e.g. ``ReversibleEmbedding``'s ``reverse=True`` changes the output shape)."""
    if not kwargs:
        return {}
    parameters = inspect.signature(layer.compute_output_shape).parameters
    return {k: v for k, v in kwargs.items() if k in parameters and k != "input_shape"}


_local = threading.local()


@contextlib.contextmanager
def weights_on(device):
    """Within this block, ``add_weight`` makes weights on ``device`` (the first input's)."""
    previous = getattr(_local, "device", None)
    _local.device = device
    try:
        yield
    finally:
        _local.device = previous


def current_weight_device():
    return getattr(_local, "device", None)


@contextlib.contextmanager
def name_scope(layer):
    """Weights made within this block have ``layer``'s name in their path, as Keras's scopes."""
    stack = _local.__dict__.setdefault("scope", [])
    if any(scope is layer for scope in stack):  # already open (a first call that builds)
        yield
        return
    stack.append(layer)
    try:
        yield
    finally:
        stack.pop()


def weight_path(layer, name: str) -> str:
    """'outer/layer/name': the layers whose build or first call is under way, then ``layer``."""
    outer = [scope.name for scope in getattr(_local, "scope", ()) if scope is not layer]
    return "/".join([*outer, layer.name, name])


@contextlib.contextmanager
def weight_budget(values: int, refuse):
    """Within this block, ``add_weight`` calls ``refuse(values_so_far, shape)`` before making
    a weight that takes the total past ``values``: a model file cannot make the loader
    allocate more weights than it holds (layerfit.saving sets it while rebuilding a model)."""
    previous = getattr(_local, "budget", None)
    _local.budget = [values, 0, refuse]
    try:
        yield
    finally:
        _local.budget = previous


def charge_weight(shape: tuple) -> None:
    """Counts a weight about to be made against the budget set by ``weight_budget``."""
    budget = getattr(_local, "budget", None)
    if budget is None:
        return
    count = 1
    for size in shape:
        count *= size
    budget[1] += count
    if budget[1] > budget[0]:
        budget[2](budget[1], shape)


def dry_run_shape(layer, input_shape):
    """Finds the output shape by running the layer on zeros with a batch of 1."""

    def run(zeros):
        x = map_structure(zeros, input_shape)
        if torch.is_tensor(x) and x.dim() >= 2 and _call_takes_mask(layer):
            # Keras hands call() the mask while it infers shapes; an all-True one stands in.
            return layer.call(x, mask=torch.ones(x.shape[:2], dtype=torch.bool, device=x.device))
        return layer.call(x)

    return _dry_run(layer, run, input_shape)


def _call_takes_mask(layer) -> bool:
    try:
        return "mask" in inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False


def dry_run_call(layer, args: tuple, kwargs: dict):
    """The output shapes of ``layer(*args, **kwargs)`` with zeros for every symbolic tensor."""

    def run(zeros):
        def fill(item):
            return zeros(item.shape, item.dtype) if isinstance(item, KerasTensor) else item

        return layer.forward(*map_structure(fill, args), **map_structure(fill, kwargs))

    shapes = map_structure(lambda t: t.shape if isinstance(t, KerasTensor) else t, args)
    return _dry_run(layer, run, shapes)


def _dry_run(layer, run, input_shape):
    device = next((p.device for p in layer.parameters()), None)

    unknown = [1]  # the size that stands for an unknown (None) axis past the batch one

    def zeros(shape, dtype=None):
        concrete = [
            1 if d is None and i == 0 else unknown[0] if d is None else d
            for i, d in enumerate(shape)
        ]
        is_int = isinstance(dtype, str) and ("int" in dtype or dtype == "bool")
        return torch.zeros(concrete, device=device, dtype=torch.int64 if is_int else None)

    was_training = layer.training
    layer.eval()
    try:
        with torch.no_grad():
            output = run(zeros)
            if _has_unknown_axis(input_shape):
                # Axes that follow an unknown input length stay unknown (Keras keeps None):
                # a second run with another length tells them apart.
                unknown[0] = 2
                try:
                    again = run(zeros)
                except Exception:
                    again = None
                output = _unknown_where_different(output, again)
    except TypeError as error:  # a call() signature mistake, not a shape one
        raise LayerfitTypeError(
            explain(
                f"Calling layer {layer.name!r} ({type(layer).__name__}) on symbolic tensors "
                f"failed in its call(): {error}",
                "arguments that match the layer's call() signature.",
                "check how the layer is called against its call() arguments; every tensor "
                "passed (positionally or by keyword) becomes a graph input.",
            )
        ) from error
    except Exception as error:  # any other failure here is a shape mistake in the user's graph
        raise LayerfitValueError(
            explain(
                f"Layer {layer.name!r} ({type(layer).__name__}) cannot take input of shape "
                f"{input_shape}: {error}",
                "an input shape this layer accepts.",
                "check the previous layer's output shape (model.summary() shows each one).",
            )
        ) from None
    finally:
        layer.train(was_training)
    return map_structure(
        lambda t: (None, *t.shape[1:]) if torch.is_tensor(t) or isinstance(t, _Unknown) else t,
        output,
    )


class _Unknown:
    """An output whose shape has axes that follow an unknown input length."""

    def __init__(self, shape):
        self.shape = shape


def _has_unknown_axis(input_shape) -> bool:
    def axes(shape):
        return isinstance(shape, (tuple, list)) and any(
            d is None for d in shape[1:] if not isinstance(d, (tuple, list, dict))
        )

    if (
        isinstance(input_shape, (tuple, list))
        and input_shape
        and all(isinstance(d, (int, type(None))) for d in input_shape)
    ):
        return axes(input_shape)
    if isinstance(input_shape, dict):
        return any(_has_unknown_axis(v) for v in input_shape.values())
    if isinstance(input_shape, (tuple, list)):
        return any(_has_unknown_axis(v) for v in input_shape)
    return False


def _unknown_where_different(first, second):
    """``first`` with the axes (past the batch one) whose size differs in ``second`` as None."""
    if second is None:
        return first
    firsts, seconds = flatten(first), flatten(second)
    if len(firsts) != len(seconds):
        return first
    merged = []
    for a, b in zip(firsts, seconds):
        if torch.is_tensor(a) and torch.is_tensor(b) and a.dim() == b.dim():
            shape = tuple(
                None if i > 0 and x != y else x for i, (x, y) in enumerate(zip(a.shape, b.shape))
            )
            merged.append(_Unknown(shape) if shape != tuple(a.shape) else a)
        else:
            merged.append(a)
    leaves = iter(merged)
    return map_structure(lambda _: next(leaves), first)
