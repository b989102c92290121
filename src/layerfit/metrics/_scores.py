"""F-scores, R², IoU and the correlation metrics, as ``keras/src/metrics`` computes them.

Every state variable is a weighted sum (counts, sums, a confusion matrix), so summing the
states over processes (torchrun) gives the value on all the data.
"""

from __future__ import annotations

import torch

from layerfit.backend import to_tensor
from layerfit.config import epsilon
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.losses import squeeze_or_expand_to_same_rank
from layerfit.metrics import _functions as fns
from layerfit.metrics._classes import _FunctionMetric
from layerfit.metrics._metric import Metric, as_tensor


def _weights(sample_weight, like: torch.Tensor) -> torch.Tensor | None:
    if sample_weight is None:
        return None
    if not isinstance(sample_weight, torch.Tensor):
        sample_weight = to_tensor(sample_weight)
    return sample_weight.to(device=like.device, dtype=like.dtype)


def _check_2d(metric: str, y_true: torch.Tensor, y_pred: torch.Tensor) -> None:
    if y_true.dim() != 2 or y_pred.dim() != 2 or y_true.shape != y_pred.shape:
        raise LayerfitValueError(
            explain(
                f"{metric} expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={tuple(y_pred.shape)} and "
                f"y_true.shape={tuple(y_true.shape)}.",
                "y_true and y_pred of the same shape (batch_size, output_dim).",
                "one-hot encode integer labels (keras.utils.to_categorical), or reshape "
                "a flat target to (batch_size, 1).",
            )
        )


