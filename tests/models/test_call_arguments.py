"""Layer calls as Keras makes them: several tensor arguments, numpy anywhere, weight names.

Real Keras 3 (jax backend) is the oracle where it applies.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

import layerfit
from layerfit import layers, ops

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":  # pragma: no cover - another backend was chosen first
    pytest.skip("the Keras oracle runs on its jax backend", allow_module_level=True)

# Keras's own Variable.numpy() trips numpy 2's copy= deprecation; that is not ours to test.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras")


class LogisticEndpoint(layers.Layer):
    """keras-io's "The Functional API" guide, unchanged but for the import."""

    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = layerfit.losses.BinaryCrossentropy(from_logits=True)

    def call(self, targets, logits, sample_weights=None):
        loss = self.loss_fn(targets, logits, sample_weights)
        self.add_loss(loss)
        return ops.softmax(logits)


def _bce_from_logits(targets, logits):
    probabilities = 1 / (1 + np.exp(-logits))
    eps = 1e-7
    probabilities = np.clip(probabilities, eps, 1 - eps)
    terms = targets * np.log(probabilities) + (1 - targets) * np.log(1 - probabilities)
    return -terms.mean()


def test_a_layer_called_on_two_tensors_is_a_graph_node_of_both():
    inputs = layerfit.Input(shape=(3,), name="inputs")
    targets = layerfit.Input(shape=(10,), name="targets")
    dense = layers.Dense(10)
    predictions = LogisticEndpoint(name="predictions")(targets, dense(inputs))
    model = layerfit.Model(inputs=[inputs, targets], outputs=predictions)
    assert predictions.shape == (None, 10)
    assert [layer.name for layer in model.layers] == ["inputs", "targets", "dense", "predictions"]

    rng = np.random.default_rng(0)
    data = {"inputs": rng.random((3, 3)), "targets": rng.random((3, 10))}
    model.compile(optimizer=layerfit.optimizers.SGD(0.0))  # no loss: add_loss alone trains
    logits = data["inputs"].astype("float32") @ dense.get_weights()[0] + dense.get_weights()[1]
    expected = _bce_from_logits(data["targets"], logits)
    history = model.fit(data, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [expected], rtol=1e-5)
    out = model.predict(data, verbose=0)
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(out, exp / exp.sum(axis=-1, keepdims=True), rtol=1e-5)


def test_the_loss_from_add_loss_trains_the_model():
    inputs = layerfit.Input(shape=(3,), name="inputs")
    targets = layerfit.Input(shape=(10,), name="targets")
    weights = layerfit.Input(shape=(1,), name="sample_weights")
    preds = LogisticEndpoint()(targets, layers.Dense(10)(inputs), weights)
    model = layerfit.Model(inputs=[inputs, targets, weights], outputs=preds)
    rng = np.random.default_rng(1)
    data = {
        "inputs": rng.random((32, 3)),
        "targets": (rng.random((32, 10)) > 0.5).astype("float32"),
        "sample_weights": rng.random((32, 1)),
    }
    model.compile(layerfit.optimizers.Adam(1e-2))
    losses = model.fit(data, epochs=5, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


def test_a_call_signature_mistake_is_not_blamed_on_the_input_shape():
    class OneArgument(layers.Layer):
        def call(self, inputs):
            return inputs

    a, b = layerfit.Input(shape=(3,)), layerfit.Input(shape=(3,))
    with pytest.raises(layerfit.errors.LayerfitTypeError) as caught:
        OneArgument()(a, b)
    message = str(caught.value)
    assert "takes 2 positional arguments but 3 were given" in message
    assert "input of shape" not in message
    assert "call() signature" in message and "graph input" in message


def test_numpy_arrays_nested_in_arguments_are_converted():
    class TwoInputs(layerfit.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1, kernel_initializer="ones")

        def call(self, inputs):
            return self.dense(ops.concatenate([inputs["a"], inputs["b"]], axis=-1))

    a = np.arange(6, dtype="float64").reshape(2, 3)
    b = np.ones((2, 2), dtype="float32")
    out = TwoInputs()({"a": a, "b": b})
    np.testing.assert_allclose(out.detach().numpy(), np.concatenate([a, b], -1).sum(-1)[:, None])
    joined = layers.Concatenate()([a, b])
    assert joined.dtype == torch.float32  # float64 arrays become floatx, as in Keras
    np.testing.assert_allclose(joined.numpy(), np.concatenate([a, b], axis=-1))


def test_dense_on_integer_arrays_matches_keras():
    x = np.arange(6).reshape(2, 3)
    theirs = keras.layers.Dense(2)
    expected = np.asarray(theirs(x))
    ours = layers.Dense(2)
    ours(np.zeros((1, 3), "float32"))
    ours.set_weights(theirs.get_weights())
    got = ours(x)
    assert got.dtype == torch.float32
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-6)


