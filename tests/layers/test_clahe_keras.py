"""CLAHE and MaxNumBoundingBoxes against Keras 3.15 (JAX): the same numbers.

CLAHE is deterministic: float32 histograms and interpolation in both, so 1e-3 out of 255
(a value exactly on an integer may truncate differently: at most a few pixels, one level).
"""

import numpy as np
import pytest
import torch

from layerfit import layers
from tests.layers._keras_oracle import keras

RNG = np.random.default_rng(0)

CASES = [
    ({}, (2, 20, 30, 3)),
    ({"clip_limit": 2.0, "tile_grid_size": (3, 5)}, (2, 17, 23, 1)),
    ({"clip_limit": 0.0, "tile_grid_size": (4, 4)}, (1, 16, 16, 3)),
    ({"value_range": (0, 1), "tile_grid_size": (8, 8)}, (1, 5, 6, 2)),  # tiles of one pixel
    ({"data_format": "channels_first", "tile_grid_size": (2, 3)}, (2, 3, 13, 14)),
]


@pytest.mark.parametrize("kwargs, shape", CASES)
def test_clahe_equals_keras(kwargs, shape):
    high = kwargs.get("value_range", (0, 255))[1]
    images = (RNG.random(shape) * high).astype("float32")
    theirs = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    expected = np.asarray(theirs(images, training=False))
    ours = layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    got = ours(torch.from_numpy(images), training=False).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-3 * high, rtol=1e-5)
    single = ours(torch.from_numpy(images[0])).numpy()
    np.testing.assert_allclose(single, expected[0], atol=1e-3 * high, rtol=1e-5)


def test_clahe_uint8_and_config_equal_keras():
    images = (RNG.random((2, 24, 24, 3)) * 255).astype("uint8")
    theirs = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4))
    expected = np.asarray(theirs(images))
    ours = layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4))
    got = ours(torch.from_numpy(images)).numpy()
    assert got.dtype == expected.dtype == np.uint8
    # Truncation after float32 arithmetic: a value a hair from an integer may land on
    # either side; at most one level, on few pixels.
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 1
    assert (got != expected).mean() < 0.01
    a, b = theirs.get_config(), ours.get_config()
    for key in ("name", "dtype", "trainable"):
        a.pop(key), b.pop(key)
    assert a == b


@pytest.mark.parametrize("count", [2, 3, 5])
def test_max_num_bounding_boxes_equals_keras(count):
    images = RNG.random((2, 8, 8, 3)).astype("float32")
    boxes = {
        "boxes": RNG.random((2, count, 4)).astype("float32"),
        "labels": RNG.integers(0, 5, (2, count)).astype("int32"),
    }
    theirs = keras.layers.MaxNumBoundingBoxes(3, fill_value=-2, bounding_box_format="xyxy")
    expected = theirs({"images": images, "bounding_boxes": boxes})
    ours = layers.MaxNumBoundingBoxes(3, fill_value=-2, bounding_box_format="xyxy")
    got = ours({"images": torch.from_numpy(images), "bounding_boxes": boxes})
    np.testing.assert_array_equal(got["images"].numpy(), images)
    for key in ("boxes", "labels"):
        np.testing.assert_array_equal(
            got["bounding_boxes"][key].numpy(), np.asarray(expected["bounding_boxes"][key])
        )
    config = ours.get_config()
    assert config.pop("fill_value") == -2  # Keras forgets it (see notes)
    expected_config = theirs.get_config()
    for key in ("name", "dtype", "trainable"):
        config.pop(key), expected_config.pop(key)
    assert config == expected_config
