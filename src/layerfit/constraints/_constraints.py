"""Keras 3's weight constraints: projections applied to a weight after each optimizer step."""

from __future__ import annotations

import inspect

import torch

from layerfit import config
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain


class Constraint:
    """Base class for weight constraints: ``constraint(w)`` returns the projected weight.

    The optimizer replaces a weight by ``constraint(weight)`` after each update, as Keras does.

    Example:
    >>> class NonNegative(Constraint):
    ...     def __call__(self, w):
    ...         return w * (w >= 0).to(w.dtype)
    >>> layer = layerfit.layers.Dense(4, kernel_constraint=NonNegative())
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _norms(w: torch.Tensor, axis) -> torch.Tensor:
    dims = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    return torch.sqrt(torch.sum(torch.square(w), dim=dims, keepdim=True))


class MaxNorm(Constraint):
    """Rescales the weights incident to each unit to a norm of at most ``max_value``.

    Args:
        max_value: the largest norm allowed. Defaults to 2.
        axis: the axis (or axes) along which norms are taken: 0 for a Dense kernel
            ``(input_dim, units)``, ``[0, 1, 2]`` for a Conv2D kernel. Defaults to 0.

    Example:
    >>> MaxNorm(1.0)(torch.tensor([[3.0], [4.0]]))  # norm 5 -> 1
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to 0.

    Example:
    >>> NonNeg()(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __call__(self, w):
        return torch.clamp(w, min=0)


class UnitNorm(Constraint):
    """Rescales the weights incident to each unit to norm 1.

    Args:
        axis: the axis (or axes) along which norms are taken. Defaults to 0.

    Example:
    >>> UnitNorm()(torch.tensor([[3.0], [4.0]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Rescales the weights incident to each unit to a norm between two bounds.

    Args:
        min_value: the smallest norm. Defaults to 0.0.
        max_value: the largest norm. Defaults to 1.0.
        rate: how far to move towards the bounds each step: the norm becomes
            ``(1 - rate) * norm + rate * clip(norm, min_value, max_value)``. Defaults to 1.0.
        axis: the axis (or axes) along which norms are taken. Defaults to 0.

    Example:
    >>> MinMaxNorm(min_value=1.0, max_value=2.0)(torch.tensor([[0.3], [0.4]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        clipped = torch.clamp(norms, self.min_value, self.max_value)
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


CONSTRAINTS = Registry("constraint")
CONSTRAINTS.register(Constraint, "Constraint", "constraint")
CONSTRAINTS.register(MaxNorm, "MaxNorm", "max_norm")
CONSTRAINTS.register(MinMaxNorm, "MinMaxNorm", "min_max_norm")
CONSTRAINTS.register(NonNeg, "NonNeg", "non_neg")
CONSTRAINTS.register(UnitNorm, "UnitNorm", "unit_norm")


def get(identifier):
    """Returns a constraint for ``identifier``: None, a name, a config dict, a class or a callable.

    Example:
    >>> get("non_neg")
    NonNeg()
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise LayerfitValueError(
        explain(
            f"Could not interpret constraint identifier: {identifier!r}.",
            "None, a name such as 'max_norm' or 'non_neg', a Constraint, or a function of the "
            "weight tensor that returns the projected weight.",
            "pass kernel_constraint=keras.constraints.MaxNorm(3).",
        )
    )


def serialize(constraint):
    """Returns Keras's config dict for ``constraint`` (None stays None).

    Example:
    >>> serialize(MaxNorm(3))["config"]
    {'max_value': 3, 'axis': 0}
    """
    if constraint is None:
        return None
    if isinstance(constraint, Constraint):
        registered = type(constraint) in (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
        return {
            "module": "keras.constraints" if registered else type(constraint).__module__,
            "class_name": type(constraint).__name__,
            "config": constraint.get_config(),
            "registered_name": None if registered else type(constraint).__name__,
        }
    name = getattr(constraint, "__name__", type(constraint).__name__)
    return {"module": None, "class_name": "function", "config": name, "registered_name": name}


def deserialize(config, custom_objects=None):
    """Builds a constraint from a name or a dict made by ``serialize``.

    Example:
    >>> deserialize({"class_name": "UnitNorm", "config": {"axis": 1}})
    UnitNorm(axis=1)
    """
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        class_name, kwargs = config, {}
    elif isinstance(config, dict) and "class_name" in config:
        class_name, kwargs = config["class_name"], config.get("config") or {}
    else:
        raise LayerfitValueError(
            explain(
                f"Could not interpret constraint config {config!r}.",
                "a name such as 'max_norm' or a dict with 'class_name' and 'config'.",
            )
        )
    if class_name == "function":
        class_name, kwargs = kwargs, {}
    obj = custom_objects.get(class_name) or CONSTRAINTS.get(class_name)
    return obj.from_config(dict(kwargs)) if isinstance(obj, type) else obj
