"""The Initializer base class, fan computation and the shared random helpers.

Initializers return CPU torch tensors for shapes in Keras layout: a Dense kernel is
``(in, out)``, a Conv2D kernel ``(kh, kw, in, out)``; ``compute_fans`` reads them as Keras does.
"""

from __future__ import annotations

import math

import torch

from layerfit.errors import LayerfitValueError, explain

# Standard deviation of a standard normal truncated to [-2, 2]; Keras divides by it so the
# truncated draw keeps the requested variance.
_TRUNCATED_STD = 0.87962566103423978


def compute_fans(shape) -> tuple[int, int]:
    """Returns `(fan_in, fan_out)` for a weight shape in Keras layout.

    Example:
    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(int(d) for d in shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _shape(shape) -> tuple[int, ...]:
    if isinstance(shape, int):
        return (shape,)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise LayerfitValueError(
            explain(
                f"An initializer got shape={shape!r}.",
                "a tuple of positive integers, e.g. (784, 64).",
            )
        ) from None


def _generator(seed) -> torch.Generator | None:
    """None draws from torch's global RNG (seeded by `set_random_seed`)."""
    if seed is None:
        return None
    return torch.Generator().manual_seed(int(seed))


def _check_seed(seed):
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise LayerfitValueError(
            explain(
                f"`seed` argument should be an integer or None. Received: seed={seed!r}.",
                "an integer such as seed=42, or None for a fresh draw from the global RNG.",
            )
        )
    return seed


class Initializer:
    """Initializer base class: `init(shape, dtype=None)` returns a tensor.

    Subclasses implement `__call__(shape, dtype=None)` and, when they take arguments,
    `get_config()`.

    Example:
    >>> class Twos(Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return torch.full(shape, 2.0)
    """

    def __call__(self, shape, dtype=None) -> torch.Tensor:
        raise NotImplementedError(
            f"Initializer {type(self).__name__} must implement __call__(shape, dtype=None)."
        )

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
