"""Boston Housing (506 suburbs, 13 features, median value in $1000s): ``keras.datasets.boston_housing``.

Keras keeps it for old tutorials; its features include one built from the share of Black
residents, which is why scikit-learn removed it. California Housing is the modern choice.
"""

from __future__ import annotations

import numpy as np

from layerfit.datasets import _sources
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.datasets._splits import check_test_split, shuffled_split

_SOURCE = DatasetSource(
    "Boston Housing",
    "boston_housing",
    (
        FileSpec(
            "boston_housing.npz", "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"
        ),
    ),
    ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/",),
)


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston Housing regression dataset, shuffled and split as Keras does.

    Args:
        path: accepted for compatibility; the cache keeps Keras's file name.
            Defaults to 'boston_housing.npz'.
        test_split: fraction of rows kept for the test set. Defaults to 0.2.
        seed: seed of the shuffle before the split. Defaults to 113.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float arrays (404, 13), (404,), (102, 13), (102,).

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
    """
    check_test_split(test_split)

    def build():
        with np.load(_sources.fetch(_SOURCE)["boston_housing.npz"].path) as arrays:
            return arrays["x"], arrays["y"]

    x, y = _sources.memoized("boston_housing/boston_housing.npz", build)
    return shuffled_split(x, y, test_split, seed)


__all__ = ["load_data"]
