"""Keras 2's legacy ``.h5`` both ways with real Keras 3.15 (which still writes and reads it):
``model.save("m.h5")`` in Keras loads in layerfit, and layerfit's ``.h5`` loads in Keras, with the
same predictions and compile settings."""

from __future__ import annotations

import keras as real_keras
import numpy as np
import pytest

import layerfit
from layerfit.errors import LayerfitWarning

# float32 on both sides with the same weights: only summation order differs.
ATOL = 1e-5


def keras_functional():
    k = real_keras
    inputs = k.Input((6, 6, 2))
    x = k.layers.Conv2D(3, 3, name="conv")(inputs)
    x = k.layers.BatchNormalization()(x)
    x = k.layers.Flatten()(x)
    inner = k.Sequential([k.Input((48,)), k.layers.Dense(4, activation="relu")], name="inner")
    out = k.layers.Dense(2, activation="softmax")(k.layers.Concatenate()([inner(x), x]))
    return k.Model(inputs, out)


def randomize(model):
    rng = np.random.default_rng(0)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in model.weights])


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_keras_h5_model_loads_in_layerfit_compiled(tmp_path):
    original = keras_functional()
    randomize(original)
    original.compile(
        real_keras.optimizers.Adam(0.002), "categorical_crossentropy", metrics=["accuracy"]
    )
    x = np.random.default_rng(1).random((4, 6, 6, 2)).astype("float32")
    y = np.eye(2, dtype="float32")[[0, 1, 1, 0]]
    original.fit(x, y, verbose=0)  # the file then holds optimizer weights too
    original.save(tmp_path / "k.h5")
    ours = layerfit.models.load_model(tmp_path / "k.h5")  # Keras 3's layout: state restored
    assert ours.optimizer.iterations == 1
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL, rtol=ATOL
    )
    assert ours.count_params() == original.count_params()
    assert float(ours.optimizer.learning_rate) == pytest.approx(0.002)
    theirs = original.evaluate(x, y, verbose=0, return_dict=True)
    mine = ours.evaluate(x, y, verbose=0, return_dict=True)
    assert mine["accuracy"] == theirs["accuracy"]
    assert mine["loss"] == pytest.approx(theirs["loss"], rel=1e-5)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_layerfit_h5_model_loads_in_keras(tmp_path):
    original = keras_functional()
    randomize(original)
    original.save(tmp_path / "k.keras")
    ours = layerfit.models.load_model(tmp_path / "k.keras")
    ours.compile(layerfit.optimizers.SGD(0.03), "mse", metrics=["mae"])
    with pytest.warns(LayerfitWarning, match="legacy HDF5"):
        ours.save(tmp_path / "ours.h5")
    theirs = real_keras.models.load_model(tmp_path / "ours.h5")
    x = np.random.default_rng(2).random((3, 6, 6, 2)).astype("float32")
    np.testing.assert_allclose(
        theirs.predict(x, verbose=0), ours.predict(x, verbose=0), atol=ATOL, rtol=ATOL
    )
    assert type(theirs.optimizer).__name__ == "SGD"
    assert float(theirs.optimizer.learning_rate) == pytest.approx(0.03)
    # Keras's weights-only legacy loader by topology reads our model_weights too.
    again = keras_functional()
    again.load_weights(tmp_path / "ours.h5")
    np.testing.assert_allclose(
        again.predict(x, verbose=0), ours.predict(x, verbose=0), atol=ATOL, rtol=ATOL
    )


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_loss_scale_optimizer_both_ways_in_keras_files(tmp_path):
    ours = layerfit.Sequential([layerfit.layers.Input((4,)), layerfit.layers.Dense(2)])
    scaled = layerfit.mixed_precision.LossScaleOptimizer(
        layerfit.optimizers.Adam(0.01), initial_scale=256.0
    )
    ours.compile(scaled, "mse")
    ours.save(tmp_path / "ours.keras", format="keras")
    theirs = real_keras.models.load_model(tmp_path / "ours.keras")
    assert type(theirs.optimizer).__name__ == "LossScaleOptimizer"
    assert float(theirs.optimizer.initial_scale) == 256.0
    theirs.save(tmp_path / "theirs.keras")
    back = layerfit.models.load_model(tmp_path / "theirs.keras")
    assert type(back.optimizer.inner_optimizer).__name__ == "Adam"
    assert float(back.optimizer.inner_optimizer.learning_rate) == pytest.approx(0.01)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_keras3_h5_optimizer_state_continues_training_identically(tmp_path):
    k = real_keras
    original = k.Sequential(
        [k.Input((5,)), k.layers.Dense(4, activation="relu"), k.layers.Dense(2)]
    )
    original.compile(k.optimizers.Adam(0.01), "mse", jit_compile=False)
    rng = np.random.default_rng(2)
    x, y = rng.random((8, 5)).astype("float32"), rng.random((8, 2)).astype("float32")
    original.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    original.save(tmp_path / "k.h5")
    ours = layerfit.models.load_model(tmp_path / "k.h5")
    assert ours.optimizer.iterations == 4
    original.train_on_batch(x, y)
    ours.train_on_batch(x, y)
    for a, b in zip(ours.get_weights(), original.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), atol=1e-5, rtol=1e-4)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_tf_keras_2_optimizer_state_is_warned_about(tmp_path):
    import h5py

    original = keras_functional()
    original.compile("adam", "mse")
    x = np.random.default_rng(1).random((4, 6, 6, 2)).astype("float32")
    original.fit(x, np.ones((4, 2), "float32"), verbose=0)
    original.save(tmp_path / "k.h5")
    with h5py.File(tmp_path / "k.h5", "a") as file:  # as tf.keras 2.15 marks its files
        file.attrs["keras_version"] = "2.15.0"
    with pytest.warns(LayerfitWarning, match=r"not restored \(the file was written by Keras 2.15"):
        layerfit.models.load_model(tmp_path / "k.h5")
