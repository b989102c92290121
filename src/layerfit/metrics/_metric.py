"""The Metric base class and its state variables.

A metric's state lives in small torch tensors that follow the data: the first
``update_state`` moves them to ``y_pred``'s device, and every update is plain tensor
arithmetic, so the training loop never waits on the GPU. ``result()`` returns a 0-d tensor;
whoever logs it converts it to a float (a few times per second, not per batch).
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.backend import snake_case, to_numpy, to_tensor, torch_dtype, unique_name
from layerfit.config import floatx
from layerfit.errors import LayerfitValueError, explain


def _unwrap(value):
    if isinstance(value, MetricVariable):
        return value.value
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v) for v in value)
    return value


class MetricVariable:
    """One piece of metric state: a tensor with Keras's `assign`/`assign_add`/`assign_sub`.

    It behaves like its tensor in arithmetic and in torch functions, so custom metrics
    written for Keras (`self.tp.assign_add(ops.sum(values))`) work unchanged.
    """

    def __init__(self, value: torch.Tensor, name: str | None = None):
        self.value = value
        self.name = name

    def _coerce(self, value) -> torch.Tensor:
        value = _unwrap(value)
        if not isinstance(value, torch.Tensor):
            return torch.as_tensor(value, dtype=self.value.dtype, device=self.value.device)
        if value.device != self.value.device:
            # The state follows the data: move once, on the first update from a new device.
            self.value = self.value.to(value.device)
        return value.detach().to(self.value.dtype)

    def assign(self, value) -> None:
        value = self._coerce(value)
        self.value = (
            value.expand_as(self.value).clone() if value.shape != self.value.shape else value
        )

    def assign_add(self, value) -> None:
        self.value = self.value + self._coerce(value)

    def assign_sub(self, value) -> None:
        self.value = self.value - self._coerce(value)

    # -- tensor-like behaviour ----------------------------------------------------------------
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func(*_unwrap(tuple(args)), **{k: _unwrap(v) for k, v in (kwargs or {}).items()})

    @property
    def shape(self):
        return self.value.shape

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def device(self):
        return self.value.device

    def numpy(self) -> np.ndarray:
        return to_numpy(self.value)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array.astype(dtype) if dtype is not None else array

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __repr__(self) -> str:
        return f"<MetricVariable {self.name!r} value={self.value}>"

    def __getitem__(self, index):
        return self.value[index]

    def __neg__(self):
        return -self.value


def _binary(op):
    def forward(self, other):
        return getattr(self.value, op)(_unwrap(other))

    return forward


for _op in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__pow__", "__rpow__", "__lt__", "__le__", "__gt__", "__ge__",
):  # fmt: skip
    setattr(MetricVariable, _op, _binary(_op))


def _initial_value(initializer, shape, dtype) -> torch.Tensor:
    if initializer is None or initializer in ("zeros", "Zeros"):
        return torch.zeros(shape, dtype=dtype)
    if initializer in ("ones", "Ones"):
        return torch.ones(shape, dtype=dtype)
    if isinstance(initializer, (int, float)):
        return torch.full(shape, float(initializer), dtype=dtype)
    if callable(initializer):
        return torch.as_tensor(initializer(shape, dtype=dtype), dtype=dtype)
    raise LayerfitValueError(
        explain(
            f"Metric state cannot use initializer={initializer!r}.",
            "'zeros' (the default), 'ones', a number, or an initializer object.",
            "add_variable(shape=(), initializer='zeros', name='total').",
        )
    )


class Metric:
    """Encapsulates metric logic and state.

    Subclasses create state in `__init__` with `add_variable`, update it in `update_state`
    and compute the value in `result()`.

    Args:
        name: Optional name of the metric instance. Defaults to the snake_case class name.
        dtype: Optional dtype of the metric result. Defaults to `floatx()`.

    Example:
    >>> class Count(Metric):
    ...     def __init__(self, name="count", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.n.assign_add(y_pred.shape[0])
    ...     def result(self):
    ...         return self.n.value
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or unique_name(snake_case(type(self).__name__))
        self._dtype = dtype or floatx()
        self._variables: list[MetricVariable] = []

    @property
    def dtype(self) -> str:
        return str(self._dtype).replace("torch.", "")

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a state variable (``initializer`` None means zeros) that `reset_state` resets."""
        del aggregation  # single-process state; kept for Keras's signature
        if not hasattr(self, "_variables"):
            self._variables = []
        dtype = torch_dtype(dtype or self._dtype)
        shape = tuple(shape) if isinstance(shape, (tuple, list, torch.Size)) else (int(shape),)
        variable = MetricVariable(_initial_value(initializer, shape, dtype), name=name)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable`, with Keras 3's argument order."""
        return self.add_variable(shape, initializer, dtype, name=name)

    @property
    def variables(self) -> list[MetricVariable]:
        return list(getattr(self, "_variables", []))

    def _follow(self, tensor: torch.Tensor) -> None:
        """Moves every state variable to `tensor`'s device (a no-op after the first batch)."""
        for variable in self._variables:
            if variable.value.device != tensor.device:
                variable.value = variable.value.to(tensor.device)

    def reset_state(self) -> None:
        """Sets every state variable back to zero (on the device it lives on)."""
        for variable in self.variables:
            variable.value = torch.zeros_like(variable.value)

    def reset_states(self) -> None:
        """Keras 2 spelling of `reset_state`."""
        self.reset_state()

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"Metric {type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"Metric {type(self).__name__} must implement result().")

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def as_tensor(value) -> torch.Tensor:
    return value if isinstance(value, torch.Tensor) else to_tensor(value)
