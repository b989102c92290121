"""Keras 3's Adam family: Adam, AdamW, Adamax and Nadam, as multi-tensor updates.

Keras's Adam differs from ``torch.optim.Adam`` in where epsilon goes: it folds both bias
corrections into the step size, ``alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``, and
divides by ``sqrt(v) + epsilon`` with the *uncorrected* ``v``.
"""

from __future__ import annotations

import math

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.optimizers._optimizer import Optimizer, bias_correction


def _value(x):
    """Keras allows betas and epsilon to be callables returning the value."""
    return x() if callable(x) else x


def _fused_adam_applies(params, grads) -> bool:
    """torch's one-kernel Adam runs on CPU and CUDA float tensors with dense gradients."""
    first = params[0]
    return (
        hasattr(torch, "_fused_adam_")
        and first.device.type in ("cpu", "cuda")
        and all(p.device == first.device and p.dtype == first.dtype for p in params)
        and first.dtype in (torch.float32, torch.float16, torch.bfloat16)
        and not any(g.is_sparse for g in grads)
    )


def _fused_keras_adam(
    params, grads, momentums, velocities, learning_rate, beta_1, beta_2, epsilon, step, step_tensor
) -> None:
    """Keras's Adam step through torch's fused kernel.

    torch divides sqrt(v) by sqrt(1 - beta_2**t) before adding epsilon; Keras adds epsilon to
    sqrt(v) itself. Passing epsilon / sqrt(1 - beta_2**t) makes the two updates equal:
    lr / (1 - beta_1**t) * m * sqrt(1 - beta_2**t) / (sqrt(v) + epsilon).
    """
    torch._fused_adam_(
        params,
        grads,
        momentums,
        velocities,
        [],
        [step_tensor] * len(params),
        lr=float(learning_rate),
        beta1=beta_1,
        beta2=beta_2,
        weight_decay=0.0,
        eps=epsilon / math.sqrt(bias_correction(beta_2, step)),
        amsgrad=False,
        maximize=False,
    )


class Adam(Optimizer):
    """Adam: adaptive estimates of the first and second moments of the gradient.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: Decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: Decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: Small constant for numerical stability ("epsilon hat" in the paper).
            Defaults to `1e-7`.
        amsgrad: Whether to apply the AMSGrad variant. Defaults to `False`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"adam"`.

    Example:
    >>> opt = Adam(learning_rate=1e-3)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
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
        self.amsgrad = amsgrad

    def _fused_applies(self, params, grads) -> bool:
        # Checked once per parameter list: the same list object comes back every step.
        cached = getattr(self, "_fused_check", None)
        if cached is None or cached[0] is not params:
            self._fused_check = (params, _fused_adam_applies(params, grads))
        return self._fused_check[1]

    def _slot_names(self):
        names = ("momentum", "velocity")
        return names + ("velocity_hat",) if self.amsgrad else names

    def _update(self, params, grads, slots, learning_rate):
        beta_1, beta_2 = _value(self.beta_1), _value(self.beta_2)
        step = self.iterations + 1
        alpha = learning_rate * math.sqrt(bias_correction(beta_2, step))
        alpha /= bias_correction(beta_1, step)
        momentums, velocities = slots["momentum"], slots["velocity"]
        if not self.amsgrad and self._fused_applies(params, grads):
            device = params[0].device
            if getattr(self, "_step_tensor", None) is None or self._step_tensor.device != device:
                self._step_tensor = torch.zeros((), device=device)
            self._step_tensor.fill_(float(step))  # a kernel argument, no host-to-device copy
            _fused_keras_adam(
                params,
                grads,
                momentums,
                velocities,
                learning_rate,
                beta_1,
                beta_2,
                _value(self.epsilon),
                step,
                self._step_tensor,
            )
            return
        torch._foreach_lerp_(momentums, grads, 1 - beta_1)
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - beta_2)
        if self.amsgrad:
            torch._foreach_maximum_(slots["velocity_hat"], velocities)
            velocities = slots["velocity_hat"]
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, _value(self.epsilon))
        torch._foreach_addcdiv_(params, momentums, denominators, value=-alpha)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        weight_decay: Decoupled weight decay rate. Defaults to `0.004`.
        beta_1: Decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: Decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: Small constant for numerical stability. Defaults to `1e-7`.
        amsgrad: Whether to apply the AMSGrad variant. Defaults to `False`.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"adamw"`.

    Example:
    >>> opt = AdamW(learning_rate=1e-3, weight_decay=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
        if self.weight_decay is None:
            raise LayerfitValueError(
                explain(
                    "Argument `weight_decay` must be a float. Received: weight_decay=None.",
                    "a float such as 0.004.",
                    "use Adam instead of AdamW for no weight decay.",
                )
            )


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm.

    `m = beta_1 * m + (1 - beta_1) * g`, `u = max(beta_2 * u, abs(g))`,
    `w -= learning_rate * m / ((1 - beta_1**t) * (u + epsilon))`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: Decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: Decay rate of the infinity norm. Defaults to `0.999`.
        epsilon: Small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"adamax"`.

    Example:
    >>> opt = Adamax()
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
        return ("momentum", "norm")

    def _update(self, params, grads, slots, learning_rate):
        step = self.iterations + 1
        momentums, norms = slots["momentum"], slots["norm"]
        torch._foreach_lerp_(momentums, grads, 1 - self.beta_1)
        torch._foreach_mul_(norms, self.beta_2)
        torch._foreach_maximum_(norms, torch._foreach_abs(grads))
        denominators = torch._foreach_add(norms, self.epsilon)
        torch._foreach_mul_(denominators, bias_correction(self.beta_1, step))
        torch._foreach_addcdiv_(params, momentums, denominators, value=-learning_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }


class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum (Dozat, 2015), with Keras's momentum schedule.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: Decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: Decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: Small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps:
            see `Optimizer`.
        name: Name of the optimizer. Defaults to `"nadam"`.

    Example:
    >>> opt = Nadam()
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
        self._u_product = 1.0  # product of the momentum schedule so far, kept on the host

    def _slot_names(self):
        return ("momentum", "velocity")

    def _extra_state(self):
        return {"u_product": self._u_product}

    def _load_extra_state(self, state):
        self._u_product = state.get("u_product", self._u_product)

    def _update(self, params, grads, slots, learning_rate):
        beta_1, beta_2 = self.beta_1, self.beta_2
        step = self.iterations + 1
        u_t = beta_1 * (1.0 - 0.5 * 0.96**step)
        u_t_1 = beta_1 * (1.0 - 0.5 * 0.96 ** (step + 1))
        self._u_product *= u_t
        u_product_t_1 = self._u_product * u_t_1
        momentums, velocities = slots["momentum"], slots["velocity"]
        torch._foreach_lerp_(momentums, grads, 1 - beta_1)
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - beta_2)
        # m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
        m_hat = torch._foreach_mul(momentums, u_t_1 / (1.0 - u_product_t_1))
        torch._foreach_add_(m_hat, grads, alpha=(1.0 - u_t) / (1.0 - self._u_product))
        # sqrt(v_hat) = sqrt(v) / sqrt(1 - beta_2**t)
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_div_(denominators, math.sqrt(bias_correction(beta_2, step)))
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_addcdiv_(params, m_hat, denominators, value=-learning_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
