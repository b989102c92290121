"""One application through Keras (JAX) and layerfit: Keras builds it with weights=None, its
random weights are saved in the layout of Keras's published files (Keras 2 HDF5, by layer
name), layerfit reads that file with weights=path; the layers, counts and predictions are
compared. Also: the file each asks get_file for with weights="imagenet"."""

from __future__ import annotations

import contextlib
import os
from unittest import mock

os.environ["KERAS_BACKEND"] = "jax"

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

import layerfit  # noqa: E402

# Same float32 weights; summation order differs between XLA and torch.
ATOL = 1e-4
RTOL = 1e-4


@contextlib.contextmanager
def zeros_at_first():
    """Keras's variables start at zeros instead of their random initial values (every test
    sets its own weights next, or reads only shapes): each new weight shape costs an XLA
    compile of Keras's random initializer on JAX, about a second on two busy cores."""
    from keras.src.backend.jax import core

    def zeros(variable, initializer):
        shape, dtype = variable._shape, variable._dtype
        variable._initialize(variable._convert_to_tensor(np.zeros(shape, dtype)))

    with mock.patch.object(core.Variable, "_initialize_with_initializer", zeros):
        yield


def keras_model(module, function, **kwargs):
    """``keras.applications.<function>(**kwargs)``, built with zeros at first. (``module``
    names the family's module; Keras's mobilenet_v3 module does not hold its models.)"""
    with zeros_at_first():
        return getattr(keras.applications, function)(**kwargs)


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
            depthwise = "depthwise" in w.path or "conv_dw" in w.path
            fan_in = int(np.prod(shape[:2] if depthwise else shape[:-1]))
            values.append(rng.normal(0, 1 / np.sqrt(fan_in), shape))
        else:
            values.append(rng.normal(0, 0.05, shape))
    model.set_weights([v.astype("float32") for v in values])


def layer_table(model):
    return [
        (layer.name, type(layer).__name__, tuple(layer.output.shape[1:])) for layer in model.layers
    ]


def assert_same_architecture(ours, theirs, table=layer_table):
    assert ours.name == theirs.name
    assert table(ours) == layer_table(theirs)
    assert ours.count_params() == theirs.count_params()
    assert len(ours.trainable_weights) == len(theirs.trainable_weights)


def compare(tmp_path, module, function, kwargs, seed=1, table=layer_table):
    """Keras's model with random weights -> legacy .h5 -> layerfit: the same architecture and
    the same predictions. Returns (ours, theirs)."""
    theirs = keras_model(module, function, weights=None, **kwargs)
    keras_weights(theirs)
    path = tmp_path / "published_layout.h5"
    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, theirs)
    ours = getattr(layerfit.applications, function)(weights=str(path), **kwargs)
    assert_same_architecture(ours, theirs, table)
    shape = (2, *kwargs["input_shape"])
    x = np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=ATOL, rtol=RTOL
    )
    return ours, theirs


class _Asked(Exception):
    pass


def requested_files(monkeypatch, module, function, kwargs):
    """The get_file call (file name, URL, cache_subdir, file hash) Keras and layerfit each
    make for weights="imagenet", stopped there (no network)."""
    calls = []

    def record(fname, origin=None, *args, **options):
        calls.append((fname, origin, options.get("cache_subdir"), options.get("file_hash")))
        raise _Asked

    import keras.src.utils.file_utils as keras_files

    monkeypatch.setattr(keras_files, "get_file", record)
    monkeypatch.setattr(layerfit.utils, "get_file", record)
    with pytest.raises(_Asked):
        keras_model(module, function, weights="imagenet", **kwargs)
    with pytest.raises(_Asked):
        getattr(layerfit.applications, function)(weights="imagenet", **kwargs)
    return calls


def signature(function):
    import inspect

    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def assert_same_signature(module, function):
    ours = getattr(layerfit.applications, function)
    theirs = getattr(keras.applications, function)
    assert ours is getattr(getattr(layerfit.applications, module), function, ours)
    assert signature(ours) == signature(theirs)
