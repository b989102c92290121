"""Keras 3's learning-rate schedules, evaluated on the host from the optimizer's step count.

Formulas follow ``keras/src/optimizers/schedules/learning_rate_schedule.py``. Each schedule
returns a Python float, so the optimizer passes it to its kernels without a device sync.
"""

from __future__ import annotations

import bisect
import functools
import math

import numpy as np

from layerfit.errors import LayerfitValueError, explain


def _positive_steps(name: str, value) -> None:
    if value <= 0:
        raise LayerfitValueError(
            explain(
                f"Argument `{name}` must be > 0. Received: {name}={value!r}.",
                "a positive number of optimizer steps.",
            )
        )


def _on_arrays(call):
    """Lets a schedule take an array or tensor of steps, as Keras's do (plotting a schedule
    over ``np.linspace(0, 100000, 1000)``); one step stays a Python float for the optimizer."""

    @functools.wraps(call)
    def schedule(self, step):
        if isinstance(step, (int, float)) or getattr(step, "ndim", 0) == 0:
            return call(self, step)
        values = np.asarray(
            [call(self, float(s)) for s in np.asarray(step, dtype="float64").reshape(-1)],
            dtype="float32",
        ).reshape(np.shape(step))
        if hasattr(step, "detach"):  # a torch tensor in, a tensor out (on its device)
            import torch

            return torch.as_tensor(values, device=step.device)
        return values

    return schedule


class LearningRateSchedule:
    """Base class of learning-rate schedules: `schedule(step)` returns the rate for a step.

    Example:
    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 / (step + 1)
    """

    @_on_arrays
    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override __call__(self, step)."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override get_config() "
            "to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: The initial learning rate.
        decay_steps: Positive number of steps per decay period.
        decay_rate: The decay rate.
        staircase: Whether `step / decay_steps` is an integer division. Defaults to `False`.
        name: Name of the schedule. Defaults to `"ExponentialDecay"`.

    Example:
    >>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(10)
    0.05
    """

    def __init__(
        self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
        name="ExponentialDecay",
    ):  # fmt: skip
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    @_on_arrays
    def __call__(self, step):
        p = float(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate * self.decay_rate**p

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[1]` up to `boundaries[1]`, ...

    Args:
        boundaries: Strictly increasing step boundaries.
        values: The rates; one more than `boundaries`.
        name: Name of the schedule. Defaults to `"PiecewiseConstant"`.

    Example:
    >>> PiecewiseConstantDecay([100, 110], [1.0, 0.5, 0.1])(105)
    0.5
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise LayerfitValueError(
                explain(
                    f"The length of boundaries should be 1 less than the length of values. "
                    f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                    f"values={values} of length {len(values)}.",
                    "len(values) == len(boundaries) + 1.",
                )
            )
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    @_on_arrays
    def __call__(self, step):
        return self.values[bisect.bisect_left(self.boundaries, float(step))]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decays from `initial_learning_rate` to `end_learning_rate` over `decay_steps`.

    Args:
        initial_learning_rate: The initial learning rate.
        decay_steps: Positive number of steps to decay over.
        end_learning_rate: The final learning rate. Defaults to `0.0001`.
        power: The power of the polynomial. Defaults to `1.0`.
        cycle: Whether to restart the decay after `decay_steps`. Defaults to `False`.
        name: Name of the schedule. Defaults to `"PolynomialDecay"`.

    Example:
    >>> PolynomialDecay(0.1, 10, end_learning_rate=0.0)(5)
    0.05
    """

    def __init__(
        self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
        cycle=False, name="PolynomialDecay",
    ):  # fmt: skip
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    @_on_arrays
    def __call__(self, step):
        step, decay_steps = float(step), float(self.decay_steps)
        if self.cycle:
            decay_steps *= 1.0 if step == 0 else math.ceil(step / decay_steps)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        delta = self.initial_learning_rate - self.end_learning_rate
        return delta * (1 - p) ** self.power + self.end_learning_rate

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: The initial learning rate.
        decay_steps: How often to apply decay.
        decay_rate: The decay rate.
        staircase: Whether to decay in discrete steps. Defaults to `False`.
        name: Name of the schedule. Defaults to `"InverseTimeDecay"`.

    Example:
    >>> InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)(2)
    0.05
    """

    def __init__(
        self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
        name="InverseTimeDecay",
    ):  # fmt: skip
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    @_on_arrays
    def __call__(self, step):
        p = float(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate / (1 + self.decay_rate * p)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class CosineDecay(LearningRateSchedule):
    """Cosine decay with optional linear warmup.

    Without warmup: `initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * t)) + alpha)`
    with `t = min(step, decay_steps) / decay_steps`. With `warmup_target`, the rate first
    rises linearly to it over `warmup_steps`, then decays from it.

    Args:
        initial_learning_rate: The initial learning rate.
        decay_steps: Number of steps to decay over.
        alpha: Minimum rate as a fraction of the decayed-from rate. Defaults to `0.0`.
        name: Name of the schedule. Defaults to `"CosineDecay"`.
        warmup_target: Rate reached after warmup, or `None` for no warmup. Defaults to `None`.
        warmup_steps: Number of warmup steps. Defaults to `0`.

    Example:
    >>> CosineDecay(0.1, decay_steps=100)(50)
    0.05
    """

    def __init__(
        self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
        warmup_target=None, warmup_steps=0,
    ):  # fmt: skip
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, decay_from):
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return decay_from * ((1 - self.alpha) * cosine + self.alpha)

    @_on_arrays
    def __call__(self, step):
        step = float(step)
        if self.warmup_target is None:
            return self._decay(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            fraction = step / self.warmup_steps
            delta = self.warmup_target - self.initial_learning_rate
            return delta * fraction + self.initial_learning_rate
        return self._decay(step - self.warmup_steps, self.warmup_target)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


_ALL = {
    cls.__name__: cls
    for cls in (
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
    )
}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """Returns Keras's config dict for a schedule.

    Example:
    >>> serialize(ExponentialDecay(0.1, 10, 0.9))["class_name"]
    'ExponentialDecay'
    """
    return {
        "module": "keras.optimizers.schedules",
        "class_name": type(learning_rate_schedule).__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict, custom_objects=None) -> LearningRateSchedule:
    """Builds a schedule from a dict made by `serialize`.

    Example:
    >>> deserialize(serialize(CosineDecay(0.1, 100))).decay_steps
    100
    """
    classes = {**_ALL, **(custom_objects or {})}
    name = config.get("class_name") if isinstance(config, dict) else None
    if name not in classes:
        raise LayerfitValueError(
            explain(
                f"Unknown learning rate schedule {name!r}.",
                f"one of {sorted(_ALL)}.",
                "pass your own class in custom_objects={'MySchedule': MySchedule}.",
            )
        )
    return classes[name].from_config(dict(config.get("config") or {}))