class FBetaScore(Metric):
    """Computes the F-beta score: the weighted harmonic mean of precision and recall.

    Args:
        average: `None` (one score per class), `"micro"` (counts pooled over classes),
            `"macro"` (mean of the class scores) or `"weighted"` (mean weighted by each
            class's number of true instances). Defaults to `None`.
        beta: A float > 0, the weight of recall against precision. Defaults to `1.0`.
        threshold: Predictions above it count as positive; `None` takes the highest
            prediction of each row. A float in `(0, 1]`. Defaults to `None`.
        name: Name of the metric instance. Defaults to `"fbeta_score"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> m.result()
    tensor([0.3846, 0.9091, 0.8333])
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        kind = type(self).__name__
        if average not in (None, "micro", "macro", "weighted"):
            raise LayerfitValueError(
                explain(
                    f"Invalid `average` argument value for {kind}: {average!r}.",
                    "one of None, 'micro', 'macro', 'weighted'.",
                    f"{kind}(average='macro') for the mean of the per-class scores.",
                )
            )
        if isinstance(beta, bool) or not isinstance(beta, float) or beta <= 0.0:
            raise LayerfitValueError(
                explain(
                    f"Invalid `beta` argument value for {kind}: {beta!r}.",
                    "a Python float greater than 0.",
                    "FBetaScore(beta=2.0).",
                )
            )
        if threshold is not None and (
            isinstance(threshold, bool)
            or not isinstance(threshold, float)
            or not 0.0 < threshold <= 1.0
        ):
            raise LayerfitValueError(
                explain(
                    f"Invalid `threshold` argument value for {kind}: {threshold!r}.",
                    "a Python float with 0 < threshold <= 1, or None.",
                    f"{kind}(threshold=0.5).",
                )
            )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> None:
        _check_2d(type(self).__name__, y_true, y_pred)
        shape = () if self.average == "micro" else (y_pred.shape[-1],)
        for key in ("true_positives", "false_positives", "false_negatives"):
            setattr(self, key, self.add_variable(shape=shape, initializer="zeros", name=key))
        self.intermediate_weights = self.add_variable(
            shape=shape, initializer="zeros", name="intermediate_weights"
        )
        self._built = True

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred).float()
        y_true = as_tensor(y_true).to(device=y_pred.device, dtype=y_pred.dtype)
        if not self._built:
            self._build(y_true, y_pred)
        _check_2d(type(self).__name__, y_true, y_pred)
        if self.threshold is None:
            top = torch.amax(y_pred, dim=-1, keepdim=True)
            predicted = (y_pred >= top) & (torch.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.to(y_pred.dtype)
        weight = _weights(sample_weight, y_pred)

        def total(values):
            if weight is not None:
                values = values * weight.reshape(-1, 1)
            return torch.sum(values) if self.axis is None else torch.sum(values, dim=0)

        self._follow(y_pred)
        self.true_positives.assign_add(total(predicted * y_true))
        self.false_positives.assign_add(total(predicted * (1 - y_true)))
        self.false_negatives.assign_add(total((1 - predicted) * y_true))
        self.intermediate_weights.assign_add(total(y_true))

    def result(self):
        if not self._built:
            return torch.tensor(0.0)
        eps = epsilon()
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + eps)
        recall = tp / (tp + self.false_negatives.value + eps)
        beta2 = self.beta**2
        score = (precision * recall) / (beta2 * precision + recall + eps) * (1 + beta2)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            return torch.sum(score * weights / (torch.sum(weights) + eps))
        if self.average is not None:
            return torch.mean(score)
        return score

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """Computes the F1 score: `2 * precision * recall / (precision + recall)`.

    Args:
        average: `None` (one score per class), `"micro"`, `"macro"` or `"weighted"`.
            Defaults to `None`.
        threshold: Predictions above it count as positive; `None` takes the highest
            prediction of each row. A float in `(0, 1]`. Defaults to `None`.
        name: Name of the metric instance. Defaults to `"f1_score"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = F1Score(threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> m.result()
    tensor([0.5000, 0.8000, 0.6667])
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config


class R2Score(Metric):
    """Computes R², the coefficient of determination, per output and aggregated.

    Args:
        class_aggregation: `"uniform_average"` (mean over outputs), `"variance_weighted_average"`
            or `None` (one score per output). Defaults to `"uniform_average"`.
        num_regressors: Number of independent regressors, for the adjusted R². Defaults to `0`.
        name: Name of the metric instance. Defaults to `"r2_score"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = R2Score()
    >>> m.update_state([[1], [4], [3]], [[2], [4], [4]])
    >>> m.result()
    tensor(0.5714)
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in (None, "uniform_average", "variance_weighted_average"):
            raise LayerfitValueError(
                explain(
                    f"Invalid value for argument `class_aggregation`: {class_aggregation!r}.",
                    "one of None, 'uniform_average', 'variance_weighted_average'.",
                    "R2Score() averages the outputs' scores uniformly.",
                )
            )
        if num_regressors < 0:
            raise LayerfitValueError(
                explain(
                    f"Invalid value for argument `num_regressors`: {num_regressors!r}.",
                    "a value >= 0.",
                    "R2Score(num_regressors=0) for the plain R2 score.",
                )
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true, y_pred):
        _check_2d("R2Score", y_true, y_pred)
        size = (y_pred.shape[-1],)
        self.squared_sum = self.add_variable(shape=size, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=size, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=size, initializer="zeros", name="residual")
        self.count = self.add_variable(shape=size, initializer="zeros", name="count")
        self._built = True

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred).float()
        y_true = as_tensor(y_true).to(device=y_pred.device, dtype=y_pred.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true, y_pred)
        _check_2d("R2Score", y_true, y_pred)
        weight = _weights(sample_weight, y_true)
        if weight is None:
            weight = torch.ones((), device=y_true.device)
        if weight.dim() == 1:
            weight = weight.unsqueeze(1)
        weight = torch.broadcast_to(weight, y_true.shape)
        weighted = y_true * weight
        self._follow(y_true)
        self.sum.assign_add(torch.sum(weighted, dim=0))
        self.squared_sum.assign_add(torch.sum(y_true * weighted, dim=0))
        self.total_mse.assign_add(torch.sum((y_true - y_pred) ** 2 * weight, dim=0))
        self.count.assign_add(torch.sum(weight, dim=0))
        self.num_samples.assign_add(float(y_true.numel()))

    def result(self):
        if not self._built:
            return torch.tensor(0.0)
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw = 1 - self.total_mse.value / total
        raw = torch.where(torch.isinf(raw), torch.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = torch.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = torch.sum(total * raw) / torch.sum(total)
        else:
            score = raw
        if self.num_regressors != 0:
            n = float(self.num_samples.value)
            if self.num_regressors >= n - 1:
                warn(
                    f"R2Score(num_regressors={self.num_regressors}) has as many or more "
                    f"regressors than data points less one ({int(n)} seen): it falls back to "
                    "the plain R2 score.",
                    "fewer regressors than data points minus 1 for the adjusted R2 score.",
                    "evaluate on more samples, or leave num_regressors=0.",
                )
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - self.num_regressors - 1.0)
        return score

    def reset_state(self):
        super().reset_state()

    def get_config(self):
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }


# -- IoU -----------------------------------------------------------------------------------


