"""Every activation against a numpy float64 formula, plus lookup and serialization."""

import math

import numpy as np
import pytest
import torch

from layerfit import activations
from layerfit.errors import LayerfitValueError, LayerfitWarning

X = np.linspace(-6.0, 6.0, 241)  # includes 0 and the +-3 kinks of hard_sigmoid
ERF = np.vectorize(math.erf)


def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

NUMPY_FORMULAS = {
    "relu": lambda x: np.maximum(x, 0),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "gelu": lambda x: 0.5 * x * (1 + ERF(x / np.sqrt(2))),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1)),
    "softplus": _softplus,
    "softsign": lambda x: x / (np.abs(x) + 1),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "exponential": np.exp,
    "linear": lambda x: x,
    "mish": lambda x: x * np.tanh(_softplus(x)),
}


@pytest.mark.parametrize("name", sorted(NUMPY_FORMULAS))
def test_activation_matches_numpy(name):
    fn = getattr(activations, name)
    got = fn(torch.tensor(X, dtype=torch.float32)).double().numpy()
    expected = NUMPY_FORMULAS[name](X)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_activations_keep_shape_and_dtype():
    x = torch.randn(2, 3, 4)
    for name in NUMPY_FORMULAS:
        y = getattr(activations, name)(x)
        assert y.shape == x.shape and y.dtype == x.dtype, name


def test_softmax_and_log_softmax_match_numpy_along_axis():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4, 5))
    for axis in (-1, 0, 1):
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        expected = e / e.sum(axis=axis, keepdims=True)
        got = activations.softmax(torch.tensor(x, dtype=torch.float32), axis=axis)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)
        got_log = activations.log_softmax(torch.tensor(x, dtype=torch.float32), axis=axis)
        np.testing.assert_allclose(got_log.numpy(), np.log(expected), rtol=1e-5, atol=1e-5)


def test_relu_arguments_match_keras_docstring():
    x = torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
    assert activations.relu(x).tolist() == [0.0, 0.0, 0.0, 5.0, 10.0]
    assert activations.relu(x, negative_slope=0.5).tolist() == [-5.0, -2.5, 0.0, 5.0, 10.0]
    assert activations.relu(x, max_value=5.0).tolist() == [0.0, 0.0, 0.0, 5.0, 5.0]
    assert activations.relu(x, threshold=5.0).tolist() == [0.0, 0.0, 0.0, 0.0, 10.0]


def test_relu_all_arguments_together_matches_keras_formula():
    x = np.linspace(-4, 8, 49)
    slope, cap, threshold = 0.1, 6.0, 1.0
    expected = np.clip(x * (x > threshold), 0, cap) - slope * np.maximum(threshold - x, 0)
    got = activations.relu(
        torch.tensor(x, dtype=torch.float32), negative_slope=slope, max_value=cap,
        threshold=threshold,
    )  # fmt: skip
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6, atol=1e-6)


def test_parameterized_activations():
    x = torch.tensor(X, dtype=torch.float32)
    np.testing.assert_allclose(
        activations.elu(x, alpha=0.5).numpy(), np.where(X > 0, X, 0.5 * (np.exp(X) - 1)),
        rtol=1e-5, atol=1e-6,
    )  # fmt: skip
    np.testing.assert_allclose(
        activations.leaky_relu(x, negative_slope=0.3).numpy(), np.where(X >= 0, X, 0.3 * X),
        rtol=1e-6, atol=1e-6,
    )  # fmt: skip
    tanh_gelu = 0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X**3)))
    np.testing.assert_allclose(
        activations.gelu(x, approximate=True).numpy(), tanh_gelu, rtol=1e-5, atol=1e-5
    )
    assert activations.crelu(torch.tensor([1.0, -2.0])).tolist() == [1.0, 0.0, 0.0, 2.0]


def test_activations_accept_lists():
    assert activations.relu([-1.0, 2.0]).tolist() == [0.0, 2.0]


