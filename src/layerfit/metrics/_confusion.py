"""Confusion-matrix metrics: Precision, Recall and the four raw counts, at given thresholds."""

from __future__ import annotations

import torch

from layerfit.backend import to_tensor
from layerfit.errors import LayerfitValueError, explain
from layerfit.losses import squeeze_or_expand_to_same_rank
from layerfit.metrics._metric import Metric, as_tensor
from layerfit.metrics._reduction import _divide_no_nan

# Keras's stand-in for -inf: with `top_k`, predictions outside the top k are set to it.
NEG_INF = -1e10


def _parse_thresholds(thresholds, default: float) -> list[float]:
    if thresholds is None:
        return [default]
    values = [thresholds] if isinstance(thresholds, (int, float)) else list(thresholds)
    bad = [t for t in values if not 0.0 <= float(t) <= 1.0]
    if bad:
        raise LayerfitValueError(
            explain(
                f"Threshold values must be in [0, 1]. Received: thresholds={thresholds!r}.",
                "a float (or list of floats) between 0 and 1.",
                "for a model without a final sigmoid (logits), use thresholds=0.0.",
            )
        )
    return [float(t) for t in values]


def _filter_top_k(y_pred: torch.Tensor, k: int) -> torch.Tensor:
    top_idx = torch.topk(y_pred, min(k, y_pred.shape[-1]), dim=-1).indices
    keep = torch.zeros_like(y_pred, dtype=torch.bool).scatter_(-1, top_idx, True)
    return torch.where(keep, y_pred, torch.full_like(y_pred, NEG_INF))


def confusion_counts(y_true, y_pred, thresholds, top_k=None, class_id=None, sample_weight=None):
    """Weighted (tp, fp, tn, fn), each of shape `(len(thresholds),)`, as Keras counts them."""
    y_pred = as_tensor(y_pred).float()
    y_true = as_tensor(y_true).to(y_pred.device)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
    positive = (y_true != 0).reshape(1, -1)  # (1, N)
    if not isinstance(thresholds, torch.Tensor):
        thresholds = torch.tensor(thresholds, dtype=y_pred.dtype)
    limits = thresholds.to(y_pred.device, y_pred.dtype).reshape(-1, 1)  # (T, 1)
    predicted = y_pred.reshape(1, -1) > limits  # (T, N)
    weight = None
    if sample_weight is not None:
        if not isinstance(sample_weight, torch.Tensor):
            sample_weight = to_tensor(sample_weight)
        sample_weight = sample_weight.to(device=y_pred.device, dtype=y_pred.dtype)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_pred, sample_weight)
        if sample_weight.dim() < y_pred.dim():
            sample_weight = sample_weight.reshape(
                *sample_weight.shape, *([1] * (y_pred.dim() - sample_weight.dim()))
            )
        weight = torch.broadcast_to(sample_weight, y_pred.shape).reshape(1, -1)

    def count(mask):
        if weight is None:
            return torch.sum(mask, dim=1, dtype=y_pred.dtype)
        return torch.sum(mask.to(weight.dtype) * weight, dim=1)

    return (
        count(positive & predicted),
        count(~positive & predicted),
        count(~positive & ~predicted),
        count(positive & ~predicted),
    )


class _ConfusionMetric(Metric):
    """Accumulates some of (tp, fp, tn, fn) per threshold."""

    _KEEP: tuple[str, ...] = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        # A copy: the caller's list may change later; get_config hands out copies too.
        self.init_thresholds = list(thresholds) if isinstance(thresholds, list) else thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = _parse_thresholds(thresholds, default)
        self._limits = {}  # device -> thresholds tensor, copied to each device once
        for key in self._KEEP:
            setattr(
                self,
                key,
                self.add_variable(shape=(len(self.thresholds),), initializer="zeros", name=key),
            )

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred)
        limits = self._limits.get(y_pred.device)
        if limits is None:
            limits = torch.tensor(self.thresholds).to(y_pred.device)
            self._limits[y_pred.device] = limits
        counts = confusion_counts(y_true, y_pred, limits, self.top_k, self.class_id, sample_weight)
        names = ("true_positives", "false_positives", "true_negatives", "false_negatives")
        self._follow(counts[0])
        for key, value in zip(names, counts):
            if key in self._KEEP:
                getattr(self, key).assign_add(value)

    def _single(self, value):
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {
            **super().get_config(),
            "thresholds": (
                list(self.init_thresholds)
                if isinstance(self.init_thresholds, list)
                else self.init_thresholds
            ),
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_ConfusionMetric):
    """Computes the precision `tp / (tp + fp)` of predictions above a threshold.

    Args:
        thresholds: A float or list of floats in `[0, 1]`; predictions above count as
            positive (use `0.0` for logits). Defaults to `None` (0.5, or all top-k).
        top_k: Optional number of highest predictions per sample to consider.
            Defaults to `None`.
        class_id: Optional class index for a one-vs-rest precision. Defaults to `None`.
        name: Optional name of the metric instance. Defaults to `None` (`"precision"`).
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()
    tensor(0.6667)
    """

    _KEEP = ("true_positives", "false_positives")

    def result(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        return self._single(_divide_no_nan(tp, tp + fp))


class Recall(_ConfusionMetric):
    """Computes the recall `tp / (tp + fn)` of predictions above a threshold.

    Args:
        thresholds: A float or list of floats in `[0, 1]`; predictions above count as
            positive (use `0.0` for logits). Defaults to `None` (0.5, or all top-k).
        top_k: Optional number of highest predictions per sample to consider.
            Defaults to `None`.
        class_id: Optional class index for a one-vs-rest recall. Defaults to `None`.
        name: Optional name of the metric instance. Defaults to `None` (`"recall"`).
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()
    tensor(0.6667)
    """

    _KEEP = ("true_positives", "false_negatives")

    def result(self):
        tp, fn = self.true_positives.value, self.false_negatives.value
        return self._single(_divide_no_nan(tp, tp + fn))


class _Count(_ConfusionMetric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._single(getattr(self, self._KEEP[0]).value.clone())

    def get_config(self):
        return {**Metric.get_config(self), "thresholds": self.init_thresholds}


class TruePositives(_Count):
    """Counts (weighted) true positives at `thresholds` (default 0.5).

    Example:
    >>> m = TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()
    tensor(2.)
    """

    _KEEP = ("true_positives",)


class FalsePositives(_Count):
    """Counts (weighted) false positives at `thresholds` (default 0.5).

    Example:
    >>> m = FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> m.result()
    tensor(2.)
    """

    _KEEP = ("false_positives",)


class TrueNegatives(_Count):
    """Counts (weighted) true negatives at `thresholds` (default 0.5).

    Example:
    >>> m = TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> m.result()
    tensor(2.)
    """

    _KEEP = ("true_negatives",)


class FalseNegatives(_Count):
    """Counts (weighted) false negatives at `thresholds` (default 0.5).

    Example:
    >>> m = FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> m.result()
    tensor(2.)
    """

    _KEEP = ("false_negatives",)
