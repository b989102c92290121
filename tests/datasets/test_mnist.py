"""The real MNIST and Fashion-MNIST, read through LAYERFIT_DATA_DIR (skipped when absent)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import layerfit as keras
from layerfit.datasets import _sources, fashion_mnist, mnist
from layerfit.errors import LayerfitRuntimeError

MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def check_format(loaded, n_train=60000, n_test=10000):
    (x_train, y_train), (x_test, y_test) = loaded
    assert x_train.shape == (n_train, 28, 28) and y_train.shape == (n_train,)
    assert x_test.shape == (n_test, 28, 28) and y_test.shape == (n_test,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8 and array.flags.writeable and array.flags.c_contiguous
    assert x_train.max() == 255 and x_train.min() == 0
    assert set(np.unique(y_train)) == set(range(10))


def test_mnist_through_the_data_dir(shared_data_dir):
    loaded = keras.datasets.mnist.load_data()
    check_format(loaded)
    (_, y_train), (_, y_test) = loaded
    assert np.bincount(y_train, minlength=10).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).sum() == 10000
    assert mnist.class_names == [str(d) for d in range(10)]


def test_fashion_mnist_through_the_data_dir(shared_data_dir):
    loaded = keras.datasets.fashion_mnist.load_data()
    check_format(loaded)
    (x_train, y_train), (_, y_test) = loaded
    assert np.bincount(y_train, minlength=10).tolist() == [6000] * 10
    assert np.bincount(y_test, minlength=10).tolist() == [1000] * 10
    assert y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]  # published order
    assert fashion_mnist.class_names[y_train[0]] == "Ankle boot"
    assert abs(x_train.mean(dtype=np.float64) - 72.940) < 1e-3  # SOURCE.md's mean pixel


def test_mnist_downloads_from_a_mirror_and_then_uses_the_cache(
    shared_data_dir, http_server, monkeypatch
):
    monkeypatch.delenv("LAYERFIT_DATA_DIR")  # the same files, now only on a local mirror
    http_server.root = shared_data_dir
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    check_format(mnist.load_data())
    assert len(http_server.requests) == 4
    cache = _sources.cache_folder(mnist._SOURCE)
    assert sorted(p.name for p in cache.iterdir()) == sorted(s.name for s in mnist._SOURCE.files)
    _sources.clear_memo()
    (_, y_train), _ = mnist.load_data()
    assert len(http_server.requests) == 4
    assert np.bincount(y_train).tolist() == MNIST_TRAIN_COUNTS


def test_mnist_offline_with_no_copy_explains_both_fixes():
    with pytest.raises(LayerfitRuntimeError) as caught:
        mnist.load_data()
    message = str(caught.value)
    assert "Could not load MNIST: 4 file(s) missing" in message
    for spec in mnist._SOURCE.files:
        assert spec.name in message
    assert "connection refused" in message
    assert "set LAYERFIT_DATA_DIR to a folder holding mnist/train-images-idx3-ubyte.gz" in message
    assert repr(str(_sources.cache_folder(mnist._SOURCE))) in message


def test_mnist_keeps_keras_path_argument(shared_data_dir):
    (x_train, _), _ = mnist.load_data(path="mnist.npz")
    assert x_train.shape == (60000, 28, 28)


def test_loading_from_the_data_dir_never_imports_torch(shared_data_dir):
    code = (
        "import sys\n"
        "from layerfit.datasets import mnist\n"
        "mnist.load_data()\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
