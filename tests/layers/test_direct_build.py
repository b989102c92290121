"""Calling ``build`` directly marks a layer built, as Keras's build wrapper does."""

import numpy as np

import layerfit as keras
from layerfit import layers


def test_build_called_directly_keeps_the_weights_set_afterwards():
    dense = layers.Dense(2)
    dense.build((None, 3))
    assert dense.built
    dense.set_weights([np.ones((3, 2), "float32"), np.zeros(2, "float32")])
    np.testing.assert_array_equal(dense(np.ones((1, 3), "float32")).detach(), [[3.0, 3.0]])


def test_a_prebuilt_layer_keeps_its_weights_inside_a_sequential():
    dense = layers.Dense(2)
    dense.build((None, 3))
    dense.set_weights([np.full((3, 2), 0.5, "float32"), np.ones(2, "float32")])
    model = keras.Sequential([keras.Input((3,)), dense])
    np.testing.assert_allclose(model.predict(np.ones((2, 3), "float32")), np.full((2, 2), 2.5))


def test_custom_build_is_wrapped_too():
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.scale

    scale = Scale()
    scale.build((None, 2))
    assert scale.built and scale._build_input_shape == (None, 2)
    scale.set_weights([np.array([2.0, 3.0], "float32")])
    np.testing.assert_array_equal(scale(np.ones((1, 2), "float32")).detach(), [[2.0, 3.0]])


def test_build_of_a_frozen_layer_leaves_its_weights_frozen():
    dense = layers.Dense(2, trainable=False)
    dense.build((None, 3))
    assert not any(w.requires_grad for w in dense.weights)
