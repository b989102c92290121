"""keras.ops breadth against real Keras (JAX backend): the same values and dtypes for the ops
added for issue 19, and the submodules ops.nn, ops.numpy, ops.image, ops.linalg."""

import os

import numpy as np
import pytest
import torch

from layerfit import ops

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":
    pytest.skip("the Keras oracle runs on the JAX backend", allow_module_level=True)

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 4)).astype(np.float32)
B = RNG.normal(size=(3, 4)).astype(np.float32)
POS = np.abs(A) + 0.5
UNIT = np.tanh(A) * 0.9
INTS = RNG.integers(1, 9, size=(3, 4)).astype(np.int32)
SQUARE = (A[:, :3] @ A[:, :3].T + 3 * np.eye(3)).astype(np.float32)  # symmetric positive
IMAGES = RNG.random((2, 6, 8, 3)).astype(np.float32)
SEQ = RNG.normal(size=(2, 7, 3)).astype(np.float32)

CASES = [
    ("array", ([1, 2, 3],), {}),
    ("array", ([1.5, 2.0],), {}),
    ("array", (INTS,), {"dtype": "float32"}),
    ("tril", (A,), {"k": -1}),
    ("triu", (A,), {}),
    ("tri", (3, 4), {}),
    ("swapaxes", (SEQ, 0, 2), {}),
    ("moveaxis", (SEQ, 0, -1), {}),
    ("broadcast_to", (A[0], (3, 4)), {}),
    ("roll", (A, 2), {"axis": 1}),
    ("roll", (A, 5), {}),
    ("tensordot", (A, B.T), {"axes": 1}),
    ("cumprod", (A,), {"axis": 1}),
    ("nan_to_num", (np.array([np.nan, np.inf, 1.0], np.float32),), {}),
    ("isclose", (A, A + 1e-7), {}),
    ("median", (A,), {"axis": 1}),
    ("quantile", (A, 0.3), {"axis": 0}),
    ("percentile", (A, 70.0), {}),
    ("diff", (A,), {}),
    ("trace", (SQUARE,), {}),
    ("diagonal", (A,), {"offset": 1}),
    ("pad", (A, ((1, 0), (2, 1))), {}),
    ("pad", (A, ((1, 1), (1, 1))), {"mode": "reflect"}),
    ("ravel", (A,), {}),
    ("average", (A,), {"axis": 1, "weights": np.arange(1, 5, dtype=np.float32)}),
    ("bincount", (np.array([0, 1, 1, 3], np.int32),), {"minlength": 5}),
    ("searchsorted", (np.arange(5, dtype=np.float32), np.array([1.5, 3.0], np.float32)), {}),
    ("digitize", (A, np.array([-1.0, 0.0, 1.0], np.float32)), {}),
    ("amax", (A,), {"axis": 0}),
    ("amin", (A,), {}),
    ("ptp", (A,), {"axis": 1}),
    ("append", (A, B), {"axis": 0}),
    ("hstack", ([A, B],), {}),
    ("vstack", ([A, B],), {}),
    ("flipud", (A,), {}),
    ("rot90", (A,), {}),
    ("kron", (A[:2, :2], B[:2, :2]), {}),
    ("inner", (A, B), {}),
    ("cross", (A[:, :3], B[:, :3]), {}),
    ("logspace", (0.0, 2.0), {"num": 5}),
    ("arctan2", (A, B), {}),
    ("arcsin", (UNIT,), {}),
    ("cosh", (A,), {}),
    ("log2", (POS,), {}),
    ("log10", (INTS,), {}),
    ("expm1", (A,), {}),
    ("reciprocal", (POS,), {}),
    ("cbrt", (A,), {}),
    ("trunc", (A * 3,), {}),
    ("hypot", (A, B), {}),
    ("logaddexp", (A, B), {}),
    ("fmod", (A * 5, POS), {}),
    ("logical_xor", (A > 0, B > 0), {}),
    ("erf", (A,), {}),
    ("erfinv", (UNIT,), {}),
    ("rsqrt", (POS,), {}),
    ("divide_no_nan", (A, np.where(B > 0, B, 0).astype(np.float32)), {}),
    ("segment_sum", (A, np.array([0, 0, 1], np.int32)), {"num_segments": 2}),
    ("segment_max", (A, np.array([0, 1, 1], np.int32)), {"num_segments": 2}),
    ("nansum", (np.array([1.0, np.nan, 2.0], np.float32),), {}),
    ("nanmean", (np.array([1.0, np.nan, 2.0], np.float32),), {}),
    ("logsumexp", (A,), {"axis": 1}),
    ("log_sigmoid", (A,), {}),
    ("celu", (A,), {"alpha": 0.5}),
    ("glu", (A,), {}),
    ("hard_tanh", (A * 2,), {}),
    ("hard_silu", (A * 3,), {}),
    ("soft_shrink", (A,), {}),
    ("hard_shrink", (A,), {}),
    ("squareplus", (A,), {}),
    ("sparse_plus", (A * 2,), {}),
    ("threshold", (A, 0.2, -1.0), {}),
    ("normalize", (A,), {}),
    ("multi_hot", (np.array([[0, 2], [1, 1]], np.int32),), {"num_classes": 4}),
    ("in_top_k", (np.array([1, 0, 3], np.int32), A, 2), {}),
    ("rms_normalization", (A,), {}),
    ("layer_normalization", (A,), {}),
    ("batch_normalization", (A, A.mean(0), A.var(0), 1), {"offset": B[0], "scale": POS[0]}),
    ("conv", (SEQ, RNG.normal(size=(3, 3, 2)).astype(np.float32)), {"padding": "same"}),
    ("conv", (IMAGES, RNG.normal(size=(3, 2, 3, 4)).astype(np.float32)), {"strides": 2}),
    ("depthwise_conv", (IMAGES, RNG.normal(size=(3, 3, 3, 2)).astype(np.float32)), {}),
    ("max_pool", (IMAGES, 3), {"strides": 2, "padding": "same"}),
    ("average_pool", (IMAGES, 2), {"padding": "same", "strides": 3}),
    ("saturate_cast", (A * 300, "int8"), {}),
    ("slice", (A, (1, 1), (2, 2)), {}),
    ("slice_update", (A, (1, 1), np.ones((2, 2), np.float32)), {}),
    (
        "scatter",
        (np.array([[0, 1], [2, 3]], np.int32), np.array([5.0, 6.0], np.float32), (3, 4)),
        {},
    ),
    (
        "scatter_update",
        (A, np.array([[0, 1], [2, 3]], np.int32), np.array([5.0, 6.0], np.float32)),
        {},
    ),
    ("unstack", (A,), {"axis": 1}),
]


