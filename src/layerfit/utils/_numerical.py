"""Array helpers Keras keeps in ``keras.utils``: one-hot encoding and normalisation."""

from __future__ import annotations

import numpy as np

from layerfit.errors import LayerfitValueError, explain


def to_categorical(x, num_classes: int | None = None) -> np.ndarray:
    """Converts integer class labels to one-hot rows (float32), as ``keras.utils.to_categorical``.

    Args:
        x: integer labels, any shape; a trailing axis of size 1 is dropped.
        num_classes: number of classes. Defaults to ``max(x) + 1``.

    Example:
    >>> to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    labels = np.asarray(x)
    if labels.size and not np.all(np.equal(np.mod(labels, 1), 0)):
        raise LayerfitValueError(
            explain(
                f"to_categorical got non-integer labels (first: {labels.ravel()[0]!r}).",
                "integer class ids 0, 1, ..., num_classes - 1.",
                "pass class ids; for probabilities use y.argmax(axis=-1) first.",
            )
        )
    labels = labels.astype("int64")
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise LayerfitValueError(
            explain(
                f"to_categorical got labels from {int(labels.min())} to {int(labels.max())} "
                f"with num_classes={num_classes}.",
                f"labels in [0, {num_classes}).",
                "pass num_classes=max(label) + 1, or map the labels to 0..n-1 first.",
            )
        )
    one_hot = np.zeros((labels.size, num_classes), dtype="float32")
    one_hot[np.arange(labels.size), labels.ravel()] = 1.0
    return one_hot.reshape(*labels.shape, num_classes)


def normalize(x, axis: int = -1, order: int = 2) -> np.ndarray:
    """Scales ``x`` to unit ``order``-norm along ``axis``, as ``keras.utils.normalize``."""
    array = np.asarray(x, dtype="float64")
    norm = np.atleast_1d(np.linalg.norm(array, order, axis))
    norm[norm == 0] = 1
    return array / np.expand_dims(norm, axis)
