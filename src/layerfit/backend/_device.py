"""Which device layerfit computes on, and numpy <-> torch conversion."""

from __future__ import annotations

import contextlib
import functools

import numpy as np
import torch

from layerfit import config
from layerfit.errors import LayerfitValueError, explain

_scopes: list[torch.device] = []  # keras.device() blocks, innermost last


def default_device() -> torch.device:
    """Where new tensors and weights go: the innermost ``keras.device`` block's device, else
    the first CUDA device when one is present, else the CPU."""
    return _scopes[-1] if _scopes else _automatic_device()


@functools.cache
def _automatic_device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


@contextlib.contextmanager
def device(device_name):
    """Keras's ``keras.device``: tensors and weights made in this block go to ``device_name``.

    Args:
        device_name: 'cpu', 'gpu', 'gpu:1', 'cuda:0' (Keras's names; 'gpu' is CUDA here),
            or a torch.device.

    Example:
    >>> with device("cpu"):
    ...     default_device().type
    'cpu'
    """
    _scopes.append(_parse_device(device_name))
    try:
        yield
    finally:
        _scopes.pop()


def _parse_device(name) -> torch.device:
    if isinstance(name, torch.device):
        text = str(name)
    elif isinstance(name, str):
        text = name.strip().lower()
    else:
        text = None
    kind, _, index = (text or "").partition(":")
    kind = {"gpu": "cuda"}.get(kind, kind)
    if kind not in ("cpu", "cuda", "mps") or (index and not index.isdigit()):
        raise LayerfitValueError(
            explain(
                f"keras.device() got {name!r}, which is not a device layerfit knows.",
                "'cpu', 'gpu', 'gpu:<index>' or 'cuda:<index>'.",
                "`with keras.device('cpu'): ...`",
            )
        )
    if kind == "cuda" and not torch.cuda.is_available():
        raise LayerfitValueError(
            explain(
                f"keras.device({name!r}) asks for a GPU, but torch sees no CUDA device here.",
                "a device this machine has.",
                "use keras.device('cpu'), or install a CUDA build of torch on a machine with a GPU.",
            )
        )
    if kind == "cuda" and index and int(index) >= torch.cuda.device_count():
        raise LayerfitValueError(
            explain(
                f"keras.device({name!r}): this machine has {torch.cuda.device_count()} GPU(s), "
                f"numbered from 0.",
                "a GPU index below the count.",
                "`with keras.device('gpu:0'): ...`",
            )
        )
    return torch.device(f"{kind}:{index}" if index else kind)


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
