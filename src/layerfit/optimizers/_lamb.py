"""Keras 3's Lamb: Adam's direction scaled per weight by the trust ratio |w| / |update|."""

from __future__ import annotations

import torch

from layerfit.optimizers._optimizer import Optimizer, bias_correction


class Lamb(Optimizer):
    """Lamb (You et al., 2019): layer-wise adaptive moments for large batches.

    Adam's bias-corrected `update = m_hat / (sqrt(v_hat) + epsilon)`, then
    `w -= learning_rate * ratio * update` with `ratio = |w| / |update|` (1 where either
    norm is 0).

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: Decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: Decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: Small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"lamb"`.

    Example:
    >>> opt = Lamb(learning_rate=1e-3)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_names(self):
        return ("momentum", "velocity")

    def _update(self, params, grads, slots, learning_rate):
        step = self.iterations + 1
        momentums, velocities = slots["momentum"], slots["velocity"]
        torch._foreach_lerp_(momentums, grads, 1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        corrected_v = torch._foreach_div(velocities, bias_correction(self.beta_2, step))
        denominators = torch._foreach_sqrt(corrected_v)
        torch._foreach_add_(denominators, self.epsilon)
        updates = torch._foreach_div(momentums, denominators)
        torch._foreach_div_(updates, bias_correction(self.beta_1, step))
        weight_norms = torch._foreach_norm(params)
        update_norms = torch._foreach_norm(updates)
        for param, update, w_norm, u_norm in zip(params, updates, weight_norms, update_norms):
            usable = (w_norm > 0) & (u_norm > 0)
            ratio = torch.where(usable, w_norm / torch.where(usable, u_norm, 1.0), 1.0)
            param.sub_(update * (ratio * learning_rate))

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
