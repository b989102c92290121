"""Weights answer Keras's Variable methods; add_loss terms reach fit and evaluate."""

import copy
import pickle

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import ops
from layerfit.errors import LayerfitValueError
from layerfit.layers import Dense, Input, Layer


class ComputeSum(Layer):
    """Keras's guide example: a non-trainable running total of the inputs."""

    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


class ConstantPenalty(Layer):
    def __init__(self, value=5.0, **kwargs):
        super().__init__(**kwargs)
        self.value = value

    def call(self, inputs):
        self.add_loss(ops.convert_to_tensor(self.value))
        return inputs


def test_the_guides_running_total_accumulates_call_by_call():
    layer = ComputeSum(2)
    np.testing.assert_array_equal(layer(ops.ones((2, 2))).numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(layer(ops.ones((2, 2))).numpy(), [4.0, 4.0])
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 1


def test_weights_read_as_numpy_and_assign_in_place():
    layer = Dense(2)
    layer.build((None, 3))
    kernel = layer.kernel
    assert kernel.requires_grad and kernel.numpy().shape == (3, 2)  # torch would refuse
    kernel.assign(np.ones((3, 2)))
    kernel.assign_sub(0.5)
    np.testing.assert_array_equal(kernel.numpy(), np.full((3, 2), 0.5))
    assert layer.kernel is kernel and kernel.grad_fn is None  # in place, outside autograd


def test_assigning_the_wrong_shape_explains():
    layer = Dense(2)
    layer.build((None, 3))
    with pytest.raises(LayerfitValueError, match=r"shape \(2, 3\) was assigned .* \(3, 2\)"):
        layer.kernel.assign(np.ones((2, 3)))


def test_weights_stay_variables_through_copy_and_pickle():
    layer = ComputeSum(3)
    for clone in (copy.deepcopy(layer.total), pickle.loads(pickle.dumps(layer.total))):
        assert type(clone) is type(layer.total) and not clone.requires_grad
        clone.assign_add(1.0)
        np.testing.assert_array_equal(clone.numpy(), [1.0, 1.0, 1.0])


def test_add_loss_terms_are_part_of_the_training_and_evaluation_loss():
    # Zero weights, zero targets and a zero learning rate: the loss is the penalty alone.
    model = keras.Sequential(
        [Input((2,)), ConstantPenalty(5.0), Dense(1, kernel_initializer="zeros")]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(np.ones((8, 2)), np.zeros((8, 1)), epochs=2, verbose=0)
    assert history.history["loss"] == pytest.approx([5.0, 5.0], abs=1e-6)
    assert model.evaluate(np.ones((8, 2)), np.zeros((8, 1)), verbose=0) == pytest.approx(5.0)


def test_add_loss_keeps_only_the_latest_calls_terms():
    outer = keras.Sequential([ConstantPenalty(1.0), ConstantPenalty(2.0)])
    outer(torch.zeros(1, 1))
    outer(torch.zeros(1, 1))
    assert sorted(float(loss) for loss in outer.losses) == [1.0, 2.0]


def test_an_activity_penalty_trains_the_activations_down():
    class L1Activity(Layer):
        def call(self, inputs):
            self.add_loss(0.1 * ops.sum(ops.abs(inputs)))
            return inputs

    torch.manual_seed(0)
    model = keras.Sequential([Input((4,)), Dense(4), L1Activity(), Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    x = np.random.default_rng(0).standard_normal((64, 4)).astype("float32")
    before = float(ops.mean(ops.abs(model.layers[0](x).detach())))
    model.fit(x, np.zeros((64, 1)), epochs=20, verbose=0)
    after = float(ops.mean(ops.abs(model.layers[0](x).detach())))
    assert after < 0.5 * before


def test_first_call_argument_by_name_is_the_inputs_like_keras():
    # keras-io "endpoint layer pattern": a subclassed model calls its endpoint layer with
    # every argument by name: layer(logits=..., targets=..., sample_weight=...).
    class LogisticEndpoint(keras.layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

        def call(self, logits, targets=None, sample_weight=None):
            if targets is not None:
                self.add_loss(self.loss_fn(targets, logits, sample_weight))
            return keras.ops.sigmoid(logits)

    layer = LogisticEndpoint()
    logits = np.array([[0.5], [-1.0]], dtype="float32")
    targets = np.array([[1.0], [0.0]], dtype="float32")
    out = layer(logits=logits, targets=targets, sample_weight=None)
    np.testing.assert_allclose(out.detach().numpy(), 1 / (1 + np.exp(-logits)), rtol=1e-6)
    expected = np.mean(np.log1p(np.exp(-np.abs(logits))) + np.maximum(logits, 0) - logits * targets)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-5)


def test_a_deep_copied_or_pickled_built_layer_still_takes_float64_inputs():
    # sklearn wrappers and the LR finder copy the user's (symbolically built) model.
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        out = twin(np.ones((1, 3), dtype="float64"))
        assert out.dtype == torch.float32
        np.testing.assert_allclose(
            out.detach().numpy(), model(np.ones((1, 3))).detach().numpy(), rtol=1e-6
        )
