"""MobileNet (v1) without Keras: argument errors name cause and fix, the 224 fallback warns
and loads the 224 file, the top's layers. Against real Keras: tests/oracle/test_mobilenet_oracle.py."""

from __future__ import annotations

import pytest

import layerfit
from layerfit.applications import mobilenet
from layerfit.errors import LayerfitValueError


@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"depth_multiplier": 2}, "depth_multiplier=2 with weights='imagenet'", "weights=None"),
        ({"alpha": 0.35}, "alpha=0.35 with weights='imagenet'", "weights=None"),
        ({"classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"classifier_activation": "sigmoid"}, "classifier_activation='sigmoid'", "classifier_activation=None"),
        ({"weights": None, "include_top": False, "pooling": "sum"}, "pooling='sum'", "pooling='avg'"),
    ],
)  # fmt: skip
def test_bad_arguments_name_cause_and_fix(kwargs, cause, fix):
    with pytest.raises(LayerfitValueError) as info:
        mobilenet.MobileNet(**{"input_shape": (128, 128, 3), **kwargs})
    assert cause in str(info.value) and fix in str(info.value)


def test_other_sizes_warn_and_load_the_224_file(tmp_path, monkeypatch):
    saved = mobilenet.MobileNet(
        input_shape=(96, 96, 3), alpha=0.25, include_top=False, weights=None
    )
    saved.save_weights(tmp_path / "published.weights.h5")
    asked = []

    def fake_get_file(fname, origin, **options):  # stands in for the download only
        asked.append(fname)
        return str(tmp_path / "published.weights.h5")

    monkeypatch.setattr(layerfit.utils, "get_file", fake_get_file)
    with pytest.warns(UserWarning, match="the weights for 224x224 inputs are loaded"):
        model = mobilenet.MobileNet(input_shape=(96, 96, 3), alpha=0.25, include_top=False)
    assert asked == ["mobilenet_2_5_224_tf_no_top.h5"]
    assert model.name == "mobilenet_0.25_224"  # as Keras names it: the weights' size
    assert model.count_params() == saved.count_params()
    for ours, theirs in zip(model.get_weights(), saved.get_weights()):
        assert (ours == theirs).all()


def test_top_is_dropout_1x1_convolution_and_activation():
    model = mobilenet.MobileNet(
        input_shape=(32, 32, 3), alpha=0.25, dropout=0.25, classes=7, weights=None
    )
    assert [layer.name for layer in model.layers[-5:]] == [
        "global_average_pooling2d",
        "dropout",
        "conv_preds",
        "reshape_2",
        "predictions",
    ]
    assert model.get_layer("dropout").rate == 0.25 and model.output_shape == (None, 7)
