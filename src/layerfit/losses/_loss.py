"""The Loss base class, Keras's reductions, and LossFunctionWrapper.

``loss(y_true, y_pred, sample_weight=None)`` converts inputs once, calls ``call`` for the
per-sample losses and reduces them as ``keras/src/losses/loss.py`` does. The hot path is a
handful of tensor ops: no ``.item()``, no host sync.
"""

from __future__ import annotations

import torch

from layerfit.backend import snake_case, to_tensor, torch_dtype, unique_name
from layerfit.config import floatx
from layerfit.errors import LayerfitValueError, explain
from layerfit.losses._functions import (
    CANONICAL_NAME,
    as_prediction,
    squeeze_or_expand_to_same_rank,
)

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise LayerfitValueError(
            explain(
                f"Invalid value for argument `reduction`: {reduction!r}.",
                f"one of {list(REDUCTIONS)}.",
                "use reduction='sum_over_batch_size' (the default) unless you need another.",
            )
        )
    return reduction


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces per-sample losses: `"sum"`, a mean over elements, or nothing for `"none"`."""
    if reduction is None or reduction == "none" or values.dim() == 0 or values.numel() == 0:
        return values
    if reduction == "sum":
        return torch.sum(values)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = torch.sum(sample_weight)
        total = torch.sum(values)
        return torch.where(divisor != 0, total / divisor, torch.zeros_like(total))
    return torch.mean(values)


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size"):
    """Applies `mask` and `sample_weight` to per-sample losses, then reduces them."""
    if sample_weight is not None:
        if not isinstance(sample_weight, torch.Tensor):
            sample_weight = to_tensor(sample_weight)
        sample_weight = sample_weight.to(device=values.device, dtype=values.dtype)
    if mask is not None:
        mask = mask.to(values.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            # Masked entries weigh 0 and valid ones total/valid, so the mean is over valid ones.
            valid = torch.sum(mask)
            scale = torch.where(valid > 0, mask.numel() / valid, torch.zeros_like(valid))
            mask = mask * scale
        if sample_weight is None:
            sample_weight = mask
        else:
            mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
            sample_weight = sample_weight * mask
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Loss base class: subclass it and implement `call(y_true, y_pred)`.

    Args:
        name: Optional name of the loss instance. Defaults to the snake_case class name.
        reduction: `"sum_over_batch_size"`, `"sum"`, `"mean"`, `"mean_with_sample_weight"`,
            `"none"` or `None`. Defaults to `"sum_over_batch_size"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> class MeanSquared(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ((y_pred - y_true) ** 2).mean(dim=-1)
    >>> MeanSquared()(torch.zeros(2, 3), torch.ones(2, 3))
    tensor(1.)
    """

    #: Canonical snake_case name of the loss function ('categorical_crossentropy', ...).
    fn_name: str | None = None
    #: Whether y_pred is read as logits; False for losses where it does not apply.
    from_logits: bool = False

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = torch_dtype(dtype) if dtype is not None else None
        if self.fn_name is None:
            self.fn_name = snake_case(type(self).__name__)

    @property
    def dtype(self) -> str:
        return str(self._dtype or torch_dtype(floatx())).replace("torch.", "")

    def __call__(self, y_true, y_pred, sample_weight=None):
        # A mask on the predictions (Embedding(mask_zero=True), Masking) leaves out masked steps.
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = as_prediction(y_pred)
        dtype = self._dtype or torch_dtype(floatx())
        if y_pred.dtype != dtype:
            y_pred = y_pred.to(dtype)
        if not isinstance(y_true, torch.Tensor):
            y_true = to_tensor(y_true)
        if y_true.device != y_pred.device:
            y_true = y_true.to(y_pred.device, non_blocking=True)
        if y_true.is_floating_point() and y_true.dtype != dtype:
            y_true = y_true.to(dtype)
        values = self.call(y_true, y_pred)
        mask = getattr(values, "_keras_mask", None)
        if in_mask is not None:
            mask = in_mask if mask is None else in_mask & mask
        if sample_weight is None and mask is None:
            return reduce_values(values, None, self.reduction)
        return reduce_weighted_values(values, sample_weight, mask, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError(
            f"Loss {type(self).__name__} must implement call(y_true, y_pred) and return "
            "the per-sample losses."
        )

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


class LossFunctionWrapper(Loss):
    """Wraps a per-sample loss function `fn(y_true, y_pred, **kwargs)` as a `Loss`.

    Args:
        fn: The loss function.
        reduction: How to reduce the per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name. Defaults to the function's canonical name.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).
        **kwargs: Keyword arguments passed on to `fn` (e.g. `from_logits=True`).

    Example:
    >>> from layerfit.losses import mean_absolute_error
    >>> LossFunctionWrapper(mean_absolute_error)([[0.0, 2.0]], [[1.0, 1.0]])
    tensor(1.)
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        self.fn = fn
        self.fn_name = CANONICAL_NAME.get(id(fn)) or getattr(fn, "__name__", "loss")
        self._fn_kwargs = kwargs
        self.from_logits = bool(kwargs.get("from_logits", False))
        super().__init__(name=name or self.fn_name, reduction=reduction, dtype=dtype)
        # The function's arguments read as attributes too (loss.label_smoothing, loss.axis).
        for key, value in kwargs.items():
            if not hasattr(self, key):
                setattr(self, key, value)

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), "fn": self.fn_name, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), (str, dict)):
            from layerfit.losses._lookup import loss_function

            config["fn"] = loss_function(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        if type(self) is not LossFunctionWrapper:
            return super().__repr__()
        return f"<LossFunctionWrapper({self.fn_name}, kwargs={self._fn_kwargs})>"
