"""layerfit.applications against keras.applications: the same layers (names, classes, output
shapes), the same parameter counts, and the same predictions from the same weights, read from
Keras 3's .weights.h5 and from Keras 2's legacy layout (that of Keras's published files)."""

from __future__ import annotations

import h5py
import keras as real_keras
import numpy as np
import pytest
from keras.src.legacy.saving import legacy_h5_format

import layerfit

# Same float32 weights; summation order differs between XLA and torch.
ATOL = 1e-4
RTOL = 1e-4


def keras_weights(model):
    """Random weights that keep activations of order one through a deep network (kernels
    scaled by fan-in, BatchNormalization statistics with variances > 0)."""
    rng = np.random.default_rng(0)
    values = []
    for w in model.weights:
        shape = tuple(w.shape)
        if "moving_variance" in w.path:
            values.append(rng.uniform(0.5, 1.5, shape))
        elif "gamma" in w.path:
            values.append(rng.uniform(0.3, 0.7, shape))
        elif len(shape) > 1:
            fan_in = (
                int(np.prod(shape[:-1])) if "depthwise" not in w.path else int(np.prod(shape[:2]))
            )
            values.append(rng.normal(0, 1 / np.sqrt(fan_in), shape))
        else:
            values.append(rng.normal(0, 0.05, shape))
    model.set_weights([v.astype("float32") for v in values])


def layer_table(model):
    return [
        (layer.name, type(layer).__name__, tuple(layer.output.shape[1:])) for layer in model.layers
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_shape": (32, 32, 3), "alpha": 0.35, "classes": 10},
        {"input_shape": (48, 40, 3), "alpha": 0.5, "include_top": False, "pooling": "max"},
    ],
)
@pytest.mark.parametrize("layout", ["keras3", "keras2"])
def test_mobilenet_v2_matches_keras(tmp_path, kwargs, layout):
    theirs = real_keras.applications.MobileNetV2(weights=None, **kwargs)
    keras_weights(theirs)
    path = tmp_path / ("w.weights.h5" if layout == "keras3" else "w.h5")
    if layout == "keras3":
        theirs.save_weights(path)
    else:
        with h5py.File(path, "w") as file:
            legacy_h5_format.save_weights_to_hdf5_group(file, theirs)
    ours = layerfit.applications.MobileNetV2(weights=str(path), **kwargs)
    assert ours.name == theirs.name
    assert layer_table(ours) == layer_table(theirs)
    assert ours.count_params() == theirs.count_params()
    assert len(ours.trainable_weights) == len(theirs.trainable_weights)
    x = np.random.default_rng(1).uniform(-1, 1, (2, *kwargs["input_shape"])).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=ATOL, rtol=RTOL
    )


def test_preprocess_input_matches_keras():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        layerfit.applications.mobilenet_v2.preprocess_input(x),
        real_keras.applications.mobilenet_v2.preprocess_input(x.copy()),
        rtol=1e-6,
    )
    for mode in ("caffe", "torch"):
        np.testing.assert_allclose(
            layerfit.applications.imagenet_utils.preprocess_input(x, mode=mode),
            real_keras.applications.imagenet_utils.preprocess_input(x.copy(), mode=mode),
            rtol=1e-5,
            atol=1e-4,
        )


@pytest.mark.parametrize("name", ["ResNet50", "ResNet101"])
def test_resnet_matches_keras(tmp_path, name):
    kwargs = {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"}
    theirs = getattr(real_keras.applications, name)(weights=None, **kwargs)
    keras_weights(theirs)
    with h5py.File(tmp_path / "w.h5", "w") as file:  # the layout of Keras's published files
        legacy_h5_format.save_weights_to_hdf5_group(file, theirs)
    ours = getattr(layerfit.applications, name)(weights=str(tmp_path / "w.h5"), **kwargs)
    assert ours.name == theirs.name
    assert layer_table(ours) == layer_table(theirs)
    assert ours.count_params() == theirs.count_params()
    x = np.random.default_rng(3).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=ATOL, rtol=RTOL
    )


def test_resnet50_with_top_counts_match_keras():
    theirs = real_keras.applications.ResNet50(weights=None, input_shape=(32, 32, 3), classes=7)
    ours = layerfit.applications.ResNet50(weights=None, input_shape=(32, 32, 3), classes=7)
    assert layer_table(ours) == layer_table(theirs)
    assert ours.count_params() == theirs.count_params()
