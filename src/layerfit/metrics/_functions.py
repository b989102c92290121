"""Keras 3's metric functions: per-sample values (accuracy matches, errors) as tensors."""

from __future__ import annotations

import torch

from layerfit import config
from layerfit.backend import torch_dtype
from layerfit.losses import _functions as loss_fns
from layerfit.losses import squeeze_or_expand_to_same_rank
from layerfit.metrics._metric import as_tensor


def _floatx():
    return torch_dtype(config.floatx())


def accuracy(y_true, y_pred):
    """How often predictions equal labels exactly, per sample.

    Example:
    >>> accuracy([[1], [2]], [[1], [0]])
    tensor([1., 0.])
    """
    y_pred = loss_fns.as_prediction(y_pred)
    y_true = loss_fns.as_target(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return torch.mean((y_true == y_pred).to(_floatx()), dim=-1)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """How often `y_pred > threshold` matches the 0/1 labels, per sample.

    Args:
        y_true: Ground truth 0/1 values.
        y_pred: Predicted probabilities.
        threshold: Predictions above it count as 1. Defaults to `0.5`.

    Example:
    >>> binary_accuracy([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    tensor([1., 1., 1., 0.])
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true).to(y_pred.device)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = (y_pred > threshold).to(y_true.dtype)
    return torch.mean((y_true == predicted).to(_floatx()), dim=-1)


def categorical_accuracy(y_true, y_pred):
    """How often the argmax of `y_pred` matches the argmax of one-hot `y_true`, per sample.

    Example:
    >>> categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    tensor([0., 1.])
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true).to(y_pred.device)
    return (torch.argmax(y_true, dim=-1) == torch.argmax(y_pred, dim=-1)).to(_floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """How often the argmax of `y_pred` equals the integer label, per sample.

    Example:
    >>> sparse_categorical_accuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    tensor([0., 1.])
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true).to(y_pred.device)
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    predicted = torch.argmax(y_pred, dim=-1).to(y_true.dtype)
    matches = (y_true == predicted).to(_floatx())
    if matches.dim() > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def _in_top_k(targets: torch.Tensor, predictions: torch.Tensor, k: int) -> torch.Tensor:
    """Whether each target's score is among the `k` largest (ties count as in)."""
    k = min(int(k), predictions.shape[-1])
    kth_largest = torch.topk(predictions, k, dim=-1).values[..., -1:]
    target_score = torch.gather(predictions, -1, targets.to(torch.int64).unsqueeze(-1))
    return (target_score >= kth_largest).squeeze(-1)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """How often the integer label is among the top `k` predictions, per sample.

    Args:
        y_true: Integer labels, shape `(batch,)` or `(batch, 1)`.
        y_pred: Predicted scores, shape `(batch, num_classes)`, or with
            `from_sorted_ids=True` class ids best first (as `ops.top_k` returns them).
        k: Number of top predictions to look at. Defaults to `5`.
        from_sorted_ids: whether `y_pred` holds sorted class ids instead of scores.
            Defaults to `False`.

    Example:
    >>> sparse_top_k_categorical_accuracy([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
    tensor([0., 1.])
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true).to(y_pred.device)
    shape = y_true.shape
    targets = y_true.reshape(-1)
    predictions = y_pred.reshape(-1, y_pred.shape[-1])
    if from_sorted_ids:  # the first k ids are the best k; a repeated id counts once
        hits = (predictions[:, :k] == targets[:, None].to(predictions.dtype)).any(dim=1)
    else:
        hits = _in_top_k(targets, predictions, k)
    return hits.to(_floatx()).reshape(shape)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """How often the one-hot label's class is among the top `k` predictions, per sample.

    Args:
        y_true: One-hot labels, shape `(batch, num_classes)`.
        y_pred: Predicted scores, same shape.
        k: Number of top predictions to look at. Defaults to `5`.

    Example:
    >>> top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
    tensor([0., 1.])
    """
    y_true = as_tensor(y_true)
    return sparse_top_k_categorical_accuracy(torch.argmax(y_true, dim=-1), y_pred, k=k)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity between labels and predictions along `axis`, per sample.

    Example:
    >>> cosine_similarity([[0.0, 1.0]], [[0.0, 3.0]])
    tensor([1.])
    """
    return -loss_fns.cosine_similarity(y_true, y_pred, axis=axis)


def pearson_correlation(y_true, y_pred, axis=-1):
    """The Pearson correlation coefficient between labels and predictions along `axis`.

    Example:
    >>> pearson_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    tensor([1.0000, 0.9934])
    """
    y_pred = loss_fns.as_prediction(y_pred)
    y_true = loss_fns.as_target(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    true_c = y_true - torch.mean(y_true, dim=axis, keepdim=True)
    pred_c = y_pred - torch.mean(y_pred, dim=axis, keepdim=True)
    true_c = true_c / torch.std(true_c, dim=axis, keepdim=True, correction=0)
    pred_c = pred_c / torch.std(pred_c, dim=axis, keepdim=True, correction=0)
    return torch.mean(true_c * pred_c, dim=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along `axis`, with Keras's formula.

    Keras centres `y_true` on the mean of `y_pred` in the covariance term; so do we, so the
    numbers agree.

    Example:
    >>> concordance_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    tensor([0.9756, 0.9877])
    """
    y_pred = loss_fns.as_prediction(y_pred)
    y_true = loss_fns.as_target(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    true_mean = torch.mean(y_true, dim=axis, keepdim=True)
    pred_mean = torch.mean(y_pred, dim=axis, keepdim=True)
    true_var = torch.var(y_true - true_mean, dim=axis, keepdim=True, correction=0)
    pred_var = torch.var(y_pred - pred_mean, dim=axis, keepdim=True, correction=0)
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + torch.square(true_mean - pred_mean)
    return torch.mean(2 * covar / (norm + config.epsilon()), dim=axis)


# Names under which MeanMetricWrapper.from_config finds a function again.
FUNCTIONS = dict(loss_fns.FUNCTIONS)
FUNCTIONS.update(
    (fn.__name__, fn)
    for fn in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
        cosine_similarity,
        pearson_correlation,
        concordance_correlation,
    )
)
