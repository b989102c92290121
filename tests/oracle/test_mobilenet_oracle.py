"""MobileNet (v1) against keras.applications: layers, counts and predictions from the layout of
Keras's published files; the published file asked for; signature; preprocessing."""

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


def test_mobilenet_with_top_matches_keras(tmp_path):
    kwargs = {"input_shape": (32, 32, 3), "alpha": 0.25, "classes": 10}
    compare(tmp_path, "mobilenet", "MobileNet", kwargs)


def test_mobilenet_without_top_depth_multiplier_matches_keras(tmp_path):
    kwargs = {
        "input_shape": (40, 36, 3),
        "alpha": 0.5,
        "depth_multiplier": 2,
        "include_top": False,
        "pooling": "max",
    }
    compare(tmp_path, "mobilenet", "MobileNet", kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"alpha": 1.0, "input_shape": (32, 32, 3), "dropout": 0.3, "classes": 5},
        {"alpha": 1.3, "include_top": False, "input_shape": (32, 48, 3)},
    ],
)
def test_architecture_counts_match_keras(kwargs):
    theirs = keras_model("mobilenet", "MobileNet", weights=None, **kwargs)
    ours = layerfit.applications.MobileNet(weights=None, **kwargs)
    assert_same_architecture(ours, theirs)
    if "dropout" in kwargs:
        assert ours.get_layer("dropout").rate == theirs.get_layer("dropout").rate


@pytest.mark.parametrize(
    "kwargs",
    [
        {"alpha": 0.25, "input_shape": (128, 128, 3)},
        {"alpha": 0.25, "include_top": False, "input_shape": (160, 160, 3)},
    ],
)
def test_imagenet_asks_for_keras_published_file(monkeypatch, kwargs):
    # alpha=0.25 as above: the same weight shapes, so Keras's JAX initializers are compiled.
    calls = requested_files(monkeypatch, "mobilenet", "MobileNet", kwargs)
    assert calls[0] == calls[1]  # same file, URL, folder and hash (Keras publishes none)
    assert_same_signature("mobilenet", "MobileNet")


def test_preprocess_input_matches_keras():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        layerfit.applications.mobilenet.preprocess_input(x),
        keras.applications.mobilenet.preprocess_input(x.copy()),
        rtol=1e-6,
    )
