"""Shared by the application oracle tests: the same random weights through Keras and layerfit,
written in the layout of Keras's published files, and the comparisons."""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "jax"

import h5py  # noqa: E402
import keras as real_keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

import layerfit  # noqa: E402

# Same float32 weights and inputs; the summation order differs between XLA and torch, and
# errors grow through a deep network (stated at each use).
ATOL = 1e-4
RTOL = 1e-4


def set_keras_weights(model, seed=0):
    """Random weights that keep activations of order one through a deep network: kernels
    scaled by fan-in, variances (BatchNormalization, Normalization) in [0.5, 1.5], scales
    (gamma, LayerScale) in [0.3, 0.7], small biases; integer counters stay 0."""
    rng = np.random.default_rng(seed)
    values = []
    for w in model.weights:
        shape, path = tuple(w.shape), w.path
        if "int" in str(w.dtype):
            values.append(np.zeros(shape, str(w.dtype)))
            continue
        if path.endswith("variance"):
            value = rng.uniform(0.5, 1.5, shape)
        elif path.endswith("gamma"):
            value = rng.uniform(0.3, 0.7, shape)
        elif len(shape) > 1:
            fan_in = int(np.prod(shape[:2])) if "depthwise" in path else int(np.prod(shape[:-1]))
            value = rng.normal(0, 1 / np.sqrt(fan_in), shape)
        else:
            value = rng.normal(0, 0.05, shape)
        values.append(value.astype(str(w.dtype)))
    model.set_weights(values)


def layer_table(model):
    return [
        (layer.name, type(layer).__name__, tuple(layer.output.shape[1:])) for layer in model.layers
    ]


def save_published_layout(model, path):
    """Keras 2's legacy HDF5 weights, the layout of Keras's published application files."""
    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    return str(path)


def build_both(keras_fn, ours_fn, tmp_path, **kwargs):
    """The Keras model with random weights, and ours loaded from its published-layout file."""
    from _apps_compare import zeros_at_first

    with zeros_at_first():  # no XLA compile per weight shape: the weights are set next
        theirs = keras_fn(weights=None, **kwargs)
    set_keras_weights(theirs)
    path = save_published_layout(theirs, tmp_path / "published.h5")
    return theirs, ours_fn(weights=path, **kwargs)


def assert_same_model(ours, theirs, x, atol=ATOL, rtol=RTOL):
    """Same name, layers (name, class, output shape), counts and predictions."""
    assert ours.name == theirs.name
    assert layer_table(ours) == layer_table(theirs)
    assert ours.count_params() == theirs.count_params()
    assert len(ours.trainable_weights) == len(theirs.trainable_weights)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=atol, rtol=rtol
    )


__all__ = ["assert_same_model", "build_both", "layer_table", "real_keras", "layerfit"]
