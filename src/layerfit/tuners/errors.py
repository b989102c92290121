"""KerasTuner's error classes: what a trial raises to fail alone, or to stop the whole search.

Example:
>>> def build_model(hp):
...     if hp.Int("units", 8, 64) > 32 and hp.Boolean("deep"):
...         raise kt.errors.FailedTrialError("Too large for this machine.")  # skip, no retry
"""

from layerfit.errors import (
    LayerfitError,
    LayerfitRuntimeError,
    LayerfitTypeError,
    LayerfitValueError,
)


class FailedTrialError(LayerfitRuntimeError):
    """Raise in build or fit to mark the trial FAILED at once (no retry); the search goes on."""


class FatalError(LayerfitError):
    """Raise in build or fit to stop the search: the mistake would fail every trial."""


class FatalValueError(FatalError, LayerfitValueError):
    """A FatalError that is also a ValueError."""


class FatalTypeError(FatalError, LayerfitTypeError):
    """A FatalError that is also a TypeError."""


class FatalRuntimeError(FatalError, LayerfitRuntimeError):
    """A FatalError that is also a RuntimeError."""


__all__ = [
    "FailedTrialError",
    "FatalError",
    "FatalRuntimeError",
    "FatalTypeError",
    "FatalValueError",
]
