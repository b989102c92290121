"""Callbacks that change the optimizer's learning rate between epochs, logging it as Keras does."""

from __future__ import annotations

import inspect
import numbers

from layerfit.callbacks._callback import Callback
from layerfit.callbacks._monitor import MonitorMixin
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, localize


def current_learning_rate(model) -> float:
    return float(model.optimizer.learning_rate)


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch to ``schedule(epoch, lr)``.

    Args:
        schedule: a function of the epoch index (from 0) and the current rate that returns the
            new rate; a function of the epoch alone also works.
        verbose: 1 prints each change. Defaults to 0.

    Example:
    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = LearningRateScheduler(scheduler)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise LayerfitTypeError(
                explain(
                    f"LearningRateScheduler got schedule={schedule!r}, which is not callable.",
                    "a function (epoch, lr) -> new learning rate.",
                    "LearningRateScheduler(lambda epoch, lr: lr * 0.95)",
                )
            )
        self.schedule = schedule
        self.verbose = verbose
        self._takes_rate = _takes_two_arguments(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        rate = current_learning_rate(self.model)
        new = self.schedule(epoch, rate) if self._takes_rate else self.schedule(epoch)
        new = _as_rate(new, self.schedule)
        self.model.optimizer.learning_rate = new
        if self.verbose > 0:
            print(
                "\n"
                + localize(
                    f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {new}."
                )
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = current_learning_rate(self.model)


def _takes_two_arguments(function) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: try Keras's (epoch, lr)
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in parameters)


def _as_rate(value, schedule) -> float:
    """Keras accepts only floats; a tensor or numpy number of one value is as good here."""
    try:
        if (
            isinstance(value, numbers.Real)
            or getattr(value, "ndim", None) == 0
            or (hasattr(value, "numel") and value.numel() == 1)
        ):
            return float(value)
    except (TypeError, ValueError):
        pass
    name = getattr(schedule, "__name__", "the schedule")
    raise LayerfitValueError(
        explain(
            f"{name} returned {value!r} of type {type(value).__name__} as the learning rate.",
            "a number, the new learning rate.",
            "return a float from the schedule, e.g. `return lr * 0.9`.",
        )
    )


class ReduceLROnPlateau(MonitorMixin, Callback):
    """Multiplies the learning rate by ``factor`` when ``monitor`` stops improving.

    Args:
        monitor: the logged value to watch. Defaults to 'val_loss'.
        factor: the multiplier, below 1. Defaults to 0.1.
        patience: epochs without improvement before reducing. Defaults to 10.
        verbose: 1 prints each reduction. Defaults to 0.
        mode: 'min', 'max' or 'auto' (from the name). Defaults to 'auto'.
        min_delta: an improvement must beat the best by more than this. Defaults to 1e-4.
        cooldown: epochs to wait after a reduction before counting again. Defaults to 0.
        min_lr: the rate never goes below this. Defaults to 0.

    Example:
    >>> reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        super().__init__()
        if factor >= 1.0:
            raise LayerfitValueError(
                explain(
                    f"ReduceLROnPlateau got factor={factor}; the rate would not go down.",
                    "a factor between 0 and 1, the multiplier applied on a plateau.",
                    "factor=0.5 halves the learning rate; factor=0.1 divides it by ten.",
                )
            )
        self.init_monitor(monitor, mode)
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.min_delta = abs(min_delta)
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._reset()

    def _reset(self) -> None:
        self.best = None
        self.wait = 0
        self.cooldown_counter = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()
        self._resume()
        self.reset_monitor_warning()

    def _resume_state(self) -> dict:
        best = None if self.best is None else float(self.best)
        return {"best": best, "wait": self.wait, "cooldown_counter": self.cooldown_counter}

    def _load_resume_state(self, state: dict) -> None:
        self.best = None if state["best"] is None else float(state["best"])
        self.wait = int(state["wait"])
        self.cooldown_counter = int(state["cooldown_counter"])

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = current_learning_rate(self.model)
        current = self.monitor_value(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.is_improvement(current, self.best, self.min_delta):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch)

    def _reduce(self, epoch: int) -> None:
        old = current_learning_rate(self.model)
        if old <= self.min_lr:
            return
        new = max(old * self.factor, self.min_lr)
        self.model.optimizer.learning_rate = new
        if self.verbose > 0:
            print(
                "\n"
                + localize(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
            )
        self.cooldown_counter = self.cooldown
        self.wait = 0
