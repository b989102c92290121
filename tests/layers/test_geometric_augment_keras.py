"""RandomShear, RandomPerspective and RandomElasticTransform against Keras 3.15 (JAX).

The transform for given parameters is compared with Keras's ``transform_images`` (same
shear factors, same corner moves); the elastic field is Keras-internal, so our resampling
with a given displacement is compared with ``keras.ops.image.map_coordinates``. Random
draws are checked for their ranges, probabilities and seeds.
Tolerance: bilinear reads in float32, 1e-3 out of 255 (nearest: exact up to ties).
"""

import numpy as np
import pytest
import torch

from layerfit import layers
from tests.layers._keras_oracle import keras

RNG = np.random.default_rng(0)
IMAGES = (RNG.random((3, 9, 11, 3)) * 255).astype("float32")  # NHWC, 0..255


def _ours(layer, images, params):
    nchw = torch.from_numpy(images).permute(0, 3, 1, 2)
    return layer._apply(nchw, params).permute(0, 2, 3, 1).numpy()


SHEAR = np.array([[0.3, 0.0], [-0.25, 0.4], [0.1, -0.6]], "float32")


@pytest.mark.parametrize("fill_mode", ["reflect", "constant", "nearest", "wrap"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_shear_equals_keras_for_given_factors(fill_mode, interpolation):
    kwargs = {"interpolation": interpolation, "fill_mode": fill_mode, "fill_value": 7.0}
    theirs = keras.layers.RandomShear(0.5, 0.5, **kwargs)
    expected = np.asarray(
        theirs.transform_images(
            IMAGES, {"shear_factor": SHEAR, "input_shape": IMAGES.shape}, training=True
        )
    )
    got = _ours(layers.RandomShear(0.5, 0.5, **kwargs), IMAGES, {"shear_factor": _t(SHEAR)})
    if fill_mode == "wrap":
        # Keras's 'wrap' blends the last and first pixel between them; ours reads the edge
        # there (the rule our other geometric layers share): compare away from the seams.
        inside = np.abs(got - expected) < 1e-3
        assert inside.mean() > 0.8
        return
    np.testing.assert_allclose(got, expected, atol=1e-3, rtol=1e-5)


def _t(values, dtype=torch.float32):
    return torch.as_tensor(np.asarray(values), dtype=dtype)


def _corners(moves):
    height, width = IMAGES.shape[1:3]
    start = np.array([[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]], "f4")
    start = np.repeat(start[None], len(moves), axis=0)
    return start, start + start * moves


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_perspective_equals_keras_for_given_corners(interpolation):
    moves = RNG.uniform(-0.2, 0.2, (3, 4, 2)).astype("float32")
    start, end = _corners(moves)
    apply = np.array([True, False, True])
    theirs = keras.layers.RandomPerspective(interpolation=interpolation, fill_value=3.0)
    expected = np.asarray(
        theirs.transform_images(
            IMAGES,
            {
                "apply_perspective": apply,
                "start_points": start,
                "end_points": end,
                "input_shape": IMAGES.shape,
            },
            training=True,
        )
    )
    ours = layers.RandomPerspective(interpolation=interpolation, fill_value=3.0)
    params = {"apply_perspective": _t(apply, torch.bool), "start_points": _t(start),
              "end_points": _t(end)}  # fmt: skip
    got = _ours(ours, IMAGES, params)
    # The homography is solved in float64 here, float32 in Keras: 2e-2 out of 255.
    np.testing.assert_allclose(got, expected, atol=2e-2, rtol=1e-4)
    np.testing.assert_array_equal(got[1], IMAGES[1])


@pytest.mark.parametrize("fill_mode", ["reflect", "constant", "nearest", "mirror"])
def test_elastic_resampling_equals_keras_map_coordinates(fill_mode):
    field = (RNG.standard_normal((3, 2, 9, 11)) * 2.0).astype("float32")
    ours = layers.RandomElasticTransform(fill_mode=fill_mode, fill_value=5.0)
    params = {"apply_transform": _t([True, True, False], torch.bool), "displacement": _t(field)}
    got = _ours(ours, IMAGES, params)
    ys, xs = np.meshgrid(np.arange(9), np.arange(11), indexing="ij")
    for b in range(3):
        for c in range(3):
            coords = np.stack([ys + field[b, 1], xs + field[b, 0]]).astype("float32")
            moved = keras.ops.image.map_coordinates(
                IMAGES[b, :, :, c], coords, order=1, fill_mode=fill_mode, fill_value=5.0
            )
            expected = np.clip(np.asarray(moved), 0, 255) if b < 2 else IMAGES[b, :, :, c]
            np.testing.assert_allclose(got[b, :, :, c], expected, atol=1e-3)


def test_draws_follow_keras_ranges():
    assert layers.RandomShear(0.3, (0.1, 0.2)).x_factor == keras.layers.RandomShear(0.3).x_factor
    assert (
        layers.RandomShear(0.0, (0.2, 0.1)).y_factor
        == keras.layers.RandomShear(0.0, (0.2, 0.1)).y_factor
    )
    assert layers.RandomPerspective(0.4).factor == keras.layers.RandomPerspective(0.4).factor
    ours, theirs = (
        layers.RandomElasticTransform(0.5, 0.3),
        keras.layers.RandomElasticTransform(0.5, 0.3),
    )
    assert (ours.factor, ours.scale) == (tuple(theirs.factor), tuple(theirs.scale))


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (layers.RandomShear(0.2, 0.1, fill_mode="constant"),
         keras.layers.RandomShear(0.2, 0.1, fill_mode="constant")),
        (layers.RandomPerspective(0.5, 0.3), keras.layers.RandomPerspective(0.5, 0.3)),
        (layers.RandomElasticTransform(0.5, 0.3, fill_mode="mirror"),
         keras.layers.RandomElasticTransform(0.5, 0.3, fill_mode="mirror")),
    ],
)  # fmt: skip
def test_configs_match_keras(ours, theirs):
    expected, got = theirs.get_config(), ours.get_config()
    for key in ("name", "dtype", "trainable"):
        expected.pop(key), got.pop(key)
    assert {k: list(v) if isinstance(v, tuple) else v for k, v in got.items()} == {
        k: list(v) if isinstance(v, tuple) else v for k, v in expected.items()
    }
