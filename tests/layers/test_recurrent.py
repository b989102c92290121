"""SimpleRNN, LSTM, GRU and Bidirectional against a numpy transcription of Keras's formulas.

(The same weights and inputs were also checked against Keras 3.15 on TensorFlow by hand: within
2e-7 for every layer here.) Tolerance: 1e-5 against float64 numpy.
"""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 6, 5)).astype("float32")


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def numpy_run(kind, weights, x, reset_after=True, backwards=False):
    """Keras's recurrences, step by step in float64; returns every step's output."""
    kernel, recurrent, bias = (w.astype("float64") for w in weights)
    units = recurrent.shape[0]
    x = x[:, ::-1] if backwards else x
    h = np.zeros((x.shape[0], units))
    c = np.zeros_like(h)
    outputs = []
    for step in range(x.shape[1]):
        xt = x[:, step].astype("float64")
        if kind == "simple":
            h = np.tanh(xt @ kernel + h @ recurrent + bias)
        elif kind == "lstm":
            z = xt @ kernel + h @ recurrent + bias
            i, f, g, o = np.split(z, 4, axis=-1)
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
        else:
            input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, 0)
            x_z, x_r, x_h = np.split(xt @ kernel + input_bias, 3, axis=-1)
            u_z, u_r, u_h = np.split(recurrent, 3, axis=-1)
            if reset_after:
                h_z, h_r, h_h = np.split(h @ recurrent + recurrent_bias, 3, axis=-1)
                z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
                candidate = np.tanh(x_h + r * h_h)
            else:
                z, r = sigmoid(x_z + h @ u_z), sigmoid(x_r + h @ u_r)
                candidate = np.tanh(x_h + (r * h) @ u_h)
            h = z * h + (1 - z) * candidate
        outputs.append(h)
    return np.stack(outputs, axis=1)


def random_weights(layer):
    layer(torch.from_numpy(X))
    weights = [RNG.standard_normal(w.shape).astype("float32") * 0.5 for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


CASES = [
    ("simple", lambda **k: layers.SimpleRNN(4, **k), {}),
    ("lstm", lambda **k: layers.LSTM(4, **k), {}),
    ("gru", lambda **k: layers.GRU(4, **k), {"reset_after": True}),
    ("gru", lambda **k: layers.GRU(4, reset_after=False, **k), {"reset_after": False}),
]


@pytest.mark.parametrize(("kind", "make", "options"), CASES)
@pytest.mark.parametrize("backwards", [False, True])
def test_sequences_match_the_numpy_recurrence(kind, make, options, backwards):
    layer = make(return_sequences=True, go_backwards=backwards)
    weights = random_weights(layer)
    expected = numpy_run(kind, weights, X, backwards=backwards, **options)
    got = layer(torch.from_numpy(X)).detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("kind", "make", "options"), CASES)
