"""Dense, Dropout, Flatten, Activation, Reshape against numpy, plus the Layer base contract."""

import math

import numpy as np
import pytest
import torch

import layerfit
from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.layers import Activation, Dense, Dropout, Flatten, Input, Layer, Reshape


def test_dense_matches_numpy_with_relu():
    layer = Dense(3, activation="relu")
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    out = layer(torch.from_numpy(x)).detach().numpy()
    kernel, bias = layer.get_weights()
    assert kernel.shape == (5, 3) and bias.shape == (3,)
    np.testing.assert_allclose(out, np.maximum(x @ kernel + bias, 0), atol=1e-6)


def test_dense_default_init_is_glorot_uniform_and_zero_bias():
    layer = Dense(300)
    layer(torch.zeros(1, 500))
    kernel, bias = layer.get_weights()
    limit = math.sqrt(6 / (500 + 300))
    assert np.abs(kernel).max() <= limit
    # Uniform(-l, l) has std l/sqrt(3); 150k samples pin it to well under 1%.
    assert abs(kernel.std() - limit / math.sqrt(3)) < 0.01 * limit
    assert np.all(bias == 0)


def test_dense_on_3d_input_applies_to_last_axis():
    layer = Dense(2, use_bias=False)
    x = torch.randn(2, 3, 4)
    np.testing.assert_allclose(
        layer(x).detach().numpy(), x.numpy() @ layer.get_weights()[0], atol=1e-6
    )
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 2)


def test_dense_rejects_bad_units():
    with pytest.raises(LayerfitValueError, match="positive integer"):
        Dense(0)


def test_dropout_is_identity_in_inference_and_scales_in_training():
    layer = Dropout(0.5)
    x = torch.ones(1000, 100)
    assert torch.equal(layer(x, training=False), x)
    layer.eval()
    assert torch.equal(layer(x), x)
    out = layer(x, training=True)
    kept = out != 0
    assert torch.allclose(out[kept], torch.full_like(out[kept], 2.0))
    assert abs(kept.float().mean().item() - 0.5) < 0.01


def test_dropout_rate_out_of_range_is_explained():
    with pytest.raises(LayerfitValueError, match=r"\[0, 1\)"):
        Dropout(1.5)


def test_flatten_keeps_channels_last_order():
    x = torch.arange(2 * 2 * 3 * 2, dtype=torch.float32).reshape(2, 2, 3, 2)
    np.testing.assert_array_equal(Flatten()(x).numpy(), x.numpy().reshape(2, -1))
    assert Flatten().compute_output_shape((None, 2, 3, 2)) == (None, 12)


def test_activation_and_reshape():
    x = torch.tensor([[-1.0, 2.0, -3.0, 4.0]])
    np.testing.assert_array_equal(Activation("relu")(x).numpy(), [[0, 2, 0, 4]])
    assert Reshape((2, -1))(x).shape == (1, 2, 2)
    assert Reshape((2, -1)).compute_output_shape((None, 4)) == (None, 2, 2)
    with pytest.raises(LayerfitValueError, match="Reshape"):
        Reshape((3, 3)).compute_output_shape((None, 4))


def test_automatic_names_count_up_and_reset():
    assert [Dense(1).name, Dense(1).name, Dense(1).name] == ["dense", "dense_1", "dense_2"]
    layerfit.backend.clear_session()
    assert Dense(1).name == "dense"
    assert Dropout(0.1).name == "dropout"


def test_unicode_names_are_accepted():
    assert Dense(1, name="은닉층").name == "은닉층"


def test_misspelled_keyword_suggests_the_right_one():
    with pytest.raises(LayerfitTypeError) as info:
        Dense(10, names="hidden")
    assert "names=" in str(info.value) and "name=" in str(info.value)
    with pytest.raises(TypeError, match="activation="):
        Dense(10, activaton="relu")


def test_set_weights_checks_shapes_and_count():
    layer = Dense(2)
    layer(torch.zeros(1, 3))
    with pytest.raises(LayerfitValueError, match=r"\(3, 2\)"):
        layer.set_weights([np.zeros((4, 2)), np.zeros(2)])
    with pytest.raises(LayerfitValueError, match="2 weights"):
        layer.set_weights([np.zeros((3, 2))])
    layer.set_weights([np.ones((3, 2)), np.arange(2)])
    np.testing.assert_array_equal(layer(torch.ones(1, 3)).detach().numpy(), [[3, 4]])


def test_trainable_false_freezes_weights():
    layer = Dense(2)
    layer(torch.zeros(1, 3))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_custom_layer_with_add_weight():
    class Scale(Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

        def call(self, inputs):
            return inputs * self.scale

    layer = Scale()
    x = torch.randn(2, 3)
    assert torch.equal(layer(x), x)
    assert layer.count_params() == 3
    assert [name for name, _ in layer.named_parameters()] == ["scale"]


def test_input_returns_symbolic_tensor_with_batch_axis():
    inputs = Input(shape=(784,))
    assert inputs.shape == (None, 784)
    assert Dense(10)(inputs).shape == (None, 10)


def test_input_tensor_and_optional_are_not_dropped_silently():
    import pytest

    from layerfit.errors import LayerfitValueError, LayerfitWarning

    with pytest.raises(LayerfitValueError, match=r"(?s)Input\(tensor=\.\.\.\).*Input\(shape="):
        layerfit.Input(shape=(3,), tensor=np.zeros((2, 3)))
    with pytest.warns(LayerfitWarning, match=r"(?s)optional=True\) is ignored.*drop optional"):
        inputs = layerfit.Input(shape=(3,), optional=True)
    assert inputs.shape == (None, 3)
