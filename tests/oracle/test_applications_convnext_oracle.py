"""layerfit.applications.convnext against keras.applications.convnext: the same layers,
operations (the residual ``add`` op nodes), counts and predictions from the same weights (in
the layout of Keras's published files), with and without the top and the preprocessing."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from _applications import assert_same_model, build_both, layerfit, real_keras
from _apps_compare import requested_files

VARIANTS = ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_shape": (32, 32, 3), "classes": 10},
        {"input_shape": (32, 40, 3), "include_top": False, "pooling": "avg"},
        {"input_shape": (32, 32, 3), "include_top": False, "include_preprocessing": False},
    ],
)
def test_convnext_tiny_matches_keras(tmp_path, kwargs):
    theirs, ours = build_both(
        real_keras.applications.ConvNeXtTiny,
        layerfit.applications.ConvNeXtTiny,
        tmp_path,
        **kwargs,
    )
    assert [(op.name, type(op).__name__) for op in ours.operations] == [
        (op.name, type(op).__name__) for op in theirs.operations
    ]
    # Pixels in [0, 255] when the model normalizes inside (deep: errors grow to ~1e-4).
    high = 255 if kwargs.get("include_preprocessing", True) else 1
    x = np.random.default_rng(1).uniform(0, high, (2, *kwargs["input_shape"])).astype("float32")
    assert_same_model(ours, theirs, x, atol=2e-4, rtol=2e-4)


@pytest.mark.parametrize("name", VARIANTS)
def test_convnext_signatures_and_parameter_counts_are_keras(name):
    ours_fn = getattr(layerfit.applications.convnext, name)
    theirs_fn = getattr(real_keras.applications.convnext, name)
    assert inspect.signature(ours_fn) == inspect.signature(theirs_fn)
    if name in ("ConvNeXtTiny", "ConvNeXtSmall"):  # the larger ones take minutes on 2 cores
        ours = ours_fn(weights=None)
        theirs = theirs_fn(weights=None)
        assert ours.count_params() == theirs.count_params()
        assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]


def test_convnext_asks_get_file_for_keras_file_and_hash(monkeypatch):
    calls = requested_files(
        monkeypatch, "convnext", "ConvNeXtTiny", {"include_top": False, "input_shape": (32, 32, 3)}
    )
    assert calls[0] == calls[1]


def test_convnext_preprocess_input_passes_through_like_keras():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_array_equal(
        layerfit.applications.convnext.preprocess_input(x),
        real_keras.applications.convnext.preprocess_input(x),
    )


def test_convnext_keras_files_both_ways(tmp_path):
    """LayerScale and the add op nodes are written as Keras writes them."""
    kwargs = {"weights": None, "include_top": False, "input_shape": (32, 32, 3), "pooling": "avg"}
    ours = layerfit.applications.ConvNeXtTiny(**kwargs)
    x = np.random.default_rng(3).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    expected = ours.predict(x, verbose=0)
    ours.save(tmp_path / "ours.keras", format="keras")
    theirs = real_keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(theirs.predict(x, verbose=0), expected, atol=2e-4, rtol=2e-4)
    theirs.save(tmp_path / "theirs.keras")
    back = layerfit.models.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(back.predict(x, verbose=0), expected, atol=2e-4, rtol=2e-4)
