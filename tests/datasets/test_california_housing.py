"""California Housing from a generated npz with Keras's keys (the real file is offline here)."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest

from layerfit.datasets import california_housing
from layerfit.errors import LayerfitValueError

ROWS = 1000


@pytest.fixture
def fake_housing(tmp_path, monkeypatch):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(ROWS, 8)).astype("float32")
    y = rng.uniform(15000, 500001, size=ROWS).astype("float32")
    buffer = io.BytesIO()
    np.savez(buffer, x=x, y=y)
    folder = tmp_path / "data" / "california_housing"
    folder.mkdir(parents=True)
    (folder / "california_housing.npz").write_bytes(buffer.getvalue())
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        california_housing, "_SHA256", hashlib.sha256(buffer.getvalue()).hexdigest()
    )
    return x, y


def keras_split(x, y, test_split, seed):
    """Keras's documented procedure, step by step."""
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    n_train = int(len(x) * (1 - test_split))
    return (x[indices][:n_train], y[indices][:n_train]), (
        x[indices][n_train:],
        y[indices][n_train:],
    )


@pytest.mark.parametrize(("version", "rows"), [("large", ROWS), ("small", 600)])
def test_split_matches_keras(fake_housing, version, rows):
    x, y = fake_housing
    (x_train, y_train), (x_test, y_test) = california_housing.load_data(version=version)
    (ex_train, ey_train), (ex_test, ey_test) = keras_split(x[:rows], y[:rows], 0.2, 113)
    assert x_train.shape == (int(rows * 0.8), 8) and y_test.shape == (rows - int(rows * 0.8),)
    for got, want in [
        (x_train, ex_train),
        (y_train, ey_train),
        (x_test, ex_test),
        (y_test, ey_test),
    ]:
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)


def test_seed_and_test_split_change_the_split(fake_housing):
    (a, _), _ = california_housing.load_data(seed=1, test_split=0.5)
    (b, _), _ = california_housing.load_data(seed=2, test_split=0.5)
    assert a.shape == (ROWS // 2, 8) and not np.array_equal(a, b)


def test_bad_arguments_are_explained(fake_housing):
    with pytest.raises(LayerfitValueError, match=r"Invalid test_split=1\.0") as caught:
        california_housing.load_data(test_split=1.0)
    assert "0 <= test_split < 1" in str(caught.value)
    with pytest.raises(LayerfitValueError, match="Did you mean 'small'"):
        california_housing.load_data(version="smal")
    with pytest.raises(LayerfitValueError, match="path must be a file name") as caught:
        california_housing.load_data(path="/tmp/x.npz")
    assert "LAYERFIT_CACHE_DIR" in str(caught.value)
