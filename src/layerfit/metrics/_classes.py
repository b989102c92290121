"""Keras 3's mean-of-a-function metrics: accuracies, regression errors, crossentropies."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.losses import _functions as loss_fns
from layerfit.losses import squeeze_or_expand_to_same_rank
from layerfit.metrics import _functions as fns
from layerfit.metrics._reduction import Mean, MeanMetricWrapper, _divide_no_nan


class _FunctionMetric(MeanMetricWrapper):
    """A MeanMetricWrapper whose config is Keras's: name, dtype and the function's arguments."""

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# -- accuracy ------------------------------------------------------------------------------


class Accuracy(_FunctionMetric):
    """Calculates how often predictions equal labels exactly.

    Args:
        name: Name of the metric instance. Defaults to `"accuracy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> m.result()
    tensor(0.7500)
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fns.accuracy, name=name, dtype=dtype)


class BinaryAccuracy(_FunctionMetric):
    """Calculates how often `y_pred > threshold` matches binary labels.

    Args:
        name: Name of the metric instance. Defaults to `"binary_accuracy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        threshold: Predictions above it count as 1. Defaults to `0.5`.

    Example:
    >>> m = BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> m.result()
    tensor(0.7500)
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold is not None and not 0 < threshold < 1:
            raise LayerfitValueError(
                explain(
                    f"Invalid value for argument `threshold`: {threshold!r}.",
                    "a value in the open interval (0, 1).",
                    "use threshold=0.5 for sigmoid outputs.",
                )
            )
        super().__init__(fns.binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(_FunctionMetric):
    """Calculates how often the argmax of predictions matches one-hot labels.

    Args:
        name: Name of the metric instance. Defaults to `"categorical_accuracy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> m.result()
    tensor(0.5000)
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fns.categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(_FunctionMetric):
    """Calculates how often the argmax of predictions matches integer labels.

    Args:
        name: Name of the metric instance. Defaults to `"sparse_categorical_accuracy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> m.result()
    tensor(0.5000)
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fns.sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(_FunctionMetric):
    """Computes how often one-hot targets are in the top `k` predictions.

    Args:
        k: Number of top elements to look at. Defaults to `5`.
        name: Name of the metric instance. Defaults to `"top_k_categorical_accuracy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> m.result()
    tensor(0.5000)
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fns.top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(_FunctionMetric):
    """Computes how often integer targets are in the top `k` predictions.

    Args:
        k: Number of top elements to look at. Defaults to `5`.
        name: Name of the metric instance. Defaults to `"sparse_top_k_categorical_accuracy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        from_sorted_ids: `y_pred` holds class ids best first, not scores. Defaults to `False`.

    Example:
    >>> m = SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> m.result()
    tensor(0.5000)
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            fns.sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k


# -- regression ----------------------------------------------------------------------------


def _simple(cls_name, fn, default_name, summary):
    """Builds a metric class that is the running mean of `fn` with no extra arguments."""

    def __init__(self, name=default_name, dtype=None):
        _FunctionMetric.__init__(self, fn, name=name, dtype=dtype)

    doc = f"""{summary}

    Args:
        name: Name of the metric instance. Defaults to `"{default_name}"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = {cls_name}()
    >>> m.update_state([[0.0, 1.0]], [[1.0, 1.0]])
    """
    return type(
        cls_name, (_FunctionMetric,), {"__init__": __init__, "__doc__": doc, "__module__": __name__}
    )


MeanSquaredError = _simple(
    "MeanSquaredError",
    loss_fns.mean_squared_error,
    "mean_squared_error",
    "Computes the mean squared error between `y_true` and `y_pred`.",
)
MeanAbsoluteError = _simple(
    "MeanAbsoluteError",
    loss_fns.mean_absolute_error,
    "mean_absolute_error",
    "Computes the mean absolute error between `y_true` and `y_pred`.",
)
MeanAbsolutePercentageError = _simple(
    "MeanAbsolutePercentageError",
    loss_fns.mean_absolute_percentage_error,
    "mean_absolute_percentage_error",
    "Computes the mean absolute percentage error between `y_true` and `y_pred`.",
)
MeanSquaredLogarithmicError = _simple(
    "MeanSquaredLogarithmicError",
    loss_fns.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error",
    "Computes the mean squared logarithmic error between `y_true` and `y_pred`.",
)
LogCoshError = _simple(
    "LogCoshError",
    loss_fns.log_cosh,
    "logcosh",
    "Computes the logarithm of the hyperbolic cosine of the prediction error.",
)
Hinge = _simple("Hinge", loss_fns.hinge, "hinge", "Computes the hinge metric.")
SquaredHinge = _simple(
    "SquaredHinge", loss_fns.squared_hinge, "squared_hinge", "Computes the squared hinge metric."
)
CategoricalHinge = _simple(
    "CategoricalHinge",
    loss_fns.categorical_hinge,
    "categorical_hinge",
    "Computes the categorical hinge metric.",
)
KLDivergence = _simple(
    "KLDivergence",
    loss_fns.kl_divergence,
    "kl_divergence",
    "Computes the Kullback-Leibler divergence between `y_true` and `y_pred`.",
)
Poisson = _simple("Poisson", loss_fns.poisson, "poisson", "Computes the Poisson metric.")


class RootMeanSquaredError(Mean):
    """Computes `sqrt(mean(square(y_pred - y_true)))` over everything seen.

    Args:
        name: Name of the metric instance. Defaults to `"root_mean_squared_error"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).

    Example:
    >>> m = RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()
    tensor(0.5000)
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = loss_fns.as_prediction(y_pred)
        y_true = loss_fns.as_target(y_true, y_pred)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(torch.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return torch.sqrt(_divide_no_nan(self.total.value, self.count.value))


class CosineSimilarity(_FunctionMetric):
    """Computes the cosine similarity between labels and predictions.

    Args:
        name: Name of the metric instance. Defaults to `"cosine_similarity"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        axis: The axis along which the similarity is computed. Defaults to `-1`.

    Example:
    >>> m = CosineSimilarity()
    >>> m.update_state([[0.0, 1.0]], [[0.0, 3.0]])
    >>> m.result()
    tensor(1.)
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(fns.cosine_similarity, name=name, dtype=dtype, axis=axis)


# -- probabilistic -------------------------------------------------------------------------


class BinaryCrossentropy(_FunctionMetric):
    """Computes the binary crossentropy between labels and predictions.

    Args:
        name: Name of the metric instance. Defaults to `"binary_crossentropy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`. Defaults to `0`.

    Example:
    >>> m = BinaryCrossentropy()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> m.result()
    tensor(0.8149)
    """

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            loss_fns.binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing


class CategoricalCrossentropy(_FunctionMetric):
    """Computes the crossentropy between one-hot labels and predictions.

    Args:
        name: Name of the metric instance. Defaults to `"categorical_crossentropy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`. Defaults to `0`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> m = CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> m.result()
    tensor(1.1769)
    """

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            loss_fns.categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class SparseCategoricalCrossentropy(_FunctionMetric):
    """Computes the crossentropy between integer labels and predictions.

    Args:
        name: Name of the metric instance. Defaults to `"sparse_categorical_crossentropy"`.
        dtype: Dtype of the metric result. Defaults to `None` (`floatx()`).
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        ignore_class: a class ID whose samples are left out of the mean. Defaults to `None`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> m = SparseCategoricalCrossentropy()
    >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> m.result()
    tensor(1.1769)
    """

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            loss_fns.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
