"""RandAugment and AugMix against Keras 3.15 (JAX): the same sub-layers with the same
arguments, the same configs, and the same output for the same choices of operations
(deterministic ones, auto-contrast and equalization, so the results can be compared).
Tolerance: Equalization rounds its table to whole levels, so a few pixels at bin edges
differ by one or two levels; the mean difference stays under 0.05."""

import numpy as np
import pytest
import torch

from layerfit import layers
from tests.layers._keras_oracle import keras

RNG = np.random.default_rng(0)
IMAGES = (RNG.random((3, 9, 11, 3)) * 255).astype("float32")

SUB_LAYER_ARGS = {
    "random_shear": ("x_factor", "y_factor", "interpolation"),
    "random_translation": ("height_factor", "width_factor", "interpolation"),
    "random_rotation": ("factor", "interpolation"),
    "random_brightness": ("factor", "value_range"),
    "random_color_degeneration": ("factor", "value_range"),
    "random_contrast": ("factor", "value_range"),
    "random_sharpness": ("factor", "value_range"),
    "random_posterization": ("factor", "value_range"),
    "solarization": ("addition_factor", "threshold_factor", "value_range"),
    "auto_contrast": ("value_range",),
    "equalization": ("value_range",),
}


def _same(a, b):
    if isinstance(a, (tuple, list)):
        return list(a) == pytest.approx(list(b))
    return a == b


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (layers.RandAugment(), keras.layers.RandAugment()),
        (layers.RandAugment((0, 1), 3, (0.2, 0.8), "nearest", seed=4),
         keras.layers.RandAugment((0, 1), 3, (0.2, 0.8), "nearest", seed=4)),
        (layers.AugMix(), keras.layers.AugMix()),
        (layers.AugMix((0, 1), 2, 4, 0.6, 0.5, False, seed=1),
         keras.layers.AugMix((0, 1), 2, 4, 0.6, 0.5, False, seed=1)),
    ],
)  # fmt: skip
def test_sub_layers_and_config_match_keras(ours, theirs):
    names = getattr(theirs, "_AUGMENT_LAYERS", None) or theirs._augment_layers
    assert ours._augment_layers == list(names)
    for name in names:
        for arg in SUB_LAYER_ARGS[name]:
            a, b = getattr(getattr(ours, name), arg), getattr(getattr(theirs, name), arg)
            assert _same(a, b), (name, arg, a, b)
    expected, got = theirs.get_config(), ours.get_config()
    for key in ("name", "dtype", "trainable"):
        expected.pop(key), got.pop(key)
    assert set(got) == set(expected)
    for key in got:
        assert _same(got[key], expected[key]), key


def _ours(layer, images, params):
    nchw = torch.from_numpy(images).permute(0, 3, 1, 2)
    return layer._apply(nchw, params).permute(0, 2, 3, 1).numpy()


@pytest.mark.parametrize("chosen", [["auto_contrast", "equalization"], ["equalization"] * 2])
def test_rand_augment_equals_keras_for_given_choices(chosen):
    ours, theirs = layers.RandAugment(num_ops=2), keras.layers.RandAugment(num_ops=2)
    indexes = [theirs._AUGMENT_LAYERS.index(name) for name in chosen]
    transformation = theirs.get_random_transformation(IMAGES, training=True)
    transformation["layer_idxes"] = np.array(indexes)
    expected = np.asarray(theirs.transform_images(IMAGES, transformation, training=True))
    got = _ours(ours, IMAGES, {"layer_idxes": torch.tensor(indexes)})
    # Equalization's table is rounded to whole levels (one level of slack at bin edges, as in
    # test_image_augment_keras); the op after it may stretch that to two, on a few pixels.
    np.testing.assert_allclose(got, expected, atol=2.0 + 1e-3)
    assert np.abs(got - expected).mean() < 0.05


def test_aug_mix_equals_keras_for_given_chains():
    theirs = keras.layers.AugMix(all_ops=False)
    chains = [["auto_contrast"], ["equalization", "auto_contrast"], []]
    transformation = {
        "chain_mixing_weights": np.array([0.2, 0.3, 0.5], "float32"),
        "weight_sample": np.float32(0.4),
        "chain_transforms": [
            [{"layer_name": name, "transformation": None} for name in chain] for chain in chains
        ],
    }
    expected = np.asarray(theirs.transform_images(IMAGES, transformation, training=True))
    params = {
        "chain_mixing_weights": torch.tensor([0.2, 0.3, 0.5]),
        "weight_sample": 0.4,
        "chains": chains,
    }
    got = _ours(layers.AugMix(all_ops=False), IMAGES, params)
    np.testing.assert_allclose(got, expected, atol=1.0 + 1e-3)
    assert np.abs(got - expected).mean() < 0.05
