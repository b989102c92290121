"""Rescaling, Resizing and the augmentation layers (active only in training)."""

import numpy as np
import pytest
import torch

import layerfit
from layerfit import layers as L
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(3)


def _t(array):
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def _images(*shape):
    return RNG.uniform(0, 255, size=shape).astype("float32")


# -- Rescaling, Resizing ----------------------------------------------------------------------


def test_rescaling_scalar_and_per_channel():
    x = _images(2, 3, 3, 2)
    np.testing.assert_allclose(L.Rescaling(1 / 255)(_t(x)).numpy(), x / 255, rtol=1e-6)
    out = L.Rescaling([1.0, 0.5], offset=[0.0, -1.0])(_t(x)).numpy()
    np.testing.assert_allclose(out, x * [1.0, 0.5] + [0.0, -1.0], rtol=1e-6)
    integers = torch.full((1, 2, 2, 1), 255, dtype=torch.uint8)
    out = L.Rescaling(1 / 127.5, offset=-1)(integers)
    assert out.dtype == torch.float32 and torch.allclose(out, torch.ones_like(out))


def _np_resize_bilinear(x, out_h, out_w):
    """Half-pixel-centre bilinear resize of one (H, W) image, as TensorFlow's resize does."""
    h, w = x.shape

    def taps(out, size):
        src = np.clip((np.arange(out) + 0.5) * size / out - 0.5, 0, size - 1)
        low = np.floor(src).astype(int)
        high = np.minimum(low + 1, size - 1)
        return low, high, src - low

    (r0, r1, fy), (c0, c1, fx) = taps(out_h, h), taps(out_w, w)
    top = x[r0][:, c0] * (1 - fx) + x[r0][:, c1] * fx
    bottom = x[r1][:, c0] * (1 - fx) + x[r1][:, c1] * fx
    return top * (1 - fy)[:, None] + bottom * fy[:, None]


@pytest.mark.parametrize("size", [(3, 7), (8, 10)])
def test_resizing_bilinear_matches_half_pixel_reference(size):
    x = _images(2, 5, 4, 1)
    out = L.Resizing(*size)(_t(x)).numpy()
    assert out.shape == (2, *size, 1)
    for i in range(2):
        np.testing.assert_allclose(
            out[i, ..., 0], _np_resize_bilinear(x[i, ..., 0], *size), rtol=1e-5, atol=1e-3
        )


def test_resizing_nearest_crop_pad_and_integer_images():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    out = L.Resizing(2, 2, interpolation="nearest")(_t(x)).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[5, 7], [13, 15]])  # centres at 1 and 3 (floor((i+.5)*2))
    wide = _images(1, 4, 8, 1)
    cropped = L.Resizing(4, 4, crop_to_aspect_ratio=True)(_t(wide)).numpy()
    np.testing.assert_allclose(cropped, wide[:, :, 2:6], atol=1e-4)  # same-size centre crop
    padded = L.Resizing(8, 8, pad_to_aspect_ratio=True, fill_value=-1)(_t(wide)).numpy()
    np.testing.assert_allclose(padded[:, 2:6], wide, atol=1e-4)
    np.testing.assert_array_equal(padded[:, :2], -1)
    integers = torch.arange(16, dtype=torch.uint8).reshape(1, 4, 4, 1)
    out = L.Resizing(2, 2, interpolation="area")(integers)
    assert out.dtype == torch.uint8
    np.testing.assert_array_equal(out[0, :, :, 0].numpy(), [[2, 4], [10, 12]])  # rounded means
    single = L.Resizing(3, 3)(torch.zeros(5, 5, 2))  # one image without a batch axis
    assert single.shape == (3, 3, 2)
    assert L.Resizing(3, 3).compute_output_shape((5, 5, 2)) == (3, 3, 2)


def test_resizing_errors():
    with pytest.raises(LayerfitValueError, match="Did you mean 'bilinear'"):
        L.Resizing(4, 4, interpolation="bilnear")
    with pytest.raises(LayerfitValueError, match="'gaussian'"):  # TensorFlow-only in Keras
        L.Resizing(4, 4, interpolation="gaussian")
    with pytest.raises(LayerfitValueError, match="positive integer"):
        L.Resizing(0, 4)
    with pytest.raises(LayerfitValueError, match=r"x\[\.\.\., None\]"):
        L.Resizing(4, 4)(torch.zeros(2, 3, 3, 1, 1))


# -- augmentations ----------------------------------------------------------------------------


def test_random_flip_flips_some_images_in_training_and_none_at_inference():
    x = _t(_images(64, 4, 5, 2))
    layer = L.RandomFlip("horizontal")
    out = layer(x)  # a layer in train mode augments when called directly, as in Keras
    flipped = torch.tensor([torch.equal(o, i.flip(1)) for o, i in zip(out, x)])
    same = torch.tensor([torch.equal(o, i) for o, i in zip(out, x)])
    assert torch.all(flipped | same) and 16 < flipped.sum() < 48
    assert torch.equal(layer(x, training=False), x)
    layer.eval()
    assert torch.equal(layer(x), x)


def test_random_flip_both_modes_use_one_draw_like_keras():
    x = _t(_images(32, 3, 3, 1))
    out = L.RandomFlip()(x)
    both = torch.tensor([torch.equal(o, i.flip(0, 1)) for o, i in zip(out, x)])
    same = torch.tensor([torch.equal(o, i) for o, i in zip(out, x)])
    assert torch.all(both | same)
    vertical = L.RandomFlip("vertical", seed=3)(x)
    assert all(torch.equal(o, i) or torch.equal(o, i.flip(0)) for o, i in zip(vertical, x))


