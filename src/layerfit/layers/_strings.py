"""Strings inside a model: numpy arrays of text carried until a string layer turns them into numbers.

torch has no string tensors, so a model input declared ``Input(dtype="string")`` holds a numpy
array of ``str`` (or ``bytes``) from the data to the first layer that reads text
(TextVectorization, StringLookup, Hashing: those set ``takes_strings``). Any other layer that
gets text says so, naming itself and the fix, instead of failing inside torch.
"""

from __future__ import annotations

import numpy as np

from layerfit.errors import LayerfitTypeError, explain


def is_text(value) -> bool:
    """Whether ``value`` is a numpy array (or list) of strings or bytes."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(isinstance(item, (str, bytes)) for item in _leaves(value))
    if not isinstance(value, np.ndarray):
        return False
    if value.dtype.kind in "US":
        return True
    if value.dtype.kind != "O" or value.size == 0:
        return False
    return all(isinstance(item, (str, bytes)) for item in value.reshape(-1).tolist())


def _leaves(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _leaves(item)
        else:
            yield item


def text_array(value) -> np.ndarray:
    """A list, tuple, pandas column or numpy array of text as one numpy array."""
    if hasattr(value, "to_numpy"):
        value = value.to_numpy()
    return value if isinstance(value, np.ndarray) else np.asarray(value)


def takes_strings(layer) -> bool:
    return bool(getattr(layer, "takes_strings", False))


def text_reached_error(layer, dtype) -> LayerfitTypeError:
    """The error for text reaching a layer that computes on numbers."""
    kind = type(layer).__name__
    return LayerfitTypeError(
        explain(
            f"Layer '{layer.name}' ({kind}) got text (dtype {dtype}); it computes on numbers, "
            "and torch has no string tensors.",
            "text turned into numbers before this layer: TextVectorization, StringLookup or "
            "Hashing first.",
            "put the text layer first: inputs = keras.Input(shape=(1,), dtype='string'); "
            "x = vectorize(inputs), with vectorize = layers.TextVectorization() adapted to the "
            "texts; or vectorize the data before the model: "
            "dataset.map(lambda x, y: (vectorize(x), y)).",
        )
    )
