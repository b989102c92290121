"""MobileNetV3Small/Large against keras.applications: layers, counts and predictions from the
layout of Keras's published files; the published file asked for; signatures."""

from __future__ import annotations

import numpy as np
import pytest
from _apps_compare import (
    assert_same_architecture,
    assert_same_signature,
    compare,
    keras,
    keras_model,
    layer_table,
    requested_files,
)

import layerfit


def table(model):
    """Keras builds hard sigmoid as tensor operations around a ReLU(6.0) layer named
    re_lu_<n>; layerfit as one Activation("hard_sigmoid") layer with that name (DECISIONS)."""
    rows = layer_table(model)
    for i, layer in enumerate(model.layers):
        config = layer.get_config()
        if type(layer).__name__ == "Activation" and config["activation"] == "hard_sigmoid":
            assert layer.name.startswith("re_lu")
            rows[i] = (rows[i][0], "ReLU", rows[i][2])
    return rows


def test_small_with_top_matches_keras(tmp_path):
    kwargs = {"input_shape": (32, 32, 3), "alpha": 0.75, "classes": 10, "dropout_rate": 0.1}
    ours, _ = compare(tmp_path, "mobilenet_v3", "MobileNetV3Small", kwargs, table=table)
    assert ours.layers[1].name == "rescaling"  # the model scales [0, 255] itself


def test_large_minimalistic_without_top_matches_keras(tmp_path):
    kwargs = {
        "input_shape": (40, 32, 3),
        "minimalistic": True,
        "include_top": False,
        "pooling": "avg",
        "include_preprocessing": False,
    }
    compare(tmp_path, "mobilenet_v3", "MobileNetV3Large", kwargs, table=table)


@pytest.mark.parametrize(
    "function, kwargs",
    [
        ("MobileNetV3Large", {"input_shape": (32, 32, 3), "dropout_rate": 0.0, "classes": 4}),
        ("MobileNetV3Small", {"alpha": 1.25, "include_top": False, "pooling": "max"}),
    ],
)
def test_architecture_counts_match_keras(function, kwargs):
    theirs = keras_model("mobilenet_v3", function, weights=None, **kwargs)
    ours = getattr(layerfit.applications, function)(weights=None, **kwargs)
    assert_same_architecture(ours, theirs, table)


@pytest.mark.parametrize(
    "function, kwargs",
    [
        ("MobileNetV3Small", {"input_shape": (224, 224, 3), "alpha": 0.75}),
        ("MobileNetV3Large", {"input_shape": (224, 224, 3), "include_top": False}),
        ("MobileNetV3Small", {"input_shape": (224, 224, 3), "minimalistic": True}),
    ],
)
def test_imagenet_asks_for_keras_published_file(monkeypatch, function, kwargs):
    calls = requested_files(monkeypatch, "mobilenet_v3", function, kwargs)
    assert calls[0] == calls[1] and calls[0][3]  # same file, URL, folder and (present) hash
    assert_same_signature("mobilenet_v3", function)


def test_preprocess_input_is_keras_identity():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_array_equal(
        layerfit.applications.mobilenet_v3.preprocess_input(x),
        keras.applications.mobilenet_v3.preprocess_input(x),
    )
