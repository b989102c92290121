"""``timeseries_dataset_from_array``: sliding windows over a series, batched as Keras does."""

from __future__ import annotations

import numpy as np

from layerfit.data._dataset import Dataset
from layerfit.errors import LayerfitValueError, explain


def _positive(value, name: str, length: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise LayerfitValueError(explain(f"{name}={value!r}.", "a positive integer.", f"{name}=1"))
    if name != "sequence_length" and value >= length:
        raise LayerfitValueError(
            explain(
                f"{name}={value} is not smaller than the data's length {length}.",
                f"{name} below {length}.",
                f"use a smaller {name}, or more data.",
            )
        )


def _check_indices(start_index, end_index, length: int) -> None:
    if start_index and not 0 <= start_index < length:
        raise LayerfitValueError(
            explain(
                f"start_index={start_index} for data of length {length}.",
                f"0 <= start_index < {length}.",
                "start_index=0",
            )
        )
    if end_index:
        if start_index and end_index <= start_index:
            raise LayerfitValueError(
                explain(
                    f"end_index={end_index} is not above start_index={start_index}.",
                    "end_index > start_index.",
                    "swap them, or leave end_index=None for the end of the data.",
                )
            )
        if not 0 < end_index < length:
            raise LayerfitValueError(
                explain(
                    f"end_index={end_index} for data of length {length}.",
                    f"0 < end_index < {length}.",
                    "leave end_index=None to use the data up to its end.",
                )
            )


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
    format="tf",
):
    """Makes a dataset of sliding windows over a timeseries (and one target per window).

    Window ``i`` holds ``data[s + j * sampling_rate]`` for ``j < sequence_length`` with
    ``s = start_index + i * sequence_stride``; its target is ``targets[s]``.

    Args:
        data: array of time steps, first axis time (a numpy array or DataFrame).
        targets: one target per time step (the one at a window's start is used), or None.
        sequence_length: steps per window.
        sequence_stride: steps between window starts. Defaults to 1.
        sampling_rate: steps between samples within a window. Defaults to 1.
        batch_size: windows per batch, or None for single windows. Defaults to 128.
        shuffle: shuffle the windows. Defaults to False.
        seed: seed for shuffling. Defaults to None.
        start_index: first time step used. Defaults to None (0).
        end_index: time step before which data is used. Defaults to None (the end).
        format: Keras's 'tf' or 'grain'; layerfit returns its own ``Dataset`` for both.
            Defaults to 'tf'.

    Example:
    >>> ds = timeseries_dataset_from_array(np.arange(10), None, sequence_length=3, batch_size=2)
    >>> next(iter(ds)).tolist()
    [[0, 1, 2], [1, 2, 3]]
    """
    data = np.asarray(data.to_numpy() if hasattr(data, "to_numpy") else data)
    if targets is not None:
        targets = np.asarray(targets.to_numpy() if hasattr(targets, "to_numpy") else targets)
    length = len(data)
    _check_indices(start_index, end_index, length)
    _positive(sequence_length, "sequence_length", length)
    _positive(sampling_rate, "sampling_rate", length)
    _positive(sequence_stride, "sequence_stride", length)
    if format not in ("tf", "grain"):
        raise LayerfitValueError(
            explain(
                f"format={format!r}.",
                "'tf' or 'grain' (layerfit returns its own Dataset for both).",
                "leave format out.",
            )
        )
    start = start_index or 0
    end = end_index or length
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
    positions = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)  # Keras's first shuffle, reproduced
    series = data[start:end]
    labels = None if targets is None else targets[start:end]
    offsets = np.arange(sequence_length) * sampling_rate

    def window(position):
        steps = series[position + offsets]
        return steps if labels is None else (steps, labels[position])

    order = list(positions)
    dataset = Dataset(lambda: iter(order), len(order))
    if shuffle:  # Keras then shuffles again through a buffer each epoch
        dataset = dataset.shuffle(batch_size * 8 if batch_size is not None else 1024, seed=seed)
    dataset = dataset.map(window)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset
