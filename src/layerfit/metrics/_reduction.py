"""Sum, Mean and MeanMetricWrapper: the weighted running sums behind most metrics."""

from __future__ import annotations

import torch

from layerfit.backend import to_tensor, torch_dtype
from layerfit.losses import squeeze_or_expand_to_same_rank
from layerfit.metrics._metric import Metric, as_tensor


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample, as Keras does."""
    values = as_tensor(values).to(dtype)
    if sample_weight is not None:
        if not isinstance(sample_weight, torch.Tensor):
            sample_weight = to_tensor(sample_weight)
        sample_weight = sample_weight.to(device=values.device, dtype=dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.dim(), values.dim()
        if values_ndim > weight_ndim:
            values = reduce_fn(values, dim=list(range(weight_ndim, values_ndim)))
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=list(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=list(range(1, values.dim())))
    return values, sample_weight


def _divide_no_nan(numerator, denominator):
    safe = torch.where(denominator != 0, denominator, torch.ones_like(denominator))
    return torch.where(denominator != 0, numerator / safe, torch.zeros_like(numerator))


class Sum(Metric):
    """Computes the (weighted) sum of the given values.

    Args:
        name: Optional name of the metric instance. Defaults to `"sum"`.
        dtype: Optional dtype of the result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = Sum()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> m.result()
    tensor(4.)
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    @torch.no_grad()
    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(
            values, sample_weight, torch.sum, torch_dtype(self._dtype)
        )
        self._follow(values)
        self.total.assign_add(torch.sum(values))

    def result(self):
        return self.total.value.clone()


class Mean(Metric):
    """Computes the (weighted) mean of the given values, weighted by batch size.

    Args:
        name: Optional name of the metric instance. Defaults to `"mean"`.
        dtype: Optional dtype of the result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> m.result()
    tensor(2.)
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    @torch.no_grad()
    def update_state(self, values, sample_weight=None):
        dtype = torch_dtype(self._dtype)
        if isinstance(sample_weight, (int, float)) and not isinstance(sample_weight, bool):
            values = as_tensor(values)
            if values.dim() == 0:
                # Fast path for a scalar (e.g. a batch's loss) weighted by the batch size.
                self._follow(values)
                self.total.assign_add(values.to(dtype) * sample_weight)
                self.count.assign_add(sample_weight)
                return
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, torch.mean, dtype
        )
        self._follow(values)
        self.total.assign_add(torch.sum(values))
        if sample_weight is not None:
            self.count.assign_add(torch.sum(sample_weight))
        else:
            self.count.assign_add(values.shape[0] if values.dim() >= 1 else 1)

    def result(self):
        return _divide_no_nan(self.total.value, self.count.value)


class MeanMetricWrapper(Mean):
    """Wraps a function `fn(y_true, y_pred, **kwargs)` of per-sample values as a running mean.

    Args:
        fn: The metric function.
        name: Optional name of the metric instance. Defaults to the function's name.
        dtype: Optional dtype of the result. Defaults to `None` (`floatx()`).
        **kwargs: Keyword arguments passed on to `fn`.

    Example:
    >>> m = MeanMetricWrapper(lambda y_true, y_pred: (y_true - y_pred) ** 2, name="se")
    >>> m.update_state(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]))
    >>> m.result()
    tensor(2.5000)
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        name = name or getattr(fn, "name", None) or getattr(fn, "__name__", None)
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        # Keras reads the predictions' mask (masked steps count for nothing), else the values'.
        mask = getattr(y_pred, "_keras_mask", None)
        if mask is None:
            mask = getattr(values, "_keras_mask", None)
        if mask is not None:
            mask = mask.to(values.dtype)
            if sample_weight is None:
                sample_weight = mask
            else:
                sample_weight = as_tensor(sample_weight).to(device=mask.device, dtype=mask.dtype)
                mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
                sample_weight = sample_weight * mask
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        fn_name = getattr(self._fn, "__name__", type(self._fn).__name__)
        return {**super().get_config(), "fn": fn_name, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), str):
            from layerfit.metrics._functions import FUNCTIONS

            config["fn"] = FUNCTIONS[config["fn"]]
        return cls(**config)
