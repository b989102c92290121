"""The learning-rate finder: one short run with the rate growing every batch.

The loss falls slowly at tiny rates, fast at good ones, and blows up past the largest stable
rate. The suggestion is the rate at the lowest smoothed loss divided by ten (Smith, 2017;
fastai's ``lr_min``): a rate that still learns fast but is safely below the blow-up.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch

from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain
from layerfit.tuning._trial import num_rows, take


class LearningRateFinder:
    """The result of ``find_learning_rate``: the rates tried, their losses, a suggestion.

    Attributes:
        learning_rates: the rate of each step (numpy array).
        losses: the training loss of each step's batch.
        smoothed_losses: the losses averaged exponentially (bias-corrected).
        suggestion: the suggested learning rate.

    Example:
    >>> finder = find_learning_rate(model, x_train, y_train)
    >>> finder.suggestion, finder.plot()
    """

    def __init__(self, learning_rates, losses, smoothed_losses, suggestion):
        self.learning_rates = np.asarray(learning_rates, dtype=np.float64)
        self.losses = np.asarray(losses, dtype=np.float64)
        self.smoothed_losses = np.asarray(smoothed_losses, dtype=np.float64)
        self.suggestion = suggestion

    def plot(self):
        """Plots the smoothed loss against the rate (log scale), marking the suggestion."""
        import matplotlib.pyplot as plt

        figure, ax = plt.subplots(figsize=(6, 4))
        ax.plot(self.learning_rates, self.smoothed_losses, label="smoothed loss")
        ax.plot(self.learning_rates, self.losses, alpha=0.3, label="batch loss")
        ax.axvline(
            self.suggestion,
            color="tab:red",
            linestyle="--",
            label=f"suggestion {self.suggestion:.2g}",
        )
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.set_ylabel("loss")
        ax.legend()
        figure.tight_layout()
        return figure

    def __repr__(self) -> str:
        return (
            f"LearningRateFinder(suggestion={self.suggestion:.3g}, "
            f"steps={len(self.learning_rates)})"
        )


def find_learning_rate(
    model,
    x,
    y,
    *,
    min_lr: float = 1e-7,
    max_lr: float = 10.0,
    steps: int = 100,
    batch_size: int = 32,
    smoothing: float = 0.98,
    stop_factor: float = 4.0,
) -> LearningRateFinder:
    """Sweeps the learning rate over one short run and suggests one; the model is untouched.

    The sweep trains a copy of the compiled model for ``steps`` batches, the rate growing
    geometrically from ``min_lr`` to ``max_lr``, and stops early once the smoothed loss
    exceeds ``stop_factor`` times its lowest value.

    Args:
        model: a compiled model (its optimizer's ``learning_rate`` is swept).
        x: training inputs (arrays, tensors or pandas objects).
        y: training targets.
        min_lr: the first rate. Defaults to 1e-7.
        max_lr: the last rate. Defaults to 10.0.
        steps: batches in the sweep. Defaults to 100.
        batch_size: samples per batch. Defaults to 32.
        smoothing: weight of the past in the loss's moving average. Defaults to 0.98.
        stop_factor: stop when the smoothed loss exceeds this times its minimum.
            Defaults to 4.0.

    Returns:
        A ``LearningRateFinder`` with ``suggestion``, the curves, and ``plot()``.

    Example:
    >>> finder = layerfit.tuning.find_learning_rate(model, x_train, y_train)
    >>> finder.plot()
    >>> model.optimizer.learning_rate = finder.suggestion
    """
    _check_arguments(model, min_lr, max_lr, steps, smoothing)
    probe = copy.deepcopy(model)  # fresh optimizer state; the user's model keeps its weights
    rates = min_lr * (max_lr / min_lr) ** (np.arange(steps) / max(1, steps - 1))
    tried, losses, smoothed = [], [], []
    average, best = 0.0, math.inf
    for step, (x_batch, y_batch) in enumerate(_batches(x, y, batch_size, steps)):
        probe.optimizer.learning_rate = float(rates[step])
        loss = probe.train_on_batch(x_batch, y_batch)
        loss = float(loss[0] if isinstance(loss, (list, tuple)) else loss)
        if not math.isfinite(loss):
            break
        average = smoothing * average + (1 - smoothing) * loss
        value = average / (1 - smoothing ** (step + 1))
        tried.append(rates[step])
        losses.append(loss)
        smoothed.append(value)
        best = min(best, value)
        if step > 0 and value > stop_factor * best:
            break
    if len(tried) < 2:
        raise LayerfitRuntimeError(
            explain(
                f"The loss was not finite from the first steps (min_lr={min_lr}).",
                "a finite loss at the smallest rate.",
                "check the data for NaN values, scale the inputs, or lower min_lr.",
            )
        )
    lowest = int(np.argmin(smoothed))
    suggestion = max(float(tried[lowest]) / 10.0, min_lr)
    return LearningRateFinder(tried, losses, smoothed, suggestion)


def _batches(x, y, batch_size: int, steps: int):
    """``steps`` batches of shuffled rows, reshuffling each pass (seeded by torch's RNG)."""
    n = num_rows(x)
    produced = 0
    while produced < steps:
        order = torch.randperm(n).numpy()
        for start in range(0, n, batch_size):
            index = order[start : start + batch_size]
            yield take(x, index), take(y, index)
            produced += 1
            if produced == steps:
                return


def _check_arguments(model, min_lr, max_lr, steps, smoothing) -> None:
    if getattr(model, "compiled", None) is None:
        raise LayerfitRuntimeError(
            explain(
                "find_learning_rate got a model that is not compiled.",
                "a compiled model: the sweep drives its optimizer.",
                "model.compile(optimizer='adam', loss=...) first.",
            )
        )
    if not 0 < min_lr < max_lr:
        raise LayerfitValueError(
            explain(
                f"min_lr={min_lr}, max_lr={max_lr}.",
                "0 < min_lr < max_lr.",
                "find_learning_rate(model, x, y, min_lr=1e-7, max_lr=10)",
            )
        )
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise LayerfitValueError(explain(f"steps={steps!r}.", "an integer of 2 or more."))
    if not 0 <= smoothing < 1:
        raise LayerfitValueError(explain(f"smoothing={smoothing!r}.", "a value in [0, 1)."))
