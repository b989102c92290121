"""CategoryEncoding, Discretization, CenterCrop, RandomCrop, RandomBrightness against Keras."""

import os

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.layers import (
    CategoryEncoding,
    CenterCrop,
    Discretization,
    RandomBrightness,
    RandomCrop,
)


def _keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    pytest.importorskip("jax")
    return pytest.importorskip("keras")


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("shape", [(5,), (3, 4), (4, 1)])
def test_category_encoding_matches_keras(mode, shape):
    real = _keras()
    x = np.random.default_rng(0).integers(0, 6, size=shape)
    ours = CategoryEncoding(num_tokens=6, output_mode=mode)(x)
    theirs = np.asarray(real.layers.CategoryEncoding(num_tokens=6, output_mode=mode)(x))
    np.testing.assert_array_equal(ours.numpy(), theirs)


def test_category_encoding_count_weights_and_errors():
    layer = CategoryEncoding(num_tokens=4, output_mode="count")
    out = layer(np.array([[0, 1, 1, 3]]), count_weights=np.array([[0.5, 1.0, 2.0, 1.0]]))
    assert out.tolist() == [[0.5, 3.0, 0.0, 1.0]]
    with pytest.raises(ValueError, match=r"values in \[0, 4\] with num_tokens=4[\s\S]*Fix"):
        layer(np.array([[4, 0]]))
    with pytest.raises(ValueError, match="num_tokens=None"):
        CategoryEncoding()


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_with_boundaries_matches_keras(mode):
    real = _keras()
    x = np.array([[-1.5, 0.0, 0.3], [1.0, 2.5, -0.2]], dtype="float32")
    ours = Discretization(bin_boundaries=[-0.5, 0.0, 1.0], output_mode=mode)(x)
    theirs = real.layers.Discretization(bin_boundaries=[-0.5, 0.0, 1.0], output_mode=mode)(x)
    np.testing.assert_array_equal(ours.numpy(), np.asarray(theirs))


def test_discretization_adapt_matches_keras_quantile_sketch():
    real = _keras()
    from keras.src.layers.preprocessing import discretization as keras_discretization

    rng = np.random.default_rng(0)
    batches = [rng.normal(size=300).astype("float32") for _ in range(3)]
    # Keras's adapt needs TensorFlow only to test for tf.data; its sketch is numpy code.
    summary = np.array([[], []], dtype="float32")
    for batch in batches:
        summary = keras_discretization.merge_summaries(
            keras_discretization.summarize(batch, 0.01), summary, 0.01
        )
    expected = keras_discretization.get_bin_boundaries(summary, 4)
    layer = Discretization(num_bins=4)
    layer.adapt(keras.data.Dataset.from_tensor_slices(np.concatenate(batches)).batch(300))
    np.testing.assert_allclose(layer.bin_boundaries, expected, rtol=1e-6)
    assert real is not None
    with pytest.raises(ValueError, match="exactly one of them"):
        Discretization()
    with pytest.raises(ValueError, match=r"before it has bin boundaries[\s\S]*adapt"):
        Discretization(num_bins=3)(torch.zeros(2))


@pytest.mark.parametrize("size", [(4, 4), (6, 3), (8, 4), (10, 12)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_center_crop_matches_keras(size, data_format):
    real = _keras()
    x = np.random.default_rng(1).uniform(0, 255, size=(2, 6, 8, 3)).astype("float32")
    if data_format == "channels_first":
        x = x.transpose(0, 3, 1, 2)
    ours = CenterCrop(*size, data_format=data_format)(x)
    theirs = real.layers.CenterCrop(*size, data_format=data_format)(x)
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), atol=1e-3)  # float32 resize
    assert ours.shape == CenterCrop(*size, data_format=data_format).compute_output_shape(x.shape)


def test_random_crop_windows_and_inference():
    x = torch.arange(2 * 6 * 8, dtype=torch.float32).reshape(2, 6, 8, 1)
    layer = RandomCrop(4, 5, seed=3)
    assert torch.equal(layer(x, training=False), x)  # outside training: unchanged, as Keras 3
    seen = set()
    for _ in range(20):
        crop = layer(x, training=True)
        assert crop.shape == (2, 4, 5, 1)
        top, left = divmod(int(crop[0, 0, 0, 0]), 8)
        # one window for the whole batch, cut straight out of the input
        assert torch.equal(crop, x[:, top : top + 4, left : left + 5])
        seen.add((top, left))
    assert len(seen) > 3 and all(t <= 2 and w <= 3 for t, w in seen)
    small = RandomCrop(8, 8)(x, training=True)  # not larger than the crop: resized
    assert small.shape == (2, 8, 8, 1)


def test_random_brightness_shifts_within_the_factor():
    x = torch.full((8, 4, 4, 3), 100.0)
    layer = RandomBrightness(0.2, seed=0)
    assert torch.equal(layer(x, training=False), x)
    out = layer(x, training=True)
    shifts = out[:, 0, 0, 0] - 100.0
    assert (shifts.abs() <= 0.2 * 255 + 1e-4).all() and shifts.std() > 0
    # one shift per image, the same for every pixel and channel
    assert torch.equal(out, (x + shifts.view(-1, 1, 1, 1)))
    clipped = RandomBrightness((0.9, 1.0), value_range=(0, 1))(torch.full((2, 2, 2, 1), 0.5), True)
    assert torch.equal(clipped, torch.ones(2, 2, 2, 1))
    with pytest.raises(ValueError, match="value_range="):
        RandomBrightness(0.1, value_range=(1, 0))


def test_crop_layers_in_a_model_round_trip_their_config(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((10, 12, 3)),
            RandomCrop(8, 8, seed=1),
            RandomBrightness(0.1, value_range=(0, 1)),
            CenterCrop(6, 6),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    x = np.random.default_rng(0).uniform(0, 1, size=(4, 10, 12, 3)).astype("float32")
    model.compile("adam", "mse")
    model.fit(x, np.zeros((4, 2)), epochs=1, verbose=0)
    model.save(tmp_path / "crop.keras")
    loaded = keras.models.load_model(tmp_path / "crop.keras")
    # Inference: RandomCrop and RandomBrightness pass through, CenterCrop crops 10x12 -> 6x6.
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    assert loaded.layers[0].get_config()["height"] == 8


def test_adapted_discretization_config_round_trips():
    # After adapt the config holds both num_bins and bin_boundaries; Keras's from_config
    # applies the boundaries after creation (the constructor takes one of them).
    from layerfit.layers import Discretization

    layer = Discretization(num_bins=4)
    layer.adapt(np.arange(100, dtype="float32"))
    again = Discretization.from_config(layer.get_config())
    x = torch.tensor([0.0, 30.0, 60.0, 99.0])
    assert again(x).tolist() == layer(x).tolist() == [0, 1, 2, 3]
