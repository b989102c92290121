"""What a model does to its input before the first layer (Keras 3's Functional behaviour).

Every path into the model gets it: direct calls, DataLoader batches and fit's arrays.
"""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitValueError
from layerfit.layers import Conv2D, Dense, Flatten, Input


def grayscale_cnn():
    model = keras.Sequential(
        [Input((28, 28, 1)), Conv2D(2, 3), Flatten(), Dense(3, activation="softmax")]
    )
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


def functional_cnn():
    inputs = Input((28, 28, 1))
    outputs = Dense(3)(Flatten()(Conv2D(2, 3)(inputs)))
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("build", [grayscale_cnn, functional_cnn])
def test_a_direct_call_adds_the_declared_channel_axis(build):
    model = build()
    images = torch.rand(2, 28, 28)
    expected = model(images[..., None])
    assert torch.equal(model(images), expected)  # (2, 28, 28) is read as (2, 28, 28, 1)


@pytest.mark.parametrize("build", [grayscale_cnn, functional_cnn])
def test_a_direct_call_takes_numpy_arrays_of_any_number_type(build):
    model = build()
    pixels = np.random.default_rng(0).integers(0, 2, size=(2, 28, 28, 1))  # int64
    output = model(pixels)
    assert isinstance(output, torch.Tensor) and output.dtype == torch.float32
    assert torch.equal(output, model(torch.tensor(pixels, dtype=torch.float32)))


def test_a_trailing_axis_of_one_is_dropped_for_a_flat_input():
    model = keras.Sequential([Input((4,)), Dense(1)])
    x = torch.rand(5, 4)
    assert torch.equal(model(x[..., None]), model(x))


def test_a_one_feature_model_takes_a_flat_vector():
    model = keras.Sequential([Input((1,)), Dense(1)])
    x = torch.tensor([1.0, 2.0, 3.0])
    assert torch.equal(model(x), model(x[:, None]))


def test_dataloader_batches_without_the_channel_axis_train():
    model = grayscale_cnn()
    data = torch.utils.data.TensorDataset(torch.rand(16, 28, 28), torch.randint(0, 3, (16,)))
    history = model.fit(torch.utils.data.DataLoader(data, batch_size=8), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1 and np.isfinite(history.history["loss"][0])


def test_a_direct_call_with_the_wrong_shape_gets_our_error_not_torchs():
    model = keras.Sequential([Input((4,)), Dense(1)])
    with pytest.raises(LayerfitValueError, match=r"expects input of shape \(None, 4\), but x has"):
        model(np.zeros((3, 5)))


def test_one_sample_without_the_batch_axis_is_named_as_such():
    model = grayscale_cnn()
    with pytest.raises(LayerfitValueError, match=r"one sample of shape \(28, 28, 1\)"):
        model(np.zeros((28, 28, 1)))


def test_a_shape_inferred_from_the_first_call_is_not_enforced():
    # No Input: the first call builds the model; a later length is not a mistake.
    model = keras.Sequential([keras.layers.GlobalAveragePooling1D(), Dense(1)])
    model(torch.rand(2, 7, 3))
    assert model(torch.rand(2, 5, 3)).shape == (2, 1)


def test_a_layer_called_on_a_numpy_array_converts_it_as_keras_does():
    layer = Dense(3)
    output = layer(np.ones((2, 4)))  # float64 becomes float32
    assert isinstance(output, torch.Tensor) and output.dtype == torch.float32
    expected = np.ones((2, 4)) @ layer.kernel.detach().numpy().astype("float64")
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-6)
