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
