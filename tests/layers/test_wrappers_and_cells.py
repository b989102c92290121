"""Lambda, TimeDistributed, RNN(cell) with Keras's cells, StackedRNNCells and stateful layers
against real Keras (same weights, same inputs: outputs and gradients), configs and saving."""

import numpy as np
import pytest
import torch
from _keras_oracle import assert_matches_keras, keras, keras_weights

import layerfit
from layerfit import layers
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 6, 4)).astype(np.float32)
MASK = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1], [1, 1, 0, 1, 1, 0]], bool)


@pytest.mark.parametrize(
    "cell, kwargs, rnn",
    [
        ("SimpleRNNCell", {}, {}),
        ("LSTMCell", {}, {"return_state": True}),
        ("GRUCell", {}, {"return_sequences": True, "go_backwards": True}),
        ("GRUCell", {"reset_after": False}, {"return_state": True}),
        ("LSTMCell", {"activation": "relu", "use_bias": False}, {"return_sequences": True}),
    ],
)
def test_rnn_with_cell_matches_keras(cell, kwargs, rnn):
    # 6 float32 steps: 1e-5 absolute.
    ours = layers.RNN(getattr(layers, cell)(5, **kwargs), **rnn)
    theirs = keras.layers.RNN(getattr(keras.layers, cell)(5, **kwargs), **rnn)
    assert_matches_keras(ours, theirs, [X], atol=1e-5)


def test_rnn_skips_masked_steps_as_keras():
    for rnn in [
        {},
        {"return_sequences": True},
        {"return_sequences": True, "zero_output_for_mask": True},
    ]:
        ours = layers.RNN(layers.LSTMCell(5), **rnn)
        theirs = keras.layers.RNN(keras.layers.LSTMCell(5), **rnn)
        assert_matches_keras(ours, theirs, [X], {"mask": MASK}, atol=1e-5)


def test_stacked_cells_match_keras_and_equal_the_lstm_layer():
    cells = [layers.LSTMCell(5), layers.GRUCell(3)]
    ours = layers.RNN(layers.StackedRNNCells(cells), return_sequences=True)
    theirs = keras.layers.RNN(
        keras.layers.StackedRNNCells([keras.layers.LSTMCell(5), keras.layers.GRUCell(3)]),
        return_sequences=True,
    )
    assert_matches_keras(ours, theirs, [X], atol=1e-5)
    # A list of cells is stacked too, and RNN(LSTMCell) equals the fused LSTM layer.
    cell_rnn, lstm = layers.RNN([layers.LSTMCell(5)]), layers.LSTM(5)
    x = torch.from_numpy(X)
    cell_rnn(x), lstm(x)
    lstm.set_weights(cell_rnn.get_weights())
    torch.testing.assert_close(cell_rnn(x), lstm(x), atol=1e-6, rtol=0)


def test_a_custom_cell_runs_in_rnn():
    class MinimalRNNCell(layers.Layer):  # keras.io's example cell, unchanged
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(
                shape=(input_shape[-1], self.units), initializer="uniform", name="kernel"
            )
            self.recurrent_kernel = self.add_weight(
                shape=(self.units, self.units), initializer="uniform", name="recurrent_kernel"
            )

        def call(self, inputs, states):
            prev_output = states[0]
            h = layerfit.ops.matmul(inputs, self.kernel)
            output = h + layerfit.ops.matmul(prev_output, self.recurrent_kernel)
            return output, [output]

    layer = layers.RNN(MinimalRNNCell(3))
    out = layer(torch.from_numpy(X))
    k, u = (w.detach() for w in layer.weights)
    h = torch.zeros(3, 3)
    for step in range(6):
        h = torch.from_numpy(X[:, step]) @ k + h @ u
    torch.testing.assert_close(out, h, atol=1e-6, rtol=0)


def test_cell_dropout_keeps_one_mask_per_sequence():
    cell = layers.SimpleRNNCell(4, dropout=0.5, use_bias=False)
    layer = layers.RNN(cell, return_sequences=True)
    x = torch.ones(2, 5, 3)
    layer(x, training=True)
    first = cell._masks[0]
    assert torch.all((first == 0) | (first == 2))  # kept inputs scaled by 1 / (1 - rate)
    layer(x, training=True)
    assert not torch.equal(first, cell._masks[0])  # a new sequence draws a new mask


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
def test_stateful_layers_carry_states_and_reset_as_keras(kind):
    ours = getattr(layers, kind)(4, stateful=True)
    theirs = getattr(keras.layers, kind)(4, stateful=True)
    first, second = X[:, :3], X[:, 3:]
    theirs(first)
    ours(torch.from_numpy(first))
    ours.set_weights(keras_weights(theirs))
    theirs.reset_states()
    ours.reset_states()
    for chunk in (first, second):  # the second chunk starts from the first one's states
        expected = np.asarray(theirs(chunk))
        np.testing.assert_allclose(ours(torch.from_numpy(chunk)).detach(), expected, atol=1e-5)
    theirs.reset_states()
    ours.reset_states()
    expected = np.asarray(theirs(second))
    np.testing.assert_allclose(ours(torch.from_numpy(second)).detach(), expected, atol=1e-5)


