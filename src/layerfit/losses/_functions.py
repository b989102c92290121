"""Keras 3's loss functions: each returns the per-sample loss (the batch shape, last axis reduced).

Formulas follow ``keras/src/losses/losses.py`` and the torch backend's crossentropies
(``keras/src/backend/torch/nn.py``): probabilities are clipped to
``[epsilon, 1 - epsilon]`` with ``config.epsilon()``, and categorical crossentropy first
renormalizes ``y_pred`` to sum to 1. Everything is plain tensor ops: no host sync, no loops.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from layerfit import config
from layerfit.backend import to_tensor, torch_dtype
from layerfit.errors import LayerfitValueError, explain, warn

_LOG2 = math.log(2.0)


def as_prediction(y_pred) -> torch.Tensor:
    """`y_pred` as a floating tensor (integers become floatx)."""
    if not isinstance(y_pred, torch.Tensor):
        y_pred = to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch_dtype(None))
    return y_pred


def as_target(y_true, like: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    """`y_true` as a tensor on `like`'s device, cast to `dtype` (default: `like`'s dtype)."""
    if not isinstance(y_true, torch.Tensor):
        y_true = to_tensor(y_true)
    dtype = dtype or like.dtype
    if y_true.device != like.device or y_true.dtype != dtype:
        y_true = y_true.to(device=like.device, dtype=dtype, non_blocking=True)
    return y_true


def _pair(y_true, y_pred) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = as_prediction(y_pred)
    return squeeze_or_expand_to_same_rank(as_target(y_true, y_pred), y_pred)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Squeezes or expands the last axis when the ranks differ by exactly 1 (as Keras does).

    `(B,)` against `(B, 1)` becomes `(B, 1)` and `(B, 1)`, so elementwise ops never broadcast
    to `(B, B)` by accident.
    """
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    elif rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def _check_same_shape(loss: str, y_true, y_pred, fix: str) -> None:
    if y_true.shape != y_pred.shape:
        raise LayerfitValueError(
            explain(
                f"{loss} got y_true of shape {tuple(y_true.shape)} and y_pred of shape "
                f"{tuple(y_pred.shape)}.",
                "y_true and y_pred of the same shape.",
                fix,
            )
        )


# -- regression ---------------------------------------------------------------------------


