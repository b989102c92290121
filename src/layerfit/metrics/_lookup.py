"""Name -> metric lookup (`get` returns a Metric), and how compile resolves 'accuracy'."""

from __future__ import annotations

from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.metrics import _classes as classes
from layerfit.metrics import _confusion as confusion
from layerfit.metrics import _curves as curves
from layerfit.metrics import _scores as scores
from layerfit.metrics._metric import Metric
from layerfit.metrics._reduction import Mean, MeanMetricWrapper, Sum

METRICS = Registry("metric")
for _cls, _names in (
    (classes.Accuracy, ("accuracy", "acc")),
    (classes.BinaryAccuracy, ("binary_accuracy",)),
    (classes.CategoricalAccuracy, ("categorical_accuracy",)),
    (classes.SparseCategoricalAccuracy, ("sparse_categorical_accuracy",)),
    (classes.TopKCategoricalAccuracy, ("top_k_categorical_accuracy",)),
    (classes.SparseTopKCategoricalAccuracy, ("sparse_top_k_categorical_accuracy",)),
    (classes.MeanSquaredError, ("mean_squared_error", "mse")),
    (classes.MeanAbsoluteError, ("mean_absolute_error", "mae")),
    (classes.MeanAbsolutePercentageError, ("mean_absolute_percentage_error", "mape")),
    (classes.MeanSquaredLogarithmicError, ("mean_squared_logarithmic_error", "msle")),
    (classes.RootMeanSquaredError, ("root_mean_squared_error",)),
    (classes.CosineSimilarity, ("cosine_similarity",)),
    (classes.LogCoshError, ("log_cosh_error", "logcosh")),
    (classes.Hinge, ("hinge",)),
    (classes.SquaredHinge, ("squared_hinge",)),
    (classes.CategoricalHinge, ("categorical_hinge",)),
    (classes.KLDivergence, ("kl_divergence", "kld")),
    (classes.Poisson, ("poisson",)),
    (classes.BinaryCrossentropy, ("binary_crossentropy", "bce")),
    (classes.CategoricalCrossentropy, ("categorical_crossentropy",)),
    (classes.SparseCategoricalCrossentropy, ("sparse_categorical_crossentropy",)),
    (confusion.Precision, ("precision",)),
    (confusion.Recall, ("recall",)),
    (confusion.TruePositives, ("true_positives",)),
    (confusion.FalsePositives, ("false_positives",)),
    (confusion.TrueNegatives, ("true_negatives",)),
    (confusion.FalseNegatives, ("false_negatives",)),
    (curves.AUC, ("auc",)),
    (curves.PrecisionAtRecall, ("precision_at_recall",)),
    (curves.RecallAtPrecision, ("recall_at_precision",)),
    (curves.SensitivityAtSpecificity, ("sensitivity_at_specificity",)),
    (curves.SpecificityAtSensitivity, ("specificity_at_sensitivity",)),
    (scores.F1Score, ("f1_score",)),
    (scores.FBetaScore, ("fbeta_score",)),
    (scores.R2Score, ("r2_score",)),
    (scores.IoU, ("iou",)),
    (scores.MeanIoU, ("mean_iou",)),
    (scores.BinaryIoU, ("binary_iou",)),
    (scores.OneHotIoU, ("one_hot_iou",)),
    (scores.OneHotMeanIoU, ("one_hot_mean_iou",)),
    (scores.PearsonCorrelation, ("pearson_correlation",)),
    (scores.ConcordanceCorrelation, ("concordance_correlation",)),
    (Mean, ("mean",)),
    (Sum, ("sum",)),
):
    METRICS.register(_cls, *_names)


