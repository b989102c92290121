"""MobileNetV3 without Keras: argument errors name cause and fix, the model rescales its
input itself, a saved model loads with the same predictions. Against real Keras:
tests/oracle/test_mobilenet_v3_oracle.py."""

from __future__ import annotations

import numpy as np
import pytest

import layerfit as keras
from layerfit.applications import MobileNetV3Large, MobileNetV3Small, mobilenet_v3
from layerfit.errors import LayerfitValueError


@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"alpha": 0.5}, "alpha=0.5 with weights='imagenet'", "weights=None"),
        ({"alpha": 0.75, "minimalistic": True}, "alpha=0.75 with weights='imagenet'", "weights=None"),
        ({"classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"classifier_activation": "relu"}, "classifier_activation='relu'", "classifier_activation=None"),
        ({"weights": None, "input_shape": (24, 224, 3)}, "smaller", "Resizing"),
        ({"weights": None, "include_top": False, "pooling": "sum"}, "pooling='sum'", "pooling='avg'"),
        ({"weights": None, "input_tensor": keras.Input((64, 64, 3))}, "does not match input_tensor", "drop input_shape"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("function", [MobileNetV3Small, MobileNetV3Large])
def test_bad_arguments_name_cause_and_fix(function, kwargs, cause, fix):
    with pytest.raises(LayerfitValueError) as info:
        function(**{"input_shape": (224, 224, 3), **kwargs})
    assert cause in str(info.value) and fix in str(info.value)


def test_includes_preprocessing_so_preprocess_input_is_identity():
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    assert mobilenet_v3.preprocess_input(x) is x
    inside = MobileNetV3Small(input_shape=(32, 32, 3), weights=None, include_top=False)
    outside = MobileNetV3Small(
        input_shape=(32, 32, 3), weights=None, include_top=False, include_preprocessing=False
    )
    outside.set_weights(inside.get_weights())
    np.testing.assert_allclose(
        inside.predict(x, verbose=0), outside.predict(x / 127.5 - 1, verbose=0), atol=1e-5
    )


def test_saved_model_loads_with_the_same_predictions(tmp_path):
    model = MobileNetV3Small(
        input_shape=(32, 32, 3), alpha=0.75, weights=None, classes=3, dropout_rate=0.0
    )
    x = np.random.default_rng(1).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    model.save(tmp_path / "v3.keras")
    loaded = keras.models.load_model(tmp_path / "v3.keras")
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
