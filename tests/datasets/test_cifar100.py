"""CIFAR-100 from a generated binary-version archive (the real one is 169 MB and offline here)."""

from __future__ import annotations

import hashlib
import io
import tarfile

import numpy as np
import pytest

from layerfit import config
from layerfit.datasets import cifar100
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.errors import LayerfitValueError

TRAIN, TEST = 5, 3  # records here; the real files hold 50,000 and 10,000


def make_archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"cifar-100-binary/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def fake_cifar100(tmp_path, monkeypatch):
    """train.bin and test.bin in LAYERFIT_DATA_DIR/cifar100/, with _SOURCE pointing at its hash."""
    rng = np.random.default_rng(2)
    made = {}
    for name, count in (("train.bin", TRAIN), ("test.bin", TEST)):
        coarse = rng.integers(0, 20, count, dtype=np.uint8)
        fine = rng.integers(0, 100, count, dtype=np.uint8)
        planes = rng.integers(0, 256, (count, 3, 32, 32), dtype=np.uint8)
        data = b"".join(bytes([coarse[i], fine[i]]) + planes[i].tobytes() for i in range(count))
        made[name] = (coarse, fine, planes, data)
    archive = make_archive({name: parts[3] for name, parts in made.items()})
    folder = tmp_path / "data" / "cifar100"
    folder.mkdir(parents=True)
    (folder / "cifar-100-binary.tar.gz").write_bytes(archive)
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    spec = FileSpec("cifar-100-binary.tar.gz", hashlib.sha256(archive).hexdigest(), len(archive))
    monkeypatch.setattr(cifar100, "_SOURCE", DatasetSource("CIFAR-100", "cifar100", (spec,), ()))
    return made


@pytest.mark.parametrize("label_mode, column", [("fine", 1), ("coarse", 0)])
def test_format_and_label_modes_match_keras(fake_cifar100, label_mode, column):
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode=label_mode)
    assert x_train.shape == (TRAIN, 32, 32, 3) and y_train.shape == (TRAIN, 1)
    assert x_test.shape == (TEST, 32, 32, 3) and y_test.shape == (TEST, 1)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8 and array.flags.writeable and array.flags.c_contiguous
    planes = fake_cifar100["train.bin"][2]
    np.testing.assert_array_equal(x_train[3, :, :, 1], planes[3, 1])  # green plane -> channel 1
    assert y_train[:, 0].tolist() == fake_cifar100["train.bin"][column].tolist()
    assert y_test[:, 0].tolist() == fake_cifar100["test.bin"][column].tolist()


def test_default_label_mode_is_fine_and_channels_first_follows_the_format(fake_cifar100):
    previous = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        (x_train, y_train), _ = cifar100.load_data()
    finally:
        config.set_image_data_format(previous)
    assert x_train.shape == (TRAIN, 3, 32, 32)
    np.testing.assert_array_equal(x_train[0], fake_cifar100["train.bin"][2][0])
    assert y_train[:, 0].tolist() == fake_cifar100["train.bin"][1].tolist()


def test_bad_label_mode_and_incomplete_archive_are_explained(tmp_path):
    with pytest.raises(LayerfitValueError, match="'fine' .100 classes. or 'coarse'"):
        cifar100.load_data(label_mode="superclass")
    path = tmp_path / "partial.tar.gz"
    path.write_bytes(make_archive({"train.bin": b"\x00" * 3074}))
    with pytest.raises(LayerfitValueError, match="lacks test.bin") as caught:
        cifar100._read(path)
    assert "fresh copy of cifar-100-binary.tar.gz" in str(caught.value)
