"""Keras 3's Ftrl: follow the regularized leader, with L1/L2 and shrinkage regularization."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain
from layerfit.optimizers._optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013), the optimizer of large sparse linear models.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        learning_rate_power: How the learning rate falls as the accumulator grows; zero or
            less (0 is a fixed rate). Defaults to `-0.5`.
        initial_accumulator_value: Starting value of the accumulators, zero or more.
            Defaults to `0.1`.
        l1_regularization_strength: Zero or more. Defaults to `0.0`.
        l2_regularization_strength: Zero or more (stabilization penalty). Defaults to `0.0`.
        l2_shrinkage_regularization_strength: Zero or more (magnitude penalty, applied to
            the gradient). Defaults to `0.0`.
        beta: Added to the L2 strength as `beta / (2 * learning_rate)`. Defaults to `0.0`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"ftrl"`.

    Example:
    >>> opt = Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
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
        if learning_rate_power > 0:
            raise LayerfitValueError(
                explain(
                    "Ftrl's learning_rate_power must be zero or less; got "
                    f"learning_rate_power={learning_rate_power!r}.",
                    "learning_rate_power <= 0 (-0.5 is the default, 0 a fixed learning rate).",
                    "Ftrl(learning_rate=0.1, learning_rate_power=-0.5)",
                )
            )
        for argument, value in [
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ]:
            if value < 0:
                raise LayerfitValueError(
                    explain(
                        f"Ftrl's {argument} must be zero or more; got {argument}={value!r}.",
                        f"{argument} >= 0.",
                        "Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)",
                    )
                )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_names(self):
        return ("accumulator", "linear")

    def _slot_initial_value(self, name: str) -> float:
        return self.initial_accumulator_value if name == "accumulator" else 0.0

    def _update(self, params, grads, slots, learning_rate):
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        shrinkage = 2 * self.l2_shrinkage_regularization_strength
        for param, grad, accum, linear in zip(params, grads, slots["accumulator"], slots["linear"]):
            new_accum = accum + grad * grad
            grown = new_accum.pow(power)
            linear.add_(
                grad + shrinkage * param - (grown - accum.pow(power)) / learning_rate * param
            )
            quadratic = grown / learning_rate + 2 * l2
            param.copy_((linear.clamp(-l1, l1) - linear) / quadratic)
            accum.copy_(new_accum)

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
