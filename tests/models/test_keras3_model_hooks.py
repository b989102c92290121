"""Keras 3's Model and Layer hooks that custom training steps and custom layers call:
compute_metrics / get_metrics_result, get/compile_from_config, add_variable, add_metric,
get/build_from_config, save/load_own_variables."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitValueError


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (x[:, :1] + x[:, 1:2] > 0).astype("float32")
    return x, y


class _KerasIoStep(keras.Model):
    """keras-io's "Customizing what happens in fit() with PyTorch", unchanged."""

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = [v for v in self.trainable_weights]
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
        return self.compute_metrics(x, y, y_pred)


def _functional(cls):
    keras.utils.set_random_seed(3)
    inputs = keras.Input((5,))
    outputs = keras.layers.Dense(1, activation="sigmoid")(keras.layers.Dense(8)(inputs))
    model = cls(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


def test_compute_metrics_in_a_custom_train_step_logs_what_fit_logs():
    x, y = _data()
    custom, plain = _functional(_KerasIoStep), _functional(keras.Model)
    plain.set_weights(custom.get_weights())
    # One batch per epoch: the loss tracker's mean is then the batch loss fit logs.
    mine = custom.fit(x, y, batch_size=64, epochs=3, shuffle=False, verbose=0).history
    theirs = plain.fit(x, y, batch_size=64, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(mine["loss"], theirs["loss"], rtol=1e-5)
    np.testing.assert_allclose(mine["accuracy"], theirs["accuracy"], rtol=0)


def test_get_metrics_result_gives_floats_by_name():
    x, y = _data()
    model = _functional(keras.Model)
    prediction = model(x)
    results = model.compute_metrics(x, y, prediction)
    expected = np.mean((prediction.detach().numpy() > 0.5) == (y > 0.5))  # by hand
    assert isinstance(results["accuracy"], float)
    assert results["accuracy"] == pytest.approx(expected)
    assert model.get_metrics_result() == results


def test_compile_config_round_trip():
    model = _functional(keras.Model)
    config = model.get_compile_config()
    assert config["loss"] == "binary_crossentropy" and config["metrics"] == ["accuracy"]
    twin = _functional(keras.Model)
    twin.compiled = None
    assert twin.get_compile_config() is None
    twin.compile_from_config(config)
    assert twin.optimizer.get_config()["learning_rate"] == pytest.approx(0.1)
    x, y = _data()
    twin.set_weights(model.get_weights())
    np.testing.assert_allclose(twin.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0))


def test_add_variable_is_add_weight_with_shape_and_initializer_first():
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_variable((input_shape[-1],), "ones", name="scale")

        def call(self, inputs):
            return inputs * self.scale

    layer = Scale()
    out = layer(np.full((2, 3), 2.0, dtype="float32"))
    np.testing.assert_array_equal(out.detach().numpy(), np.full((2, 3), 2.0))
    assert layer.weights[0].name == "scale" and tuple(layer.weights[0].shape) == (3,)


def test_add_metric_is_refused_as_in_keras_3():
    with pytest.raises(NotImplementedError, match=r"add_metric\(\) was removed in Keras 3"):
        keras.layers.Dense(2).add_metric(1.0)


def test_build_config_rebuilds_a_layer_from_its_shape():
    dense = keras.layers.Dense(4)
    assert dense.get_build_config() is None
    dense.build((None, 3))
    config = dense.get_build_config()
    assert config == {"input_shape": (None, 3)}  # Keras 3.15 gives the same dict
    twin = keras.layers.Dense.from_config(dense.get_config())
    twin.build_from_config(config)
    assert twin.built and [tuple(w.shape) for w in twin.get_weights()] == [(3, 4), (4,)]


def test_own_variables_round_trip_in_keras_layout_and_mismatches_are_ours():
    dense = keras.layers.Dense(4)
    dense.build((None, 3))
    store = {}
    dense.save_own_variables(store)
    assert sorted(store) == ["0", "1"] and store["0"].shape == (3, 4)  # Keras's kernel layout
    np.testing.assert_array_equal(store["0"], dense.get_weights()[0])
    twin = keras.layers.Dense(4)
    twin.build((None, 3))
    twin.load_own_variables(store)
    for a, b in zip(twin.get_weights(), dense.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(LayerfitValueError, match="expected 2 variables, but the store holds 1"):
        twin.load_own_variables({"0": store["0"]})
    with pytest.raises(LayerfitValueError, match=r"Variable 0 of layer .* has shape \(3, 4\)"):
        twin.load_own_variables({"0": np.zeros((4, 4)), "1": store["1"]})
