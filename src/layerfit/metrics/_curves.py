"""Metrics over many thresholds: AUC and the sensitivity/specificity/precision/recall pairs.

Counts follow ``keras/src/metrics/metrics_utils.py``: for evenly spaced thresholds each
prediction falls in one bucket (``ceil(p * (T - 1)) - 1``), the buckets are summed with one
scatter and a reversed cumulative sum gives the counts at every threshold (O(N + T)); other
thresholds compare every prediction with every threshold. Every state variable is a weighted
count, so summing them over processes (torchrun) gives the counts on all the data.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.backend import to_tensor
from layerfit.config import epsilon
from layerfit.errors import LayerfitValueError, explain
from layerfit.losses import squeeze_or_expand_to_same_rank
from layerfit.metrics._metric import Metric, as_tensor
from layerfit.metrics._reduction import _divide_no_nan

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


def _evenly_spaced(values) -> bool:
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 3:
        return False
    even = np.arange(len(values), dtype=np.float32) / (len(values) - 1)
    return bool(np.allclose(values, even, atol=epsilon()))


def _check_shapes(metric: str, y_true: torch.Tensor, y_pred: torch.Tensor) -> None:
    if y_true.shape != y_pred.shape:
        raise LayerfitValueError(
            explain(
                f"{metric} got y_true of shape {tuple(y_true.shape)} and y_pred of shape "
                f"{tuple(y_pred.shape)}.",
                "y_true and y_pred of the same shape: one 0/1 label per predicted probability.",
                "for integer class labels and a softmax output, one-hot encode the labels "
                "(keras.utils.to_categorical) or pick one class with class_id=.",
            )
        )


def threshold_counts(
    y_true,
    y_pred,
    thresholds,
    evenly,
    sample_weight=None,
    label_weights=None,
    class_id=None,
    multi_label=False,
    metric="AUC",
):
    """Weighted (tp, fp, tn, fn) at each threshold: shape `(T,)`, or `(T, labels)` multi-label."""
    y_pred = as_tensor(y_pred).float()
    y_true = as_tensor(y_true).to(y_pred.device).float()
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    weights = None
    if sample_weight is not None:
        if not isinstance(sample_weight, torch.Tensor):
            sample_weight = to_tensor(sample_weight)
        sample_weight = sample_weight.to(device=y_pred.device, dtype=y_pred.dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if class_id is not None:
        if y_pred.dim() < 2:
            raise LayerfitValueError(
                explain(
                    f"{metric} got class_id={class_id} but y_pred of shape {tuple(y_pred.shape)}.",
                    "y_pred of shape (num_samples, num_classes) when class_id is given.",
                    "leave class_id=None for a single sigmoid output.",
                )
            )
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
        if sample_weight is not None and sample_weight.dim() and sample_weight.shape[-1] > 1:
            sample_weight = sample_weight[..., class_id, None]  # per-class weights: this class's
    _check_shapes(metric, y_true, y_pred)
    if sample_weight is not None:
        weights = torch.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None:
        lw = torch.broadcast_to(label_weights.to(y_pred.device), y_pred.shape)
        weights = lw if weights is None else weights * lw
    if weights is None:
        weights = torch.ones_like(y_pred)
    positive = (y_true != 0).to(y_pred.dtype)
    if multi_label:
        if y_pred.dim() != 2:
            raise LayerfitValueError(
                explain(
                    f"{metric}(multi_label=True) got y_pred of shape {tuple(y_pred.shape)}.",
                    "y_pred of rank 2, (num_samples, num_labels).",
                    "use multi_label=False to pool every prediction into one curve.",
                )
            )
    else:
        y_pred, positive, weights = y_pred.reshape(-1), positive.reshape(-1), weights.reshape(-1)
    true_w, false_w = positive * weights, (1.0 - positive) * weights
    num = len(thresholds)
    if evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        p = torch.clamp(y_pred, 0.0, 1.0)
        bucket = torch.ceil(p * float(num - 1)) - 1
        if with_epsilon:
            bucket = torch.relu(bucket)
        bucket = bucket.long()
        keep = bucket >= 0  # a prediction of exactly 0 is above no threshold (without epsilon)
        bucket = torch.where(keep, bucket, torch.zeros_like(bucket))
        true_b, false_b = true_w * keep, false_w * keep
        if multi_label:
            labels = y_pred.shape[1]
            offset = torch.arange(labels, device=y_pred.device) * num
            flat = (bucket + offset).reshape(-1)
            size = labels * num
            tp_b = torch.zeros(size, device=y_pred.device).scatter_add_(0, flat, true_b.reshape(-1))
            fp_b = torch.zeros(size, device=y_pred.device).scatter_add_(
                0, flat, false_b.reshape(-1)
            )
            tp_b, fp_b = tp_b.reshape(labels, num), fp_b.reshape(labels, num)
            tp = torch.flip(torch.cumsum(torch.flip(tp_b, [1]), 1), [1]).T
            fp = torch.flip(torch.cumsum(torch.flip(fp_b, [1]), 1), [1]).T
            total_true, total_false = true_w.sum(0), false_w.sum(0)
        else:
            tp_b = torch.zeros(num, device=y_pred.device).scatter_add_(0, bucket, true_b)
            fp_b = torch.zeros(num, device=y_pred.device).scatter_add_(0, bucket, false_b)
            tp = torch.flip(torch.cumsum(torch.flip(tp_b, [0]), 0), [0])
            fp = torch.flip(torch.cumsum(torch.flip(fp_b, [0]), 0), [0])
            total_true, total_false = true_w.sum(), false_w.sum()
        return tp, fp, total_false - fp, total_true - tp
    limits = torch.tensor(np.asarray(thresholds), dtype=y_pred.dtype, device=y_pred.device)
    shape = (-1,) + (1,) * y_pred.dim()
    above = (y_pred.unsqueeze(0) > limits.reshape(shape)).to(y_pred.dtype)  # (T, N[, L])
    tp = (above * true_w).sum(1)
    fp = (above * false_w).sum(1)
    fn = ((1.0 - above) * true_w).sum(1)
    tn = ((1.0 - above) * false_w).sum(1)
    return tp, fp, tn, fn


class AUC(Metric):
    """Approximates the area under the ROC or precision-recall curve (Riemann sum).

    Args:
        num_thresholds: Number of thresholds to discretize the curve with; must be > 1.
            Defaults to `200`.
        curve: `"ROC"` (the default), `"PR"` (precision-recall) or `"PRGAIN"`.
        summation_method: `"interpolation"` (the default; for `"PR"` the interpolation
            of Davis & Goadrich), `"minoring"` or `"majoring"`.
        name: Optional name of the metric instance. Defaults to `None` (`"auc"`).
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        thresholds: Optional list of thresholds in `[0, 1]`; overrides `num_thresholds`.
            Defaults to `None`.
        multi_label: Whether each column of `y_pred` is its own label (one curve per label,
            the AUCs averaged) rather than one pooled curve. Defaults to `False`.
        num_labels: Number of labels with `multi_label=True`; read from the first batch when
            `None`. Defaults to `None`.
        label_weights: Optional per-label weights (for the average with `multi_label=True`,
            else weights of each label's contributions). Defaults to `None`.
        from_logits: Whether `y_pred` holds logits (a sigmoid is applied). Defaults to `False`.

    Example:
    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> m.result()
    tensor(0.7500)
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        curve_value = getattr(curve, "value", curve)
        if not isinstance(curve_value, str) or curve_value.lower() not in _CURVES:
            raise LayerfitValueError(
                explain(
                    f"Invalid AUC curve value: {curve!r}.",
                    "one of 'ROC', 'PR', 'PRGAIN'.",
                    "AUC(curve='PR') for the area under the precision-recall curve.",
                )
            )
        method = getattr(summation_method, "value", summation_method)
        if not isinstance(method, str) or method.lower() not in _SUMMATIONS:
            raise LayerfitValueError(
                explain(
                    f"Invalid AUC summation method value: {summation_method!r}.",
                    "one of 'interpolation', 'majoring', 'minoring'.",
                    "leave summation_method='interpolation' (the default).",
                )
            )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            bad = [t for t in thresholds if not 0.0 <= float(t) <= 1.0]
            if bad:
                raise LayerfitValueError(
                    explain(
                        f"AUC thresholds must be in [0, 1]. Received: thresholds={thresholds!r}.",
                        "a list of floats between 0 and 1.",
                        "for a model without a final sigmoid (logits), pass from_logits=True.",
                    )
                )
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = _evenly_spaced([0.0, *inner, 1.0])
        else:
            if (
                isinstance(num_thresholds, bool)
                or not isinstance(num_thresholds, int)
                or (num_thresholds <= 1)
            ):
                raise LayerfitValueError(
                    explain(
                        f"Argument `num_thresholds` must be an integer > 1. Received: "
                        f"num_thresholds={num_thresholds!r}.",
                        "an integer greater than 1 (200 by default).",
                        "AUC(num_thresholds=200).",
                    )
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - epsilon(), *inner, 1.0 + epsilon()])
        self.curve = _CURVES[curve_value.lower()]
        self.summation_method = method.lower()
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        if label_weights is not None:
            self.label_weights = torch.as_tensor(np.asarray(label_weights), dtype=torch.float32)
        else:
            self.label_weights = None
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise LayerfitValueError(
                    explain(
                        f"AUC got num_labels={num_labels!r} with multi_label=False.",
                        "num_labels only together with multi_label=True.",
                        "AUC(multi_label=True, num_labels=...), or drop num_labels.",
                    )
                )
            self._build(None)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the two end points just outside [0, 1]."""
        return [float(t) for t in self._thresholds]

    def _build(self, shape) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise LayerfitValueError(
                    explain(
                        f"AUC(multi_label=True) got y_pred of shape {tuple(shape)}.",
                        "y_pred of rank 2, (num_samples, num_labels).",
                        "use multi_label=False to pool every prediction into one curve.",
                    )
                )
            self._num_labels = int(shape[1])
            shape = (self.num_thresholds, self._num_labels)
        else:
            shape = (self.num_thresholds,)
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, key, self.add_variable(shape=shape, initializer="zeros", name=key))
        self._built = True

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred.float())
        counts = threshold_counts(
            y_true,
            y_pred,
            self._thresholds,
            self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            label_weights=None if self.multi_label else self.label_weights,
            multi_label=self.multi_label,
        )
        if self.multi_label and counts[0].shape != self.true_positives.shape:
            raise LayerfitValueError(
                explain(
                    f"AUC was built for {self._num_labels} labels but y_pred has shape "
                    f"{tuple(y_pred.shape)}.",
                    f"y_pred of shape (batch, {self._num_labels}) in every batch.",
                    "make a new AUC metric for a model with another number of outputs.",
                )
            )
        self._follow(counts[0])
        keys = ("true_positives", "false_positives", "true_negatives", "false_negatives")
        for key, value in zip(keys, counts):
            getattr(self, key).assign_add(value)

    def _average(self, terms):
        if not self.multi_label:
            return torch.sum(terms)
        by_label = torch.sum(terms, dim=0)
        if self.label_weights is None:
            return torch.mean(by_label)
        weights = self.label_weights.to(by_label.device)
        return _divide_no_nan(torch.sum(by_label * weights), torch.sum(weights))

    def _interpolate_pr_auc(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        fn = self.false_negatives.value
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        slope = _divide_no_nan(dtp, torch.clamp(dp, min=0))
        intercept = tp[1:] - slope * p[1:]
        ratio = torch.where(
            (p[: n - 1] > 0) & (p[1:] > 0),
            _divide_no_nan(p[: n - 1], torch.clamp(p[1:], min=0)),
            torch.ones_like(p[1:]),
        )
        increment = _divide_no_nan(
            slope * (dtp + intercept * torch.log(ratio)), torch.clamp(tp[1:] + fn[1:], min=0)
        )
        return self._average(increment)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = _divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * _divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * _divide_no_nan(fp, tp)
            recall_gain = torch.where(tp == 0, torch.zeros_like(tp), recall_gain)
            precision_gain = torch.where(tp == 0, torch.ones_like(tp), precision_gain)
            x, y = torch.clamp(recall_gain, min=0.0), precision_gain
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[: n - 1], y[1:])
        else:
            heights = torch.maximum(y[: n - 1], y[1:])
        return self._average((x[: n - 1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": (None if self.label_weights is None else self.label_weights.tolist()),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config


class _AtConstraint(Metric):
    """Keras's SensitivitySpecificityBase: counts at `num_thresholds` evenly spaced thresholds."""

    _VALUE = ""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        kind = type(self).__name__
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise LayerfitValueError(
                explain(
                    f"Argument `{self._VALUE}` of {kind} must be in the range [0, 1]. "
                    f"Received: {self._VALUE}={value!r}.",
                    "a float between 0 and 1.",
                    f"{kind}({self._VALUE}=0.5).",
                )
            )
        if (
            isinstance(num_thresholds, bool)
            or not isinstance(num_thresholds, int)
            or (num_thresholds <= 0)
        ):
            raise LayerfitValueError(
                explain(
                    f"Argument `num_thresholds` of {kind} must be an integer > 0. "
                    f"Received: num_thresholds={num_thresholds!r}.",
                    "a positive integer (200 by default).",
                    f"{kind}(..., num_thresholds=200).",
                )
            )
        super().__init__(name=name, dtype=dtype)
        setattr(self, self._VALUE, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0, *inner, 1.0]
            self._evenly = True
        size = len(self.thresholds)
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, key, self.add_variable(shape=(size,), initializer="zeros", name=key))

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = threshold_counts(
            y_true,
            y_pred,
            self.thresholds,
            self._evenly,
            sample_weight=sample_weight,
            class_id=self.class_id,
            metric=type(self).__name__,
        )
        self._follow(counts[0])
        keys = ("true_positives", "false_positives", "true_negatives", "false_negatives")
        for key, value in zip(keys, counts):
            getattr(self, key).assign_add(value)

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "recall": _divide_no_nan(tp, tp + fn),
            "specificity": _divide_no_nan(tn, tn + fp),
            "precision": _divide_no_nan(tp, tp + fp),
        }

    def _best(self, constrained, dependent):
        feasible = constrained >= self.value
        return torch.clamp(torch.max(torch.where(feasible, dependent, 0.0)), min=0.0)

    def get_config(self):
        return {
            **super().get_config(),
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._VALUE: self.value,
        }


