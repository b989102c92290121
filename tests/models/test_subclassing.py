"""Subclassed models and custom layers: build, call(training=...), get_config, freezing."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError


def summary_text(model) -> str:
    lines = []
    model.summary(print_fn=lines.append)
    return "\n".join(lines)


class Linear(layers.Layer):
    """keras.io's custom layer: y = x @ w + b, weights made in build."""

    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
            name="w",
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True, name="b")

    def call(self, inputs):
        return inputs @ self.w + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class RecordTraining(layers.Layer):
    """Passes inputs through and records the training flag it was called with."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs


class MLP(keras.Model):
    def __init__(self, units=8, dropout=0.5, **kwargs):
        super().__init__(**kwargs)
        self.units, self.dropout_rate = units, dropout
        self.hidden = layers.Dense(units, activation="relu")
        self.dropout = layers.Dropout(dropout)
        self.record = RecordTraining()
        self.head = layers.Dense(1, activation="sigmoid")

    def call(self, inputs, training=None):
        x = self.hidden(inputs)
        x = self.dropout(x, training=training)
        x = self.record(x, training=training)
        return self.head(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "dropout": self.dropout_rate}


def binary_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5)).astype("float32")
    y = (x[:, :1] + x[:, 1:2] > 0).astype("float32")
    return x, y


def test_subclassed_model_trains_and_lists_its_layers():
    model = MLP()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x, y = binary_data()
    before = model.evaluate(x, y, verbose=0)[0]
    model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0)[0] < before - 0.05
    assert [layer.name for layer in model.layers] == [
        "dense",
        "dropout",
        "record_training",
        "dense_1",
    ]
    assert model.count_params() == 5 * 8 + 8 + 8 + 1  # 57
    # After fit Keras's total adds Adam's 116 variables (2 slots x 57, iterations, learning rate).
    text = summary_text(model)
    assert "Trainable params: 57 (" in text and "Total params: 173 (" in text


def test_training_flag_reaches_layers_in_fit_evaluate_and_predict():
    model = MLP()
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    x, y = binary_data(32)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    # The two training batches see True (None comes from set-up probes outside the steps).
    assert [flag for flag in model.record.seen if flag is not None] == [True, True]
    model.record.seen.clear()
    model.evaluate(x, y, batch_size=16, verbose=0)
    model.predict(x, batch_size=16, verbose=0)
    assert [flag for flag in model.record.seen if flag is not None] == [False] * 4


def test_dropout_is_active_only_in_training():
    model = MLP(units=64, dropout=0.5)
    x = torch.ones(4, 5)
    model(x)
    torch.testing.assert_close(model(x, training=False), model(x, training=False))
    hidden = model.hidden(x)
    assert (model.dropout(hidden, training=True) == 0).sum() > 0
    torch.testing.assert_close(model.dropout(hidden, training=False), hidden)


def test_batch_normalization_updates_statistics_only_in_training():
    class Normalized(keras.Model):
        def __init__(self):
            super().__init__()
            self.norm = layers.BatchNormalization()
            self.head = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.head(self.norm(inputs, training=training))

    model = Normalized()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(3.0, 1.0, size=(64, 4)).astype("float32")
    model.predict(x, verbose=0)
    mean = model.norm.moving_mean.detach().cpu()
    np.testing.assert_array_equal(mean.numpy(), np.zeros(4))  # predict changes nothing
    model.fit(x, np.zeros((64, 1)), batch_size=64, epochs=1, verbose=0)
    # One batch: moving_mean = 0.99 * 0 + 0.01 * batch mean.
    np.testing.assert_allclose(
        model.norm.moving_mean.detach().cpu().numpy(), 0.01 * x.mean(0), rtol=1e-5
    )


def test_custom_layer_weights_gradients_and_config_round_trip():
    layer = Linear(4, name="lin")
    out = layer(torch.ones(2, 3))
    assert out.shape == (2, 4)
    assert [tuple(w.shape) for w in layer.weights] == [(3, 4), (4,)]
    out.sum().backward()
    assert all(w.grad is not None for w in layer.weights)
    clone = Linear.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config() and clone.units == 4
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(
        layer(torch.ones(1, 3)).detach().numpy(), np.ones((1, 3)) @ kernel + bias, atol=1e-6
    )


def test_custom_layer_in_sequential_and_functional_models():
    seq = keras.Sequential([keras.Input(shape=(3,)), Linear(4), layers.Dense(1)])
    assert seq.count_params() == 3 * 4 + 4 + 5
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, layers.Dense(1)(Linear(4, name="lin")(inputs)))
    assert model.get_layer("lin").output.shape == (None, 4)
    clone = keras.Model.from_config(model.get_config(), custom_objects={"Linear": Linear})
    assert type(clone.get_layer("lin")) is Linear and clone.count_params() == 21
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((16, 3), dtype=np.float32)
    history = model.fit(x, x.sum(1, keepdims=True), epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_subclassed_model_config_round_trip():
    model = MLP(units=6, dropout=0.25, name="classifier")
    config = model.get_config()
    assert config == {"name": "classifier", "trainable": True, "units": 6, "dropout": 0.25}
    clone = MLP.from_config(config)
    assert clone.get_config() == config and clone.hidden.units == 6


def test_build_with_a_shape_creates_the_weights_for_summary():
    model = MLP()
    model.build((None, 5))
    assert model.built and model.count_params() == 57
    text = summary_text(model)
    assert "dense (Dense)" in text and "48" in text and "Total params: 57" in text


def test_build_with_a_wrong_shape_is_explained():
    class NeedsMatrix(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs.reshape(inputs.shape[0], 3, -1).sum(1))

    with pytest.raises(LayerfitValueError, match=r"could not be built from input_shape") as info:
        NeedsMatrix().build((None, 4))
    assert "Fix: build it by calling it on real data" in str(info.value)


def test_layers_held_in_lists_and_dicts_are_tracked():
    class Stack(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layers.Dense(4, activation="relu") for _ in range(2)]
            self.heads = {"a": layers.Dense(1)}
            self.late = []
            self.late.append(layers.Dense(3))  # appended after assignment: found at build

        def call(self, inputs):
            x = inputs
            for block in self.blocks:
                x = block(x)
            return self.heads["a"](self.late[0](x))

    model = Stack()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((16, 3), dtype=np.float32)
    model.fit(x, np.ones((16, 1)), epochs=1, verbose=0)
    assert len(model.layers) == 4
    assert model.count_params() == (3 * 4 + 4) + (4 * 4 + 4) + (4 * 3 + 3) + (3 + 1)
    assert len(model.trainable_weights) == 8
    first = model.blocks[0].get_weights()[0].copy()
    model.fit(x, np.ones((16, 1)), epochs=1, verbose=0)
    assert not np.allclose(first, model.blocks[0].get_weights()[0])  # trained, not ignored


def test_plain_torch_modules_in_a_subclassed_model_train_and_freeze():
    class Hybrid(keras.Model):
        def __init__(self):
            super().__init__()
            self.torch_layer = torch.nn.Linear(3, 4)
            self.head = layers.Dense(1)

        def call(self, inputs):
            return self.head(torch.relu(self.torch_layer(inputs)))

    model = Hybrid()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((16, 3), dtype=np.float32)
    before = model.torch_layer.weight.detach().clone()
    model.fit(x, np.ones((16, 1)), epochs=1, verbose=0)
    assert not torch.equal(before, model.torch_layer.weight.detach().cpu())
    assert model.count_params() == 3 * 4 + 4 + 4 + 1
    model.trainable = False
    assert not model.torch_layer.weight.requires_grad
    assert "Non-trainable params: 21" in summary_text(model)
    model.trainable = True
    assert model.torch_layer.weight.requires_grad and model.head.kernel.requires_grad


def test_frozen_subclassed_model_keeps_its_weights():
    model = MLP()
    model.build((None, 5))
    model.hidden.trainable = False
    before = [w.copy() for w in model.hidden.get_weights()]
    text = summary_text(model)
    assert "Trainable params: 9" in text and "Non-trainable params: 48" in text
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x, y = binary_data()
    model.fit(x, y, epochs=2, verbose=0)
    for old, new in zip(before, model.hidden.get_weights()):
        np.testing.assert_array_equal(old, new)
