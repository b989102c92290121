"""Functional models with op nodes (``x + y``, ``x[:, :1]``, ``ops.concatenate``, ...) built
the same way in Keras 3 and layerfit: same operations and names, same predictions with the
same weights, and ``.keras`` files with op nodes both ways."""

from __future__ import annotations

import keras as real_keras
import numpy as np
import pytest

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


# One op each, the same code on both libraries (k is keras or layerfit); input (batch, 5, 4).
OPS = {
    "transpose": lambda k, x: k.ops.transpose(x, (0, 2, 1)),
    "sum_keepdims": lambda k, x: k.ops.sum(x, axis=1, keepdims=True),
    "clip": lambda k, x: k.ops.clip(x, -0.5, 0.5),
    "stack": lambda k, x: k.ops.stack([x, x * 2], axis=1),
    "split": lambda k, x: k.ops.split(x, 2, axis=-1)[1],
    "squeeze": lambda k, x: k.ops.squeeze(k.ops.expand_dims(x, 1), axis=1),
    "softmax": lambda k, x: k.ops.nn.softmax(x, axis=1),
    "resize": lambda k, x: k.ops.image.resize(k.ops.expand_dims(x, -1), (8, 8)),
    "matmul_array": lambda k, x: k.ops.matmul(x, np.ones((4, 2), "float32")),
    "max": lambda k, x: k.ops.max(x, axis=-1),
    "take": lambda k, x: k.ops.take(x, np.array([0, 2]), axis=1),
    "tile": lambda k, x: k.ops.tile(x, (1, 2, 1)),
    "pad": lambda k, x: k.ops.pad(x, ((0, 0), (1, 1), (0, 0))),
    "cumsum": lambda k, x: k.ops.cumsum(x, axis=1),
    "einsum": lambda k, x: k.ops.einsum("bij,bkj->bik", x, x),
    "where": lambda k, x: k.ops.where(x > 0, x, 0.0),
    "moveaxis": lambda k, x: k.ops.moveaxis(x, 1, 2),
    "argmax_cast": lambda k, x: k.ops.cast(k.ops.argmax(x, axis=-1), "float32"),
    "one_hot": lambda k, x: k.ops.one_hot(k.ops.argmax(x, axis=-1), 4),
    "logsumexp": lambda k, x: k.ops.logsumexp(x, axis=1),
    "gelu": lambda k, x: k.ops.gelu(x),
    "leaky_relu": lambda k, x: k.ops.leaky_relu(x, negative_slope=0.1),
    "maximum": lambda k, x: k.ops.maximum(x, 0.2),
    "roll": lambda k, x: k.ops.roll(x, 1, axis=1),
    "flip": lambda k, x: k.ops.flip(x, axis=1),
    "sort": lambda k, x: k.ops.sort(x, axis=-1),
    "top_k": lambda k, x: k.ops.top_k(x, 2)[0],
    "repeat": lambda k, x: k.ops.repeat(x, 2, axis=1),
    "std": lambda k, x: k.ops.std(x, axis=1),
    "tril": lambda k, x: k.ops.tril(x),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_op_node_matches_keras_and_its_files_load_both_ways(tmp_path, name):
    build_op = OPS[name]
    x = np.random.default_rng(0).normal(size=(3, 5, 4)).astype("float32")
    k_in = real_keras.Input((5, 4))
    theirs = real_keras.Model(k_in, build_op(real_keras, k_in))
    layerfit.backend.clear_session()
    l_in = layerfit.Input((5, 4))
    ours = layerfit.Model(l_in, build_op(layerfit, l_in))
    expected = theirs.predict(x, verbose=0)
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, atol=ATOL)
    assert ours.output_shape == tuple(theirs.output_shape)
    assert [(op.name, type(op).__name__) for op in ours.operations] == [
        (op.name, type(op).__name__) for op in theirs.operations
    ]
    ours.save(tmp_path / "ours.keras", format="keras")
    np.testing.assert_allclose(
        real_keras.saving.load_model(tmp_path / "ours.keras").predict(x, verbose=0),
        expected,
        atol=ATOL,
    )
    theirs.save(tmp_path / "theirs.keras")
    np.testing.assert_allclose(
        layerfit.models.load_model(tmp_path / "theirs.keras").predict(x, verbose=0),
        expected,
        atol=ATOL,
    )
