"""Keras's ``class_weight``: each training sample weighted by its class."""

from __future__ import annotations

import numpy as np
import torch

from layerfit.data._arrays import is_array_like
from layerfit.errors import LayerfitValueError, explain


def class_sample_weight(x, y, sample_weight, class_weight: dict) -> np.ndarray:
    """The per-sample weights for ``class_weight`` (times ``sample_weight`` when given).

    One-hot label rows count as their argmax; validation data is not weighted, as in Keras.
    """
    if x is None or not is_array_like(x) or y is None or not isinstance(class_weight, dict):
        raise LayerfitValueError(
            explain(
                f"fit(class_weight=...) got {type(class_weight).__name__} with x of type "
                f"{type(x).__name__}.",
                "a dict {class_index: weight} with x and y as arrays or tensors.",
                "pass class_weight={0: 1.0, 1: 5.0}; for generators or DataLoaders, yield "
                "(x, y, sample_weight) batches instead.",
            )
        )
    labels = _numpy(y)
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)  # one-hot rows
    labels = np.rint(labels.reshape(len(labels))).astype("int64")
    table = np.ones(max(int(labels.max()), *map(int, class_weight)) + 1, dtype="float32")
    for index, weight in class_weight.items():
        table[int(index)] = float(weight)
    weights = table[labels]
    if sample_weight is not None:
        weights = weights * _numpy(sample_weight).astype("float32").reshape(len(weights))
    return weights


def _numpy(values) -> np.ndarray:
    if torch.is_tensor(values):
        return values.detach().cpu().numpy()
    return np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
