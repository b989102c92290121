"""Masks on symbolic tensors, from keras-io's "Understanding masking & padding" run unchanged."""

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers, ops


# keras-io "Understanding masking & padding", run unchanged (Keras 3.15 prints the same shapes).
def test_symbolic_tensor_reports_its_mask_like_keras():
    class MyActivation(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return ops.relu(inputs)

    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=50, output_dim=16, mask_zero=True)(inputs)
    assert x._keras_mask.shape == (None, None)
    assert x._keras_mask.dtype == "bool"
    x = MyActivation()(x)
    assert x.shape == (None, None, 16)
    assert x._keras_mask.shape == (None, None)
    plain = layers.Embedding(input_dim=50, output_dim=4)(inputs)
    assert getattr(plain, "_keras_mask", None) is None
    with pytest.raises(AttributeError):
        plain._keras_mask  # noqa: B018


def test_custom_layer_keeps_unknown_axes_and_gets_a_mask_while_shapes_are_inferred():
    class TemporalSoftmax(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs, mask=None):
            assert mask is not None
            m = ops.expand_dims(ops.cast(mask, "float32"), -1)
            e = ops.exp(inputs) * m
            return e / ops.sum(e * m, axis=-1, keepdims=True)

    class MeanOverTime(layers.Layer):
        def call(self, inputs):
            return ops.mean(inputs, axis=1)

    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
    x = layers.Dense(1)(x)
    outputs = TemporalSoftmax()(x)
    assert outputs.shape == (None, None, 1)
    model = keras.Model(inputs, outputs)
    y = model(np.random.randint(1, 10, size=(4, 7)))
    np.testing.assert_allclose(y.detach().numpy(), np.ones((4, 7, 1)), rtol=1e-6)
    seq = keras.Input(shape=(None, 5))
    assert MeanOverTime()(seq).shape == (None, 5)
