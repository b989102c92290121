"""Keras's helpers for the ``data`` a train_step receives: (x,), (x, y) or (x, y, sample_weight)."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain


def unpack_x_y_sample_weight(data) -> tuple:
    """``(x, y, sample_weight)`` from a batch, with None for what it lacks.

    Example:
    >>> unpack_x_y_sample_weight((x, y))
    (x, y, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if 1 <= len(data) <= 3:
        return (*data, *(None,) * (3 - len(data)))
    raise LayerfitValueError(
        explain(
            f"A batch of {len(data)} parts was given as (x, y, sample_weight).",
            "(x,), (x, y) or (x, y, sample_weight).",
            "yield batches of at most three parts; put several inputs in one list: ([x1, x2], y).",
        )
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch for ``x``, ``y`` and ``sample_weight``, shortest form (Keras's order).

    Without ``y``, a single ``x`` comes back as it is (not wrapped), as in Keras: a custom
    ``train_step(self, data)`` of ``fit(x)`` gets the batch itself (``ops.shape(data)[0]``);
    an ``x`` that is a tuple or list is wrapped, ``(x,)``, so it is not read as ``(x, y)``.
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)
