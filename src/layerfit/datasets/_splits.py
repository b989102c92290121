"""Keras's train/test split of the datasets that come as one table: a seeded shuffle, then a cut."""

from __future__ import annotations

import numpy as np

from layerfit.errors import LayerfitValueError, explain


def check_test_split(test_split, unit: str = "rows") -> None:
    if not 0 <= test_split < 1:
        raise LayerfitValueError(
            explain(
                f"Invalid test_split={test_split!r}.",
                "a fraction with 0 <= test_split < 1.",
                f"pass e.g. test_split=0.2 for 20% test {unit}.",
            )
        )


def train_count(total: int, test_split: float) -> int:
    return int(total * (1 - test_split))  # Keras's rounding


def shuffled_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int):
    """``(x_train, y_train), (x_test, y_test)`` after ``np.random.RandomState(seed)``'s shuffle."""
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = train_count(len(x), test_split)
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
