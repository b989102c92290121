"""layerfit.applications.xception and inception_v3 against Keras's: the same layers, counts and
predictions from the same weights (in the layout of Keras's published files)."""

from __future__ import annotations

import numpy as np
import pytest
from _applications import assert_same_model, build_both, layerfit, real_keras


@pytest.mark.parametrize(
    "name, size", [("Xception", 71), ("InceptionV3", 75)]
)  # the smallest inputs Keras accepts
def test_matches_keras(tmp_path, name, size):
    kwargs = {"input_shape": (size, size, 3), "include_top": False, "pooling": "avg"}
    theirs, ours = build_both(
        getattr(real_keras.applications, name),
        getattr(layerfit.applications, name),
        tmp_path,
        **kwargs,
    )
    x = np.random.default_rng(1).uniform(-1, 1, (2, size, size, 3)).astype("float32")
    assert_same_model(ours, theirs, x)


@pytest.mark.parametrize(
    "function, kwargs",
    [
        ("Xception", {}),
        ("Xception", {"include_top": False, "input_shape": (71, 71, 3)}),
        ("InceptionV3", {}),
        ("InceptionV3", {"include_top": False, "input_shape": (75, 75, 3)}),
    ],
)
def test_imagenet_asks_for_keras_published_file(monkeypatch, function, kwargs):
    from _apps_compare import assert_same_signature, requested_files

    module = {"Xception": "xception", "InceptionV3": "inception_v3"}[function]
    calls = requested_files(monkeypatch, module, function, kwargs)
    assert calls[0] == calls[1] and calls[0][3]  # same file, URL, folder and (present) hash
    assert_same_signature(module, function)


@pytest.mark.parametrize("module", ["xception", "inception_v3"])
def test_preprocess_input_matches_keras(module):
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        getattr(layerfit.applications, module).preprocess_input(x),
        getattr(real_keras.applications, module).preprocess_input(x.copy()),
        rtol=1e-6,
        atol=1e-6,
    )
