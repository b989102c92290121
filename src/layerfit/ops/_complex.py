"""Keras's ops on complex numbers and float representation: angle, polar, isreal, i0, nextafter."""

from __future__ import annotations

import torch

from layerfit import config
from layerfit.ops._core import convert_to_tensor, dtype_of, tensors


def _float(x):
    x = convert_to_tensor(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(dtype_of(config.floatx()))


def angle(x):
    """The angle of complex values in radians (0 or pi for real ones); floatx for ints.

    Example:
    >>> angle([-1.0, 1.0])
    tensor([3.1416, 0.0000])
    """
    return torch.angle(_float(x))


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))`` (complex64 for float32)."""
    magnitude, phase = (_float(v) for v in tensors(abs_, angle))
    dtype = torch.promote_types(magnitude.dtype, phase.dtype)
    return torch.polar(magnitude.to(dtype), phase.to(dtype))


def isreal(x):
    """True where the imaginary part is zero (everywhere for real tensors)."""
    return torch.isreal(convert_to_tensor(x))


def i0(x):
    """The modified Bessel function of the first kind, order 0; floatx for ints."""
    return torch.special.i0(_float(x))


def nextafter(x1, x2):
    """The next representable float after ``x1`` towards ``x2``; floatx for ints."""
    a, b = (_float(v) for v in tensors(x1, x2))
    dtype = torch.promote_types(a.dtype, b.dtype)
    return torch.nextafter(a.to(dtype), b.to(dtype))
