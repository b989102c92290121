"""Keras 3's Lion: the sign of an interpolated momentum, one state tensor per weight."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.optimizers._optimizer import Optimizer


class Lion(Optimizer):
    """Lion (EvoLved Sign Momentum, Chen et al., 2023).

    `w -= learning_rate * sign(beta_1 * m + (1 - beta_1) * g)`, then
    `m = beta_2 * m + (1 - beta_2) * g`. Its updates are larger than Adam's: a learning rate
    3-10 times smaller than Adam's is the usual start.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: Rate to combine the current gradient and the momentum for the update,
            in `(0, 1]`. Defaults to `0.9`.
        beta_2: Decay rate of the momentum. Defaults to `0.99`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"lion"`.

    Example:
    >>> opt = Lion(learning_rate=1e-4)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.99,
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
        if not 0 < beta_1 <= 1:
            raise LayerfitValueError(
                explain(
                    f"Lion's beta_1 must be in (0, 1]; got beta_1={beta_1!r} (at 0 it becomes "
                    "sign SGD).",
                    "a float such as 0.9.",
                    "Lion(learning_rate=1e-4, beta_1=0.9, beta_2=0.99)",
                )
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def _slot_names(self):
        return ("momentum",)

    def _update(self, params, grads, slots, learning_rate):
        momentums = slots["momentum"]
        directions = torch._foreach_mul(momentums, self.beta_1)
        torch._foreach_add_(directions, grads, alpha=1 - self.beta_1)
        torch._foreach_sign_(directions)
        torch._foreach_add_(params, directions, alpha=-learning_rate)
        torch._foreach_lerp_(momentums, grads, 1 - self.beta_2)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
