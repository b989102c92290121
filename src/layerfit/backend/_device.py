"""Which device layerfit computes on, and numpy <-> torch conversion."""

from __future__ import annotations

import functools

import numpy as np
import torch

from layerfit import config


@functools.cache
def default_device() -> torch.device:
    """The first CUDA device when one is present, else the CPU."""
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


# A fixed table, never getattr(torch, name): a name can come from a file, and an attribute
# lookup on torch can import modules (torch._dynamo) or reach functions.
_DTYPES = {
    name: getattr(torch, name)
    for name in (
        "float16 bfloat16 float32 float64 half float double int8 uint8 int16 int32 int64 "
        "bool complex64 complex128"
    ).split()
}


def torch_dtype(name: str | torch.dtype | None = None) -> torch.dtype:
    """'float32' -> torch.float32; None -> floatx()."""
    if isinstance(name, torch.dtype):
        return name
    key = name or config.floatx()
    found = _DTYPES.get(key.removeprefix("torch.") if isinstance(key, str) else key)
    if found is None:
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"Unknown dtype {name!r}.",
                f"one of {sorted(_DTYPES)}.",
                "dtype='float32' (the default), or 'float16' / 'bfloat16' for half precision.",
            )
        )
    return found


def to_tensor(value, dtype: torch.dtype | None = None, device=None) -> torch.Tensor:
    """Converts arrays, lists, pandas objects and tensors to a tensor on ``device``, once."""
    if hasattr(value, "to_numpy") and not isinstance(value, torch.Tensor):
        value = value.to_numpy()
    if isinstance(value, torch.Tensor):
        tensor = value
    else:
        array = np.asarray(value)
        if array.dtype == np.float64 and dtype is None:
            array = array.astype(np.float32)
        tensor = torch.from_numpy(np.ascontiguousarray(array))
    return tensor.to(device=device or tensor.device, dtype=dtype or tensor.dtype)


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """A numpy copy of ``tensor``: never a view that keeps changing as the tensor trains.

    On the CPU ``tensor.numpy()`` shares memory with the tensor, so weights saved with
    ``get_weights()`` would follow every later optimizer step; off the CPU ``.cpu()`` has
    already copied, so no second copy is made.
    """
    tensor = tensor.detach()
    array = tensor.cpu().numpy()
    return array.copy() if tensor.device.type == "cpu" else array


def flush_denormals() -> None:
    """Treats subnormal floats as zero on CPU, as TensorFlow's CPU kernels do.

    Adam's second-moment estimates of rarely-updated weights decay towards 1e-38, where x86
    arithmetic on subnormals runs many times slower; flushing them costs no accuracy.
    """
    torch.set_flush_denormal(True)
