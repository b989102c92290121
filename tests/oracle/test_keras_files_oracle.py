"""Keras 3 files both ways: files written by real Keras load in layerfit, and files layerfit
writes (``save(format="keras")``, ``save_weights("x.weights.h5")``) load in real Keras, with
the same predictions."""

from __future__ import annotations

import sys
import zipfile

import h5py
import keras as real_keras
import numpy as np
import pytest

import layerfit
from layerfit.errors import LayerfitValueError, LayerfitWarning

# float32 on both sides, same weights: only summation order differs (outputs reach ~3000).
ATOL = 1e-5
RTOL = 1e-5


def keras_functional():
    k = real_keras
    inputs = k.Input((8, 8, 3))
    x = k.layers.Conv2D(4, 3, padding="same", name="conv")(inputs)
    x = k.layers.BatchNormalization()(x)
    x = k.layers.ReLU()(x)
    x = k.layers.DepthwiseConv2D(3)(x)
    x = k.layers.GlobalAveragePooling2D()(x)
    head = k.Sequential([k.Input((4,)), k.layers.Dense(5), k.layers.Dense(2)], name="head")
    return k.Model(inputs, head(x))


def keras_sequential():
    k = real_keras
    return k.Sequential(
        [
            k.Input((6, 6, 2)),
            k.layers.Conv2D(3, 3, activation="relu"),
            k.layers.MaxPooling2D(),
            k.layers.Flatten(),
            k.layers.Dense(4, activation="softmax"),
        ]
    )


def randomize(model):
    """Non-default weights everywhere (BatchNormalization statistics included)."""
    rng = np.random.default_rng(0)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in model.weights])


@pytest.mark.parametrize("build", [keras_functional, keras_sequential])
def test_keras_model_file_loads_with_the_same_predictions(tmp_path, build):
    original = build()
    randomize(original)
    path = tmp_path / "k.keras"
    original.save(path)
    x = np.random.default_rng(1).random((3, *original.input_shape[1:])).astype("float32")
    model = layerfit.models.load_model(path)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL, rtol=RTOL
    )
    assert model.count_params() == original.count_params()


