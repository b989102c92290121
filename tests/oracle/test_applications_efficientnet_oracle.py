"""layerfit.applications.efficientnet against keras.applications.efficientnet: the same layers,
counts and predictions from the same weights (in the layout of Keras's published files)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from _applications import assert_same_model, build_both, layerfit, real_keras

from layerfit.errors import LayerfitValueError


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_shape": (32, 32, 3), "classes": 10},
        {"input_shape": (40, 32, 3), "include_top": False, "pooling": "max"},
    ],
)
def test_efficientnet_b0_matches_keras(tmp_path, kwargs):
    theirs, ours = build_both(
        real_keras.applications.EfficientNetB0,
        layerfit.applications.EfficientNetB0,
        tmp_path,
        **kwargs,
    )
    # Pixels in [0, 255]: the models rescale and normalise inside.
    x = np.random.default_rng(1).uniform(0, 255, (2, *kwargs["input_shape"])).astype("float32")
    assert_same_model(ours, theirs, x)


def test_efficientnet_b0_loads_published_layout_twice_in_a_session(tmp_path):
    """Keras names the stem's Normalization by a counter; a second model (normalization_1)
    still reads the file's "normalization" weights, as Keras's topological loading does."""
    kwargs = {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"}
    theirs, first = build_both(
        real_keras.applications.EfficientNetB0,
        layerfit.applications.EfficientNetB0,
        tmp_path,
        **kwargs,
    )
    second = layerfit.applications.EfficientNetB0(weights=str(tmp_path / "published.h5"), **kwargs)
    assert first.layers[2].name != second.layers[2].name  # normalization, normalization_1
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_efficientnet_preprocess_input_passes_through_like_keras():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_array_equal(
        layerfit.applications.efficientnet.preprocess_input(x),
        real_keras.applications.efficientnet.preprocess_input(x),
    )


@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"weights": "imagenet", "classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"weights": "nowhere.h5"}, "weights='nowhere.h5' is neither", "check the path"),
        ({"weights": None, "include_top": False, "pooling": "sum"}, "pooling='sum'", "pooling='avg'"),
        ({"weights": None, "input_shape": (16, 16, 3), "include_top": False}, "smaller", "Resizing"),
        ({"weights": "imagenet", "input_shape": (64, 64, 3)}, "include_top=True", "include_top=False"),
        ({"weights": "imagenet", "include_top": False, "input_shape": (64, 64, 1)}, "1 channels", "RGB"),
    ],
)  # fmt: skip
def test_efficientnet_bad_arguments_name_cause_and_fix(kwargs, cause, fix):
    with pytest.raises(LayerfitValueError) as info:
        layerfit.applications.EfficientNetB0(**{"input_shape": (32, 32, 3), **kwargs})
    assert cause in str(info.value) and fix in str(info.value)


@pytest.mark.parametrize("name", [f"EfficientNetB{i}" for i in range(8)])
def test_efficientnet_signatures_are_keras(name):
    ours = inspect.signature(getattr(layerfit.applications.efficientnet, name))
    assert ours == inspect.signature(getattr(real_keras.applications.efficientnet, name))
