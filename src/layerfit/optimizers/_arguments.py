"""Arguments every optimizer shares: validation, Keras 2 keywords, host-side scalars."""

from __future__ import annotations

import inspect

import numpy as np
import torch

from layerfit._registry import closest
from layerfit.errors import (
    LayerfitDeprecationWarning,
    LayerfitTypeError,
    LayerfitValueError,
    explain,
    warn,
)
from layerfit.optimizers.schedules import LearningRateSchedule


class HostFloat(float):
    """A Python float that also answers Keras's `.numpy()` and `.assign()` calls."""

    def __new__(cls, value, owner=None, attribute=None):
        number = super().__new__(cls, value)
        number._owner, number._attribute = owner, attribute
        return number

    def numpy(self):
        return np.float32(self)

    def assign(self, value) -> None:
        setattr(self._owner, self._attribute, value)


class HostInt(int):
    """A Python int that also answers Keras's `.numpy()` and `.assign()` calls."""

    def __new__(cls, value, owner=None, attribute=None):
        number = super().__new__(cls, value)
        number._owner, number._attribute = owner, attribute
        return number

    def numpy(self):
        return np.int64(self)

    def assign(self, value) -> None:
        setattr(self._owner, self._attribute, int(value))


def check_learning_rate(value):
    if isinstance(value, LearningRateSchedule):
        return value
    if callable(value) and not isinstance(value, torch.Tensor):
        return value
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()  # once, at construction
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise LayerfitTypeError(
            explain(
                f"Argument `learning_rate` should be a float, a LearningRateSchedule or a "
                f"callable. Received: learning_rate={value!r} of type {type(value).__name__}.",
                "a number such as 0.001.",
                "Adam(learning_rate=1e-3).",
            )
        )
    return float(value)


def legacy_kwargs(optimizer, kwargs: dict, learning_rate):
    """Handles Keras 2's `lr=` and `decay=`; any other unknown keyword is an error."""
    if "lr" in kwargs:
        warn(
            "The `lr` argument is deprecated.",
            "learning_rate=...",
            f"write {type(optimizer).__name__}(learning_rate={kwargs['lr']!r}).",
            category=LayerfitDeprecationWarning,
        )
        learning_rate = kwargs.pop("lr")
    if kwargs.pop("decay", None) is not None:
        warn(
            "Argument `decay` is no longer supported and will be ignored.",
            "a learning-rate schedule for a decaying rate.",
            "pass learning_rate=keras.optimizers.schedules.InverseTimeDecay(...).",
        )
    if kwargs:
        signature = inspect.signature(type(optimizer).__init__).parameters
        valid = [p for p in signature if p not in ("optimizer", "kwargs")]
        unknown = sorted(kwargs)
        hints = {name: closest(name, valid) for name in unknown}
        suggestion = "; ".join(
            f"instead of {name!r} did you mean {' or '.join(map(repr, hint))}?"
            for name, hint in hints.items()
            if hint
        )
        raise LayerfitTypeError(
            explain(
                f"{type(optimizer).__name__} got unexpected keyword argument(s): "
                f"{', '.join(map(repr, unknown))}.",
                f"keywords among: {', '.join(valid)}.",
                suggestion or "remove the unknown argument(s).",
            )
        )
    return learning_rate


def validate_common(optimizer) -> None:
    """Checks the arguments every optimizer shares."""
    clips = {
        "clipnorm": optimizer.clipnorm,
        "clipvalue": optimizer.clipvalue,
        "global_clipnorm": optimizer.global_clipnorm,
    }
    given = {k: v for k, v in clips.items() if v is not None}
    if len(given) > 1:
        raise LayerfitValueError(
            explain(
                f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: {given}.",
                "at most one clipping argument.",
                "keep the one you need, e.g. global_clipnorm=1.0.",
            )
        )
    steps = optimizer.gradient_accumulation_steps
    if steps is not None and (not isinstance(steps, int) or steps < 2):
        raise LayerfitValueError(
            explain(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={steps!r}.",
                "None, or an integer >= 2.",
            )
        )
    if optimizer.use_ema and not 0 <= optimizer.ema_momentum <= 1:
        raise LayerfitValueError(
            explain(
                f"`ema_momentum` must be in the range [0, 1]. Received: "
                f"ema_momentum={optimizer.ema_momentum!r}.",
                "a float such as 0.99.",
            )
        )
