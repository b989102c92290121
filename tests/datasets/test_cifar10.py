"""CIFAR-10 from a generated binary-version archive (the real one is 170 MB and offline here)."""

from __future__ import annotations

import hashlib
import io
import tarfile

import numpy as np
import pytest

from layerfit import config
from layerfit.datasets import cifar10
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.errors import LayerfitValueError

PER_BATCH = 3  # records per batch file here; the real files hold 10,000


def make_archive(batches: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in batches.items():
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def fake_cifar(tmp_path, monkeypatch):
    """A six-batch archive in LAYERFIT_DATA_DIR/cifar10/, with _SOURCE pointing at its hash."""
    rng = np.random.default_rng(1)
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    labels = {n: rng.integers(0, 10, PER_BATCH, dtype=np.uint8) for n in names}
    planes = {n: rng.integers(0, 256, (PER_BATCH, 3, 32, 32), dtype=np.uint8) for n in names}
    batches = {
        n: b"".join(bytes([labels[n][i]]) + planes[n][i].tobytes() for i in range(PER_BATCH))
        for n in names
    }
    archive = make_archive(batches)
    folder = tmp_path / "data" / "cifar10"
    folder.mkdir(parents=True)
    (folder / "cifar-10-binary.tar.gz").write_bytes(archive)
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    spec = FileSpec("cifar-10-binary.tar.gz", hashlib.sha256(archive).hexdigest(), len(archive))
    monkeypatch.setattr(cifar10, "_SOURCE", DatasetSource("CIFAR-10", "cifar10", (spec,), ()))
    return names, labels, planes


def test_format_matches_keras(fake_cifar):
    names, labels, planes = fake_cifar
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (5 * PER_BATCH, 32, 32, 3) and y_train.shape == (5 * PER_BATCH, 1)
    assert x_test.shape == (PER_BATCH, 32, 32, 3) and y_test.shape == (PER_BATCH, 1)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8 and array.flags.writeable and array.flags.c_contiguous
    # record 4 is batch 2's second image: its red plane becomes channel 0 of every pixel
    np.testing.assert_array_equal(x_train[4, :, :, 0], planes["data_batch_2.bin"][1, 0])
    np.testing.assert_array_equal(x_train[4, 5, 7], planes["data_batch_2.bin"][1, :, 5, 7])
    assert y_train[:, 0].tolist() == np.concatenate([labels[n] for n in names[:5]]).tolist()
    assert y_test[:, 0].tolist() == labels["test_batch.bin"].tolist()
    assert cifar10.class_names[0] == "airplane" and len(cifar10.class_names) == 10


def test_channels_first_follows_the_image_data_format(fake_cifar):
    _, _, planes = fake_cifar
    previous = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        (x_train, _), _ = cifar10.load_data()
    finally:
        config.set_image_data_format(previous)
    assert x_train.shape == (5 * PER_BATCH, 3, 32, 32)
    np.testing.assert_array_equal(x_train[0], planes["data_batch_1.bin"][0])


def test_archive_without_a_batch_is_refused(tmp_path):
    path = tmp_path / "partial.tar.gz"
    path.write_bytes(make_archive({"data_batch_1.bin": b"\x00" * 3073}))
    with pytest.raises(LayerfitValueError, match="lacks data_batch_2.bin") as caught:
        cifar10._read_batches(path)
    assert "fresh copy of cifar-10-binary.tar.gz" in str(caught.value)
