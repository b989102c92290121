"""Conversions every op shares: values to tensors (Keras's dtype rules), dtypes, shapes."""

from __future__ import annotations

import numpy as np
import torch

from layerfit import backend, config
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain


def dtype_of(dtype) -> torch.dtype | None:
    """Keras's dtype names ('float32', 'int32', 'bool', ...) or torch dtypes; None stays None."""
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    name = str(np.dtype(dtype)) if not isinstance(dtype, str) else dtype
    found = getattr(torch, name, None)
    if not isinstance(found, torch.dtype):
        raise LayerfitValueError(
            explain(
                f"dtype={dtype!r} is not a dtype layerfit knows.",
                "a name such as 'float32', 'float64', 'int32', 'int64' or 'bool'.",
                "dtype='float32'",
            )
        )
    return found


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None) -> torch.Tensor:
    """A tensor on the default device: Python floats become floatx, Python ints int32.

    Arrays keep their dtype, as in Keras.

    Example:
    >>> convert_to_tensor([1.0, 2.0]).dtype
    torch.float32
    """
    dtype = dtype_of(dtype)
    if torch.is_tensor(x):
        return x if dtype is None or x.dtype == dtype else x.to(dtype)
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    if dtype is None and not isinstance(x, np.ndarray):
        dtype = _python_dtype(x)
    array = np.asarray(x)
    if array.dtype.kind in "USO" and _holds_text(array):
        raise LayerfitTypeError(
            explain(
                f"convert_to_tensor() got text (dtype {array.dtype}); torch has no string tensors.",
                "numbers; text stays a numpy array of strings until a text layer turns it into "
                "numbers.",
                "give np.array(['text']) to a model that starts with keras.Input(shape=(1,), "
                "dtype='string') followed by TextVectorization or StringLookup.",
            )
        )
    if not array.flags.writeable:  # e.g. np.asarray of a JAX array: torch warns on those
        array = array.copy()
    tensor = torch.from_numpy(np.ascontiguousarray(array)) if array.dtype != object else None
    if tensor is None:
        tensor = torch.stack([convert_to_tensor(item) for item in x])
    return tensor.to(device=backend.default_device(), dtype=dtype or tensor.dtype)


def _holds_text(array: np.ndarray) -> bool:
    if array.dtype.kind in "US":
        return True
    return any(isinstance(item, (str, bytes)) for item in array.reshape(-1)[:8])


def _python_dtype(x) -> torch.dtype | None:
    leaves = np.asarray(x, dtype=object).reshape(-1)
    if any(torch.is_tensor(leaf) for leaf in leaves):
        return None
    if leaves.size and all(isinstance(leaf, (bool, np.bool_)) for leaf in leaves):
        return torch.bool
    if leaves.size and all(isinstance(leaf, (int, np.integer)) for leaf in leaves):
        return torch.int32
    return dtype_of(config.floatx())


def convert_to_numpy(x) -> np.ndarray:
    """A numpy copy of the value (off the GPU, cut from the autograd graph), never a view."""
    return backend.to_numpy(x) if torch.is_tensor(x) else np.array(x)


def tensors(*values) -> list[torch.Tensor]:
    """Converts several operands; Python numbers take the dtype of the first tensor among them."""
    like = next((v for v in values if torch.is_tensor(v)), None)
    out = []
    for value in values:
        if torch.is_tensor(value):
            out.append(value)
        elif like is not None and isinstance(value, (int, float, bool)):
            out.append(torch.as_tensor(value, device=like.device, dtype=_scalar_dtype(value, like)))
        else:
            out.append(convert_to_tensor(value))
    return out


def _scalar_dtype(value, like: torch.Tensor) -> torch.dtype:
    if isinstance(value, float) and not like.is_floating_point():
        return dtype_of(config.floatx())
    return like.dtype


def cast(x, dtype) -> torch.Tensor:
    """``x`` converted to ``dtype``."""
    return convert_to_tensor(x).to(dtype_of(dtype))


def shape(x) -> tuple:
    """The shape as a tuple of ints."""
    return tuple(convert_to_tensor(x).shape)


def ndim(x) -> int:
    return convert_to_tensor(x).dim()


def size(x) -> int:
    return convert_to_tensor(x).numel()


def dtype(x) -> str:
    """The dtype's name, as Keras writes it: 'float32'."""
    return str(convert_to_tensor(x).dtype).removeprefix("torch.")


def stop_gradient(variable) -> torch.Tensor:
    return convert_to_tensor(variable).detach()


def is_tensor(x) -> bool:
    return torch.is_tensor(x)
