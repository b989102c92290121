"""Keras's file formats written by layerfit and read back (no Keras needed; the oracle suite
checks the same files against real Keras in tests/oracle/test_keras_files_oracle.py)."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError, LayerfitWarning

h5py = pytest.importorskip("h5py")


def convnet():
    return keras.Sequential(
        [
            layers.Input((6, 6, 2)),
            layers.Conv2D(3, 3),
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )


def test_weights_h5_is_real_hdf5_in_keras_layout_and_round_trips(tmp_path):
    model = convnet()
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5") as file:
        assert file["layers/conv2d/vars/0"].shape == (3, 3, 2, 3)  # Keras's kernel layout
        assert len(file["layers/batch_normalization/vars"]) == 4
    other = convnet()
    other.load_weights(tmp_path / "m.weights.h5")
    x = np.random.default_rng(0).random((2, 6, 6, 2)).astype("float32")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_save_format_keras_writes_keras_members_and_reads_back(tmp_path):
    model = convnet()
    model.save(tmp_path / "m.keras", format="keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
    again = keras.models.load_model(tmp_path / "m.keras")
    x = np.random.default_rng(1).random((2, 6, 6, 2)).astype("float32")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(LayerfitValueError) as info:
        convnet().save(tmp_path / "m.keras", format="tf")
    assert "save_model got format='tf'" in str(info.value)
    assert 'model.save("model.keras", format="keras")' in str(info.value)


def test_unknown_save_arguments_warn(tmp_path):
    with pytest.warns(LayerfitWarning, match=r"model.save ignores \['options'\]"):
        convnet().save(tmp_path / "m.keras", options=None)
