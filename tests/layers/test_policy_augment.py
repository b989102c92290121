"""RandAugment and AugMix without Keras: inference is the identity, seeds repeat, the
choices and mixing weights follow their definitions, errors are ours
(Keras itself: test_policy_augment_keras.py)."""

import pytest
import torch

from layerfit import layers
from layerfit.errors import LayerfitValueError

IMAGES = torch.rand(4, 12, 10, 3) * 255


@pytest.mark.parametrize("make", [layers.RandAugment, layers.AugMix])
def test_identity_in_inference_seeded_in_training(make):
    layer = make(seed=3)
    assert torch.equal(layer(IMAGES, training=False), IMAGES)
    first = layer(IMAGES, training=True)
    assert torch.equal(first, make(seed=3)(IMAGES, training=True))
    assert first.shape == IMAGES.shape
    assert first.min() >= 0 and first.max() <= 255
    clone = make.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    one = make(seed=3)(IMAGES[0], training=True)
    assert one.shape == IMAGES[0].shape


def test_rand_augment_applies_the_chosen_layers_in_order():
    layer = layers.RandAugment(num_ops=2)
    nchw = IMAGES.permute(0, 3, 1, 2)
    names = layer._augment_layers
    params = {
        "layer_idxes": torch.tensor([names.index("auto_contrast"), names.index("equalization")])
    }
    expected = layer.equalization._apply(layer.auto_contrast._apply(nchw, {}), {})
    torch.testing.assert_close(layer._apply(nchw, params), expected)
    draws = torch.cat([layer._draw()["layer_idxes"] for _ in range(2000)])
    assert draws.min() == 0 and draws.max() == len(names) - 1


def test_aug_mix_formula_and_empty_chains():
    layer = layers.AugMix(all_ops=False)
    nchw = IMAGES.permute(0, 3, 1, 2)
    weights = torch.tensor([0.5, 0.25, 0.25])
    # Chains that do nothing mix the image with itself.
    same = layer._apply(nchw, {"chain_mixing_weights": weights, "weight_sample": 0.3,
                               "chains": [[], [], []]})  # fmt: skip
    torch.testing.assert_close(same, nchw)
    params = {"chain_mixing_weights": weights, "weight_sample": 0.3,
              "chains": [["auto_contrast"], [], ["auto_contrast"]]}  # fmt: skip
    stretched = layer.auto_contrast._apply(nchw, {})
    expected = 0.3 * nchw + 0.7 * (0.75 * stretched + 0.25 * nchw)
    torch.testing.assert_close(layer._apply(nchw, params), expected)
    draw = layer._draw()
    assert draw["chain_mixing_weights"].sum().item() == pytest.approx(1.0, abs=1e-6)
    assert 0 <= draw["weight_sample"] <= 1
    assert all(len(chain) <= 3 for chain in draw["chains"])
    assert set(layer._augment_layers) == {
        "random_shear", "random_translation", "random_rotation", "random_posterization",
        "solarization", "auto_contrast", "equalization",
    }  # fmt: skip


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: layers.RandAugment(num_ops=0), "num_ops"),
        (lambda: layers.RandAugment(factor=1.5), "factor"),
        (lambda: layers.RandAugment(value_range=(255, 0)), "value_range"),
        (lambda: layers.RandAugment(interpolation="bicubic"), "interpolation"),
        (lambda: layers.AugMix(num_chains=0), "num_chains"),
        (lambda: layers.AugMix(chain_depth=2.5), "chain_depth"),
        (lambda: layers.AugMix(alpha=0), "alpha"),
        (lambda: layers.AugMix(seed="x"), "seed"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(LayerfitValueError, match=match):
        make()