def _numpy(value):
    if isinstance(value, (list, tuple)):
        return [_numpy(v) for v in value]
    return np.asarray(value.detach().cpu() if torch.is_tensor(value) else value)


@pytest.mark.parametrize(
    "name, args, kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_op_matches_keras(name, args, kwargs):
    expected = _numpy(getattr(keras.ops, name)(*args, **kwargs))
    got = _numpy(getattr(ops, name)(*args, **kwargs))
    for g, e in zip(
        got if isinstance(got, list) else [got],
        expected if isinstance(expected, list) else [expected],
    ):
        assert g.shape == e.shape
        assert g.dtype == e.dtype or (g.dtype.kind, e.dtype.kind) == ("i", "i")
        np.testing.assert_allclose(g, e, atol=1e-5, rtol=1e-5)  # float32 arithmetic


@pytest.mark.parametrize(
    "name, args",
    [
        ("cholesky", (SQUARE,)),
        ("det", (SQUARE,)),
        ("inv", (SQUARE,)),
        ("solve", (SQUARE, A[:, :2])),
        ("solve_triangular", (np.tril(SQUARE), A[:, :2])),
        ("matrix_rank", (SQUARE,)),
        ("pinv", (A,)),
        ("lstsq", (A.T, B.T[:, :2])),
        ("norm", (A,)),
    ],
)
def test_linalg_matches_keras(name, args):
    expected = _numpy(getattr(keras.ops.linalg, name)(*args))
    got = _numpy(getattr(ops.linalg, name)(*args))
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-4)  # float32 factorizations


