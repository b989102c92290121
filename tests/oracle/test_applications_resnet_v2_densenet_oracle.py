"""ResNetV2 and DenseNet against keras.applications: layers, counts and predictions from the
layout of Keras's published files (one member of each family numerically, the deeper ones
by layers and counts); the published file each asks for; signatures; preprocessing."""

from __future__ import annotations

import numpy as np
import pytest
from _apps_compare import (
    assert_same_architecture,
    assert_same_signature,
    compare,
    keras,
    keras_model,
    requested_files,
)

import layerfit

FAMILIES = {
    "resnet_v2": ("ResNet50V2", "ResNet101V2", "ResNet152V2"),
    "densenet": ("DenseNet121", "DenseNet169", "DenseNet201"),
}
ALL = [(module, function) for module, functions in FAMILIES.items() for function in functions]


@pytest.mark.parametrize(
    "function, kwargs",
    [
        ("ResNet50V2", {"input_shape": (32, 32, 3), "classes": 10}),
        ("DenseNet121", {"input_shape": (40, 32, 3), "include_top": False, "pooling": "max"}),
    ],
)
def test_predictions_match_keras(tmp_path, function, kwargs):
    # ATOL/RTOL 1e-4 (_apps_compare): same float32 weights, XLA's and torch's summation orders.
    compare(tmp_path, None, function, kwargs)


@pytest.mark.parametrize("module, function", ALL[1:3] + ALL[4:])
def test_deeper_members_layers_and_counts_match_keras(module, function):
    kwargs = {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"}
    theirs = keras_model(module, function, weights=None, **kwargs)
    ours = getattr(layerfit.applications, function)(weights=None, **kwargs)
    assert_same_architecture(ours, theirs)


@pytest.mark.parametrize("include_top", [True, False])
@pytest.mark.parametrize("module, function", ALL)
def test_imagenet_asks_for_keras_published_file(monkeypatch, module, function, include_top):
    kwargs = {"include_top": include_top, **({} if include_top else {"input_shape": (32, 32, 3)})}
    calls = requested_files(monkeypatch, module, function, kwargs)
    assert calls[0] == calls[1] and calls[0][3]  # same file, URL, folder and (present) hash
    assert_same_signature(module, function)


@pytest.mark.parametrize("module", list(FAMILIES))
def test_preprocess_input_matches_keras(module):
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        getattr(layerfit.applications, module).preprocess_input(x),
        getattr(keras.applications, module).preprocess_input(x.copy()),
        rtol=1e-6,
        atol=1e-6,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weights": None, "input_shape": (None, None, 3)},  # the top needs fixed sizes
        {"weights": None, "input_shape": (31, 64, 3), "include_top": False},  # at least 32
        {"weights": "imagenet", "input_shape": (64, 64, 3)},  # the published top's size
        {"weights": "imagenet", "include_top": False, "input_shape": (64, 64, 1)},  # RGB
        {"weights": "imagenet", "classes": 10},  # ImageNet's 1000 classes
    ],
)
@pytest.mark.parametrize("function", ["ResNet50V2", "DenseNet121"])
def test_keras_refuses_what_we_refuse(function, kwargs):
    with pytest.raises(ValueError):
        keras_model(None, function, **kwargs)
    with pytest.raises(layerfit.errors.LayerfitValueError):
        getattr(layerfit.applications, function)(**kwargs)


@pytest.mark.parametrize("function", ["ResNet50", "ResNet101", "ResNet152"])
def test_resnet_v1_still_asks_for_keras_published_file(monkeypatch, function):
    """ResNet (v1) now goes through the builder it shares with ResNetV2."""
    kwargs = {"include_top": False, "input_shape": (32, 32, 3)}
    calls = requested_files(monkeypatch, "resnet", function, kwargs)
    assert calls[0] == calls[1] and calls[0][3]
    assert_same_signature("resnet", function)
