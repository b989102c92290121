"""LossScaleOptimizer: float16 gradients kept out of underflow by a dynamic loss scale."""

from __future__ import annotations

import torch

from layerfit.optimizers import _lookup
from layerfit.optimizers._optimizer import Optimizer


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer: the loss is multiplied by a scale before backward, the gradients
    divided by it before the update, and a step whose gradients are not finite is skipped.

    The scale halves at each skipped step and doubles after ``dynamic_growth_steps`` finite
    ones, as Keras's. Scales are powers of two, so where nothing overflows the updates are
    exactly the inner optimizer's.

    Args:
        inner_optimizer: the optimizer that makes the updates.
        initial_scale: the first loss scale. Defaults to 32768.0.
        dynamic_growth_steps: finite steps before the scale doubles. Defaults to 2000.
        name: the optimizer's name. Defaults to 'loss_scale_optimizer'.
    """

    def __init__(
        self, inner_optimizer, initial_scale=32768.0, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        self.inner_optimizer = _lookup.get(inner_optimizer)
        super().__init__(learning_rate=self.inner_optimizer.learning_rate, name=name, **kwargs)
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self.dynamic_scale = float(initial_scale)
        self._good_steps = 0

    @property
    def learning_rate(self) -> float:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self) -> int:
        return self.inner_optimizer.iterations

    @iterations.setter
    def iterations(self, value) -> None:
        self.inner_optimizer.iterations = value

    def build(self, variables) -> None:
        self.inner_optimizer.build(variables)
        self._params = list(self.inner_optimizer._params)
        self.built = True

    @property
    def variables(self) -> list[torch.Tensor]:
        return self.inner_optimizer.variables

    def scale_loss(self, loss):
        return loss * self.dynamic_scale

    @torch.no_grad()
    def step(self) -> None:
        grads = [p.grad for p in self._params if p.grad is not None]
        if grads:
            torch._foreach_div_(grads, self.dynamic_scale)
            finite = bool(torch.stack([g.isfinite().all() for g in grads]).all())
        else:
            finite = True
        if not finite:  # overflow: skip the update, try a smaller scale
            self.dynamic_scale /= 2.0
            self._good_steps = 0
            return
        self.inner_optimizer.step()
        self._good_steps += 1
        if self._good_steps >= self.dynamic_growth_steps:
            self.dynamic_scale *= 2.0
            self._good_steps = 0

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.inner_optimizer.zero_grad(set_to_none)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "inner_optimizer": _lookup.serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["inner_optimizer"] = _lookup.deserialize(config["inner_optimizer"])
        return cls(**config)
