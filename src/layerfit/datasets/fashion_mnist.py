"""Fashion-MNIST (Zalando Research, MIT licence): Keras's ``keras.datasets.fashion_mnist``."""

from __future__ import annotations

import numpy as np

from layerfit.datasets import _idx
from layerfit.datasets._sources import DatasetSource, FileSpec

class_names = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

# The canonical gzipped IDX files, checked by the SHA-256 of their uncompressed content.
# Mirrors: Keras's own copy on Google Cloud Storage, and Zalando's S3 site (torchvision's).
_SOURCE = DatasetSource(
    title="Fashion-MNIST",
    subdir="fashion-mnist",
    files=(
        FileSpec(
            "train-images-idx3-ubyte.gz",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            size=47040016,
            gzipped=True,
        ),
        FileSpec(
            "train-labels-idx1-ubyte.gz",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            size=60008,
            gzipped=True,
        ),
        FileSpec(
            "t10k-images-idx3-ubyte.gz",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            size=7840016,
            gzipped=True,
        ),
        FileSpec(
            "t10k-labels-idx1-ubyte.gz",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            size=10008,
            gzipped=True,
        ),
    ),
    mirrors=(
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ),
)


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads Fashion-MNIST: 60,000 28x28 grayscale images of 10 kinds of clothing, 10,000 test.

    Files come from ``LAYERFIT_DATA_DIR/fashion-mnist/``, else the cache, else a verified
    download. The label names are in ``fashion_mnist.class_names``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays shaped ``(60000, 28, 28)``,
        ``(60000,)``, ``(10000, 28, 28)`` and ``(10000,)``; pixels 0-255, labels 0-9.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    >>> keras.datasets.fashion_mnist.class_names[y_train[0]]
    'Ankle boot'
    """
    return _idx.load_idx_dataset(_SOURCE)


__all__ = ["class_names", "load_data"]