def test_decompositions_reconstruct_their_input():
    u, s, vt = ops.linalg.svd(A, full_matrices=False)
    torch.testing.assert_close(u @ torch.diag(s) @ vt, torch.from_numpy(A), atol=1e-5, rtol=0)
    q, r = ops.linalg.qr(A)
    torch.testing.assert_close(q @ r, torch.from_numpy(A), atol=1e-5, rtol=0)
    values, vectors = ops.linalg.eigh(SQUARE)
    rebuilt = vectors @ torch.diag(values) @ vectors.T
    torch.testing.assert_close(rebuilt, torch.from_numpy(SQUARE), atol=1e-4, rtol=0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"size": (3, 4)},
        {"size": (12, 10)},
        {"size": (4, 4), "interpolation": "nearest"},
        {"size": (3, 4), "antialias": True},
        {"size": (4, 4), "crop_to_aspect_ratio": True},
        {"size": (4, 4), "pad_to_aspect_ratio": True},
    ],
)
def test_image_resize_matches_keras(kwargs):
    expected = np.asarray(keras.ops.image.resize(IMAGES, **kwargs))
    got = ops.image.resize(IMAGES, **kwargs).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-4)  # interpolation weights in float32


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("rgb_to_grayscale", {}),
        (
            "pad_images",
            {"top_padding": 1, "left_padding": 2, "target_height": 9, "target_width": 11},
        ),
        (
            "crop_images",
            {"top_cropping": 1, "left_cropping": 2, "target_height": 3, "target_width": 4},
        ),
        ("extract_patches", {"size": 2}),
        ("extract_patches", {"size": (3, 2), "strides": 2, "padding": "same"}),
    ],
)
def test_image_ops_match_keras(name, kwargs):
    expected = np.asarray(getattr(keras.ops.image, name)(IMAGES, **kwargs))
    got = getattr(ops.image, name)(IMAGES, **kwargs).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_control_flow_ops_run_eagerly():
    assert ops.cond(True, lambda: 1, lambda: 2) == 1
    assert ops.fori_loop(0, 5, lambda i, v: v + i, 0) == 10
    assert ops.while_loop(lambda x: x < 10, lambda x: x * 2, 1) == 16
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, torch.arange(4.0))
    assert carry == 6 and ys.tolist() == [0.0, 0.0, 2.0, 9.0]  # y = carry * x
    assert ops.switch(5, [lambda x: x + 1, lambda x: x * 10], 2) == 20  # index clamped
    torch.testing.assert_close(
        ops.vectorized_map(lambda x: x.sum(), torch.ones(3, 2)), torch.full((3,), 2.0)
    )


def test_dot_product_attention_matches_keras():
    q = RNG.normal(size=(2, 5, 2, 4)).astype(np.float32)
    k = RNG.normal(size=(2, 6, 2, 4)).astype(np.float32)
    v = RNG.normal(size=(2, 6, 2, 4)).astype(np.float32)
    mask = RNG.random((2, 2, 5, 6)) > 0.2
    for kwargs in [{}, {"mask": mask}, {"scale": 0.3}]:
        expected = np.asarray(keras.ops.dot_product_attention(q, k, v, **kwargs))
        got = ops.dot_product_attention(q, k, v, **kwargs).numpy()
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_moments_match_keras():
    mean, variance = ops.moments(A, axes=[0])
    expected = keras.ops.moments(A, axes=[0])
    np.testing.assert_allclose(mean.numpy(), np.asarray(expected[0]), atol=1e-6)
    np.testing.assert_allclose(variance.numpy(), np.asarray(expected[1]), atol=1e-6)


def test_submodules_are_laid_out_as_keras():
    for name in ("nn", "numpy", "linalg", "image"):
        ours = set(getattr(ops, name).__all__)
        theirs = {n for n in dir(getattr(keras.ops, name)) if not n.startswith("_")}
        assert ours <= theirs, f"ops.{name} exports names Keras's does not: {sorted(ours - theirs)}"
    assert ops.numpy.mean is ops.mean and ops.nn.relu is ops.relu
    assert ops.linalg.norm is ops.norm


def test_pad_mode_error_names_the_fix():
    with pytest.raises(ValueError, match="mode='constant'"):
        ops.pad(np.zeros((2, 2, 2, 2), np.float32), ((1, 1),) * 4, mode="reflect")


def test_extract_patches_of_integer_images_like_keras():
    # keras-io ViT example: patches of a uint8 image (ops.image.resize keeps uint8).
    images = np.arange(2 * 4 * 4 * 3, dtype="uint8").reshape(2, 4, 4, 3)
    got = ops.image.extract_patches(ops.convert_to_tensor(images), 2)
    expected = images.reshape(2, 2, 2, 2, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(2, 2, 2, 12)
    assert got.dtype == torch.uint8
    np.testing.assert_array_equal(got.numpy(), expected)
