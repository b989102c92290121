"""Keras 3's constant initializers: Zeros, Ones, Constant, Identity."""

from __future__ import annotations

import torch

from layerfit.backend import torch_dtype
from layerfit.errors import LayerfitValueError, explain
from layerfit.initializers._initializer import Initializer, _shape


class Zeros(Initializer):
    """Initializer that generates tensors filled with 0.

    Example:
    >>> Zeros()((2, 2))
    tensor([[0., 0.],
            [0., 0.]])
    """

    def __call__(self, shape, dtype=None):
        return torch.zeros(_shape(shape), dtype=torch_dtype(dtype))


class Ones(Initializer):
    """Initializer that generates tensors filled with 1.

    Example:
    >>> Ones()((2,))
    tensor([1., 1.])
    """

    def __call__(self, shape, dtype=None):
        return torch.ones(_shape(shape), dtype=torch_dtype(dtype))


class Constant(Initializer):
    """Initializer that generates tensors filled with a constant (broadcast to the shape).

    Args:
        value: A Python number or array broadcastable to the shape. Defaults to `0.0`.

    Example:
    >>> Constant(3.0)((2,))
    tensor([3., 3.])
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        value = torch.as_tensor(self.value, dtype=torch_dtype(dtype))
        return value.broadcast_to(_shape(shape)).clone()

    def get_config(self):
        value = self.value
        if hasattr(value, "tolist"):
            value = value.tolist()
        return {"value": value}


class Identity(Initializer):
    """Initializer that generates the identity matrix (2D shapes only).

    Args:
        gain: Multiplicative factor applied to the identity matrix. Defaults to `1.0`.

    Example:
    >>> Identity()((2, 2))
    tensor([[1., 0.],
            [0., 1.]])
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise LayerfitValueError(
                explain(
                    f"Identity initializer got shape={shape} of rank {len(shape)}.",
                    "a 2D shape (rows, columns).",
                    "use Identity only for 2D kernels, e.g. Dense(units, kernel_initializer='identity').",
                )
            )
        return self.gain * torch.eye(*shape, dtype=torch_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}
