"""California Housing (1990 census block groups): Keras's ``keras.datasets.california_housing``."""

from __future__ import annotations

import numpy as np

from layerfit._registry import Registry
from layerfit.datasets import _sources
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.datasets._splits import check_test_split, shuffled_split
from layerfit.errors import LayerfitValueError, explain

# Keras's own npz (20,640 rows of StatLib's cal_housing.data, in file order, float32).
_SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
_MIRRORS = ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/",)
_VERSIONS = Registry("California Housing version")
_VERSIONS.register(None, "large")
_VERSIONS.register(600, "small")


def _source(path: str) -> DatasetSource:
    return DatasetSource(
        "California Housing", "california_housing", (FileSpec(path, _SHA256),), _MIRRORS
    )


def _check_arguments(path, test_split) -> None:
    if not isinstance(path, str) or not path or "/" in path or "\\" in path:
        raise LayerfitValueError(
            explain(
                f"path must be a file name; received path={path!r}.",
                "a bare name such as 'california_housing.npz' (the cache file's name).",
                "leave path at its default, or set LAYERFIT_CACHE_DIR to choose the folder.",
            )
        )
    check_test_split(test_split)


def load_data(
    version: str = "large",
    path: str = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads the California Housing regression dataset: 8 features, target in dollars.

    Columns: longitude, latitude, housing median age, total rooms, total bedrooms, population,
    households, median income; the target is the median house value (float32, up to 500,001).
    Rows are shuffled with ``np.random.RandomState(seed)`` before the split, as Keras does.

    Args:
        version: ``"large"`` (20,640 rows) or ``"small"`` (the first 600). Defaults to ``"large"``.
        path: the cache file's name. Defaults to ``"california_housing.npz"``.
        test_split: fraction of rows kept for the test set. Defaults to ``0.2``.
        seed: seed of the shuffle before the split. Defaults to ``113``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float32 arrays shaped ``(n, 8)`` and ``(n,)``.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.california_housing.load_data()
    >>> x_train.shape, x_test.shape
    ((16512, 8), (4128, 8))
    """
    _check_arguments(path, test_split)
    rows = _VERSIONS.get(version)
    source = _source(path)

    def build():
        npz_path = _sources.fetch(source)[path].path
        with np.load(npz_path, allow_pickle=False) as arrays:
            return arrays["x"], arrays["y"]

    x, y = _sources.memoized(f"{source.subdir}/{path}", build)
    return shuffled_split(x[:rows], y[:rows], test_split, seed)


__all__ = ["load_data"]
