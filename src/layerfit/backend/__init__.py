"""Keras's ``keras.backend`` names, and the only place that touches global torch state."""

from layerfit.backend import _distributed as distributed  # noqa: F401  (backend.distributed)
from layerfit.backend._device import (
    default_device,
    device,
    flush_denormals,
    to_numpy,
    to_tensor,
    torch_dtype,
)
from layerfit.backend._dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype
from layerfit.backend._session import (
    clear_session,
    get_uid,
    set_random_seed,
    snake_case,
    unique_name,
)
from layerfit.config import (
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)


def backend() -> str:
    """Keras's backend name; layerfit always runs on PyTorch."""
    return "torch"


__all__ = [
    "backend",
    "clear_session",
    "default_device",
    "device",
    "epsilon",
    "floatx",
    "flush_denormals",
    "get_uid",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "result_type",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_random_seed",
    "snake_case",
    "standardize_dtype",
    "to_numpy",
    "to_tensor",
    "torch_dtype",
    "unique_name",
]


def __getattr__(name):
    # Symbolic tensors are layers' machinery (a higher level), found on first use.
    if name == "is_keras_tensor":
        import importlib

        return importlib.import_module("layerfit.layers._symbolic").is_keras_tensor
    raise AttributeError(f"module 'layerfit.backend' has no attribute {name!r}")