def get(identifier) -> Metric | None:
    """Returns a `Metric` instance for `identifier`.

    Args:
        identifier: `None`, a name (`"mae"`, `"binary_accuracy"`, `"Precision"`; case and
            `_`/`-` insensitive), a config dict, a `Metric` instance or class, or a function
            `fn(y_true, y_pred)` of per-sample values (wrapped in `MeanMetricWrapper`).

    Example:
    >>> get("mae").name
    'mean_absolute_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise LayerfitValueError(
        explain(
            f"Could not interpret metric identifier: {identifier!r} "
            f"(of type {type(identifier).__name__}).",
            "a metric name such as 'accuracy', a keras.metrics.Metric, or a function.",
            "compile(..., metrics=['accuracy']).",
        )
    )


def resolve_accuracy(name, y_true_shape, y_pred_shape) -> Metric:
    """Picks the accuracy Keras's compile uses for `'accuracy'`/`'acc'` from the shapes.

    Binary when `y_pred`'s last axis is 1; sparse categorical when `y_true` has one axis
    fewer, or a last axis of 1 while `y_pred`'s is larger; categorical otherwise. The
    metric keeps the name the user typed.

    Args:
        name: The name the user typed, `"accuracy"` or `"acc"`.
        y_true_shape: Shape of a batch of labels.
        y_pred_shape: Shape of a batch of predictions.

    Example:
    >>> type(resolve_accuracy("acc", (32,), (32, 10))).__name__
    'SparseCategoricalAccuracy'
    """
    y_true_shape, y_pred_shape = tuple(y_true_shape), tuple(y_pred_shape)
    true_last = y_true_shape[-1] if y_true_shape else 1
    pred_last = y_pred_shape[-1] if y_pred_shape else 1
    if pred_last == 1:
        return classes.BinaryAccuracy(name=str(name))
    if len(y_true_shape) < len(y_pred_shape) or (true_last == 1 and pred_last > 1):
        return classes.SparseCategoricalAccuracy(name=str(name))
    return classes.CategoricalAccuracy(name=str(name))


def resolve(identifier, y_true_shape, y_pred_shape) -> Metric | None:
    """Keras's compile-time metric lookup: 'accuracy' by shapes, names kept as typed.

    Example:
    >>> resolve("mae", (8, 1), (8, 1)).name
    'mae'
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        return resolve_accuracy(identifier, y_true_shape, y_pred_shape)
    metric = get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier
    return metric


def serialize(metric):
    """Returns Keras's config dict for a metric; `None` stays `None`.

    Example:
    >>> serialize(classes.BinaryAccuracy())["config"]["threshold"]
    0.5
    """
    if metric is None:
        return None
    if isinstance(metric, Metric):
        module = "keras.metrics" if type(metric).__module__.startswith("layerfit") else None
        return {
            "module": module,
            "class_name": type(metric).__name__,
            "config": metric.get_config(),
            "registered_name": None,
        }
    name = getattr(metric, "__name__", type(metric).__name__)
    return {"module": None, "class_name": "function", "config": name, "registered_name": name}


def deserialize(config, custom_objects=None) -> Metric:
    """Builds a `Metric` from a name or a dict made by `serialize`.

    Args:
        config: A name such as `"mae"`, or a dict with `class_name` and `config`.
        custom_objects: Optional dict mapping names to your own metrics. Defaults to `None`.

    Example:
    >>> deserialize("precision").thresholds
    [0.5]
    """
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        if config in custom_objects:
            return get(custom_objects[config])
        return METRICS.get(config)()
    if not isinstance(config, dict) or "class_name" not in config:
        raise LayerfitValueError(
            explain(
                f"Could not interpret metric config {config!r}.",
                "a name such as 'accuracy' or a dict with 'class_name' and 'config'.",
            )
        )
    class_name, kwargs = config["class_name"], config.get("config") or {}
    if class_name == "function":
        return deserialize(kwargs, custom_objects)
    if class_name in custom_objects:
        cls = custom_objects[class_name]
    elif class_name == "MeanMetricWrapper":
        cls = MeanMetricWrapper
    else:
        cls = METRICS.get(class_name)
    return cls.from_config(dict(kwargs))
