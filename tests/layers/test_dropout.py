"""Dropout's seed and noise_shape, checked by what the masks must look like."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError

X = torch.ones(64, 5, 8)


def masks(layer, calls=3):
    return [(layer(X, training=True) != 0).numpy() for _ in range(calls)]


def test_same_seed_gives_the_same_mask_sequence():
    first, second = masks(layers.Dropout(0.5, seed=7)), masks(layers.Dropout(0.5, seed=7))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])  # a stream: each call draws a new mask


def test_seeded_masks_ignore_the_global_seed_and_differ_between_seeds():
    keras.utils.set_random_seed(1)
    a = masks(layers.Dropout(0.5, seed=7), 1)[0]
    keras.utils.set_random_seed(2)
    b = masks(layers.Dropout(0.5, seed=7), 1)[0]
    c = masks(layers.Dropout(0.5, seed=8), 1)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_unseeded_masks_follow_set_random_seed():
    keras.utils.set_random_seed(3)
    a = masks(layers.Dropout(0.5), 1)[0]
    keras.utils.set_random_seed(3)
    b = masks(layers.Dropout(0.5), 1)[0]
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", [None, 11])
def test_noise_shape_shares_one_draw_along_its_unit_axes(seed):
    layer = layers.Dropout(0.25, noise_shape=(None, 1, 8), seed=seed)
    out = layer(X, training=True).numpy()
    kept = out != 0
    # One mask per (sample, feature), the same at every step.
    assert (kept == kept[:, :1, :]).all()
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)  # survivors scaled by 1/(1-rate)
    # 512 independent draws: the dropped share is 0.25 within 4 standard deviations (0.077).
    assert abs(1 - kept[:, 0, :].mean() - 0.25) < 4 * np.sqrt(0.25 * 0.75 / 512)


def test_inference_is_the_identity_and_seed_is_in_the_config():
    layer = layers.Dropout(0.5, seed=3)
    np.testing.assert_array_equal(layer(X, training=False).numpy(), X.numpy())
    assert layers.Dropout.from_config(layer.get_config()).seed == 3


def test_a_seed_that_is_not_an_int_is_explained():
    with pytest.raises(LayerfitValueError, match="seed=42"):
        layers.Dropout(0.5, seed="7")