def test_seeded_augmentation_is_reproducible():
    x = _t(_images(4, 6, 6, 3))
    first = L.RandomRotation(0.3, seed=11)(x)
    assert torch.equal(first, L.RandomRotation(0.3, seed=11)(x))
    assert not torch.equal(first, L.RandomRotation(0.3, seed=12)(x))


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_random_rotation_quarter_turn_is_counter_clockwise(interpolation):
    x = _images(2, 5, 5, 3)
    layer = L.RandomRotation((0.25, 0.25), interpolation=interpolation)
    out = layer(_t(x)).numpy()
    np.testing.assert_allclose(out, np.rot90(x, k=1, axes=(1, 2)), atol=1e-3)


def test_random_translation_shifts_down_and_fills():
    x = _images(1, 4, 3, 1)
    down = L.RandomTranslation((0.5, 0.5), 0.0, fill_mode="constant", fill_value=7.0)
    out = down(_t(x)).numpy()
    np.testing.assert_allclose(out[:, 2:], x[:, :2], atol=1e-4)
    np.testing.assert_allclose(out[:, :2], 7.0)
    reflected = L.RandomTranslation((0.5, 0.5), 0.0)(_t(x)).numpy()  # reflect: b a | a b c d
    np.testing.assert_allclose(reflected[:, :2], x[:, 1::-1], atol=1e-4)
    nearest = L.RandomTranslation(0.0, (-1 / 3, -1 / 3), fill_mode="nearest")(_t(x)).numpy()
    np.testing.assert_allclose(nearest[:, :, :2], x[:, :, 1:], atol=1e-4)  # shifted left by one
    np.testing.assert_allclose(nearest[:, :, 2], x[:, :, 2], atol=1e-4)


def test_random_translation_wrap_fill():
    x = _images(1, 1, 4, 1)
    out = L.RandomTranslation(0.0, (0.25, 0.25), fill_mode="wrap")(_t(x)).numpy()
    np.testing.assert_allclose(out[0, 0, :, 0], np.roll(x[0, 0, :, 0], 1), atol=1e-4)


def test_random_zoom_in_and_out_about_the_centre():
    x = np.arange(5, dtype="float32").reshape(1, 1, 5, 1) * np.ones((1, 5, 1, 1), "float32")
    zoom_in = L.RandomZoom((-0.5, -0.5), interpolation="bilinear")(_t(x)).numpy()
    # Output column j reads input column 2 + 0.5 * (j - 2).
    np.testing.assert_allclose(zoom_in[0, 2, :, 0], [1.0, 1.5, 2.0, 2.5, 3.0], atol=1e-5)
    zoom_out = L.RandomZoom((1.0, 1.0), fill_mode="constant")(_t(x)).numpy()
    # Column j reads 2 + 2 * (j - 2): 0, 2, 4 inside, then the fill outside.
    np.testing.assert_allclose(zoom_out[0, 2, :, 0], [0, 0, 2, 4, 0], atol=1e-5)
    assert zoom_out[0, 0, 2, 0] == 0  # rows zoom out too when width_factor is None


def test_random_contrast_scales_about_channel_means_and_clips():
    x = _images(8, 4, 4, 3)
    out = L.RandomContrast(0.5)(_t(x)).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    factor = (out - mean)[:, 0, 0, 0] / (x - mean)[:, 0, 0, 0]
    assert np.all((factor >= 0.5 - 1e-4) & (factor <= 1.5 + 1e-4))
    unclipped = np.clip((x - mean) * factor[:, None, None, None] + mean, 0, 255)
    np.testing.assert_allclose(out, unclipped, atol=1e-3)
    pinned = L.RandomContrast((0.0, 0.0), value_range=(0, 100))(_t(x)).numpy()
    np.testing.assert_allclose(pinned, np.clip(x, 0, 100), atol=1e-4)
    with pytest.raises(LayerfitValueError, match=r"\[0, 1\]"):
        L.RandomContrast(1.5)


def test_augmentation_argument_errors():
    with pytest.raises(LayerfitValueError, match="Did you mean 'horizontal'"):
        L.RandomFlip("horizontl")
    with pytest.raises(LayerfitValueError, match="Did you mean 'reflect'"):
        L.RandomRotation(0.1, fill_mode="reflekt")
    with pytest.raises(LayerfitValueError, match=r"\[-1, 1\]"):
        L.RandomZoom(2.0)
    with pytest.raises(LayerfitValueError, match="seed=42"):
        L.RandomTranslation(0.1, 0.1, seed="a")


def test_augmentation_inactive_in_predict_and_evaluate():
    augment = [
        L.RandomFlip(),
        L.RandomRotation(0.3),
        L.RandomTranslation(0.2, 0.2),
        L.RandomZoom(0.3),
        L.RandomContrast(0.5),
        L.SpatialDropout2D(0.5),
    ]
    model = layerfit.Sequential([L.Input(shape=(6, 6, 2)), *augment, L.Flatten()])
    model.compile(optimizer="sgd", loss="mse")
    x = _images(10, 6, 6, 2)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x.reshape(10, -1))
    assert model.evaluate(x, x.reshape(10, -1), verbose=0) == 0.0
    assert not np.array_equal(model(_t(x), training=True).detach().numpy(), x.reshape(10, -1))
