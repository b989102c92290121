"""layerfit.applications.efficientnet_v2 against keras.applications.efficientnet_v2: the same
layers, counts and predictions from the same weights (in the layout of Keras's published
files), with and without the preprocessing inside the model."""

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
        {"input_shape": (32, 40, 3), "include_top": False, "pooling": "avg"},
    ],
)
def test_efficientnet_v2_b0_matches_keras(tmp_path, kwargs):
    theirs, ours = build_both(
        real_keras.applications.EfficientNetV2B0,
        layerfit.applications.EfficientNetV2B0,
        tmp_path,
        **kwargs,
    )
    x = np.random.default_rng(1).uniform(0, 255, (2, *kwargs["input_shape"])).astype("float32")
    assert_same_model(ours, theirs, x)
    if kwargs.get("include_top", True):
        return
    # Keras fails on a name other than the default (KeyError); ours builds the same model.
    renamed = layerfit.applications.EfficientNetV2B0(
        weights=str(tmp_path / "published.h5"), name="renamed", **kwargs
    )
    assert renamed.name == "renamed"
    np.testing.assert_array_equal(renamed.predict(x, verbose=0), ours.predict(x, verbose=0))


def test_efficientnet_v2_without_preprocessing_matches_keras(tmp_path):
    kwargs = {"input_shape": (32, 32, 3), "include_top": False, "include_preprocessing": False}
    theirs, ours = build_both(
        real_keras.applications.EfficientNetV2B0,
        layerfit.applications.EfficientNetV2B0,
        tmp_path,
        **kwargs,
    )
    assert type(ours.layers[1]).__name__ == "Conv2D"
    x = np.random.default_rng(2).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    assert_same_model(ours, theirs, x)


@pytest.mark.parametrize(
    "name", [f"EfficientNetV2{v}" for v in ("B0", "B1", "B2", "B3", "S", "M", "L")]
)
def test_efficientnet_v2_signatures_are_keras(name):
    ours = inspect.signature(getattr(layerfit.applications.efficientnet_v2, name))
    assert ours == inspect.signature(getattr(real_keras.applications.efficientnet_v2, name))


def test_efficientnet_v2_preprocess_input_passes_through_like_keras():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_array_equal(
        layerfit.applications.efficientnet_v2.preprocess_input(x),
        real_keras.applications.efficientnet_v2.preprocess_input(x),
    )


@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"weights": "imagenet", "classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"weights": None, "include_top": False, "pooling": "sum"}, "pooling='sum'", "pooling='avg'"),
        ({"weights": None, "input_shape": (31, 64, 3), "include_top": False}, "smaller", "Resizing"),
        ({"weights": "imagenet", "classifier_activation": "relu"}, "classifier_activation='relu'", "None"),
    ],
)  # fmt: skip
def test_efficientnet_v2_bad_arguments_name_cause_and_fix(kwargs, cause, fix):
    with pytest.raises(LayerfitValueError) as info:
        layerfit.applications.EfficientNetV2B0(**kwargs)
    assert cause in str(info.value) and fix in str(info.value)
