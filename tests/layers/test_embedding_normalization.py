"""Embedding and Normalization against numpy, and in a trained model."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitDeprecationWarning, LayerfitValueError
from layerfit.layers import Dense, Embedding, GlobalAveragePooling1D, Input, Normalization


def test_embedding_looks_up_rows_of_its_table():
    layer = Embedding(10, 3)
    ids = np.array([[1, 4, 4], [9, 0, 2]])
    out = layer(torch.from_numpy(ids)).detach().numpy()
    table = layer.get_weights()[0]
    assert table.shape == (10, 3) and np.abs(table).max() <= 0.05  # Keras's uniform(-0.05, 0.05)
    np.testing.assert_array_equal(out, table[ids])
    assert layer.compute_output_shape((None, 3)) == (None, 3, 3)


def test_embedding_text_model_trains_on_integer_ids():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=200).astype("float32")
    x = rng.integers(1, 25, size=(200, 12)) + 25 * y[:, None].astype(int)  # two vocabularies
    model = keras.Sequential(
        [
            Input(shape=(12,)),
            Embedding(50, 8),
            GlobalAveragePooling1D(),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(x, y, epochs=15, verbose=0)
    assert history.history["accuracy"][-1] > 0.95
    assert model.count_params() == 50 * 8 + 9


def test_embedding_input_length_is_an_old_spelling():
    with pytest.warns(LayerfitDeprecationWarning, match="input_length"):
        Embedding(10, 2, input_length=5)
    with pytest.raises(LayerfitValueError, match="positive integer"):
        Embedding(0, 2)


def test_normalization_adapt_matches_numpy():
    rng = np.random.default_rng(1)
    data = rng.normal(loc=[5.0, -3.0, 100.0], scale=[2.0, 0.5, 30.0], size=(500, 3))
    layer = Normalization()
    layer.adapt(data)
    out = layer(torch.from_numpy(data.astype("float32"))).numpy()
    expected = (data - data.mean(0)) / data.std(0)
    np.testing.assert_allclose(out, expected, atol=1e-4)
    mean, variance, count = layer.get_weights()  # Keras keeps an unused count too
    assert count == 0
    np.testing.assert_allclose(mean, data.mean(0), rtol=1e-6)
    np.testing.assert_allclose(variance, data.var(0), rtol=1e-6)


def test_normalization_fixed_statistics_and_invert():
    layer = Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    x = torch.tensor([[3.0, 8.0]])
    np.testing.assert_allclose(layer(x).numpy(), [[1.0, 2.0]], atol=1e-6)
    undo = Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True)
    np.testing.assert_allclose(undo(torch.tensor([[1.0, 2.0]])).numpy(), [[3.0, 8.0]], atol=1e-6)


def test_normalization_before_adapt_passes_inputs_through_as_keras():
    x = torch.randn(2, 3)
    torch.testing.assert_close(Normalization()(x), x)


def test_adapted_normalization_survives_save_and_load(tmp_path):
    data = np.arange(12, dtype="float32").reshape(4, 3) * 10
    normalizer = Normalization()
    normalizer.adapt(data)
    model = keras.Sequential([Input(shape=(3,)), normalizer, Dense(1)])
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))


def test_tensorflow_regression_tutorial_pattern():
    rng = np.random.default_rng(2)
    x = rng.normal(loc=1000.0, scale=200.0, size=(300, 4))
    y = x @ np.array([0.01, -0.02, 0.005, 0.0]) + 3
    normalizer = Normalization(axis=-1)
    normalizer.adapt(np.array(x))
    model = keras.Sequential([normalizer, Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
    history = model.fit(x, y, epochs=30, verbose=0, validation_split=0.2)
    assert history.history["val_loss"][-1] < 0.5 * history.history["val_loss"][0]
