"""MNIST handwritten digits: Keras's ``keras.datasets.mnist``."""

from __future__ import annotations

import numpy as np

from layerfit.datasets import _idx
from layerfit.datasets._sources import DatasetSource, FileSpec

class_names = [str(digit) for digit in range(10)]

# The canonical gzipped IDX files, checked by the SHA-256 of their uncompressed content.
# Mirrors: PyTorch's S3 copy (torchvision), Google's CVDF copy (tensorflow/datasets), and
# LeCun's original page (listed first by torchvision; it often refuses downloads now).
_SOURCE = DatasetSource(
    title="MNIST",
    subdir="mnist",
    files=(
        FileSpec(
            "train-images-idx3-ubyte.gz",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            size=47040016,
            gzipped=True,
        ),
        FileSpec(
            "train-labels-idx1-ubyte.gz",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            size=60008,
            gzipped=True,
        ),
        FileSpec(
            "t10k-images-idx3-ubyte.gz",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            size=7840016,
            gzipped=True,
        ),
        FileSpec(
            "t10k-labels-idx1-ubyte.gz",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            size=10008,
            gzipped=True,
        ),
    ),
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ),
)


def load_data(
    path: str = "mnist.npz",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads the MNIST dataset: 60,000 28x28 grayscale digit images and 10,000 test images.

    Files come from ``LAYERFIT_DATA_DIR/mnist/``, else the cache, else a verified download.

    Args:
        path: Keras's name for its ``mnist.npz`` cache file. layerfit reads the canonical IDX
            files instead, so the argument is accepted and unused. Defaults to ``"mnist.npz"``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays shaped ``(60000, 28, 28)``,
        ``(60000,)``, ``(10000, 28, 28)`` and ``(10000,)``; pixels 0-255, labels 0-9.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    >>> x_train.shape, y_train.shape
    ((60000, 28, 28), (60000,))
    """
    del path  # accepted for Keras compatibility (see the docstring)
    return _idx.load_idx_dataset(_SOURCE)


__all__ = ["class_names", "load_data"]