def _two_output_model(module):
    class TwoHeads(module.Model):
        def __init__(self):
            super().__init__()
            self.first = module.layers.Dense(2)
            self.second = module.layers.Dense(1)

        def call(self, x):
            return self.first(x), self.second(x)

    model = TwoHeads()
    model(np.ones((1, 3), "float32"))
    return model


def test_compile_lists_for_a_subclassed_model_returning_a_tuple_match_keras():
    keras.backend.clear_session()
    ours, theirs = _two_output_model(layerfit), _two_output_model(keras)
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    y = (np.ones((8, 2), "float32"), np.zeros((8, 1), "float32"))
    histories = []
    for model, module in ((ours, layerfit), (theirs, keras)):
        model.compile(
            module.optimizers.SGD(0.1),
            loss=["mse", "mae"],
            metrics=[["mae"], ["mse", "mae"]],
        )
        fitted = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
        histories.append(fitted.history)
    got, expected = histories
    assert sorted(got) == sorted(expected)  # 'mae', 'mae_1', 'mae_loss', 'mse', 'mse_loss'
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5, err_msg=key)


class _Counter:
    """A layer making a frozen weight before trainable ones, with a sublayer built in build."""

    @staticmethod
    def make(module):
        class Counter(module.layers.Layer):
            def build(self, input_shape):
                self.count = self.add_weight(
                    shape=(), initializer="zeros", trainable=False, name="count"
                )
                self.scale = self.add_weight(shape=(3,), initializer="ones", name="scale")
                self.shift = self.add_weight(shape=(1,), initializer="zeros", name="shift")

            def call(self, x):
                return x * self.scale + self.shift

        return Counter(name="counter")


def _paths(weights):
    return [(w.name, w.path) for w in weights]


def test_weight_names_paths_and_order_match_keras():
    keras.backend.clear_session()
    for build in (
        lambda m: m.layers.Dense(2, name="dense"),
        lambda m: m.layers.BatchNormalization(name="batch_normalization"),
        lambda m: _Counter.make(m),
    ):
        ours, theirs = build(layerfit), build(keras)
        ours.build((None, 3))
        theirs.build((None, 3))
        assert _paths(ours.weights) == _paths(theirs.weights)
        assert _paths(ours.non_trainable_weights) == _paths(theirs.non_trainable_weights)
    counter = _Counter.make(layerfit)
    counter.build((None, 3))
    assert [w.name for w in counter.weights] == ["scale", "shift", "count"]


def test_model_weight_paths_match_keras():
    keras.backend.clear_session()

    def sequential(m):
        return m.Sequential(
            [
                m.Input(shape=(3,)),
                m.layers.Dense(2, name="d"),
                m.layers.BatchNormalization(name="bn"),
            ],
            name="sequential",
        )

    def functional(m):
        inputs = m.Input(shape=(3,))
        return m.Model(inputs, m.layers.Dense(2, name="head")(inputs))

    for build in (sequential, functional, _two_output_model):
        keras.backend.clear_session()
        layerfit.backend.clear_session()
        ours, theirs = build(layerfit), build(keras)
        assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
        assert [w.path for w in ours.trainable_weights] == [
            w.path for w in theirs.trainable_weights
        ]


def test_weight_names_survive_copy_and_pickle():
    import copy
    import pickle

    dense = layers.Dense(2)
    dense.build((None, 3))
    for clone in (copy.deepcopy(dense.kernel), pickle.loads(pickle.dumps(dense.kernel))):
        assert (clone.name, clone.path) == ("kernel", "dense/kernel")
