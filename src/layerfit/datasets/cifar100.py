"""CIFAR-100 small colour images in 100 classes: Keras's ``keras.datasets.cifar100``."""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np

from layerfit import config
from layerfit.datasets import _sources
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.errors import LayerfitValueError, explain

# As for CIFAR-10, layerfit reads the authors' "binary version" (no unpickling). Its SHA-256 and
# size are those tensorflow/datasets publishes (url_checksums/cifar100.txt).
_SOURCE = DatasetSource(
    title="CIFAR-100",
    subdir="cifar100",
    files=(
        FileSpec(
            "cifar-100-binary.tar.gz",
            "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec",
            size=168513733,
        ),
    ),
    mirrors=("https://www.cs.toronto.edu/~kriz/",),
)
_RECORD = 2 + 3 * 32 * 32  # coarse label byte, fine label byte, then the red, green, blue planes
_FILES = ("train.bin", "test.bin")


def _read(archive_path: Path):
    """Channels-first images and (coarse, fine) labels of the train and test files."""
    found = {}
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            name = Path(member.name).name
            if member.isfile() and name in _FILES:
                found[name] = archive.extractfile(member).read()
    missing = [name for name in _FILES if name not in found]
    if missing:
        raise LayerfitValueError(
            explain(
                f"{str(archive_path)!r} lacks {', '.join(missing)}.",
                "the CIFAR-100 binary version (cifar-100-binary/train.bin and test.bin).",
                "get a fresh copy of cifar-100-binary.tar.gz.",
            )
        )

    def split(name):
        records = np.frombuffer(found[name], np.uint8).reshape(-1, _RECORD)
        images = records[:, 2:].reshape(-1, 3, 32, 32)
        return images, records[:, 0:1].copy(), records[:, 1:2].copy()  # labels (N, 1)

    return split("train.bin"), split("test.bin")


def load_data(label_mode="fine"):
    """Loads CIFAR-100: 50,000 32x32 colour training images and 10,000 test images.

    Files come from ``LAYERFIT_DATA_DIR/cifar100/cifar-100-binary.tar.gz``, else the cache, else
    a verified download.

    Args:
        label_mode: 'fine' (100 classes) or 'coarse' (the 20 superclasses). Defaults to 'fine'.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays shaped ``(50000, 32, 32, 3)``,
        ``(50000, 1)``, ``(10000, 32, 32, 3)`` and ``(10000, 1)``; channels first when
        ``image_data_format()`` is ``"channels_first"``.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data("coarse")
    """
    if label_mode not in ("fine", "coarse"):
        raise LayerfitValueError(
            explain(
                f"cifar100.load_data got label_mode={label_mode!r}.",
                "'fine' (100 classes) or 'coarse' (20 superclasses).",
                "cifar100.load_data(label_mode='fine')",
            )
        )

    def build():
        files = _sources.fetch(_SOURCE)
        return _read(files[_SOURCE.files[0].name].path)

    train, test = _sources.memoized(_SOURCE.subdir, build)
    column = 2 if label_mode == "fine" else 1
    (x_train, y_train), (x_test, y_test) = (train[0], train[column]), (test[0], test[column])
    if config.image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return _sources.copies(((x_train, y_train), (x_test, y_test)))


__all__ = ["load_data"]