class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity (recall) at a specificity of at least `specificity`.

    Args:
        specificity: A float in `[0, 1]`.
        num_thresholds: Number of thresholds to try. Defaults to `200`.
        class_id: Optional class index for a one-vs-rest metric. Defaults to `None`.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()
    tensor(0.5000)
    """

    _VALUE = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["specificity"], rates["recall"])


class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity at a sensitivity (recall) of at least `sensitivity`.

    Args:
        sensitivity: A float in `[0, 1]`.
        num_thresholds: Number of thresholds to try. Defaults to `200`.
        class_id: Optional class index for a one-vs-rest metric. Defaults to `None`.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()
    tensor(0.6667)
    """

    _VALUE = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["specificity"])


class PrecisionAtRecall(_AtConstraint):
    """The best precision at a recall of at least `recall`.

    Args:
        recall: A float in `[0, 1]`.
        num_thresholds: Number of thresholds to try. Defaults to `200`.
        class_id: Optional class index for a one-vs-rest metric. Defaults to `None`.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()
    tensor(0.5000)
    """

    _VALUE = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["precision"])


class RecallAtPrecision(_AtConstraint):
    """The best recall at a precision of at least `precision`.

    Args:
        precision: A float in `[0, 1]`.
        num_thresholds: Number of thresholds to try. Defaults to `200`.
        class_id: Optional class index for a one-vs-rest metric. Defaults to `None`.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> m.result()
    tensor(0.5000)
    """

    _VALUE = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["precision"], rates["recall"])
