"""CIFAR-10 small colour images: Keras's ``keras.datasets.cifar10``."""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np

from layerfit import config
from layerfit.datasets import _sources
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.errors import LayerfitValueError, explain

class_names = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
]

# Keras downloads the pickled "python version"; layerfit reads the authors' "binary version"
# (same images and labels, plain bytes, no unpickling). Its SHA-256 and size appear in
# tensorflow/datasets (url_checksums/cifar10.txt), gomlx and torchvision-ruby alike.
_SOURCE = DatasetSource(
    title="CIFAR-10",
    subdir="cifar10",
    files=(
        FileSpec(
            "cifar-10-binary.tar.gz",
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
            size=170052171,
        ),
    ),
    mirrors=(
        "https://www.cs.toronto.edu/~kriz/",
        # Google's copy for Swift for TensorFlow; accepted only if its checksum matches.
        "https://storage.googleapis.com/s4tf-hosted-binaries/datasets/CIFAR10/",
    ),
)
_RECORD = 1 + 3 * 32 * 32  # one label byte, then 1024 red, 1024 green, 1024 blue bytes
_TRAIN_BATCHES = [f"data_batch_{i}.bin" for i in range(1, 6)]
_TEST_BATCH = "test_batch.bin"


def _read_batches(archive_path: Path):
    """Channels-first ``(x_train, y_train), (x_test, y_test)`` from the binary archive."""
    batches = {}
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            name = Path(member.name).name
            if member.isfile() and name in (*_TRAIN_BATCHES, _TEST_BATCH):
                batches[name] = archive.extractfile(member).read()
    missing = [name for name in (*_TRAIN_BATCHES, _TEST_BATCH) if name not in batches]
    if missing:
        raise LayerfitValueError(
            explain(
                f"{str(archive_path)!r} lacks {', '.join(missing)}.",
                "the CIFAR-10 binary version (cifar-10-batches-bin/*.bin).",
                "get a fresh copy of cifar-10-binary.tar.gz.",
            )
        )

    def split(names):
        records = np.frombuffer(b"".join(batches[n] for n in names), np.uint8).reshape(-1, _RECORD)
        labels = records[:, :1].copy()  # (N, 1), as Keras returns them
        images = records[:, 1:].reshape(-1, 3, 32, 32)
        return images, labels

    return split(_TRAIN_BATCHES), split([_TEST_BATCH])


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads CIFAR-10: 50,000 32x32 colour training images and 10,000 test images, 10 classes.

    Files come from ``LAYERFIT_DATA_DIR/cifar10/cifar-10-binary.tar.gz``, else the cache, else
    a verified download. The label names are in ``cifar10.class_names``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays shaped ``(50000, 32, 32, 3)``,
        ``(50000, 1)``, ``(10000, 32, 32, 3)`` and ``(10000, 1)``; channels first
        (``(50000, 3, 32, 32)``) when ``image_data_format()`` is ``"channels_first"``.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    >>> x_train.shape, y_train.shape
    ((50000, 32, 32, 3), (50000, 1))
    """

    def build():
        files = _sources.fetch(_SOURCE)
        return _read_batches(files[_SOURCE.files[0].name].path)

    (x_train, y_train), (x_test, y_test) = _sources.memoized(_SOURCE.subdir, build)
    if config.image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return _sources.copies(((x_train, y_train), (x_test, y_test)))


__all__ = ["class_names", "load_data"]
