"""Keras 3's Adafactor: second moments kept as row and column averages of each matrix.

A weight of shape (..., n, m) keeps rows (..., n) and columns (..., m) instead of a full
(..., n, m) second moment, which is where Adafactor saves memory; vectors keep a full one.
"""

from __future__ import annotations

import math

import torch

from layerfit.optimizers._optimizer import Optimizer


class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018): factored second moments, relative step sizes.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_2_decay: Decay exponent of the second moments' rate: `1 - step**beta_2_decay`.
            Defaults to `-0.8`.
        epsilon_1: Added to the squared gradient. Defaults to `1e-30`.
        epsilon_2: Smallest weight scale of a step. Defaults to `1e-3`.
        clip_threshold: Threshold of the update's root mean square. Defaults to `1.0`.
        relative_step: Whether a float learning rate is capped at `1 / sqrt(step)`.
            Defaults to `True`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"adafactor"`.

    Example:
    >>> opt = Adafactor(learning_rate=1e-2)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def _slot_names(self):
        return ("row", "column", "velocity")

    def _new_slot(self, name, param):
        if name in ("row", "column") and param.ndim < 2:
            return param.new_zeros(())  # unused, kept so the state lines up with Keras's
        if name == "row":
            return param.new_zeros(param.shape[:-1])
        if name == "column":
            return param.new_zeros((*param.shape[:-2], param.shape[-1]))
        return super()._new_slot(name, param)

    def _update(self, params, grads, slots, learning_rate):
        step = self.iterations + 1
        cap = 1 / math.sqrt(step)
        if self.relative_step and not callable(self._learning_rate):
            learning_rate = min(learning_rate, cap)
        relative = min(learning_rate, cap)
        rate = 1 - step**self.beta_2_decay
        state = zip(params, grads, slots["row"], slots["column"], slots["velocity"])
        for param, grad, row, column, velocity in state:
            scale = torch.clamp(_rms(param), min=self.epsilon_2) * relative
            squared = grad * grad + self.epsilon_1
            if param.ndim >= 2:
                row.mul_(rate).add_(squared.mean(dim=-1), alpha=1 - rate)
                column.mul_(rate).add_(squared.mean(dim=-2), alpha=1 - rate)
                normalized_rows = row / row.mean(dim=-1, keepdim=True)
                velocity.copy_(normalized_rows.unsqueeze(-1) * column.unsqueeze(-2))
            else:
                velocity.mul_(rate).add_(squared, alpha=1 - rate)
            update = grad / velocity.sqrt()
            update = update / torch.clamp(_rms(update) / self.clip_threshold, min=1.0)
            param.sub_(scale * update)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }


def _rms(x: torch.Tensor) -> torch.Tensor:
    return x.square().mean().sqrt()
