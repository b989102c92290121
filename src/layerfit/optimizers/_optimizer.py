"""The Optimizer base class: Keras 3's arguments and update order, on torch parameters.

The training loop calls ``build(params)`` once, then ``step()`` after each backward pass and
``zero_grad()`` before the next. ``step`` runs Keras's sequence (unscale, clip, weight decay,
update, EMA) with torch's multi-tensor ``_foreach`` kernels over the whole parameter list,
so its cost does not grow with the number of layers in Python. The step count and the
learning rate stay Python numbers: nothing waits on the GPU.
"""

from __future__ import annotations

import math

import torch

from layerfit.backend import distributed, snake_case
from layerfit.errors import (
    LayerfitDeprecationWarning,
    LayerfitRuntimeError,
    LayerfitTypeError,
    LayerfitValueError,
    explain,
    warn,
)
from layerfit.optimizers._arguments import (
    HostFloat,
    HostInt,
    check_learning_rate,
    legacy_kwargs,
    validate_common,
)
from layerfit.optimizers.schedules import LearningRateSchedule
from layerfit.optimizers.schedules import deserialize as deserialize_schedule
from layerfit.optimizers.schedules import serialize as serialize_schedule


class Optimizer:
    """Base class of layerfit's optimizers (Keras 3 arguments, torch parameters).

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable with no arguments
            returning the rate.
        weight_decay: If set, weights decay by `weight * weight_decay * learning_rate`
            each step, before the update. Defaults to `None`.
        clipnorm: If set, each gradient is clipped to this L2 norm. Defaults to `None`.
        clipvalue: If set, gradients are clipped to `[-clipvalue, clipvalue]`.
            Defaults to `None`.
        global_clipnorm: If set, all gradients are scaled so their global L2 norm is at most
            this value. Defaults to `None`.
        use_ema: Whether to keep an exponential moving average of the weights.
            Defaults to `False`.
        ema_momentum: Momentum of the moving average. Defaults to `0.99`.
        ema_overwrite_frequency: Every this many steps, weights are replaced by their
            average. Defaults to `None`.
        loss_scale_factor: If set, gradients are divided by it (see `scale_loss`).
            Defaults to `None`.
        gradient_accumulation_steps: If set (>= 2), updates happen every that many steps
            with the mean gradient. Defaults to `None`.
        name: Name of the optimizer. Defaults to the snake_case class name.

    Example:
    >>> params = [torch.nn.Parameter(torch.ones(3))]
    >>> opt = SGD(learning_rate=0.1)
    >>> opt.build(params)
    >>> params[0].grad = torch.ones(3)
    >>> opt.step()
    >>> params[0]
    Parameter containing:
    tensor([0.9000, 0.9000, 0.9000], requires_grad=True)
    """

    def __init__(
        self,
        learning_rate,
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
        learning_rate = legacy_kwargs(self, kwargs, learning_rate)
        self.name = name or snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        validate_common(self)
        self._learning_rate = check_learning_rate(learning_rate)
        self._iterations = 0
        self.built = False
        self._params: list[torch.Tensor] = []
        self._constrained: list[torch.Tensor] = []  # parameters with a Keras constraint
        self._slots: dict[str, list[torch.Tensor]] = {}
        self._excluded_ids: set[int] = set()
        self._excluded_names: tuple[str, ...] = ()
        self._pending_state: dict | None = None

    # -- construction ------------------------------------------------------------------------

    # -- learning rate and step count --------------------------------------------------------

    @property
    def learning_rate(self) -> float:
        """The current learning rate (a float; set it to change the rate from the next step)."""
        return HostFloat(self._current_learning_rate(), self, "learning_rate")

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        value = check_learning_rate(value)
        if isinstance(self._learning_rate, LearningRateSchedule) and not callable(value):
            raise LayerfitTypeError(
                explain(
                    "This optimizer was created with a LearningRateSchedule, so its "
                    "learning rate is not settable to a number.",
                    "a new LearningRateSchedule, or an optimizer created with a float rate.",
                    "create the optimizer with learning_rate=<float> to set it later.",
                )
            )
        self._learning_rate = value

    @property
    def lr(self) -> float:
        """Keras 2 name of `learning_rate` (deprecated)."""
        warn(
            "`optimizer.lr` is deprecated.",
            "optimizer.learning_rate",
            "use optimizer.learning_rate.",
            category=LayerfitDeprecationWarning,
        )
        return self.learning_rate

    @lr.setter
    def lr(self, value) -> None:
        warn(
            "`optimizer.lr` is deprecated.",
            "optimizer.learning_rate",
            "use optimizer.learning_rate = value.",
            category=LayerfitDeprecationWarning,
        )
        self.learning_rate = value

    def _current_learning_rate(self) -> float:
        rate = self._learning_rate
        if isinstance(rate, LearningRateSchedule):
            return float(rate(self._iterations))
        if callable(rate):
            return float(rate())
        return rate

    @property
    def iterations(self) -> int:
        """Number of updates applied so far (a Python int)."""
        steps = self.gradient_accumulation_steps
        count = self._iterations // steps if steps else self._iterations
        return HostInt(count, self, "iterations")

    @iterations.setter
    def iterations(self, value) -> None:
        steps = self.gradient_accumulation_steps or 1
        self._iterations = int(value) * steps

    # -- state -------------------------------------------------------------------------------

    def _slot_names(self) -> tuple[str, ...]:
        """Names of the per-parameter state tensors this optimizer keeps."""
        return ()

    def _slot_initial_value(self, name: str) -> float:
        return 0.0

    def _new_slot(self, name: str, param: torch.Tensor) -> torch.Tensor:
        """A fresh state tensor for ``param``: its shape, filled (Adafactor's differ)."""
        if name == "average":
            return param.detach().clone()
        return torch.full_like(param, self._slot_initial_value(name))

    def build(self, variables) -> None:
        """Creates the optimizer state for `variables` (parameters with `requires_grad=False` and
        repeats are skipped).

        Building again with the same parameters does nothing. With a different set (e.g. after
        unfreezing layers) the state is rebuilt: known parameters keep theirs, new ones start
        fresh, so one optimizer can follow a fine-tuning model.

        Args:
            variables: An iterable of torch parameters, e.g. `model.parameters()`.
        """
        seen, params = set(), []
        for param in variables:
            if id(param) in seen or not getattr(param, "requires_grad", False):
                continue
            seen.add(id(param))
            params.append(param)
        if self.built and [id(p) for p in params] == [id(p) for p in self._params]:
            return
        previous = {id(p): i for i, p in enumerate(self._params)} if self.built else {}
        names = self._slot_names()
        if self.use_ema:
            names = (*names, "average")
        if self.gradient_accumulation_steps:
            names = (*names, "gradient_accumulator")
        slots = {}
        for name in names:
            old = self._slots.get(name)
            slots[name] = [
                old[previous[id(p)]]
                if old is not None and id(p) in previous
                else self._new_slot(name, p)
                for p in params
            ]
        self._params, self._slots = params, slots
        self._constrained = [p for p in params if getattr(p, "constraint", None) is not None]
        self.built = True
        if self._pending_state is not None:
            state, self._pending_state = self._pending_state, None
            self.load_state_dict(state)

    @property
    def variables(self) -> list[torch.Tensor]:
        """Every state tensor, slot by slot (the step count is in `state_dict`)."""
        return [t for tensors in self._slots.values() for t in tensors]

    def _extra_state(self) -> dict[str, float]:
        """Scalar state beyond the slots, kept on the host (e.g. Nadam's momentum product)."""
        return {}

    def _load_extra_state(self, state: dict[str, float]) -> None:
        del state

    def state_dict(self) -> dict[str, torch.Tensor]:
        """Returns the state as a flat `{name: tensor}` dict (safetensors-ready).

        Keys: `"iterations"`, `"learning_rate"` (when a float), any scalar extras, and
        `"<slot>/<index>"` for each parameter's state, in `build` order.
        """
        state = {"iterations": torch.tensor(self._iterations, dtype=torch.int64)}
        if isinstance(self._learning_rate, float):
            state["learning_rate"] = torch.tensor(self._learning_rate, dtype=torch.float64)
        for key, value in self._extra_state().items():
            state[key] = torch.tensor(value, dtype=torch.float64)
        for name, tensors in self._slots.items():
            for index, tensor in enumerate(tensors):
                state[f"{name}/{index}"] = tensor
        return state

    def load_state_dict(self, state: dict) -> None:
        """Restores a `state_dict()`. Before `build`, it is kept and applied by `build`."""
        if not self.built:
            self._pending_state = dict(state)
            return
        expected = {f"{n}/{i}" for n, ts in self._slots.items() for i in range(len(ts))}
        given = {k for k in state if "/" in k}
        if expected != given:
            raise LayerfitValueError(
                explain(
                    f"Optimizer '{self.name}' has {len(expected)} state tensors but the saved "
                    f"state has {len(given)} (missing: {sorted(expected - given)[:3]}, "
                    f"unexpected: {sorted(given - expected)[:3]}).",
                    "a state saved from the same optimizer class on the same model.",
                    "build the optimizer on the same parameters, or start a fresh optimizer.",
                )
            )
        with torch.no_grad():
            for name, tensors in self._slots.items():
                for index, tensor in enumerate(tensors):
                    tensor.copy_(torch.as_tensor(state[f"{name}/{index}"]))
        self._iterations = int(state["iterations"])
        if "learning_rate" in state and isinstance(self._learning_rate, float):
            self._learning_rate = float(state["learning_rate"])
        extras = {k: float(v) for k, v in state.items() if k in self._extra_state()}
        self._load_extra_state(extras)

    # -- the step ----------------------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clears the gradients of the built parameters (sets them to None)."""
        for param in self._params:
            if set_to_none:
                param.grad = None
            elif param.grad is not None:
                param.grad.zero_()

    def _gather(self):
        """(params, grads, slots) for the parameters that have a gradient this step."""
        params = self._params
        grads = [p.grad for p in params]
        if all(g is not None for g in grads):
            return params, grads, self._slots
        keep = [i for i, g in enumerate(grads) if g is not None]
        slots = {name: [ts[i] for i in keep] for name, ts in self._slots.items()}
        return [params[i] for i in keep], [grads[i] for i in keep], slots

    def _follow_devices(self) -> None:
        """Moves state next to its parameter if the model moved after `build`."""
        first = next(iter(self._slots.values()), None)
        if not first or first[0].device == self._params[0].device:
            return
        for name, tensors in self._slots.items():
            self._slots[name] = [t.to(p.device) for t, p in zip(tensors, self._params)]

    @torch.no_grad()
    def step(self) -> None:
        """Applies one update from each built parameter's `.grad` (None gradients are skipped)."""
        if not self.built:
            raise LayerfitRuntimeError(
                explain(
                    f"Optimizer '{self.name}' was stepped before it was built.",
                    "optimizer.build(params) once before the first step.",
                    "call optimizer.build(model.parameters()) after moving the model to its "
                    "device.",
                )
            )
        if not self._params:
            self._iterations += 1
            return
        self._follow_devices()
        params, grads, slots = self._gather()
        if not params:
            raise LayerfitValueError(
                explain(
                    "No gradients provided for any variable.",
                    "loss.backward() to fill the parameters' .grad before optimizer.step().",
                    "check that the loss depends on the model's weights and that backward ran.",
                )
            )
        steps = self.gradient_accumulation_steps
        if steps:
            accumulators = slots["gradient_accumulator"]
            if (self._iterations + 1) % steps != 0:
                torch._foreach_add_(accumulators, grads)
                self._iterations += 1
                return
            grads = torch._foreach_add(grads, accumulators)
            torch._foreach_div_(grads, float(steps))
            torch._foreach_zero_(accumulators)
        grads = self._clip_gradients(self._unscale(grads))
        learning_rate = self._current_learning_rate()
        self._apply_weight_decay(params, learning_rate)
        self._update(params, grads, slots, learning_rate)
        if self.use_ema:
            self._update_average(params, slots["average"])
        if self._constrained:
            self._apply_constraints()
        self._iterations += 1

    def _apply_constraints(self) -> None:
        # Keras projects each updated weight that has a constraint right after the update.
        for param in self._constrained:
            if param.grad is not None:
                param.copy_(param.constraint(param.detach()))

    def _update(self, params, grads, slots, learning_rate) -> None:
        """Applies the optimizer's rule to `params` in place (implemented by subclasses)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _update().")

    def _unscale(self, grads):
        if self.loss_scale_factor is None:
            return grads
        return torch._foreach_div(grads, float(self.loss_scale_factor))

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            # g * clipnorm / max(norm(g), clipnorm), per tensor.
            norms = torch._foreach_norm(grads)
            torch._foreach_clamp_min_(norms, float(self.clipnorm))
            torch._foreach_reciprocal_(norms)
            torch._foreach_mul_(norms, float(self.clipnorm))
            return torch._foreach_mul(grads, norms)
        if self.global_clipnorm and self.global_clipnorm > 0:
            clip = float(self.global_clipnorm)
            total = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
            # clip * min(1 / norm, 1 / clip); a non-finite norm makes the scale NaN, as in Keras.
            scale = clip * torch.minimum(1.0 / total, torch.full_like(total, 1.0 / clip))
            scale = scale + (total - total)
            return torch._foreach_mul(grads, scale)
        if self.clipvalue and self.clipvalue > 0:
            grads = torch._foreach_clamp_min(grads, -float(self.clipvalue))
            torch._foreach_clamp_max_(grads, float(self.clipvalue))
            return grads
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Excludes parameters (by object, or by a substring of their `name`/`path` attribute)
        from weight decay. Call it before `build`.
        """
        if self.built:
            raise LayerfitValueError(
                explain(
                    "`exclude_from_weight_decay()` can only be configured before the "
                    "optimizer is built.",
                    "a call before optimizer.build(...) (before the first fit).",
                )
            )
        self._excluded_ids = {id(v) for v in var_list or ()}
        self._excluded_names = tuple(var_names or ())

    def _decays(self, param) -> bool:
        if id(param) in self._excluded_ids:
            return False
        label = getattr(param, "path", None) or getattr(param, "name", None) or ""
        return not any(name in str(label) for name in self._excluded_names)

    def _apply_weight_decay(self, params, learning_rate) -> None:
        if not self.weight_decay:
            return
        if self._excluded_ids or self._excluded_names:
            params = [p for p in params if self._decays(p)]
        if params:
            torch._foreach_mul_(params, 1.0 - learning_rate * float(self.weight_decay))

    def _update_average(self, params, averages) -> None:
        # The first step copies the weights; later ones average with ema_momentum.
        momentum = self.ema_momentum if self.iterations != 0 else 0.0
        torch._foreach_lerp_(averages, params, 1.0 - momentum)
        frequency = self.ema_overwrite_frequency
        if frequency and (self.iterations + 1) % frequency == 0:
            torch._foreach_copy_(params, averages)

    def finalize_variable_values(self, var_list) -> None:
        """With `use_ema`, replaces the weights in `var_list` by their moving average.

        Args:
            var_list: the variables to overwrite (those this optimizer trains; others are left).
        """
        if self.use_ema and self.built:
            wanted = {id(v) for v in var_list}
            pairs = [
                (p, a) for p, a in zip(self._params, self._slots["average"]) if id(p) in wanted
            ]
            with torch.no_grad():
                for param, average in pairs:
                    param.copy_(average)

    def swap_average_weights(self) -> None:
        """With `use_ema`, exchanges each weight with its moving average, in place (SwapEMAWeights).

        Swapping twice restores the weights; before `build` there is nothing to swap.
        """
        self._require_ema("SwapEMAWeights")
        if not self.built:
            return
        with torch.no_grad():
            for param, average in zip(self._params, self._slots["average"]):
                held = param.detach().clone()
                param.copy_(average)
                average.copy_(held)

    def copy_weights_to_average(self) -> None:
        """With `use_ema`, sets each moving average to its weight's current value."""
        self._require_ema("SwapEMAWeights")
        if self.built:
            with torch.no_grad():
                for param, average in zip(self._params, self._slots["average"]):
                    average.copy_(param)

    def _require_ema(self, user: str) -> None:
        if not self.use_ema:
            raise LayerfitValueError(
                explain(
                    f"{user} needs an optimizer that keeps moving averages of the weights, but "
                    f"optimizer {self.name!r} has use_ema=False.",
                    "an optimizer made with use_ema=True.",
                    "model.compile(optimizer=keras.optimizers.Adam(use_ema=True), ...)",
                )
            )

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` (when set) before backward."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    def apply(self, grads, trainable_variables=None) -> None:
        """Applies `grads` (one per variable) as one step; builds on first use.

        Args:
            grads: Gradient tensors, aligned with `trainable_variables`.
            trainable_variables: The parameters. Defaults to those the optimizer was built on.
        """
        variables = list(trainable_variables or self._params)
        if not self.built:
            self.build(variables)
        else:
            self._check_known(variables)
        # Inside a model's own train_step over several processes: the global batch's gradients.
        grads = distributed.reduce_applied(variables, list(grads))
        for param in self._params:
            param.grad = None
        for param, grad in zip(variables, grads):
            param.grad = grad
        self.step()

    def _check_known(self, variables) -> None:
        """Variables the optimizer was not built with: joined when some are known (a model
        that unfroze layers), refused like Keras when none are (the optimizer of another model),
        rather than skipped without a word."""
        known = {id(p) for p in self._params}
        unknown = [
            v for v in variables if getattr(v, "requires_grad", False) and id(v) not in known
        ]
        if unknown and len(unknown) < len(variables):
            self.build([*self._params, *unknown])
        elif unknown:
            name = getattr(unknown[0], "path", None) or getattr(unknown[0], "name", None)
            shape = tuple(unknown[0].shape)
            raise LayerfitValueError(
                explain(
                    f"Optimizer {self.name!r} got {len(unknown)} variable(s) it was not built "
                    f"with (the first: {name or 'unnamed'}, shape {shape}); it can only update "
                    "the variables it was first applied to.",
                    "one optimizer per set of variables (e.g. a new optimizer for a new model).",
                    "create a new optimizer for the new model, e.g. "
                    "optimizer = keras.optimizers.Adam(learning_rate=1e-3), or call "
                    "optimizer.build(all_variables) once with every variable before the loop.",
                )
            )

    def apply_gradients(self, grads_and_vars) -> int:
        """Keras's `apply_gradients([(grad, var), ...])`; returns the step count."""
        grads_and_vars = list(grads_and_vars)
        self.apply([g for g, _ in grads_and_vars], [v for _, v in grads_and_vars])
        return self.iterations

    # -- config ------------------------------------------------------------------------------

    def get_config(self) -> dict:
        rate = self._learning_rate
        if isinstance(rate, LearningRateSchedule):
            rate = serialize_schedule(rate)
        elif callable(rate):
            rate = float(rate())
        return {
            "name": self.name,
            "learning_rate": rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} learning_rate={self.learning_rate:g}>"


def bias_correction(beta: float, step: int) -> float:
    """`1 - beta ** step`, computed on the host."""
    return 1.0 - math.pow(beta, step)
