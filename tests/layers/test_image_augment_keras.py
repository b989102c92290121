"""Keras 3.15's newer image augmentation layers, against Keras itself where the result is fixed.

Each layer gets the same images and the same transformation parameters in both libraries
(Keras's ``transform_images(images, transformation)`` on JAX, layerfit's ``_apply``), and
the outputs must agree; random draws are checked statistically and for their seed rules.
"""

import numpy as np
import pytest
import torch

from layerfit import layers
from layerfit.errors import LayerfitValueError
from tests.layers._keras_oracle import keras

RNG = np.random.default_rng(0)
IMAGES = (RNG.random((3, 9, 11, 3)) * 255).astype("float32")  # NHWC, 0..255


def _ours(layer, images, params):
    nchw = torch.from_numpy(images).permute(0, 3, 1, 2)
    return layer._apply(nchw, params).permute(0, 2, 3, 1).numpy()


def _keras(layer, images, transformation):
    return np.asarray(layer.transform_images(images, transformation, training=True))


def _t(values, dtype=torch.float32):
    return torch.as_tensor(np.asarray(values), dtype=dtype)


CASES = {
    # name: (layerfit layer, keras layer, layerfit params, keras transformation, atol)
    "grayscale": (
        layers.RandomGrayscale(0.5),
        keras.layers.RandomGrayscale(0.5),
        {"apply": _t([True, False, True], torch.bool)},
        np.array([True, False, True])[:, None, None, None],
        1e-3,
    ),
    "invert": (
        layers.RandomInvert(value_range=(0, 255)),
        keras.layers.RandomInvert(value_range=(0, 255)),
        {"apply_inversion": _t([True, False, True], torch.bool)},
        {"apply_inversion": np.array([True, False, True])},
        1e-4,
    ),
    "solarization": (
        layers.Solarization(value_range=(0, 255)),
        keras.layers.Solarization(value_range=(0, 255)),
        {"additions": _t([0.0, 30.0, 60.0]), "thresholds": _t([128.0, 100.0, 200.0])},
        {
            "additions": np.array([0.0, 30.0, 60.0], "float32").reshape(3, 1, 1, 1),
            "thresholds": np.array([128.0, 100.0, 200.0], "float32").reshape(3, 1, 1, 1),
        },
        1e-3,
    ),
    "posterization": (
        layers.RandomPosterization(4),
        keras.layers.RandomPosterization(4),
        {"shift_factor": _t([4, 6, 1], torch.int64)},
        {"shift_factor": np.array([4, 6, 1], "uint8")},
        0.0,
    ),
    "color_degeneration": (
        layers.RandomColorDegeneration(0.5),
        keras.layers.RandomColorDegeneration(0.5),
        {"factor": _t([0.0, 0.4, -0.3])},
        {"factor": np.array([0.0, 0.4, -0.3], "float32").reshape(3, 1, 1, 1)},
        1e-3,
    ),
    "saturation": (
        layers.RandomSaturation(0.5),
        keras.layers.RandomSaturation(0.5),
        {"factor": _t([0.2, 1.0, 3.0])},
        {"factor": np.array([0.2, 1.0, 3.0], "float32")},
        2e-3,
    ),
    "hue": (
        layers.RandomHue(0.5),
        keras.layers.RandomHue(0.5),
        {"factor": _t([0.1, -0.25, 0.45])},
        {"factor": np.array([0.1, -0.25, 0.45], "float32")},
        2e-3,
    ),
    "sharpness": (
        layers.RandomSharpness(0.5),
        keras.layers.RandomSharpness(0.5),
        {"factor": _t([0.0, 0.5, 0.9])},
        {"factor": np.array([0.0, 0.5, 0.9], "float32")},
        1e-3,
    ),
    "gaussian_blur": (
        layers.RandomGaussianBlur(kernel_size=5, sigma=1.0),
        keras.layers.RandomGaussianBlur(kernel_size=5, sigma=1.0),
        {"should_apply_blur": _t([True, False, True], torch.bool), "blur_factor": _t([0.7, 1.3])},
        {
            "should_apply_blur": np.array([True, False, True]),
            "blur_factor": np.array([0.7, 1.3], "float32"),
        },
        1e-3,
    ),
    "mix_up": (
        layers.MixUp(),
        keras.layers.MixUp(),
        {"mix_weight": _t([0.2, 0.9, 0.5]), "permutation_order": _t([2, 0, 1], torch.int64)},
        {
            "mix_weight": np.array([0.2, 0.9, 0.5], "float32"),
            "permutation_order": np.array([2, 0, 1]),
        },
        1e-3,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_transform_equals_keras_for_given_parameters(case):
    ours, theirs, params, transformation, atol = CASES[case]
    expected = _keras(theirs, IMAGES, transformation)
    # float32 arithmetic in both; tolerances in pixel units out of 255.
    np.testing.assert_allclose(_ours(ours, IMAGES, params), expected, atol=atol, rtol=1e-5)


@pytest.mark.parametrize(
    "value_range, scale", [((0, 255), 1.0), ((0, 1), 1 / 255), ((-1, 1), 2 / 255)]
)
def test_deterministic_layers_equal_keras_on_every_value_range(value_range, scale):
    images = IMAGES * scale + value_range[0]
    for ours, theirs in (
        (layers.AutoContrast(value_range), keras.layers.AutoContrast(value_range)),
        (layers.Equalization(value_range), keras.layers.Equalization(value_range)),
    ):
        expected = np.asarray(theirs(images))
        got = ours(torch.from_numpy(images), training=True).numpy()
        # Equalization's table is rounded to whole levels: one level of slack at bin edges.
        np.testing.assert_allclose(got, expected, atol=1e-3 * (value_range[1] - value_range[0]))


def test_cut_mix_and_erasing_boxes_equal_keras():
    box = (_t([1.0, 2.5, 0.0]), _t([6.0, 9.0, 4.0]), _t([0.5, 3.0, 2.0]), _t([7.0, 8.0, 9.0]))
    mask = np.zeros((3, 9, 11, 3), bool)
    for i in range(3):
        xs, ys = np.arange(11), np.arange(9)
        inside = ((xs >= box[0][i].item()) & (xs < box[1][i].item()))[None, :] & (
            (ys >= box[2][i].item()) & (ys < box[3][i].item())
        )[:, None]
        mask[i] = inside[..., None]
    order = _t([1, 2, 0], torch.int64)
    cut = _keras(
        keras.layers.CutMix(),
        IMAGES,
        {"permutation_order": np.array([1, 2, 0]), "batch_masks": mask, "mix_weight": None},
    )
    ours = _ours(layers.CutMix(), IMAGES, {"permutation_order": order, "box": box})
    np.testing.assert_array_equal(ours, cut)
    fill = np.full(IMAGES.shape, 7.0, "float32")
    erased = _keras(
        keras.layers.RandomErasing(),
        IMAGES,
        {"apply_erasing": np.array([True, True, False]), "batch_masks": mask, "fill_value": fill},
    )
    params = {
        "apply_erasing": _t([True, True, False], torch.bool),
        "box": box,
        "fill_value": torch.from_numpy(fill).permute(0, 3, 1, 2),
    }
    np.testing.assert_array_equal(_ours(layers.RandomErasing(), IMAGES, params), erased)


def test_factor_ranges_follow_keras():
    pairs = [
        (layers.RandomSaturation(0.5), keras.layers.RandomSaturation(0.5), "factor"),
        (layers.RandomColorDegeneration(0.3), keras.layers.RandomColorDegeneration(0.3), "factor"),
        (layers.RandomHue(0.5), keras.layers.RandomHue(0.5), "factor"),
        (layers.RandomPosterization(4), keras.layers.RandomPosterization(4), "factor"),
        (layers.RandomErasing(0.5), keras.layers.RandomErasing(0.5), "factor"),
        (layers.RandomGaussianBlur(), keras.layers.RandomGaussianBlur(), "sigma"),
        (layers.Solarization(0.5, 0.2), keras.layers.Solarization(0.5, 0.2), "threshold_factor"),
        (layers.CutMix(0.5), keras.layers.CutMix(0.5), "factor"),
    ]
    for ours, theirs, name in pairs:
        assert tuple(getattr(ours, name)) == pytest.approx(tuple(getattr(theirs, name))), name


def test_inactive_outside_training_and_seeded():
    images = torch.from_numpy(IMAGES)
    for make in (
        lambda s: layers.RandomInvert(seed=s),
        lambda s: layers.RandomHue(0.5, seed=s),
        lambda s: layers.MixUp(seed=s),
        lambda s: layers.RandomErasing(seed=s),
        lambda s: layers.Equalization(),
    ):
        assert torch.equal(make(1)(images, training=False), images)
    for make in (
        lambda s: layers.RandomHue(0.5, seed=s),
        lambda s: layers.MixUp(seed=s),
        lambda s: layers.CutMix(seed=s),
        lambda s: layers.RandomErasing(seed=s),
        lambda s: layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.3, seed=s),
    ):
        first, again = make(3)(images, training=True), make(3)(images, training=True)
        assert torch.equal(first, again)
        assert not torch.equal(first, images)
    # AutoContrast acts in inference too, as Keras says.
    assert not torch.equal(layers.AutoContrast()(images, training=False), images)


def test_random_draws_match_their_distributions():
    images = torch.full((4000, 2, 2, 3), 100.0)
    inverted = layers.RandomInvert(factor=(0.2, 0.6), seed=0)(images, training=True)
    share = (inverted[:, 0, 0, 0] == 155.0).float().mean().item()
    # P(u < p) with p ~ U(0.2, 0.6) is 0.4; 4000 draws: standard error 0.008.
    assert abs(share - 0.4) < 0.04
    gray = layers.RandomGrayscale(0.25, seed=0)(torch.rand(4000, 2, 2, 3), training=True)
    share = (gray.std(-1).amax((1, 2)) < 1e-6).float().mean().item()
    assert abs(share - 0.25) < 0.04
    mixed = layers.MixUp(alpha=0.2, seed=0)._beta(20000, 0.2, "cpu")
    # Beta(0.2, 0.2): mean 0.5, variance 1 / (4 * (2 * 0.2 + 1)) = 0.1786.
    assert abs(mixed.mean().item() - 0.5) < 0.02 and abs(mixed.var().item() - 0.1786) < 0.01


def test_mix_up_and_cut_mix_mix_labels_with_the_images():
    images = torch.from_numpy(IMAGES[:, :8, :8]).repeat(4, 1, 1, 1)
    labels = torch.eye(3).repeat(4, 1)
    out = layers.MixUp(seed=0)({"images": images, "labels": labels}, training=True)
    np.testing.assert_allclose(out["labels"].sum(-1).numpy(), 1.0, rtol=1e-6)
    cut = layers.CutMix(seed=0)
    nchw = images.permute(0, 3, 1, 2)
    params = cut._draw(nchw)
    mixed = cut._apply_labels(labels, params)
    # Keras's rule: each label keeps 1 - (box area / image area), box sides not rounded.
    x0, x1, y0, y1 = params["box"]
    keep = 1 - (x1 - x0) * (y1 - y0) / 64
    order = params["permutation_order"]
    expected = keep[:, None] * labels + (1 - keep[:, None]) * labels[order]
    np.testing.assert_allclose(mixed.numpy(), expected.numpy(), atol=1e-6)
    # The pasted pixels are the box's: the share of changed pixels is close to the box area.
    changed = (cut._apply(nchw, params) != nchw).any(1).float().mean((1, 2))
    moved = order != torch.arange(len(order))
    assert (changed[~moved] == 0).all()
    assert ((changed[moved] - (1 - keep[moved])).abs() < 0.3).all()  # 8x8 pixel rounding
    out = cut({"images": images, "labels": labels}, training=True)
    np.testing.assert_allclose(out["labels"].sum(-1).numpy(), 1.0, rtol=1e-6)
    with pytest.raises(LayerfitValueError, match="bounding boxes and segmentation masks"):
        cut({"images": images, "bounding_boxes": {}}, training=True)


def test_pipeline_applies_layers_in_order_and_round_trips():
    pipeline = layers.Pipeline([layers.Rescaling(1 / 255), layers.RandomInvert((1, 1), (0, 1))])
    images = torch.from_numpy(IMAGES)
    np.testing.assert_allclose(pipeline(images, training=True).numpy(), 1 - IMAGES / 255, atol=1e-6)
    np.testing.assert_allclose(pipeline(images, training=False).numpy(), IMAGES / 255, atol=1e-6)
    again = layers.deserialize(layers.serialize(pipeline))
    assert [type(x).__name__ for x in again.layers] == ["Rescaling", "RandomInvert"]


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: layers.RandomGrayscale(1.5), "RandomGrayscale got factor=1.5"),
        (lambda: layers.RandomHue(2.0), r"RandomHue got factor=2.0[\s\S]*in \[0, 1\]"),
        (lambda: layers.RandomPosterization(9), r"in \[1, 8\]"),
        (lambda: layers.RandomInvert(value_range=(1, 0)), "low < high"),
        (lambda: layers.RandomGaussianBlur(kernel_size=4), "an odd positive integer"),
        (lambda: layers.MixUp(alpha=0), "MixUp got alpha=0"),
        (lambda: layers.RandomErasing(fill_value="x"), "None \\(noise\\), a number"),
        (lambda: layers.Pipeline(layers.Dense(2)), "a list of layerfit layers"),
    ],
)
def test_bad_arguments_name_the_fix(make, match):
    with pytest.raises(LayerfitValueError, match=match):
        make()
