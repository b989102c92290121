"""Functional models with op nodes (``x + y``, ``x[:, :1]``, ``ops.concatenate``, ...) built
the same way in Keras 3 and layerfit: same operations and names, same predictions with the
same weights, and ``.keras`` files with op nodes both ways."""

from __future__ import annotations

import keras as real_keras
import numpy as np

import layerfit

# float32 both sides, same weights; only the order of float sums differs.
ATOL = 1e-5


def build(k):
    """The same code runs on either library (``k`` is keras or layerfit)."""
    ops = k.ops
    inputs = k.Input((6, 4))
    x = k.layers.Dense(4, name="d1")(inputs)
    x = x + inputs[:, :, :1]
    x = x * 0.5 - 1.0
    x = ops.expand_dims(x, -1)
    x = ops.concatenate([x, -x], axis=-1)
    x = ops.reshape(x, (-1, 6, 8))
    x = ops.mean(x, axis=1)
    x = ops.cast(x, "float32")
    x = ops.relu(x) ** 2 + abs(x)
    x = 2.0 / (1.0 + ops.exp(-x))
    x = ops.where(x > 1.5, x, ops.zeros_like(x))
    x = ops.nn.softmax(x, axis=-1) + ops.sqrt(ops.square(x) + 1.0)
    outputs = k.layers.Dense(3, name="d2")(x)
    return k.Model(inputs, outputs)


def keras_model():
    model = build(real_keras)
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model


def inputs():
    return np.random.default_rng(1).normal(size=(5, 6, 4)).astype("float32")


def test_same_code_gives_the_same_operations_and_predictions():
    original = keras_model()
    layerfit.backend.clear_session()
    model = build(layerfit)
    model.set_weights(original.get_weights())
    assert [(op.name, type(op).__name__) for op in model.operations] == [
        (op.name, type(op).__name__) for op in original.operations
    ]
    assert [layer.name for layer in model.layers] == [layer.name for layer in original.layers]
    x = inputs()
    np.testing.assert_allclose(
        model.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL
    )


def test_keras_file_with_op_nodes_loads_in_layerfit(tmp_path):
    original = keras_model()
    original.save(tmp_path / "k.keras")
    model = layerfit.models.load_model(tmp_path / "k.keras")
    x = inputs()
    np.testing.assert_allclose(
        model.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL
    )
    assert [op.name for op in model.operations] == [op.name for op in original.operations]


def test_layerfit_file_with_op_nodes_loads_in_keras(tmp_path):
    original = keras_model()
    layerfit.backend.clear_session()
    model = build(layerfit)
    model.set_weights(original.get_weights())
    model.save(tmp_path / "l.keras", format="keras")
    reloaded = real_keras.saving.load_model(tmp_path / "l.keras")
    x = inputs()
    np.testing.assert_allclose(
        reloaded.predict(x, verbose=0), original.predict(x, verbose=0), atol=ATOL
    )