class IoU(Metric):
    """Intersection-over-union per class, averaged over `target_class_ids`.

    Args:
        num_classes: Number of classes.
        target_class_ids: Class ids whose IoU is averaged.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the result. Defaults to `None` (`floatx()`).
        ignore_class: Optional class id left out of the counts (e.g. "void"). Defaults to `None`.
        sparse_y_true: Whether labels are class ids (else one-hot, argmax taken).
            Defaults to `True`.
        sparse_y_pred: Whether predictions are class ids (else scores, argmax taken).
            Defaults to `True`.
        axis: The class axis for the argmax. Defaults to `-1`.

    Example:
    >>> m = IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> m.result()
    tensor(0.3333)
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype)
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got num_classes={num_classes!r}.",
                    "a positive integer number of classes.",
                    f"{type(self).__name__}(num_classes=3, ...).",
                )
            )
        target_class_ids = list(target_class_ids)
        if not target_class_ids or max(target_class_ids) >= num_classes:
            raise LayerfitValueError(
                explain(
                    f"Target class ids {target_class_ids} are out of range, which is "
                    f"[0, {num_classes}).",
                    "class ids between 0 and num_classes - 1.",
                    "check num_classes, or the ids in target_class_ids.",
                )
            )
        self.num_classes = num_classes
        self.target_class_ids = target_class_ids
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes), initializer="zeros", name="total_confusion_matrix"
        )

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = torch.argmax(y_true, dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = torch.argmax(y_pred, dim=self.axis)
        y_true = y_true.to(y_pred.device).reshape(-1).long()  # class ids, truncated as Keras's
        y_pred = y_pred.reshape(-1).long()
        if y_true.shape != y_pred.shape:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} counted {y_true.numel()} true classes but "
                    f"{y_pred.numel()} predicted classes.",
                    "one predicted class per label; scores need sparse_y_pred=False.",
                    f"{type(self).__name__}(..., sparse_y_pred=False) when y_pred holds class "
                    "scores (softmax outputs).",
                )
            )
        weight = torch.ones(y_true.shape, device=y_pred.device)
        if sample_weight is not None:
            weight = torch.broadcast_to(_weights(sample_weight, weight).reshape(-1), y_true.shape)
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        index = torch.where(valid, y_true * n + y_pred, torch.zeros_like(y_true))
        weight = torch.where(valid, weight, torch.zeros_like(weight))
        matrix = torch.zeros(n * n, device=y_pred.device).scatter_add_(0, index, weight)
        self._follow(matrix)
        self.total_cm.assign_add(matrix.reshape(n, n))

    def result(self):
        cm = self.total_cm.value.float()
        true_positives = torch.diagonal(cm)
        denominator = cm.sum(0) + cm.sum(1) - true_positives
        ids = torch.tensor(self.target_class_ids, device=cm.device)
        true_positives, denominator = true_positives[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = torch.where(valid, true_positives / (denominator + epsilon()), 0.0)
        return torch.sum(iou, dim=self.axis) / (valid.sum() + epsilon())

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """IoU of binary labels against predictions thresholded at `threshold`.

    Args:
        target_class_ids: Which of the classes 0 and 1 to average. Defaults to `(0, 1)`.
        threshold: Predictions at or above it count as class 1. Defaults to `0.5`.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> m.result()
    tensor(0.3333)
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = (as_tensor(y_pred).float() >= self.threshold).long()
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """The mean IoU over all `num_classes` classes.

    Args:
        num_classes: Number of classes.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the result. Defaults to `None` (`floatx()`).
        ignore_class: Optional class id left out of the counts. Defaults to `None`.
        sparse_y_true: Whether labels are class ids. Defaults to `True`.
        sparse_y_pred: Whether predictions are class ids. Defaults to `True`.
        axis: The class axis for the argmax. Defaults to `-1`.

    Example:
    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> m.result()
    tensor(0.3333)
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)) if isinstance(num_classes, int) else [],
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """IoU with one-hot labels (and, by default, class scores as predictions).

    Args:
        num_classes: Number of classes.
        target_class_ids: Class ids whose IoU is averaged.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the result. Defaults to `None` (`floatx()`).
        ignore_class: Optional class id left out of the counts. Defaults to `None`.
        sparse_y_pred: Whether predictions are class ids. Defaults to `False`.
        axis: The class axis for the argmax. Defaults to `-1`.

    Example:
    >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.1, 0.2, 0.7], [0.8, 0.1, 0.1]])
    >>> m.result()
    tensor(1.0000)
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """The mean IoU over all classes, with one-hot labels.

    Args:
        num_classes: Number of classes.
        name: Optional name of the metric instance. Defaults to `None`.
        dtype: Dtype of the result. Defaults to `None` (`floatx()`).
        ignore_class: Optional class id left out of the counts. Defaults to `None`.
        sparse_y_pred: Whether predictions are class ids. Defaults to `False`.
        axis: The class axis for the argmax. Defaults to `-1`.

    Example:
    >>> m = OneHotMeanIoU(num_classes=2)
    >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]])
    >>> m.result()
    tensor(1.0000)
    """

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


# -- correlation ---------------------------------------------------------------------------


class PearsonCorrelation(_FunctionMetric):
    """The running mean of the per-sample Pearson correlation along `axis`.

    Args:
        name: Name of the metric instance. Defaults to `"pearson_correlation"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        axis: The axis along which the correlation is computed. Defaults to `-1`.

    Example:
    >>> m = PearsonCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> m.result()
    tensor(0.9967)
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fns.pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class ConcordanceCorrelation(_FunctionMetric):
    """The running mean of the per-sample concordance correlation along `axis`.

    Args:
        name: Name of the metric instance. Defaults to `"concordance_correlation"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        axis: The axis along which the correlation is computed. Defaults to `-1`.

    Example:
    >>> m = ConcordanceCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> m.result()
    tensor(0.9816)
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fns.concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
