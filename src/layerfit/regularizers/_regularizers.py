"""Keras 3's weight regularizers (L1, L2, L1L2) and their 'regularizer' registry."""

from __future__ import annotations

import math

import torch

from layerfit import _registry, config
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain


def _validate(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise LayerfitValueError(
            explain(
                f"Invalid value for argument {name}: expected a float. Received: {name}={value!r}.",
                "a finite float >= 0, e.g. 0.01.",
            )
        )
    if value < 0:
        raise LayerfitValueError(
            explain(
                f"Invalid value for argument {name}: expected a non-negative float. "
                f"Received: {name}={value!r}.",
                "a float >= 0, e.g. 0.01.",
            )
        )
    return float(value)


class Regularizer:
    """Regularizer base class: `reg(weight)` returns a scalar penalty added to the loss.

    Example:
    >>> class Sum(Regularizer):
    ...     def __call__(self, x):
    ...         return x.sum()
    """

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros((), dtype=x.dtype, device=x.device)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1(Regularizer):
    """L1 penalty: `l1 * sum(abs(x))`.

    Args:
        l1: The L1 factor. Defaults to `0.01`.

    Example:
    >>> L1(0.5)(torch.tensor([1.0, -2.0]))
    tensor(1.5000)
    """

    def __init__(self, l1=0.01):
        self.l1 = _validate(l1, "l1")

    def __call__(self, x):
        return self.l1 * torch.sum(torch.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """L2 penalty: `l2 * sum(square(x))`.

    Args:
        l2: The L2 factor. Defaults to `0.01`.

    Example:
    >>> L2(0.5)(torch.tensor([1.0, -2.0]))
    tensor(2.5000)
    """

    def __init__(self, l2=0.01):
        self.l2 = _validate(l2, "l2")

    def __call__(self, x):
        return self.l2 * torch.sum(torch.square(x))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """L1 and L2 penalties: `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: The L1 factor. Defaults to `0.0`.
        l2: The L2 factor. Defaults to `0.0`.

    Example:
    >>> L1L2(l1=1.0, l2=1.0)(torch.tensor([1.0, -2.0]))
    tensor(8.)
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _validate(l1, "l1")
        self.l2 = _validate(l2, "l2")

    def __call__(self, x):
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1:
            penalty = penalty + self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * torch.sum(torch.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalises non-orthogonal rows (or columns) of a 2-D weight.

    The penalty is ``factor * 0.5 * mean |cos(v_i, v_j)|`` over the pairs i < j of rows
    (``mode="rows"``) or columns (``mode="columns"``), as in Keras.

    Args:
        factor: The penalty factor. Defaults to `0.01`.
        mode: `"rows"` or `"columns"`. Defaults to `"rows"`.

    Example:
    >>> OrthogonalRegularizer(1.0)(torch.tensor([[1.0, 0.0], [1.0, 0.0]]))
    tensor(1.)
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _validate(factor, "factor")
        if mode not in ("rows", "columns"):
            raise LayerfitValueError(
                explain(
                    f"OrthogonalRegularizer got mode={mode!r}.",
                    "'rows' or 'columns'.",
                    "mode='rows' makes the rows of the weight orthogonal.",
                )
            )
        self.mode = mode

    def __call__(self, x):
        if x.dim() != 2:
            raise LayerfitValueError(
                explain(
                    f"OrthogonalRegularizer got a weight of shape {tuple(x.shape)}.",
                    "a 2-D weight, such as a Dense kernel.",
                    "use it as kernel_regularizer of a Dense or EinsumDense layer.",
                )
            )
        vectors = x if self.mode == "rows" else x.T
        # Keras's normalize: x * min(rsqrt(sum x^2), 1 / epsilon).
        inverse = torch.rsqrt(vectors.square().sum(dim=1, keepdim=True)).clamp(
            max=1.0 / config.epsilon()
        )
        vectors = vectors * inverse
        size = vectors.shape[0]
        product = vectors @ vectors.T
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * off_diagonal.abs().sum() / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


REGULARIZERS = Registry("regularizer")
REGULARIZERS.register(L1, "l1")
REGULARIZERS.register(L2, "l2")
REGULARIZERS.register(L1L2, "l1_l2")
REGULARIZERS.register(OrthogonalRegularizer, "orthogonal_regularizer")


def get(identifier):
    """Returns a regularizer for `identifier` (`None`, a name, a config, an instance or callable).

    Example:
    >>> get("l2")
    L2(l2=0.01)
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if callable(identifier):
        return identifier
    raise LayerfitValueError(
        explain(
            f"Could not interpret regularizer identifier: {identifier!r}.",
            "None, 'l1', 'l2', 'l1_l2', a Regularizer, or a function of the weight tensor.",
            "pass kernel_regularizer=keras.regularizers.L2(1e-4).",
        )
    )


def serialize(regularizer):
    """Returns Keras's config dict for `regularizer` (`None` stays `None`).

    Example:
    >>> serialize(L1(0.1))["config"]
    {'l1': 0.1}
    """
    if regularizer is None:
        return None
    if isinstance(regularizer, Regularizer):
        return {
            "module": "keras.regularizers",
            "class_name": type(regularizer).__name__,
            "config": regularizer.get_config(),
            "registered_name": None,
        }
    name = getattr(regularizer, "__name__", type(regularizer).__name__)
    return {"module": None, "class_name": "function", "config": name, "registered_name": name}


def deserialize(config, custom_objects=None):
    """Builds a regularizer from a name or a dict made by `serialize`.

    Example:
    >>> deserialize({"class_name": "L2", "config": {"l2": 0.5}})
    L2(l2=0.5)
    """
    custom_objects = custom_objects or {}
    class_name, kwargs = _registry.parse_config(config, "regularizer", "l2")
    if class_name == "function":
        class_name, kwargs = kwargs, {}
    obj = custom_objects.get(class_name) or REGULARIZERS.get(class_name)
    return obj.from_config(dict(kwargs)) if isinstance(obj, type) else obj
