"""VGG16/VGG19 without Keras: argument errors name cause and fix, preprocessing by hand.
Architecture and weights against real Keras: tests/oracle/test_vgg_oracle.py."""

from __future__ import annotations

import numpy as np
import pytest

from layerfit.applications import vgg16, vgg19
from layerfit.errors import LayerfitValueError


@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"weights": "imagenet", "classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"weights": "missing.h5"}, "weights='missing.h5' is neither", "check the path"),
        ({"weights": "imagenet", "input_shape": (64, 64, 3)}, "input_shape=(64, 64, 3) with include_top=True", "include_top=False"),
        ({"weights": "imagenet", "classifier_activation": "relu"}, "classifier_activation='relu'", "classifier_activation=None"),
        ({"weights": None, "include_top": False, "pooling": "mean", "input_shape": (32, 32, 3)}, "pooling='mean'", "pooling='avg'"),
        ({"weights": None, "include_top": False, "input_shape": (31, 32, 3)}, "smaller", "Resizing"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("function", [vgg16.VGG16, vgg19.VGG19])
def test_bad_arguments_name_cause_and_fix(function, kwargs, cause, fix):
    with pytest.raises(LayerfitValueError) as info:
        function(**kwargs)
    assert cause in str(info.value) and fix in str(info.value)


def test_without_top_any_size_gives_feature_maps():
    model = vgg16.VGG16(weights=None, include_top=False, input_shape=(64, 96, 3))
    assert model.output_shape == (None, 2, 3, 512)
    assert model.get_layer("block5_pool").output.shape == (None, 2, 3, 512)


def test_preprocess_input_is_bgr_minus_imagenet_mean():
    x = np.array([[[[10.0, 20.0, 30.0]]]], "float32")
    expected = [[[[30 - 103.939, 20 - 116.779, 10 - 123.68]]]]
    np.testing.assert_allclose(vgg19.preprocess_input(x), expected, rtol=1e-6)
