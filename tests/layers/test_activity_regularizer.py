"""activity_regularizer on every layer: a penalty on the output, divided by the batch size."""

import numpy as np

import layerfit as keras
from layerfit import layers, regularizers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(10, 3)).astype("float32")
Y = RNG.normal(size=(10, 2)).astype("float32")
KERNEL = RNG.normal(size=(3, 2)).astype("float32")
BIAS = np.array([0.5, -0.5], "float32")


def batches(batch_size):
    return [slice(i, i + batch_size) for i in range(0, len(X), batch_size)]


def test_evaluate_adds_the_penalty_per_batch_as_keras():
    dense = layers.Dense(2, activity_regularizer=regularizers.L2(0.1))
    model = keras.Sequential([keras.Input((3,)), dense])
    model.set_weights([KERNEL, BIAS])
    model.compile(loss="mse")
    loss = model.evaluate(X, Y, batch_size=4, verbose=0)
    # Per batch: mse + 0.1 * sum(out**2) / batch size; evaluate weighs batches by their size.
    per_batch = [
        (np.mean((X[s] @ KERNEL + BIAS - Y[s]) ** 2) + 0.1 * np.sum((X[s] @ KERNEL + BIAS) ** 2) / len(X[s]), len(X[s]))
        for s in batches(4)
    ]  # fmt: skip
    expected = sum(value * n for value, n in per_batch) / len(X)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_layer_losses_after_a_call():
    flatten = layers.Flatten(activity_regularizer="l1")  # any layer takes it, as in Keras
    out = flatten(np.ones((4, 2, 3), "float32"))
    assert out.shape == (4, 6)
    np.testing.assert_allclose(float(flatten.losses[0]), 0.01 * 24 / 4, rtol=1e-6)


def test_fused_softmax_path_keeps_the_penalty_on_probabilities():
    labels = np.eye(2, dtype="float32")[[0, 1, 1, 0, 1, 0, 0, 1, 1, 1]]
    dense = layers.Dense(2, activation="softmax", activity_regularizer=regularizers.L1(0.5))
    model = keras.Sequential([keras.Input((3,)), dense])
    model.set_weights([KERNEL, BIAS])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="categorical_crossentropy")
    history = model.fit(X, labels, batch_size=10, epochs=1, verbose=0)
    logits = X @ KERNEL + BIAS
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    cross_entropy = -np.mean(np.sum(labels * np.log(probabilities), axis=1))
    penalty = 0.5 * np.abs(probabilities).sum() / len(X)  # = 0.5: probabilities sum to 1
    np.testing.assert_allclose(history.history["loss"][0], cross_entropy + penalty, rtol=1e-5)


def test_config_round_trip_keeps_the_regularizer():
    dense = layers.Dense(2, activity_regularizer=regularizers.L1L2(l1=0.1, l2=0.2))
    config = dense.get_config()
    assert config["activity_regularizer"]["class_name"] == "L1L2"
    again = layers.Dense.from_config(config)
    assert again.activity_regularizer.get_config() == {"l1": 0.1, "l2": 0.2}
    assert "activity_regularizer" not in layers.Dense(2).get_config()  # as Keras: only when set


def test_lora_rank_is_not_silently_ignored():
    import pytest

    from layerfit.errors import LayerfitWarning

    with pytest.warns(LayerfitWarning, match=r"Dense got lora_rank=4, which layerfit does not"):
        layers.Dense(2, lora_rank=4)
    with pytest.warns(
        LayerfitWarning, match=r"(?s)Embedding got lora_rank=2.*Fix: drop lora_rank="
    ):
        layers.Embedding(10, 3, lora_rank=2)
