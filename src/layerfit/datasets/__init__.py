"""Keras's ``keras.datasets``: small standard datasets, verified by SHA-256 before use.

Files come from ``LAYERFIT_DATA_DIR`` (a read-only folder), else the cache
(``LAYERFIT_CACHE_DIR``), else a download from public mirrors (``LAYERFIT_MIRRORS`` replaces them).
"""

from layerfit.datasets import california_housing, cifar10, fashion_mnist, mnist

__all__ = ["california_housing", "cifar10", "fashion_mnist", "mnist"]