@pytest.mark.parametrize("build", [keras_functional, keras_sequential])
def test_round_trip_keras_layerfit_keras(tmp_path, build):
    original = build()
    randomize(original)
    original.save(tmp_path / "k.keras")
    model = layerfit.models.load_model(tmp_path / "k.keras")
    model.save(tmp_path / "back.keras", format="keras")
    model.save_weights(tmp_path / "back.weights.h5")
    x = np.random.default_rng(2).random((3, *original.input_shape[1:])).astype("float32")
    expected = original.predict(x, verbose=0)
    reloaded = real_keras.saving.load_model(tmp_path / "back.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    fresh = build()  # Keras initialises new weights; load_weights must replace every one
    fresh.load_weights(tmp_path / "back.weights.h5")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    with h5py.File(tmp_path / "back.weights.h5") as file:  # a real HDF5 file, not safetensors
        assert "vars" in file


def test_keras_weights_file_loads_into_a_layerfit_model(tmp_path):
    original = keras_sequential()
    randomize(original)
    original.save_weights(tmp_path / "k.weights.h5")
    model = layerfit.Sequential(
        [
            layerfit.Input((6, 6, 2)),
            layerfit.layers.Conv2D(3, 3, activation="relu"),
            layerfit.layers.MaxPooling2D(),
            layerfit.layers.Flatten(),
            layerfit.layers.Dense(4, activation="softmax"),
        ]
    )
    model.load_weights(tmp_path / "k.weights.h5")
    x = np.random.default_rng(3).random((2, 6, 6, 2)).astype("float32")
    np.testing.assert_allclose(
        model.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL, rtol=RTOL
    )


def test_a_weights_file_of_another_model_names_both_sides(tmp_path):
    keras_sequential().save_weights(tmp_path / "k.weights.h5")
    model = layerfit.Sequential([layerfit.Input((6, 6, 2)), layerfit.layers.Flatten()], name="s")
    model.add(layerfit.layers.Dense(4))
    with pytest.raises(LayerfitValueError) as info:
        model.load_weights(tmp_path / "k.weights.h5")
    message = str(info.value)
    # Keras names groups by class, so this Dense meets the file's Dense: the shapes differ.
    assert "in layer 'dense': its weight 'kernel' has shape (72, 4) in the model but (12, 4)" in (
        message
    )
    assert "Fix: build the model with the same layer sizes" in message


def test_an_optimizer_state_of_unknown_layout_is_not_restored_with_a_warning(tmp_path):
    original = keras_sequential()
    # EMA adds variables whose place in the file is not matched: warned, never guessed.
    original.compile(real_keras.optimizers.Adam(use_ema=True), "mse")
    x = np.random.default_rng(4).random((4, 6, 6, 2)).astype("float32")
    original.fit(x, np.ones((4, 4)), verbose=0)
    original.save(tmp_path / "k.keras")
    with pytest.warns(
        LayerfitWarning, match=r"the optimizer state Keras saved was not restored \(use_ema"
    ):
        model = layerfit.models.load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(
        model.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL, rtol=RTOL
    )
    model.fit(x, np.ones((4, 4)), verbose=0)  # compiled from Keras's compile_config


def test_a_keras_lambda_is_refused_in_safe_mode(tmp_path):
    k = real_keras
    original = k.Sequential([k.Input((3,)), k.layers.Lambda(lambda t: t * 2)])
    original.save(tmp_path / "k.keras")
    with pytest.raises(LayerfitValueError, match="safe_mode"):
        layerfit.models.load_model(tmp_path / "k.keras")


def test_extra_members_and_npz_weights_are_refused(tmp_path):
    original = keras_sequential()
    original.save(tmp_path / "k.keras")
    extra = tmp_path / "extra.keras"
    with zipfile.ZipFile(tmp_path / "k.keras") as src, zipfile.ZipFile(extra, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("payload.py", "print('hi')")
    with pytest.raises(
        LayerfitValueError, match=r"members layerfit does not read: \['payload.py'\]"
    ):
        layerfit.models.load_model(extra)
    npz = tmp_path / "npz.keras"
    with zipfile.ZipFile(npz, "w") as dst:
        dst.writestr("metadata.json", '{"keras_version": "3.15.1"}')
        dst.writestr("config.json", "{}")
        dst.writestr("model.weights.npz", b"")
    with pytest.raises(LayerfitValueError, match="layerfit never unpickles"):
        layerfit.models.load_model(npz)


def test_links_to_other_files_are_refused(tmp_path):
    keras_sequential().save_weights(tmp_path / "k.weights.h5")
    with h5py.File(tmp_path / "k.weights.h5", "a") as file:
        del file["layers/dense/vars"]
        file["layers/dense/vars"] = h5py.ExternalLink("/etc/passwd", "/x")
    model = layerfit.Sequential(
        [
            layerfit.Input((6, 6, 2)),
            layerfit.layers.Conv2D(3, 3),
            layerfit.layers.MaxPooling2D(),
            layerfit.layers.Flatten(),
            layerfit.layers.Dense(4),
        ]
    )
    with pytest.raises(LayerfitValueError, match="is a link to another file"):
        model.load_weights(tmp_path / "k.weights.h5")


def test_sizes_are_checked_before_reading(tmp_path):
    original = keras_sequential()
    original.save(tmp_path / "k.keras")
    with pytest.raises(LayerfitValueError, match="over the max_bytes limit"):
        layerfit.models.load_model(tmp_path / "k.keras", max_bytes=64)


def test_missing_h5py_names_the_extra(tmp_path, monkeypatch):
    keras_sequential().save_weights(tmp_path / "k.weights.h5")
    monkeypatch.setitem(sys.modules, "h5py", None)  # as if it were not installed
    model = layerfit.Sequential([layerfit.Input((3,)), layerfit.layers.Dense(2)])
    with pytest.raises(LayerfitValueError) as info:
        model.load_weights(tmp_path / "k.weights.h5")
    assert "needs the h5py package, which is not installed" in str(info.value)
    assert 'pip install "layerfit[h5]"' in str(info.value)
