"""save_weights / load_weights: safetensors keyed by layer, clear errors on mismatch."""

import json
import struct

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError, LayerfitWarning
from layerfit.saving import _safetensors


def mlp(hidden=8, outputs=3, optimizer="adam"):
    model = keras.Sequential(
        [layers.Input(shape=(4,)), layers.Dense(hidden, activation="relu"), layers.Dense(outputs)]
    )
    model.compile(optimizer=optimizer, loss="mse")
    return model


def test_weights_file_is_plain_safetensors_in_keras_layout(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "m.weights.safetensors")
    data = (tmp_path / "m.weights.safetensors").read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    assert header["__metadata__"]["format"] == "layerfit"
    assert [k for k in header if k != "__metadata__"] == [
        "dense/kernel",
        "dense/bias",
        "dense_1/kernel",
        "dense_1/bias",
    ]
    assert header["dense/kernel"]["shape"] == [4, 8]  # Keras's (in, out), not torch's (out, in)
    tensors, _ = _safetensors.loads(data)
    assert np.array_equal(tensors["dense/kernel"].numpy(), model.get_weights()[0])


def test_round_trip_into_a_new_model_with_other_automatic_names(tmp_path):
    x = np.random.rand(5, 4).astype("float32")
    model = mlp()
    model.save_weights(tmp_path / "m.weights.h5")  # Keras's name; safetensors inside
    other = mlp()  # its layers are dense_2 and dense_3: matched by position
    assert other.layers[0].name == "dense_2"
    other.load_weights(tmp_path / "m.weights.h5")
    assert np.array_equal(model.predict(x, verbose=0), other.predict(x, verbose=0))


def test_shape_mismatch_names_the_layer_and_the_shapes(tmp_path):
    mlp(hidden=8).save_weights(tmp_path / "m.weights.h5")
    model = mlp(hidden=9)
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(LayerfitValueError) as info:
        model.load_weights(tmp_path / "m.weights.h5")
    message = str(info.value)
    assert "Weight shape mismatch in layer 'dense_2'" in message
    assert "'kernel' has shape (4, 9) in the model but (4, 8)" in message
    assert "Fix: build the model with the same layer sizes" in message
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))  # untouched


def test_layer_count_mismatch_names_the_layers(tmp_path):
    mlp().save_weights(tmp_path / "m.weights.h5")
    deeper = keras.Sequential(
        [layers.Input(shape=(4,)), layers.Dense(8), layers.Dense(8), layers.Dense(3)]
    )
    with pytest.raises(LayerfitValueError) as info:
        deeper.load_weights(tmp_path / "m.weights.h5")
    message = str(info.value)
    assert "The model has 6 weights in 3 layers" in message
    assert "has 4 in 2 layers (dense, dense_1)" in message
    assert "first difference is layer 2: 'dense_3' has weights [(8, 8), (8,)]" in message


def test_load_weights_from_a_whole_model_file_restores_the_optimizer(tmp_path):
    x, y = np.random.rand(16, 4).astype("float32"), np.random.rand(16, 3).astype("float32")
    model = mlp()
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "m.keras")
    same = mlp()
    same.load_weights(tmp_path / "m.keras")
    assert same.optimizer.iterations == model.optimizer.iterations == 2
    other_optimizer = mlp(optimizer="sgd")
    other_optimizer.load_weights(tmp_path / "m.keras")  # weights only: optimizer class differs
    assert other_optimizer.optimizer.iterations == 0
    assert all(
        np.array_equal(a, b) for a, b in zip(model.get_weights(), other_optimizer.get_weights())
    )


def test_optimizer_state_of_another_architecture_warns(tmp_path):
    x, y = np.random.rand(16, 4).astype("float32"), np.random.rand(16, 3).astype("float32")
    model = mlp()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    frozen = mlp()
    frozen.layers[0].trainable = False  # same weights, fewer trainable ones
    with pytest.warns(LayerfitWarning, match="(?s)optimizer state .* was not restored"):
        frozen.load_weights(tmp_path / "m.keras")
    assert np.array_equal(frozen.get_weights()[0], model.get_weights()[0])


def test_weights_extension_is_checked(tmp_path):
    with pytest.raises(LayerfitValueError) as info:
        mlp().save_weights(tmp_path / "checkpoint.h5")
    assert ".weights.safetensors" in str(info.value)
    assert "model.save_weights(" in str(info.value) and "checkpoint.weights.h5" in str(info.value)


def test_weights_file_from_a_newer_layerfit(tmp_path):
    path = tmp_path / "w.weights.safetensors"
    model = mlp()
    tensors = {f"w{i}": w for i, w in enumerate(model.get_weights())}
    path.write_bytes(
        _safetensors.dumps(
            tensors, {"format": "layerfit", "format_version": "9", "layerfit_version": "4.0"}
        )
    )
    with pytest.raises(LayerfitValueError, match="format version 9, written by layerfit 4.0"):
        model.load_weights(path)


def test_foreign_safetensors_without_metadata_load_by_position(tmp_path):
    model = mlp()
    arrays = [np.full(w.shape, i, "float32") for i, w in enumerate(model.get_weights())]
    path = tmp_path / "w.weights.safetensors"
    path.write_bytes(_safetensors.dumps({f"p{i}": a for i, a in enumerate(arrays)}))
    model.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(arrays, model.get_weights()))


def test_skip_mismatch_loads_what_fits_and_names_the_rest(tmp_path):
    source = mlp(hidden=8, outputs=3)
    source.save_weights(tmp_path / "m.weights.h5")
    target = mlp(hidden=8, outputs=5)  # same first layer, other head
    head_before = target.get_weights()[2].copy()
    with pytest.warns(LayerfitWarning, match="left 2 weights as they were"):
        target.load_weights(tmp_path / "m.weights.h5", skip_mismatch=True)
    assert np.array_equal(target.get_weights()[0], source.get_weights()[0])
    assert np.array_equal(target.get_weights()[2], head_before)
