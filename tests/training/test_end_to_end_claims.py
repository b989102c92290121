"""Claims checked on real models against numpy: learning-rate callbacks change the rate the
optimizer uses, the fused logits path equals the plain one, and every weighting stays aligned."""

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 3)).astype("float32")
Y = RNG.normal(size=(12, 2)).astype("float32")
KERNEL = RNG.normal(size=(3, 2)).astype("float32")
BIAS = np.array([0.1, -0.2], "float32")


def linear_model(learning_rate=0.1):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    model.set_weights([KERNEL, BIAS])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    return model


def sgd_by_hand(rates):
    """Full-batch SGD on mse in float64: one step per epoch at each given rate."""
    kernel, bias = KERNEL.astype("float64"), BIAS.astype("float64")
    for rate in rates:
        error = X @ kernel + bias - Y
        kernel = kernel - rate * 2 * X.T @ error / error.size
        bias = bias - rate * 2 * error.sum(axis=0) / error.size
    return kernel, bias


def test_learning_rate_scheduler_changes_the_rate_each_step_uses():
    model = linear_model()
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 * 0.5**epoch)
    history = model.fit(X, Y, batch_size=12, epochs=4, shuffle=False, callbacks=[scheduler])
    rates = [0.1, 0.05, 0.025, 0.0125]
    np.testing.assert_allclose(history.history["learning_rate"], rates, rtol=1e-6)
    kernel, bias = sgd_by_hand(rates)
    np.testing.assert_allclose(model.get_weights()[0], kernel, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.get_weights()[1], bias, rtol=1e-5, atol=1e-6)
    assert not np.allclose(sgd_by_hand([0.1] * 4)[0], kernel, atol=1e-4)  # the rate mattered


def test_reduce_lr_on_plateau_changes_the_rate_the_updates_use():
    model = linear_model(0.2)
    # min_delta larger than any change: every epoch after the first is a plateau.
    reduce = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=10)
    history = model.fit(X, Y, batch_size=12, epochs=4, shuffle=False, callbacks=[reduce])
    rates = history.history["learning_rate"]  # logged before each epoch's reduction, as Keras
    np.testing.assert_allclose(rates, [0.2, 0.2, 0.1, 0.05], rtol=1e-6)
    kernel, _ = sgd_by_hand(rates)  # the updates used exactly those rates
    np.testing.assert_allclose(model.get_weights()[0], kernel, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "activation, loss, labels",
    [
        ("softmax", "categorical_crossentropy", np.eye(2, dtype="float32")[[0, 1, 1, 0] * 3]),
        ("sigmoid", "binary_crossentropy", (Y > 0).astype("float32")),
    ],
)
def test_fused_logits_path_equals_the_plain_path(activation, loss, labels):
    histories, weights = [], []
    for fused in (True, False):
        model = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation=activation)])
        model.set_weights([KERNEL, BIAS])
        function = keras.losses.get(loss)
        # A plain function of (y_true, y_pred) is not fused, so it takes the probabilities.
        plain = loss if fused else (lambda y_true, y_pred, f=function: f(y_true, y_pred))
        model.compile(optimizer=keras.optimizers.SGD(0.5), loss=plain)
        histories.append(model.fit(X, labels, batch_size=4, epochs=2, shuffle=False).history)
        assert (model._runner.logits_fn is not None) is fused
        weights.append(model.get_weights())
    # float32 log-sum-exp against log(softmax): the same to a few ulps per step.
    np.testing.assert_allclose(histories[0]["loss"], histories[1]["loss"], rtol=1e-5)
    for fused_weight, plain_weight in zip(*weights):
        np.testing.assert_allclose(fused_weight, plain_weight, rtol=1e-5, atol=1e-6)


def per_sample_cross_entropy(kernel, bias, classes):
    logits = X @ kernel + bias
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_probabilities[np.arange(len(classes)), classes]


@pytest.mark.parametrize("one_hot", [False, True])
def test_class_weight_with_missing_classes_and_one_hot_labels(one_hot):
    classes = np.array([0, 1, 2] * 4)
    kernel = RNG.normal(size=(3, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(3, activation="softmax")])
    model.set_weights([kernel, np.zeros(3, "float32")])
    loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=loss)
    labels = np.eye(3, dtype="float32")[classes] if one_hot else classes
    history = model.fit(X, labels, batch_size=12, epochs=1, class_weight={0: 3.0, 2: 0.5})
    weights = np.array([3.0, 1.0, 0.5])[classes]  # class 1 is missing: weight 1, as Keras
    expected = np.sum(weights * per_sample_cross_entropy(kernel, 0.0, classes)) / len(X)
    np.testing.assert_allclose(history.history["loss"][0], expected, rtol=1e-5)


def test_sample_weight_stays_with_its_sample_under_shuffle():
    model = linear_model(0.0)  # no updates: the epoch loss depends only on the pairing
    weights = np.where(np.arange(12) % 3 == 0, 5.0, 0.25).astype("float32")
    history = model.fit(X, Y, sample_weight=weights, batch_size=4, epochs=3, shuffle=True)
    per_sample = np.mean((X @ KERNEL + BIAS - Y) ** 2, axis=1)
    expected = np.sum(weights * per_sample) / len(X)  # batches of equal size: the same mean
    np.testing.assert_allclose(history.history["loss"], [expected] * 3, rtol=1e-5)


def test_evaluate_sample_weight_and_weighted_metrics():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    model.set_weights([KERNEL, BIAS])
    model.compile(loss="mse", metrics=["mae"], weighted_metrics=["mae"])
    weights = np.linspace(0.0, 2.0, 12).astype("float32")
    logs = model.evaluate(X, Y, sample_weight=weights, batch_size=12, return_dict=True)
    error = X @ KERNEL + BIAS - Y
    mse, mae = np.mean(error**2, axis=1), np.mean(np.abs(error), axis=1)
    np.testing.assert_allclose(logs["loss"], np.sum(weights * mse) / 12, rtol=1e-5)
    np.testing.assert_allclose(logs["mae"], np.mean(mae), rtol=1e-5)  # unweighted metric
    # Keras's weighted metric: a mean weighted by the sample weights (divided by their sum).
    np.testing.assert_allclose(
        logs["weighted_mae"], np.sum(weights * mae) / weights.sum(), rtol=1e-5
    )
