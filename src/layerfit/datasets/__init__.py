"""Keras's ``keras.datasets``: small standard datasets, verified by SHA-256 before use
(MD5 for the IMDB and Reuters word indexes, the only hash Keras publishes for them).

Files come from ``LAYERFIT_DATA_DIR`` (a read-only folder), else the cache
(``LAYERFIT_CACHE_DIR``), else a download from public mirrors (``LAYERFIT_MIRRORS`` replaces them).
"""

from layerfit.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
