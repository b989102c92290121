"""keras.ops against numpy: same values (float32 data, 1e-6), Keras's dtype rules and names."""

import numpy as np
import pytest
import torch

from layerfit import ops

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4)).astype("float32")
B = RNG.standard_normal((3, 4)).astype("float32")
POSITIVE = np.abs(A) + 0.5


def close(tensor, expected, rtol=1e-6, atol=1e-6):
    np.testing.assert_allclose(ops.convert_to_numpy(tensor), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize(
    ("name", "numpy_function"),
    [
        ("add", np.add),
        ("subtract", np.subtract),
        ("multiply", np.multiply),
        ("divide", np.divide),
        ("maximum", np.maximum),
        ("minimum", np.minimum),
        ("greater", np.greater),
        ("less_equal", np.less_equal),
        ("equal", np.equal),
    ],
)
def test_binary_ops_match_numpy(name, numpy_function):
    close(getattr(ops, name)(A, B), numpy_function(A, B))
    close(getattr(ops, name)(torch.from_numpy(A), 0.5), numpy_function(A, np.float32(0.5)))


@pytest.mark.parametrize(
    ("name", "numpy_function", "data"),
    [
        ("negative", np.negative, A),
        ("abs", np.abs, A),
        ("square", np.square, A),
        ("sign", np.sign, A),
        ("floor", np.floor, A),
        ("ceil", np.ceil, A),
        ("sqrt", np.sqrt, POSITIVE),
        ("exp", np.exp, A),
        ("log", np.log, POSITIVE),
        ("log1p", np.log1p, POSITIVE),
        ("sin", np.sin, A),
        ("cos", np.cos, A),
        ("tanh", np.tanh, A),
    ],
)
def test_unary_ops_match_numpy(name, numpy_function, data):
    close(getattr(ops, name)(data), numpy_function(data))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "var", "std", "prod"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(name, axis, keepdims):
    expected = getattr(np, name)(A, axis=axis, keepdims=keepdims)
    close(getattr(ops, name)(A, axis=axis, keepdims=keepdims), expected, rtol=1e-5)


def test_argmax_argmin_flatten_without_axis_and_give_int32():
    assert ops.argmax(A).item() == np.argmax(A) and ops.argmax(A).dtype == torch.int32
    close(ops.argmax(A, axis=1), np.argmax(A, axis=1))
    close(ops.argmin(A, axis=0), np.argmin(A, axis=0))


def test_all_and_any_reduce_over_axes():
    mask = A > 0
    assert ops.all(mask).item() == mask.all() and ops.any(mask).item() == mask.any()
    close(ops.any(mask, axis=1), mask.any(axis=1))
    close(ops.all(mask, axis=(0, 1), keepdims=True), mask.all(axis=(0, 1), keepdims=True))


def test_shape_ops_match_numpy():
    close(ops.reshape(A, (4, 3)), A.reshape(4, 3))
    close(ops.transpose(A), A.T)
    close(ops.transpose(A[None], axes=(2, 0, 1)), np.transpose(A[None], (2, 0, 1)))
    close(ops.expand_dims(A, 1), np.expand_dims(A, 1))
    close(ops.squeeze(A[:, None]), A)
    close(ops.concatenate([A, B], axis=1), np.concatenate([A, B], axis=1))
    close(ops.stack([A, B], axis=0), np.stack([A, B]))
    close(ops.tile(A, (2, 1)), np.tile(A, (2, 1)))
    close(ops.repeat(A, 2, axis=1), np.repeat(A, 2, axis=1))
    close(ops.repeat(A, 2), np.repeat(A, 2))
    close(ops.flip(A, axis=1), np.flip(A, axis=1))
    for got, expected in zip(ops.split(A, 2, axis=1), np.split(A, 2, axis=1)):
        close(got, expected)
    assert ops.shape(A) == (3, 4) and ops.ndim(A) == 2 and ops.size(A) == 12


def test_indexing_and_sorting_match_numpy():
    indices = np.array([[2, 0], [1, 1]])
    close(ops.take(A, indices, axis=1), np.take(A, indices, axis=1))
    close(ops.take(A, [5, 0]), np.take(A, [5, 0]))
    order = np.argsort(A, axis=1)
    close(ops.take_along_axis(A, order, axis=1), np.take_along_axis(A, order, axis=1))
    close(ops.sort(A), np.sort(A))
    close(ops.argsort(A, axis=0), np.argsort(A, axis=0))
    close(ops.cumsum(A, axis=1), np.cumsum(A, axis=1), rtol=1e-5)
    close(ops.cumsum(A), np.cumsum(A), rtol=1e-5)


def test_linear_algebra_matches_numpy():
    close(ops.matmul(A, B.T), A @ B.T, rtol=1e-5)
    close(ops.dot(A[0], B[0]), np.dot(A[0], B[0]), rtol=1e-5)
    close(ops.dot(A, B.T), np.dot(A, B.T), rtol=1e-5)
    close(ops.einsum("ij,kj->ik", A, B), np.einsum("ij,kj->ik", A, B), rtol=1e-5)
    close(ops.outer(A[0], B[0]), np.outer(A[0], B[0]))
    close(ops.norm(A), np.linalg.norm(A), rtol=1e-5)
    close(ops.norm(A, axis=1), np.linalg.norm(A, axis=1), rtol=1e-5)


def test_creation_follows_keras_dtypes():
    assert ops.ones((2, 3)).dtype == torch.float32 and ops.zeros(2).shape == (2,)
    assert ops.arange(5).dtype == torch.int32 and ops.arange(0.0, 1.0, 0.5).dtype == torch.float32
    close(ops.arange(2, 11, 3), np.arange(2, 11, 3))
    close(ops.linspace(0.0, 1.0, 5), np.linspace(0.0, 1.0, 5))
    close(ops.linspace(0.0, 1.0, 4, endpoint=False), np.linspace(0.0, 1.0, 4, endpoint=False))
    close(ops.eye(3, 4, k=1), np.eye(3, 4, k=1))
    close(ops.full((2, 2), 7), np.full((2, 2), 7))
    assert ops.convert_to_tensor([1, 2]).dtype == torch.int32
    assert ops.convert_to_tensor([1.0, 2]).dtype == torch.float32
    assert ops.convert_to_tensor(np.zeros(2)).dtype == torch.float64  # arrays keep theirs
    assert ops.dtype(ops.cast([1, 2], "float16")) == "float16"


def test_where_clip_round_and_one_hot():
    close(ops.where(A > 0, A, 0.0), np.where(A > 0, A, 0.0))
    close(ops.clip(A, -0.5, 0.5), np.clip(A, -0.5, 0.5))
    close(ops.round(np.array([0.5, 1.5, 2.26]), decimals=1), np.round([0.5, 1.5, 2.26], 1))
    # Keras's documented example: an index out of range gives a row of zeros.
    close(ops.one_hot(np.array([1, 3, -1]), 3), [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
    close(ops.one_hot(np.array([0, 2]), 3, axis=0), np.eye(3)[[0, 2]].T)


def test_activations_and_top_k():
    close(ops.relu(A), np.maximum(A, 0))
    close(ops.sigmoid(A), 1 / (1 + np.exp(-A)))
    exps = np.exp(A - A.max(axis=-1, keepdims=True))
    close(ops.softmax(A), exps / exps.sum(axis=-1, keepdims=True))
    values, indices = ops.top_k(A, 2)
    close(values, -np.sort(-A, axis=-1)[:, :2])
    close(indices, np.argsort(-A, axis=-1)[:, :2])


def test_cross_entropies_match_the_formulas():
    probabilities = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]], dtype="float32")
    labels = np.array([1, 0])
    expected = -np.log([0.7, 0.5])
    close(ops.sparse_categorical_crossentropy(labels, probabilities), expected)
    close(ops.categorical_crossentropy(np.eye(3)[labels], probabilities), expected)
    logits = np.log(probabilities)
    close(ops.sparse_categorical_crossentropy(labels, logits, from_logits=True), expected)
    p, t = np.array([0.9, 0.2], "float32"), np.array([1.0, 0.0], "float32")
    close(ops.binary_crossentropy(t, p), -np.log([0.9, 0.8]))


def test_a_gradient_flows_through_ops_and_stops_where_asked():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    ops.sum(ops.square(x) + ops.stop_gradient(x)).backward()
    close(x.grad, [2.0, 4.0])


def test_an_unknown_dtype_name_explains():
    from layerfit.errors import LayerfitValueError

    with pytest.raises(LayerfitValueError, match="dtype='flaot32'"):
        ops.cast([1], "flaot32")
