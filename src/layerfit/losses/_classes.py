"""Keras 3's loss classes: each wraps one function of ``_functions`` with its arguments."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain
from layerfit.losses import _functions as fns
from layerfit.losses._loss import Loss, LossFunctionWrapper


class MeanSquaredError(LossFunctionWrapper):
    """Computes the mean of squares of errors between labels and predictions.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"mean_squared_error"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]])
    tensor(0.5000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(fns.mean_squared_error, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsoluteError(LossFunctionWrapper):
    """Computes the mean of absolute difference between labels and predictions.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"mean_absolute_error"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 1.0]])
    tensor(0.5000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(fns.mean_absolute_error, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Computes the mean absolute percentage error between `y_true` and `y_pred`.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"mean_absolute_percentage_error"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 4.0]])
    tensor(25.)
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(
            fns.mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype
        )

    def get_config(self):
        return Loss.get_config(self)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Computes the mean squared logarithmic error between `y_true` and `y_pred`.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"mean_squared_logarithmic_error"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> MeanSquaredLogarithmicError()([[0.0]], [[0.0]])
    tensor(0.)
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(
            fns.mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype
        )

    def get_config(self):
        return Loss.get_config(self)


class CosineSimilarity(LossFunctionWrapper):
    """Computes the (negative) cosine similarity between `y_true` and `y_pred`.

    Args:
        axis: The axis along which the cosine similarity is computed. Defaults to `-1`.
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"cosine_similarity"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> CosineSimilarity()([[0.0, 1.0]], [[0.0, 2.0]])
    tensor(-1.)
    """

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(
            fns.cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis
        )
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Huber(LossFunctionWrapper):
    """Computes the Huber loss between `y_true` and `y_pred`.

    Args:
        delta: The point where the loss changes from quadratic to linear. Defaults to `1.0`.
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"huber_loss"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> Huber()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    tensor(0.1550)
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(fns.huber, reduction=reduction, name=name, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self):
        return {**Loss.get_config(self), "delta": self.delta}


class LogCosh(LossFunctionWrapper):
    """Computes the logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"log_cosh"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> LogCosh()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    tensor(0.1084)
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(fns.log_cosh, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Hinge(LossFunctionWrapper):
    """Computes the hinge loss between `y_true` and `y_pred` (0/1 labels become -1/1).

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"hinge"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> Hinge()([[1.0, -1.0]], [[0.5, 0.5]])
    tensor(1.)
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(fns.hinge, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class SquaredHinge(LossFunctionWrapper):
    """Computes the squared hinge loss between `y_true` and `y_pred`.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"squared_hinge"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> SquaredHinge()([[1.0, -1.0]], [[0.5, 0.5]])
    tensor(1.2500)
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(fns.squared_hinge, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class CategoricalHinge(LossFunctionWrapper):
    """Computes the categorical hinge loss between `y_true` and `y_pred`.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"categorical_hinge"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> CategoricalHinge()([[0.0, 1.0]], [[0.3, 0.7]])
    tensor(0.6000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(fns.categorical_hinge, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class KLDivergence(LossFunctionWrapper):
    """Computes Kullback-Leibler divergence loss between `y_true` and `y_pred`.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"kl_divergence"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> KLDivergence()([[0.5, 0.5]], [[0.5, 0.5]])
    tensor(0.)
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(fns.kl_divergence, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Poisson(LossFunctionWrapper):
    """Computes the Poisson loss between `y_true` and `y_pred`.

    Args:
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"poisson"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> Poisson()([[1.0]], [[1.0]])
    tensor(1.0000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(fns.poisson, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class BinaryCrossentropy(LossFunctionWrapper):
    """Computes the cross-entropy loss between true 0/1 labels and predicted labels.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`; labels are squeezed towards 0.5. Defaults to `0.0`.
        axis: The axis along which the mean is computed. Defaults to `-1`.
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"binary_crossentropy"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> BinaryCrossentropy(from_logits=True)([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])
    tensor(0.8654)
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            fns.binary_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class CategoricalCrossentropy(LossFunctionWrapper):
    """Computes the crossentropy loss between one-hot labels and predictions.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`; uses `label_smoothing / num_classes` for non-target labels. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"categorical_crossentropy"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> CategoricalCrossentropy()([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor(1.1769)
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            fns.categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Computes the crossentropy loss between integer labels and predictions.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities. Defaults to `False`.
        ignore_class: Optional class ID whose samples are left out of the loss. Defaults to `None`.
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`, `"sum"`,
            `"mean"`, `"mean_with_sample_weight"`, `"none"` or `None`. Defaults to
            `"sum_over_batch_size"`.
        axis: The class axis of `y_pred`. Defaults to `-1`.
        name: Optional name for the loss instance. Defaults to `"sparse_categorical_crossentropy"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> SparseCategoricalCrossentropy()([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor(1.1769)
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            fns.sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary crossentropy that down-weights easy examples by `(1 - p_t) ** gamma`.

    Args:
        apply_class_balancing: Whether to weight positives by `alpha`, negatives by
            `1 - alpha`. Defaults to `False`.
        alpha: The balancing weight of positives. Defaults to `0.25`.
        gamma: The focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`. Defaults to `0.0`.
        axis: The axis along which the mean is computed. Defaults to `-1`.
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"binary_focal_crossentropy"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> BinaryFocalCrossentropy(gamma=2.0)([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    tensor(0.2678)
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            fns.binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {
            **Loss.get_config(self),
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy that down-weights easy examples by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: The weighting factor. Defaults to `0.25`.
        gamma: The focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to
            `"categorical_focal_crossentropy"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> CategoricalFocalCrossentropy()([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor(0.2332)
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            fns.categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {
            **Loss.get_config(self),
            "alpha": self.alpha,
            "gamma": self.gamma,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class Dice(LossFunctionWrapper):
    """The Dice loss, `1 - 2 * |y_true . y_pred| / (|y_true| + |y_pred|)` (segmentation).

    Args:
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"dice"`.
        axis: Axes to sum over; `None` sums everything. Defaults to `None`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> Dice()([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.2], [0.6, 0.9]])
    tensor(0.1636)
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(fns.dice, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """The Tversky loss: Dice with false positives weighted by `alpha`, negatives by `beta`.

    Args:
        alpha: Weight of false positives. Defaults to `0.5`.
        beta: Weight of false negatives. Defaults to `0.5`.
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"tversky"`.
        axis: Axes to sum over; `None` sums everything. Defaults to `None`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> Tversky(alpha=0.3, beta=0.7)([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.2], [0.6, 0.9]])
    tensor(0.1321)
    """

    def __init__(
        self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None,
        dtype=None,
    ):  # fmt: skip
        super().__init__(
            fns.tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta,
            axis=axis,
        )  # fmt: skip
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}


class Circle(LossFunctionWrapper):
    """The Circle loss for metric learning on L2-normalized embeddings and integer labels.

    Args:
        gamma: The scaling factor. Defaults to `80.0`.
        margin: The relaxation factor. Defaults to `0.4`.
        remove_diagonal: Whether each sample's pair with itself is left out. Defaults to `True`.
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"circle"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> e = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]))
    >>> float(Circle()([0, 0, 1], e)) > 0
    True
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            fns.circle,
            reduction=reduction,
            name=name,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {
            **Loss.get_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """The generalized crossentropy `(1 - p ** q) / q` of integer labels (robust to label noise).

    Args:
        q: In `(0, 1)`: near 0 it behaves like crossentropy, near 1 like MAE.
            Defaults to `0.5`.
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to
            `"categorical_generalized_cross_entropy"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> CategoricalGeneralizedCrossEntropy()([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor(0.7091)
    """

    def __init__(
        self, q=0.5, reduction="sum_over_batch_size", name="categorical_generalized_cross_entropy",
        dtype=None,
    ):  # fmt: skip
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q < 1:
            raise LayerfitValueError(
                explain(
                    f"CategoricalGeneralizedCrossEntropy got q={q!r}.",
                    "q in the open interval (0, 1).",
                    "CategoricalGeneralizedCrossEntropy(q=0.5).",
                )
            )
        super().__init__(
            fns.categorical_generalized_cross_entropy, reduction=reduction, name=name,
            dtype=dtype, q=q,
        )  # fmt: skip
        self.q = q

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}


class CTC(LossFunctionWrapper):
    """Connectionist Temporal Classification loss (class 0 is the blank and the padding).

    Args:
        reduction: How to reduce per-sample losses. Defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance. Defaults to `"ctc"`.
        dtype: The dtype of the loss's computations. Defaults to `None` (`floatx()`).

    Example:
    >>> CTC()([[1, 2]], torch.zeros(1, 4, 3)).shape
    torch.Size([])
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(fns.ctc, reduction=reduction, name=name, dtype=dtype)

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred)

    def get_config(self):
        return Loss.get_config(self)