def mean_squared_error(y_true, y_pred):
    """Mean squared error: `mean(square(y_true - y_pred), axis=-1)`.

    Example:
    >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])
    tensor([0.5000])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error: `mean(abs(y_true - y_pred), axis=-1)`.

    Example:
    >>> mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]])
    tensor([0.5000])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / maximum(abs(y_true), epsilon)), axis=-1)`.

    Example:
    >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]])
    tensor([25.])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=config.epsilon()))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`, inputs floored at epsilon.

    Example:
    >>> mean_squared_logarithmic_error([[0.0]], [[0.0]])
    tensor([0.])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = config.epsilon()
    first_log = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second_log = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(first_log - second_log), dim=-1)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: `0.5 * x**2` if `abs(x) <= delta` else `delta * abs(x) - 0.5 * delta**2`.

    Args:
        y_true: Ground truth values.
        y_pred: Predicted values.
        delta: Where the loss changes from quadratic to linear. Defaults to `1.0`.

    Example:
    >>> huber([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]).mean()
    tensor(0.1550)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return torch.mean(torch.where(abs_error <= delta, quadratic, linear), dim=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed stably.

    Example:
    >>> log_cosh([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]).mean()
    tensor(0.1084)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return torch.mean(x + F.softplus(-2.0 * x) - _LOG2, dim=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity: `-sum(l2_norm(y_true) * l2_norm(y_pred), axis)`.

    Args:
        y_true: Ground truth values.
        y_pred: Predicted values.
        axis: The axis along which similarity is computed. Defaults to `-1`.

    Example:
    >>> cosine_similarity([[0.0, 1.0]], [[0.0, 2.0]])
    tensor([-1.])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = config.epsilon()

    def l2_normalize(x):
        return x / torch.clamp(torch.linalg.vector_norm(x, dim=axis, keepdim=True), min=eps)

    return -torch.sum(l2_normalize(y_true) * l2_normalize(y_pred), dim=axis)


# -- hinge ---------------------------------------------------------------------------------


def _hinge_labels(y_true):
    """Converts labels to -1/1 when they are all 0/1 (decided on the device, no sync)."""
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """Hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; 0/1 labels become -1/1.

    Example:
    >>> hinge([[1.0, -1.0]], [[0.5, 0.5]])
    tensor([1.])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def squared_hinge(y_true, y_pred):
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; 0/1 labels become -1/1.

    Example:
    >>> squared_hinge([[1.0, -1.0]], [[0.5, 0.5]])
    tensor([1.2500])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def categorical_hinge(y_true, y_pred):
    """`maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)`, `neg = max((1 - y_true) * y_pred)`.

    Example:
    >>> categorical_hinge([[0.0, 1.0]], [[0.3, 0.7]])
    tensor([0.6000])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


# -- probabilistic -------------------------------------------------------------------------


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence: `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`.

    Example:
    >>> kl_divergence([[0.5, 0.5]], [[0.5, 0.5]])
    tensor([0.])
    """
    y_pred = as_prediction(y_pred)
    y_true = as_target(y_true, y_pred)
    eps = config.epsilon()
    y_true = torch.clamp(y_true, eps, 1.0)
    y_pred = torch.clamp(y_pred, eps, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    Example:
    >>> poisson([[1.0]], [[1.0]])
    tensor([1.0000])
    """
    y_pred = as_prediction(y_pred)
    y_true = as_target(y_true, y_pred)
    return torch.mean(y_pred - y_true * torch.log(y_pred + config.epsilon()), dim=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy, averaged over `axis`.

    Args:
        y_true: Ground truth 0/1 values, shape `(batch, ...)`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`), same shape.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`; labels are squeezed towards 0.5. Defaults to `0.0`.
        axis: The axis along which the mean is computed. Defaults to `-1`.

    Example:
    >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    tensor([0.9163, 0.7136])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    _check_same_shape(
        "binary_crossentropy",
        y_true,
        y_pred,
        "give one probability per label: for integer class labels with more than two "
        "classes use loss='sparse_categorical_crossentropy' and a softmax output.",
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        losses = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        eps = config.epsilon()
        p = torch.clamp(y_pred, eps, 1.0 - eps)
        losses = -(y_true * torch.log(p) + (1.0 - y_true) * torch.log(1.0 - p))
    return torch.mean(losses, dim=axis)


def _check_axis(axis):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise LayerfitValueError(
            explain(
                f"`axis` must be of type `int`. Received: axis={axis!r} of type "
                f"{type(axis).__name__}.",
                "an integer axis, usually -1 (the class axis).",
            )
        )


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical crossentropy between one-hot labels and predicted class probabilities.

    Args:
        y_true: One-hot ground truth, shape `(batch, num_classes)`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`), same shape.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`; uses `label_smoothing / num_classes` for
            non-target labels. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> categorical_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor([0.0513, 2.3026])
    """
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    if y_pred.dim() >= 1 and y_pred.shape[-1] == 1:
        warn(
            f"In loss categorical_crossentropy, y_pred has shape {tuple(y_pred.shape)}: "
            "a single class.",
            "y_pred of shape (batch_size, num_classes) with num_classes > 1.",
            "for two classes use loss='binary_crossentropy' with a sigmoid output.",
        )
    _check_same_shape(
        "categorical_crossentropy",
        y_true,
        y_pred,
        "for integer class labels such as [3, 0, 7] use loss='sparse_categorical_crossentropy', "
        "or one-hot encode them with keras.utils.to_categorical(y, num_classes).",
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        if y_pred.dim() >= 2:
            # Fused log_softmax + soft-target NLL; torch wants classes on axis 1.
            axis = axis % y_pred.dim()
            logits, target = y_pred.movedim(axis, 1), y_true.movedim(axis, 1)
            return F.cross_entropy(logits, target, reduction="none")
        log_prob = torch.log_softmax(y_pred, dim=axis)
    else:
        eps = config.epsilon()
        probs = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(probs, eps, 1.0 - eps))
    return -torch.sum(y_true * log_prob, dim=axis)


def _sparse_labels(y_true, y_pred: torch.Tensor, axis: int) -> torch.Tensor:
    labels = y_true if isinstance(y_true, torch.Tensor) else to_tensor(y_true)
    if labels.dim() == y_pred.dim() and labels.dim() > 0 and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)
    expected = y_pred.shape[:axis] + y_pred.shape[axis + 1 :]
    if labels.shape != expected:
        one_hot = labels.shape == y_pred.shape
        raise LayerfitValueError(
            explain(
                f"sparse_categorical_crossentropy got y_true of shape {tuple(labels.shape)} "
                f"and y_pred of shape {tuple(y_pred.shape)}.",
                f"integer class labels of shape {tuple(expected)} (or with a trailing axis "
                "of 1), one label per sample.",
                "your labels look one-hot encoded: use loss='categorical_crossentropy', or "
                "pass y.argmax(axis=-1) as labels."
                if one_hot
                else "pass one integer class index per sample, e.g. y of shape (batch,).",
            )
        )
    if labels.device != y_pred.device or labels.dtype != torch.int64:
        labels = labels.to(device=y_pred.device, dtype=torch.int64, non_blocking=True)
    return labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Categorical crossentropy with integer labels.

    Args:
        y_true: Integer class labels of shape `(batch,)` or `(batch, 1)` (floats holding
            integers are accepted).
        y_pred: Predicted probabilities (or logits), shape `(batch, num_classes)`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        ignore_class: Optional class ID whose samples get zero loss and are left out of
            the mean (e.g. a "void" segmentation class). Defaults to `None`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor([0.0513, 2.3026])
    """
    _check_axis(axis)
    y_pred = as_prediction(y_pred)
    axis = axis % max(y_pred.dim(), 1)
    labels = _sparse_labels(y_true, y_pred, axis)
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = labels * valid
    if from_logits:
        logits = y_pred.movedim(axis, 1) if y_pred.dim() >= 2 and axis != 1 else y_pred
        losses = F.cross_entropy(logits, labels, reduction="none")
    else:
        # Only the true class's probability is needed: gather it, then normalize and clip.
        picked = torch.gather(y_pred, axis, labels.unsqueeze(axis)).squeeze(axis)
        probs = picked / torch.sum(y_pred, dim=axis)
        eps = config.epsilon()
        losses = -torch.log(torch.clamp(probs, eps, 1.0 - eps))
    if valid is not None:
        losses = torch.where(valid, losses, torch.zeros_like(losses))
        losses._keras_mask = valid
    return losses


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary crossentropy scaled by `(1 - p_t) ** gamma`, which down-weights easy examples.

    Args:
        y_true: Ground truth 0/1 values, shape `(batch, ...)`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`), same shape.
        apply_class_balancing: Whether to weight positives by `alpha` and negatives by
            `1 - alpha`. Defaults to `False`.
        alpha: The balancing weight of positives. Defaults to `0.25`.
        gamma: The focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`; labels are squeezed towards 0.5. Defaults to `0.0`.
        axis: The axis along which the mean is computed. Defaults to `-1`.

    Example:
    >>> binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], gamma=2.0)
    tensor([0.3299, 0.2058])
    """
    y_true, y_pred = _pair(y_true, y_pred)
    _check_same_shape(
        "binary_focal_crossentropy",
        y_true,
        y_pred,
        "give one probability per label: for integer class labels with more than two "
        "classes use loss='categorical_focal_crossentropy' on one-hot labels.",
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    eps = config.epsilon()
    p = torch.clamp(y_pred, eps, 1.0 - eps)
    bce = -(y_true * torch.log(p) + (1.0 - y_true) * torch.log(1.0 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return torch.mean(focal, dim=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical crossentropy scaled by `alpha * (1 - p) ** gamma` per class.

    Args:
        y_true: One-hot ground truth, shape `(batch, num_classes)`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`), same shape.
        alpha: The weighting factor. Defaults to `0.25`.
        gamma: The focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> categorical_focal_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    tensor([3.2058e-05, 4.6627e-01])
    """
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    if y_pred.dim() >= 1 and y_pred.shape[-1] == 1:
        warn(
            f"In loss categorical_focal_crossentropy, y_pred has shape {tuple(y_pred.shape)}: "
            "a single class.",
            "y_pred of shape (batch_size, num_classes) with num_classes > 1.",
            "for two classes use loss='binary_focal_crossentropy' with a sigmoid output.",
        )
    _check_same_shape(
        "categorical_focal_crossentropy",
        y_true,
        y_pred,
        "one-hot encode integer labels with keras.utils.to_categorical(y, num_classes).",
    )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    eps = config.epsilon()
    output = torch.clamp(y_pred / torch.sum(y_pred, dim=axis, keepdim=True), eps, 1.0 - eps)
    cce = -y_true * torch.log(output)
    return torch.sum(torch.pow(1.0 - output, gamma) * alpha * cce, dim=axis)


def _overlap_pair(loss, y_true, y_pred):
    y_true, y_pred = as_target(y_true, as_prediction(y_pred)), as_prediction(y_pred)
    _check_same_shape(
        loss,
        y_true,
        y_pred,
        "give one predicted probability per target value (e.g. a sigmoid mask of the "
        "same shape as the target mask).",
    )
    return y_true, y_pred


def dice(y_true, y_pred, axis=None):
    """The Dice loss `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        y_true: Target values (masks), shape `(batch, ...)`.
        y_pred: Predicted values, same shape.
        axis: Axes to sum over; `None` sums everything into one value. Defaults to `None`.

    Example:
    >>> dice([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.2], [0.6, 0.9]])
    tensor(0.1636)
    """
    y_true, y_pred = _overlap_pair("dice", y_true, y_pred)
    dims = _dims(axis, y_pred)
    intersection = _sum(y_true * y_pred, dims)
    score = 2.0 * intersection / (_sum(y_true, dims) + _sum(y_pred, dims) + config.epsilon())
    return 1 - score


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """The Tversky loss: Dice with false positives weighted by `alpha`, negatives by `beta`.

    Args:
        y_true: Target values (masks), shape `(batch, ...)`.
        y_pred: Predicted values, same shape.
        alpha: Weight of false positives. Defaults to `0.5`.
        beta: Weight of false negatives. Defaults to `0.5`.
        axis: Axes to sum over; `None` sums everything into one value. Defaults to `None`.

    Example:
    >>> tversky([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.2], [0.6, 0.9]])
    tensor(0.1636)
    """
    y_true, y_pred = _overlap_pair("tversky", y_true, y_pred)
    dims = _dims(axis, y_pred)
    intersection = _sum(y_true * y_pred, dims)
    fp = _sum((1 - y_pred) * y_true, dims)
    fn = _sum(y_pred * (1 - y_true), dims)
    score = intersection / (intersection + fp * alpha + fn * beta + config.epsilon())
    return 1 - score


def _dims(axis, like):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


def _sum(values, dims):
    return torch.sum(values) if dims is None else torch.sum(values, dim=dims)


def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
):
    """The Circle loss (Sun et al., 2020) over L2-normalized embeddings and their labels.

    Args:
        y_true: Integer labels, shape `(batch,)` or `(batch, 1)`.
        y_pred: L2-normalized embeddings, shape `(batch, dim)`.
        ref_labels: Labels of the reference embeddings; `y_true` when `None`.
            Defaults to `None`.
        ref_embeddings: Reference embeddings; `y_pred` when `None`. Defaults to `None`.
        remove_diagonal: Whether each sample's pair with itself is left out. Defaults to `True`.
        gamma: The scaling factor. Defaults to `80`.
        margin: The relaxation factor. Defaults to `0.4`.

    Example:
    >>> e = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]))
    >>> circle([0, 0, 1], e).shape
    torch.Size([3])
    """
    y_pred = as_prediction(y_pred)
    labels = (y_true if isinstance(y_true, torch.Tensor) else to_tensor(y_true)).to(y_pred.device)
    if y_pred.dim() != 2:
        raise LayerfitValueError(
            explain(
                f"circle got y_pred of shape {tuple(y_pred.shape)}.",
                "embeddings of shape (batch, dim).",
                "flatten the embeddings, and L2-normalize them (layers.UnitNormalization).",
            )
        )
    refs = y_pred if ref_embeddings is None else as_target(ref_embeddings, y_pred)
    ref_labels = labels if ref_labels is None else as_target(ref_labels, y_pred)
    labels = labels.to(torch.int64).reshape(-1, 1)
    ref_labels = ref_labels.to(torch.int64).reshape(-1, 1)
    if labels.shape[0] != y_pred.shape[0]:
        raise LayerfitValueError(
            explain(
                f"circle got {labels.shape[0]} labels for {y_pred.shape[0]} embeddings.",
                "one integer label per embedding, y_true of shape (batch,).",
                "pass class ids, not one-hot vectors, as y_true.",
            )
        )
    distances = torch.clamp(1 - y_pred @ refs.T, min=0.0)
    positive = labels == ref_labels.T
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~torch.eye(
            labels.numel(), ref_labels.numel(), dtype=torch.bool, device=y_pred.device
        )
    pos_weights = torch.clamp((margin + distances) * positive, min=0.0)
    neg_weights = torch.clamp((1 + margin - distances) * negative, min=0.0)
    pos_w = -1 * gamma * pos_weights * (margin - distances)
    neg_w = gamma * neg_weights * ((1 - margin) - distances)
    minus_inf = torch.full_like(distances, float("-inf"))
    p_loss = torch.logsumexp(torch.where(positive, pos_w, minus_inf), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_w, minus_inf), dim=1)
    losses = F.softplus(p_loss + n_loss)
    losses._keras_mask = losses > 0
    return losses


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """The generalized crossentropy `(1 - p ** q) / q` of integer labels (robust to noise).

    Args:
        y_true: Integer class labels, shape `(batch,)`.
        y_pred: Predicted probabilities, shape `(batch, num_classes)`.
        q: In `(0, 1)`: near 0 it behaves like crossentropy, at 1 like MAE.

    Example:
    >>> categorical_generalized_cross_entropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], q=0.5)
    tensor([0.0506, 1.3675])
    """
    y_pred = as_prediction(y_pred)
    labels = (y_true if isinstance(y_true, torch.Tensor) else to_tensor(y_true)).to(y_pred.device)
    if labels.dim() == y_pred.dim() and labels.dim() > 1 and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)
    if labels.shape != y_pred.shape[:-1]:
        raise LayerfitValueError(
            explain(
                f"categorical_generalized_cross_entropy got y_true of shape "
                f"{tuple(labels.shape)} and y_pred of shape {tuple(y_pred.shape)}.",
                f"integer class labels of shape {tuple(y_pred.shape[:-1])}.",
                "pass y.argmax(axis=-1) if your labels are one-hot encoded.",
            )
        )
    one_hot = F.one_hot(labels.to(torch.int64), y_pred.shape[-1]).to(y_pred.dtype)
    p = torch.sum(y_pred * one_hot, dim=-1)
    return (1 - torch.pow(p, q)) / q


def ctc(y_true, y_pred):
    """Connectionist Temporal Classification loss; class 0 is the blank (padding) label.

    Written on `torch.nn.functional.ctc_loss`: `y_pred` holds logits (a log-softmax is
    applied), every sequence uses all of `y_pred`'s time steps, and a label sequence ends
    at its first 0s (Keras counts its non-zero entries).

    Args:
        y_true: Integer labels of shape `(batch, max_label_length)`, padded with 0.
        y_pred: Logits of shape `(batch, time_steps, num_classes)`.

    Example:
    >>> ctc([[1, 2]], torch.zeros(1, 4, 3)).shape
    torch.Size([1])
    """
    y_pred = as_prediction(y_pred)
    labels = (y_true if isinstance(y_true, torch.Tensor) else to_tensor(y_true)).to(y_pred.device)
    if labels.dim() != 2:
        raise LayerfitValueError(
            explain(
                f"Targets `y_true` of the ctc loss have shape {tuple(labels.shape)}.",
                "integer labels of shape (batch_size, max_length), padded with 0.",
                "pad the label sequences to one length with 0 (the blank class).",
            )
        )
    if y_pred.dim() != 3:
        raise LayerfitValueError(
            explain(
                f"Logits `y_pred` of the ctc loss have shape {tuple(y_pred.shape)}.",
                "logits of shape (batch_size, time_steps, num_classes).",
                "end the model with Dense(num_classes + 1) over the time axis.",
            )
        )
    labels = labels.to(torch.int64)
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    label_length = torch.sum(labels != 0, dim=-1)
    input_length = torch.full((batch,), steps, dtype=torch.int64, device=y_pred.device)
    log_probs = torch.log_softmax(y_pred.float(), dim=-1).transpose(0, 1)
    losses = F.ctc_loss(log_probs, labels, input_length, label_length, blank=0, reduction="none")
    return losses.to(y_pred.dtype)


# Canonical name -> function, with Keras's aliases.
FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        mean_squared_error,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        huber,
        log_cosh,
        cosine_similarity,
        hinge,
        squared_hinge,
        categorical_hinge,
        kl_divergence,
        poisson,
        binary_crossentropy,
        categorical_crossentropy,
        sparse_categorical_crossentropy,
        binary_focal_crossentropy,
        categorical_focal_crossentropy,
        dice,
        tversky,
        circle,
        categorical_generalized_cross_entropy,
        ctc,
    )
}
ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "bce": "binary_crossentropy",
    "huber_loss": "huber",
}
CANONICAL_NAME = {id(fn): name for name, fn in FUNCTIONS.items()}
