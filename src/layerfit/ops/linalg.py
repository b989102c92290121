"""Keras's ``keras.ops.linalg``: decompositions, solvers and norms on ``torch.linalg``."""

from layerfit.ops._functional import (  # noqa: A004 (Keras's names shadow builtins)
    jvp,
)
from layerfit.ops._linalg import (  # noqa: A004 (Keras's names shadow builtins)
    cholesky,
    cholesky_inverse,
    det,
    eig,
    eigh,
    inv,
    lstsq,
    lu_factor,
    matrix_rank,
    pinv,
    qr,
    solve,
    solve_triangular,
    svd,
)
from layerfit.ops._numpy import (  # noqa: A004 (Keras's names shadow builtins)
    norm,
)

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "jvp",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "norm",
    "pinv",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]
