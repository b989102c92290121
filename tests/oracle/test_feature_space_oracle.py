"""FeatureSpace against Keras's own, live, where TensorFlow is installed (Keras's FeatureSpace
needs it on every backend); elsewhere tests/layers/test_feature_space.py compares with the
outputs recorded from it."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

pytest.importorskip("keras")
pytest.importorskip("tensorflow")

LAYERS_TESTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "layers")
sys.path.insert(0, LAYERS_TESTS)

from make_feature_space_golden import keras_outputs  # noqa: E402
from test_feature_space import GOLDEN  # noqa: E402


# Keras on JAX gives its int64 indices as int32 (x64 off) and says so.
@pytest.mark.filterwarnings("ignore:Explicitly requested dtype int64:UserWarning")
def test_recorded_outputs_are_keras_outputs():
    live = keras_outputs()
    assert sorted(live) == sorted(GOLDEN.files)
    for key, value in live.items():
        np.testing.assert_allclose(value, GOLDEN[key], atol=1e-6, err_msg=key)
