"""VGG16/VGG19 against keras.applications: layers, counts and predictions from the layout of
Keras's published files; the published file asked for; preprocessing."""

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


def test_vgg16_with_top_matches_keras(tmp_path):
    compare(tmp_path, "vgg16", "VGG16", {"input_shape": (32, 32, 3), "classes": 10})


def test_vgg19_without_top_matches_keras(tmp_path):
    kwargs = {"input_shape": (40, 32, 3), "include_top": False, "pooling": "max"}
    compare(tmp_path, "vgg19", "VGG19", kwargs)


@pytest.mark.parametrize("function", ["VGG16", "VGG19"])
@pytest.mark.parametrize("kwargs", [{"include_top": False, "pooling": "avg"}, {}])
def test_architecture_counts_match_keras(function, kwargs):
    shape = {"input_shape": (32, 32, 3)} if kwargs else {"input_shape": (32, 32, 3), "classes": 3}
    theirs = keras_model(function.lower(), function, weights=None, **shape, **kwargs)
    ours = getattr(layerfit.applications, function)(weights=None, **shape, **kwargs)
    assert_same_architecture(ours, theirs)


@pytest.mark.parametrize("module, function", [("vgg16", "VGG16"), ("vgg19", "VGG19")])
def test_imagenet_asks_for_keras_published_file(monkeypatch, module, function):
    calls = requested_files(
        monkeypatch, module, function, {"include_top": False, "input_shape": (32, 32, 3)}
    )
    assert calls[0] == calls[1] and calls[0][3]  # same file, URL, folder and (present) hash
    assert_same_signature(module, function)


def test_preprocess_input_matches_keras():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    for module in ("vgg16", "vgg19"):
        np.testing.assert_allclose(
            getattr(layerfit.applications, module).preprocess_input(x),
            getattr(keras.applications, module).preprocess_input(x.copy()),
            rtol=1e-5,
            atol=1e-4,
        )
