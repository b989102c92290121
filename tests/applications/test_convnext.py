"""ConvNeXt without Keras: the architecture's counts and blocks, the residual op nodes, our
own file round trip (LayerScale found by name), preprocessing and argument errors. Numbers
against Keras are in tests/oracle/test_applications_convnext_oracle.py."""

from __future__ import annotations

import numpy as np
import pytest

import layerfit
from layerfit.applications import convnext
from layerfit.errors import LayerfitValueError


@pytest.fixture(scope="module")
def small():
    return layerfit.applications.ConvNeXtTiny(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg"
    )


def test_convnext_tiny_has_keras_counts_and_blocks():
    model = layerfit.applications.ConvNeXtTiny(weights=None)
    assert model.name == "convnext_tiny"
    assert model.count_params() == 28_589_128  # keras.applications.ConvNeXtTiny(weights=None)
    assert model.output_shape == (None, 1000)
    adds = [op for op in model.operations if type(op).__name__ == "Add"]
    assert len(adds) == 3 + 3 + 9 + 3  # one residual sum per block
    assert model.get_layer("convnext_tiny_stage_2_block_8_layer_scale").gamma.shape == (384,)


def test_convnext_features_and_own_file_round_trip(small, tmp_path):
    assert small.output_shape == (None, 768)
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    small.save(tmp_path / "convnext.keras")
    loaded = layerfit.models.load_model(tmp_path / "convnext.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), small.predict(x, verbose=0))


def test_convnext_preprocess_input_passes_through_and_decode_predictions_works():
    x = np.arange(12, dtype="float32").reshape(1, 2, 2, 3)
    assert convnext.preprocess_input(x) is x
    with pytest.raises(LayerfitValueError, match=r"\(samples, 1000\)"):
        convnext.decode_predictions(np.zeros((2, 10)))


def test_convnext_argument_errors_are_ours():
    with pytest.raises(LayerfitValueError, match="classes=10"):
        convnext.ConvNeXtTiny(weights="imagenet", classes=10)
    with pytest.raises(LayerfitValueError, match="pooling"):
        convnext.ConvNeXtTiny(
            weights=None, include_top=False, input_shape=(32, 32, 3), pooling="mean"
        )
