"""Keras's ``keras.backend`` names, and the only place that touches global torch state."""

from layerfit.backend import _distributed as distributed  # noqa: F401  (backend.distributed)
from layerfit.backend._device import (
    default_device,
    flush_denormals,
    to_numpy,
    to_tensor,
    torch_dtype,
)
from layerfit.backend._session import clear_session, set_random_seed, snake_case, unique_name
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
    "epsilon",
    "floatx",
    "flush_denormals",
    "image_data_format",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_random_seed",
    "snake_case",
    "to_numpy",
    "to_tensor",
    "torch_dtype",
    "unique_name",
]
