"""Keras 3's SGD and RMSprop, as multi-tensor updates."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.optimizers._optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    `w = w - learning_rate * g` without momentum; with momentum
    `velocity = momentum * velocity - learning_rate * g; w = w + velocity`, and with Nesterov
    `w = w + momentum * velocity - learning_rate * g`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.01`.
        momentum: Float in `[0, 1]` that accelerates descent. Defaults to `0.0`.
        nesterov: Whether to apply Nesterov momentum. Defaults to `False`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"SGD"`.

    Example:
    >>> opt = SGD(0.01, momentum=0.9)
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
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
        if (
            isinstance(momentum, bool)
            or not isinstance(momentum, (int, float))
            or not (0 <= momentum <= 1)
        ):
            raise LayerfitValueError(
                explain(
                    f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}.",
                    "a float such as 0.9.",
                )
            )
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def _slot_names(self):
        return ("momentum",) if self.momentum != 0 else ()

    def _update(self, params, grads, slots, learning_rate):
        if self.momentum == 0:
            torch._foreach_add_(params, grads, alpha=-learning_rate)
            return
        velocities = slots["momentum"]
        torch._foreach_mul_(velocities, self.momentum)
        torch._foreach_add_(velocities, grads, alpha=-learning_rate)
        if self.nesterov:
            torch._foreach_add_(params, velocities, alpha=self.momentum)
            torch._foreach_add_(params, grads, alpha=-learning_rate)
        else:
            torch._foreach_add_(params, velocities)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """Divides the gradient by the root of a moving average of its square.

    `v = rho * v + (1 - rho) * g**2`, `w -= learning_rate * g / sqrt(v + epsilon)`
    (`v - mean_g**2 + epsilon` when `centered`), with optional plain momentum.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        rho: Discounting factor for the old gradients. Defaults to `0.9`.
        momentum: Momentum of the update; 0 disables it. Defaults to `0.0`.
        epsilon: Small constant added inside the square root. Defaults to `1e-7`.
        centered: Whether to normalize by the estimated variance of the gradient.
            Defaults to `False`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"rmsprop"`.

    Example:
    >>> opt = RMSprop(learning_rate=0.1)
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def _slot_names(self):
        names = ("velocity",)
        if self.momentum > 0:
            names += ("momentum",)
        if self.centered:
            names += ("average_gradient",)
        return names

    def _update(self, params, grads, slots, learning_rate):
        rho = self.rho
        velocities = slots["velocity"]
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - rho)
        if self.centered:
            averages = slots["average_gradient"]
            torch._foreach_lerp_(averages, grads, 1 - rho)
            denominators = torch._foreach_addcmul(velocities, averages, averages, value=-1)
            torch._foreach_add_(denominators, self.epsilon)
        else:
            denominators = torch._foreach_add(velocities, self.epsilon)
        torch._foreach_sqrt_(denominators)
        if self.momentum > 0:
            momentums = slots["momentum"]
            increments = torch._foreach_div(grads, denominators)
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_add_(momentums, increments, alpha=learning_rate)
            torch._foreach_sub_(params, momentums)
        else:
            torch._foreach_addcdiv_(params, grads, denominators, value=-learning_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
