"""Keras's elementwise numpy-like ops beyond ``_numpy.py``: trigonometry, logs, rounding,
comparisons, bitwise and complex parts (integer inputs to float math give floatx, as Keras)."""

from __future__ import annotations

import torch

from layerfit.ops._core import convert_to_tensor, tensors
from layerfit.ops._numpy_extra import _float

# -- elementwise ----------------------------------------------------------------------------------


def _unary_float(function):
    def op(x):
        return function(_float(x))

    op.__name__ = function.__name__.removeprefix("special_")
    return op


arccos = _unary_float(torch.arccos)
arccosh = _unary_float(torch.arccosh)
arcsin = _unary_float(torch.arcsin)
arcsinh = _unary_float(torch.arcsinh)
arctan = _unary_float(torch.arctan)
arctanh = _unary_float(torch.arctanh)
cosh = _unary_float(torch.cosh)
sinh = _unary_float(torch.sinh)
tan = _unary_float(torch.tan)
log2 = _unary_float(torch.log2)
log10 = _unary_float(torch.log10)
exp2 = _unary_float(torch.exp2)
expm1 = _unary_float(torch.expm1)
reciprocal = _unary_float(torch.reciprocal)
deg2rad = _unary_float(torch.deg2rad)
rad2deg = _unary_float(torch.rad2deg)
sinc = _unary_float(torch.sinc)
erf = _unary_float(torch.erf)
erfinv = _unary_float(torch.erfinv)
rsqrt = _unary_float(torch.rsqrt)


def cbrt(x):
    x = _float(x)
    return torch.sign(x) * x.abs().pow(1.0 / 3.0)


def trunc(x):
    return torch.trunc(convert_to_tensor(x))


def signbit(x):
    return torch.signbit(convert_to_tensor(x))


def _binary_float(function):
    def op(x1, x2):
        a, b = tensors(x1, x2)
        if not (a.is_floating_point() or b.is_floating_point()):
            a, b = _float(a), _float(b)
        return function(a, b)

    op.__name__ = function.__name__
    return op


arctan2 = _binary_float(torch.arctan2)
hypot = _binary_float(torch.hypot)
logaddexp = _binary_float(torch.logaddexp)
logaddexp2 = _binary_float(torch.logaddexp2)


def fmod(x1, x2):
    a, b = tensors(x1, x2)
    return torch.fmod(a, b)


def heaviside(x1, x2):
    a, b = tensors(x1, x2)
    return torch.heaviside(a, b.to(a.dtype))


def logical_xor(x1, x2):
    a, b = tensors(x1, x2)
    return torch.logical_xor(a, b)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return torch.nan_to_num(convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = tensors(x1, x2)
    return torch.isclose(a, b.to(a.dtype), rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(x1, x2, rtol, atol, equal_nan).all())


# -- more elementwise ops ---------------------------------------------------------------


def divide_no_nan(x1, x2):
    """``x1 / x2``, 0 where ``x2`` is 0."""
    a, b = tensors(x1, x2)
    a, b = _float(a), _float(b)
    return torch.where(b == 0, torch.zeros_like(a * b), a / torch.where(b == 0, 1, b))


def fabs(x):
    return _float(x).abs()


def fmax(x1, x2):
    a, b = tensors(x1, x2)
    return torch.fmax(a, b)


def fmin(x1, x2):
    a, b = tensors(x1, x2)
    return torch.fmin(a, b)


erfc = _unary_float(torch.special.erfc)


def isposinf(x):
    return torch.isposinf(convert_to_tensor(x))


def isneginf(x):
    return torch.isneginf(convert_to_tensor(x))


def gcd(x1, x2):
    a, b = tensors(x1, x2)
    return torch.gcd(a, b)


def lcm(x1, x2):
    a, b = tensors(x1, x2)
    return torch.lcm(a, b)


def ldexp(x1, x2):
    a, b = tensors(x1, x2)
    return torch.ldexp(_float(a), b)


def diagflat(x, k=0):
    return torch.diagflat(convert_to_tensor(x), k)


def real(x):
    x = convert_to_tensor(x)
    return x.real if x.is_complex() else x


def imag(x):
    x = convert_to_tensor(x)
    return x.imag if x.is_complex() else torch.zeros_like(x)


def conjugate(x):
    return torch.conj(convert_to_tensor(x)).resolve_conj()


conj = conjugate


def _bitwise(function):
    def op(x, y):
        a, b = tensors(x, y)
        return function(a, b)

    op.__name__ = function.__name__
    return op


bitwise_and = _bitwise(torch.bitwise_and)
bitwise_or = _bitwise(torch.bitwise_or)
bitwise_xor = _bitwise(torch.bitwise_xor)
bitwise_left_shift = _bitwise(torch.bitwise_left_shift)
bitwise_right_shift = _bitwise(torch.bitwise_right_shift)
left_shift = bitwise_left_shift
right_shift = bitwise_right_shift


def bitwise_invert(x):
    return torch.bitwise_not(convert_to_tensor(x))


bitwise_not = bitwise_invert
