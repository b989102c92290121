"""Turning what learners pass (arrays, tensors, lists, one-hot rows, probabilities) into numpy."""

from __future__ import annotations

import numpy as np

from layerfit.errors import LayerfitValueError, explain


def as_array(value, name: str) -> np.ndarray:
    """Converts a numpy array, torch tensor, pandas object or nested list to a numpy array."""
    if hasattr(value, "detach"):  # a torch tensor, possibly on the GPU or needing grad
        value = value.detach().cpu().numpy().copy()  # plots keep the values, not the tensor
    elif hasattr(value, "to_numpy"):  # pandas Series / DataFrame
        value = value.to_numpy()
    array = np.asarray(value)
    if array.dtype == object:
        raise LayerfitValueError(
            explain(
                f"{name} could not be read as a numeric array (it has ragged or mixed items).",
                "a numpy array, a tensor or a list of numbers of one shape.",
                f"pass {name} as np.asarray(...) of numbers.",
            )
        )
    return array


def to_labels(value, name: str) -> np.ndarray:
    """Class ids (N,) from labels (N,) or (N, 1), one-hot rows or probabilities (N, C).

    A single column of non-integer values is read as sigmoid probabilities, thresholded at 0.5
    as Keras's binary accuracy does.
    """
    array = as_array(value, name)
    if array.ndim == 2 and array.shape[1] > 1:
        return array.argmax(axis=1)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise LayerfitValueError(
            explain(
                f"{name} has shape {tuple(array.shape)}.",
                "class ids of shape (N,), or one-hot rows / probabilities of shape (N, classes).",
                f"pass one label per sample: check that {name} belongs to the images you passed.",
            )
        )
    if array.dtype == bool:
        return array.astype(np.int64)
    if np.issubdtype(array.dtype, np.floating) and not np.all(np.mod(array, 1) == 0):
        if array.min() < 0 or array.max() > 1:
            raise LayerfitValueError(
                explain(
                    f"{name} holds non-integer values from {array.min():.4g} to {array.max():.4g}.",
                    "integer class ids, or probabilities between 0 and 1.",
                    f"round {name} or take model.predict(x).argmax(axis=1).",
                )
            )
        return (array > 0.5).astype(np.int64)
    labels = array.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise LayerfitValueError(
            explain(
                f"{name} holds the negative class id {int(labels.min())}.",
                "class ids 0, 1, ..., classes - 1.",
                "shift the labels so that they start at 0.",
            )
        )
    return labels


def class_name(class_names, label: int, name: str = "class_names") -> str:
    """The display name of ``label``: ``class_names[label]`` if given, else the number."""
    if class_names is None:
        return str(label)
    if label >= len(class_names):
        raise LayerfitValueError(
            explain(
                f"Label {label} has no entry in {name} (it has {len(class_names)} names).",
                "one name per class id 0, 1, ..., classes - 1.",
                "pass the full list, e.g. the dataset's class_names.",
            )
        )
    return str(class_names[label])