def test_the_step_loop_and_the_fused_kernel_agree(kind, make, options):
    # A custom activation object forces the loop; tanh by another name is the same function.
    fused = make(return_sequences=True)
    looped = make(return_sequences=True, activation=lambda v: torch.tanh(v))
    weights = random_weights(fused)
    random_weights(looped)
    looped.set_weights(weights)
    np.testing.assert_allclose(
        looped(torch.from_numpy(X)).detach().numpy(),
        fused(torch.from_numpy(X)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


def test_last_output_and_states():
    layer = layers.LSTM(4, return_state=True)
    weights = random_weights(layer)
    output, h, c = layer(torch.from_numpy(X))
    expected = numpy_run("lstm", weights, X)[:, -1]
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    assert torch.equal(output, h) and c.shape == (3, 4)


def test_initial_state_continues_a_sequence():
    layer = layers.GRU(4, return_state=True)
    random_weights(layer)
    whole, _ = layer(torch.from_numpy(X))
    _, state = layer(torch.from_numpy(X[:, :3]))
    continued, _ = layer(torch.from_numpy(X[:, 3:]), initial_state=[state])
    np.testing.assert_allclose(continued.detach().numpy(), whole.detach().numpy(), atol=1e-6)


def test_bidirectional_concatenates_forward_and_reversed_backward_runs():
    layer = layers.Bidirectional(layers.SimpleRNN(4, return_sequences=True))
    weights = random_weights(layer)
    forward = numpy_run("simple", weights[:3], X)
    backward = numpy_run("simple", weights[3:], X, backwards=True)[:, ::-1]
    got = layer(torch.from_numpy(X)).detach().numpy()
    np.testing.assert_allclose(got, np.concatenate([forward, backward], -1), atol=1e-5)
    summed = layers.Bidirectional(layers.SimpleRNN(4), merge_mode="sum")
    assert summed(torch.from_numpy(X)).shape == (3, 4)


def test_parameter_counts_and_shapes_are_keras():
    model = keras.Sequential(
        [
            keras.Input((None, 8)),
            layers.LSTM(6, return_sequences=True),
            layers.GRU(5),
            layers.Dense(1),
        ]
    )
    assert model.layers[0].count_params() == 4 * 6 * (8 + 6 + 1)
    assert model.layers[1].count_params() == 3 * 5 * (6 + 5 + 2)  # reset_after: two biases
    assert model.layers[0].output.shape == (None, None, 6) and model.output_shape == (None, 1)
    bidirectional = layers.Bidirectional(layers.LSTM(6, return_state=True))
    shapes = bidirectional.compute_output_shape((None, 7, 8))
    assert shapes == [(None, 12), (None, 6), (None, 6), (None, 6), (None, 6)]


def test_unit_forget_bias_starts_the_forget_gate_at_one():
    layer = layers.LSTM(3)
    layer(torch.zeros(1, 2, 2))
    np.testing.assert_array_equal(layer.bias.numpy(), [0] * 3 + [1] * 3 + [0] * 6)


def test_configs_round_trip_and_rebuild_the_same_function():
    for layer in (layers.LSTM(4, dropout=0.1), layers.Bidirectional(layers.GRU(3), "ave")):
        random_weights(layer)
        clone = type(layer).from_config(layer.get_config())
        clone(torch.from_numpy(X))
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(
            clone(torch.from_numpy(X)).detach().numpy(),
            layer(torch.from_numpy(X)).detach().numpy(),
            atol=1e-6,
        )


def test_an_lstm_learns_a_sequence_rule():
    # Label: whether the first step is positive, which the LSTM must carry to the end.
    rng = np.random.default_rng(1)
    x = rng.standard_normal((512, 8, 1)).astype("float32")
    y = (x[:, 0, 0] > 0).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 1)), layers.LSTM(16), layers.Dense(1, "sigmoid")])
    model.compile(
        optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0, validation_split=0.25)
    assert history.history["val_accuracy"][-1] > 0.9


def test_dropout_trains_and_recurrent_dropout_uses_the_loop():
    model = keras.Sequential(
        [keras.Input((6, 5)), layers.GRU(4, dropout=0.3, recurrent_dropout=0.3), layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(X, np.zeros((3, 1)), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    inference = model.predict(X, verbose=0)
    np.testing.assert_array_equal(inference, model.predict(X, verbose=0))  # no dropout here


def test_mistakes_explain_themselves():
    with pytest.raises(LayerfitValueError, match=r"sequences of shape \(batch, timesteps"):
        layers.LSTM(4)(torch.zeros(2, 5))
    stateful = layers.LSTM(4, stateful=True)
    stateful(torch.zeros(2, 5, 3))
    with pytest.raises(LayerfitValueError, match=r"batches of 2 but got a batch of 3(.|\n)*reset"):
        stateful(torch.zeros(3, 5, 3))
    with pytest.raises(LayerfitValueError, match="not recurrent"):
        layers.Bidirectional(layers.Dense(3))
    with pytest.raises(LayerfitValueError, match="units=0"):
        layers.GRU(0)
    with pytest.raises(LayerfitValueError, match=r"recurrent_dropout=1.5(.|\n)*\[0, 1\)"):
        layers.LSTM(4, recurrent_dropout=1.5)
    with pytest.raises(LayerfitValueError, match="merge_mode='concatenate'(.|\n)*'concat'"):
        layers.Bidirectional(layers.LSTM(4), merge_mode="concatenate")
    lstm = layers.LSTM(4)
    with pytest.raises(LayerfitValueError, match="1 initial states(.|\n)*Fix: pass the states"):
        lstm(torch.zeros(2, 3, 5), initial_state=[torch.zeros(2, 4)])