def test_stateful_rnn_cell_layer_carries_states():
    layer = layers.RNN(layers.GRUCell(4), stateful=True)
    x = torch.from_numpy(X)
    whole = layers.RNN(layers.GRUCell(4))
    whole(x)
    layer(x[:, :3])
    layer.set_weights(whole.get_weights())
    layer.reset_states()
    layer(x[:, :3])
    torch.testing.assert_close(layer(x[:, 3:]), whole(x), atol=1e-6, rtol=0)
    with pytest.raises(LayerfitValueError, match="batch of 2"):
        layer(x[:2])


def test_time_distributed_matches_keras_and_saves(tmp_path):
    ours = layers.TimeDistributed(layers.Dense(3, activation="tanh"))
    theirs = keras.layers.TimeDistributed(keras.layers.Dense(3, activation="tanh"))
    assert_matches_keras(ours, theirs, [X], atol=1e-5)
    images = RNG.normal(size=(2, 3, 8, 8, 1)).astype(np.float32)
    conv, keras_conv = (
        layers.TimeDistributed(layers.Conv2D(2, 3)),
        keras.layers.TimeDistributed(keras.layers.Conv2D(2, 3)),
    )
    assert_matches_keras(conv, keras_conv, [images], atol=1e-5)
    model = layerfit.Sequential([layerfit.Input((6, 4)), ours, layers.LSTM(2)])
    assert model.output_shape == (None, 2)
    model.save(tmp_path / "m.keras")
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), atol=1e-6)
    with pytest.raises(LayerfitValueError, match="not a layer"):
        layers.TimeDistributed("dense")


def square_plus(x, shift=0.0):
    return x**2 + shift


def test_lambda_computes_and_infers_shapes():
    layer = layers.Lambda(square_plus, arguments={"shift": 1.0})
    np.testing.assert_allclose(layer(torch.from_numpy(X)).numpy(), X**2 + 1, atol=1e-6)
    inputs = layerfit.Input((6, 4))
    out = layers.Lambda(lambda t: t[:, :, :2])(inputs)
    assert out.shape == (None, 6, 2)
    assert layers.Lambda(lambda t: t, output_shape=(7,)).compute_output_shape((None, 7)) == (
        None,
        7,
    )


def test_lambda_is_saved_without_code_and_loads_only_when_allowed(tmp_path):
    model = layerfit.Sequential(
        [layerfit.Input((4,)), layers.Lambda(lambda t: t * 3, name="triple"), layers.Dense(1)]
    )
    path = tmp_path / "m.keras"
    model.save(path)
    config = model.get_layer("triple").get_config()
    assert config["function"]["class_name"] == "__lambda__"
    assert config["function"]["config"]["code"] is None
    with pytest.raises(LayerfitValueError, match="safe_mode=False") as info:
        layerfit.models.load_model(path)
    assert "custom_objects" in str(info.value)
    with pytest.raises(LayerfitValueError, match="custom_objects with the function"):
        layerfit.models.load_model(path, safe_mode=False)
    loaded = layerfit.models.load_model(
        path, safe_mode=False, custom_objects={"triple": lambda t: t * 3}
    )
    x = RNG.normal(size=(2, 4)).astype(np.float32)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_lambda_with_a_named_function_loads_through_custom_objects(tmp_path):
    model = layerfit.Sequential([layerfit.Input((4,)), layers.Lambda(square_plus)])
    model.save(tmp_path / "m.keras")
    loaded = layerfit.models.load_model(
        tmp_path / "m.keras", custom_objects={"square_plus": square_plus}
    )
    x = RNG.normal(size=(2, 4)).astype(np.float32)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), x**2, atol=1e-6)


@pytest.mark.parametrize(
    "name, kwargs, shape",
    [
        ("ConvLSTM2D", {"filters": 3, "kernel_size": 3}, (2, 4, 6, 5, 2)),
        (
            "ConvLSTM2D",
            {"filters": 2, "kernel_size": (3, 2), "padding": "same", "return_sequences": True},
            (2, 3, 5, 4, 2),
        ),
        (
            "ConvLSTM1D",
            {"filters": 2, "kernel_size": 3, "strides": 2, "return_state": True},
            (2, 3, 9, 2),
        ),
        ("ConvLSTM3D", {"filters": 2, "kernel_size": 2, "go_backwards": True}, (1, 3, 3, 4, 3, 1)),
    ],
)
def test_conv_lstm_matches_keras(name, kwargs, shape):
    # A few convolutions per step in float32: 1e-4 absolute.
    x = RNG.normal(size=shape).astype(np.float32)
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    got = assert_matches_keras(ours, theirs, [x], atol=1e-4)
    expected = ours.compute_output_shape((None, *shape[1:]))
    first = expected[0] if kwargs.get("return_state") else expected
    assert first == (None, *got.shape[1:])
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()