def test_get_resolves_names_case_insensitively():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    # Keras raises for these spellings: layerfit takes them, warning once with Keras's.
    with pytest.warns(LayerfitWarning, match="'ReLU' is spelled 'relu' in Keras") as record:
        assert activations.get("ReLU") is activations.relu
        assert activations.get("ReLU") is activations.relu
    assert len(record) == 1  # once per session
    with pytest.warns(LayerfitWarning, match="'hard-swish' is spelled 'hard_swish'"):
        assert activations.get("hard-swish") is activations.hard_silu
    with pytest.warns(LayerfitWarning, match="Fix: write 'softmax'"):
        assert activations.get("Softmax") is activations.softmax

    def custom(x):
        return x * 2

    assert activations.get(custom) is custom


def test_get_misspelled_name_suggests_closest():
    with pytest.raises(LayerfitValueError) as info:
        activations.get("rleu")
    message = str(info.value)
    assert "Unknown activation 'rleu'" in message and "'relu'" in message
    assert isinstance(info.value, ValueError)


def test_get_rejects_non_callable():
    with pytest.raises(LayerfitValueError) as info:
        activations.get(3)
    assert "Could not interpret activation" in str(info.value)
    assert "activation='relu'" in str(info.value)


@pytest.mark.parametrize("name", sorted(set(NUMPY_FORMULAS) | {"softmax", "log_softmax"}))
def test_serialize_round_trips(name):
    fn = activations.get(name)
    assert activations.deserialize(activations.serialize(fn)) is fn


def test_serialize_uses_keras_canonical_names():
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(activations.hard_swish) == "hard_silu"
    assert activations.serialize(None) is None


def test_custom_function_serializes_to_named_dict_and_back_with_custom_objects():
    def my_act(x):
        return x

    config = activations.serialize(my_act)
    assert config["config"] == "my_act"
    assert activations.deserialize(config, custom_objects={"my_act": my_act}) is my_act
    with pytest.raises(LayerfitValueError, match="my_act"):
        activations.deserialize(config)


def test_public_names_snapshot():
    assert sorted(activations.__all__) == sorted(
        [
            "ACTIVATIONS", "crelu", "deserialize", "elu", "exponential", "gelu", "get",
            "hard_sigmoid", "hard_silu", "hard_swish", "leaky_relu", "linear", "log_softmax",
            "mish", "relu", "relu6", "selu", "serialize", "sigmoid", "silu", "softmax",
            "softplus", "softsign", "swish", "tanh", "celu", "glu", "hard_shrink", "hard_tanh",
            "log_sigmoid", "soft_shrink", "sparse_plus", "sparse_sigmoid", "sparsemax",
            "squareplus", "tanh_shrink", "threshold",
        ]
    )  # fmt: skip


NEW_KERAS3_NAMES = ["celu", "glu", "hard_shrink", "hard_tanh", "log_sigmoid", "soft_shrink",
                    "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink",
                    "threshold"]  # fmt: skip


@pytest.mark.parametrize("name", NEW_KERAS3_NAMES)
def test_keras3_activation_names_build_dense_layers_and_round_trip(name):
    """Dense(4, activation="hard_tanh") works and its config names the activation, as Keras."""
    from layerfit import layers

    fn = activations.get(name)
    assert activations.serialize(fn) == name
    assert activations.deserialize(name) is fn
    if name == "threshold":  # no default for threshold/default_value: Keras's too
        return
    layer = layers.Dense(4, activation=name)
    out = layer(torch.ones(2, 3))
    assert out.shape == (2, 2 if name == "glu" else 4)  # glu halves the last axis
    assert layer.get_config()["activation"] == name


def test_sparsemax_is_a_sparse_distribution():
    x = torch.tensor([[0.1, 1.1, 3.0, -2.0], [0.2, 0.25, 0.1, 0.0]])
    out = activations.sparsemax(x)
    torch.testing.assert_close(out.sum(-1), torch.ones(2), atol=1e-6, rtol=0)
    assert out[0].tolist() == [0.0, 0.0, 1.0, 0.0]  # the top score is 1.9 above the next
    # Second row by hand: support {0.25, 0.2, 0.1, 0.0}, tau = (0.55 - 1) / 4
    torch.testing.assert_close(out[1], x[1] + 0.1125, atol=1e-6, rtol=0)


def test_deserialize_returns_a_function_as_is_like_keras():
    # keras-io serialization guide: from_config(cls, config) calls activations.deserialize on
    # what the functional config hands it, which may already be the function.
    def custom_activation(x):
        return x * 2

    assert activations.deserialize(custom_activation) is custom_activation
