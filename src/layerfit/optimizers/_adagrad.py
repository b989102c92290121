"""Keras 3's Adagrad and Adadelta, as multi-tensor updates."""

from __future__ import annotations

import torch

from layerfit.optimizers._optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: per-parameter rates that shrink with the sum of squared gradients.

    `acc += g**2`, `w -= learning_rate * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        initial_accumulator_value: Starting value of the accumulators. Defaults to `0.1`.
        epsilon: Small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `None` (`"adagrad"`).

    Example:
    >>> opt = Adagrad(learning_rate=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
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
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_names(self):
        return ("accumulator",)

    def _slot_initial_value(self, name):
        return float(self.initial_accumulator_value) if name == "accumulator" else 0.0

    def _update(self, params, grads, slots, learning_rate):
        accumulators = slots["accumulator"]
        torch._foreach_addcmul_(accumulators, grads, grads)
        denominators = torch._foreach_add(accumulators, self.epsilon)
        torch._foreach_sqrt_(denominators)
        torch._foreach_addcdiv_(params, grads, denominators, value=-learning_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }


class Adadelta(Optimizer):
    """Adadelta: steps scaled by moving averages of squared gradients and squared updates.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        rho: The decay rate. Defaults to `0.95`.
        epsilon: Small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"adadelta"`.

    Example:
    >>> opt = Adadelta(learning_rate=1.0)
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
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
        self.rho = rho
        self.epsilon = epsilon

    def _slot_names(self):
        return ("accumulated_grad", "accumulated_delta_var")

    def _update(self, params, grads, slots, learning_rate):
        rho, epsilon = self.rho, self.epsilon
        accumulated_grads = slots["accumulated_grad"]
        accumulated_deltas = slots["accumulated_delta_var"]
        torch._foreach_mul_(accumulated_grads, rho)
        torch._foreach_addcmul_(accumulated_grads, grads, grads, value=1 - rho)
        # delta = sqrt(acc_delta + eps) * g / sqrt(acc_grad + eps); the weight moves by -lr * delta.
        deltas = torch._foreach_add(accumulated_deltas, epsilon)
        torch._foreach_sqrt_(deltas)
        torch._foreach_mul_(deltas, grads)
        grad_rms = torch._foreach_add(accumulated_grads, epsilon)
        torch._foreach_sqrt_(grad_rms)
        torch._foreach_div_(deltas, grad_rms)
        torch._foreach_mul_(accumulated_deltas, rho)
        torch._foreach_addcmul_(accumulated_deltas, deltas, deltas, value=1 - rho)
        torch._foreach_add_(params, deltas, alpha=-learning_rate)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
