"""``split_dataset``: two parts of arrays or a dataset, shuffled as Keras does with a seed."""

from __future__ import annotations

import random

import numpy as np
import torch

from layerfit.data._dataset import Dataset
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain


def _size(value, name: str, total: int):
    """An int count or a float fraction -> a count (None stays None), with Keras's bounds."""
    if value is None:
        return None
    if type(value) is float:
        if not 0 < value < 1:
            raise LayerfitValueError(
                explain(f"{name}={value}.", "a fraction in (0, 1) or a count.", f"{name}=0.8")
            )
        return round(value * total)
    if type(value) is int:
        if not 0 < value < total:
            raise LayerfitValueError(
                explain(
                    f"{name}={value} for a dataset of {total} samples.",
                    f"a count between 1 and {total - 1}, or a fraction in (0, 1).",
                    f"{name}=0.8",
                )
            )
        return value
    raise LayerfitTypeError(
        explain(f"{name} is a {type(value).__name__}.", "an int, a float or None.", f"{name}=0.8")
    )


def _samples(dataset):
    """The dataset as a list of samples, and its batch size if it came batched."""
    if isinstance(dataset, np.ndarray):
        return list(dataset), None
    if isinstance(dataset, (list, tuple)) and dataset:
        arrays = [np.asarray(part) for part in dataset]
        if len({len(a) for a in arrays}) != 1:
            raise LayerfitValueError(
                explain(
                    f"split_dataset got arrays of lengths {[len(a) for a in arrays]}.",
                    "arrays of the same length (one row per sample).",
                    "check that x and y match: len(x) == len(y).",
                )
            )
        return list(zip(*arrays)), None
    if isinstance(dataset, Dataset):
        batch_size = dataset._batch_size
        return list(dataset.unbatch() if batch_size else dataset), batch_size
    if isinstance(dataset, torch.utils.data.Dataset):
        return [dataset[i] for i in range(len(dataset))], None
    raise LayerfitTypeError(
        explain(
            f"split_dataset got a {type(dataset).__name__}.",
            "a numpy array, a tuple/list of arrays, a layerfit Dataset or a torch Dataset.",
            "split_dataset((x, y), left_size=0.8)",
        )
    )


def split_dataset(
    dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None
):
    """Splits a dataset into a left and a right part.

    With ``shuffle`` and a ``seed`` the samples are shuffled as Keras does (Python's
    ``random.shuffle`` seeded with ``seed``), so the parts hold the same samples as Keras's.

    Args:
        dataset: a numpy array, a tuple of arrays (e.g. ``(x, y)``), or a dataset.
        left_size: a count, or a fraction of the samples. Defaults to the rest.
        right_size: a count, or a fraction. Defaults to the rest.
        shuffle: shuffle before splitting. Defaults to False.
        seed: seed for the shuffle. Defaults to None.
        preferred_backend: accepted for Keras compatibility; layerfit returns its own Dataset.
            Defaults to None.

    Returns:
        ``(left, right)``: two ``layerfit.data.Dataset``; batched like ``dataset`` was.

    Example:
    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), len(right)
    (8, 2)
    """
    if left_size is None and right_size is None:
        raise LayerfitValueError(
            explain(
                "split_dataset got neither left_size nor right_size.",
                "at least one of them.",
                "split_dataset(data, left_size=0.8)",
            )
        )
    samples, batch_size = _samples(dataset)
    total = len(samples)
    left, right = _size(left_size, "left_size", total), _size(right_size, "right_size", total)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left == 0 or right == 0:
        raise LayerfitValueError(
            explain(
                f"split_dataset sizes {left} + {right} for {total} samples.",
                "two non-empty parts that together fit in the dataset.",
                "give only left_size (the right part is the rest).",
            )
        )
    if shuffle:
        random.Random(random.randint(0, int(1e6)) if seed is None else seed).shuffle(samples)
    parts = []
    for chosen in (samples[:left], samples[total - right :]):
        part = Dataset(lambda chosen=chosen: iter(chosen), len(chosen))
        parts.append(part.batch(batch_size) if batch_size else part)
    return tuple(parts)
