"""Keras's ``ops.linalg`` on ``torch.linalg``: the same names, arguments and outputs."""

from __future__ import annotations

import torch

from layerfit import config
from layerfit.ops._core import convert_to_tensor, dtype_of


def _float(x):
    x = convert_to_tensor(x)
    return x if x.is_floating_point() else x.to(dtype_of(config.floatx()))


def cholesky(x, upper=False):
    return torch.linalg.cholesky(_float(x), upper=upper)


def cholesky_inverse(x, upper=False):
    return torch.cholesky_inverse(_float(x), upper=upper)


def det(x):
    return torch.linalg.det(_float(x))


def eig(x):
    return torch.linalg.eig(_float(x))


def eigh(x):
    return torch.linalg.eigh(_float(x))


def inv(x):
    return torch.linalg.inv(_float(x))


def lstsq(a, b, rcond=None):
    return torch.linalg.lstsq(_float(a), _float(b), rcond=rcond).solution


def lu_factor(x):
    lu, pivots = torch.linalg.lu_factor(_float(x))
    return lu, pivots - 1  # Keras's pivots count from 0, torch's (LAPACK's) from 1


def matrix_rank(x, tol=None):
    return torch.linalg.matrix_rank(_float(x), atol=tol)


def pinv(x, rcond=None):
    return torch.linalg.pinv(_float(x), rtol=rcond)


def qr(x, mode="reduced"):
    return torch.linalg.qr(_float(x), mode=mode)


def solve(a, b):
    return torch.linalg.solve(_float(a), _float(b))


def solve_triangular(a, b, lower=False):
    a, b = _float(a), _float(b)
    vector = b.dim() == a.dim() - 1
    out = torch.linalg.solve_triangular(a, b[..., None] if vector else b, upper=not lower)
    return out[..., 0] if vector else out


def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return torch.linalg.svdvals(_float(x))
    return torch.linalg.svd(_float(x), full_matrices=full_matrices)


def slogdet(x):
    sign, logabsdet = torch.linalg.slogdet(_float(x))
    return sign, logabsdet


def logdet(x):
    return torch.logdet(_float(x))
