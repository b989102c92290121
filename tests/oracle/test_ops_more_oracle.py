"""The ops added to complete keras.ops against Keras 3.15 (JAX backend): values, shapes and
dtypes, and gradients where Keras defines them (ctc_loss, custom_gradient, jvp).

Tolerances: 1e-5 for float32 elementwise and reductions; 1e-4 for convolutions and CTC (sums
over many float32 terms in a different order).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

keras = pytest.importorskip("keras")

from layerfit import ops  # noqa: E402

RNG = np.random.default_rng(7)
A = RNG.normal(size=(3, 4)).astype(np.float32)
NANS = np.where(RNG.random((3, 4)) < 0.3, np.nan, A).astype(np.float32)
NANS[0] = np.nan  # one row of NaNs only
INTS = RNG.integers(1, 9, size=(3, 4)).astype(np.int32)
VEC = RNG.normal(size=7).astype(np.float32)
IMAGES = RNG.random((2, 4, 6, 8)).astype(np.float32)

CASES = [
    ("nanargmax", (NANS,), {"axis": 1}),
    ("nanargmax", (NANS,), {"axis": 1, "keepdims": True}),
    ("nanargmin", (NANS,), {"axis": 0}),
    ("nanargmax", (INTS,), {}),
    ("nancumsum", (NANS,), {"axis": 1}),
    ("nancumsum", (NANS,), {}),
    ("nancumsum", (np.array([True, False, True]),), {}),
    ("nancumprod", (NANS,), {"axis": 0}),
    ("nancumprod", (INTS,), {"axis": 1}),
    ("nanmedian", (NANS[1:],), {"axis": 1}),
    ("nanmedian", (INTS,), {}),
    ("nanquantile", (NANS[1:], 0.3), {"axis": 0, "keepdims": True}),
    ("nanquantile", (NANS[1:], np.array([0.1, 0.9], np.float32)), {"axis": 1}),
    ("nanquantile", (NANS[1:], 0.4), {"axis": (0, 1), "method": "nearest"}),
    ("nanpercentile", (NANS[1:], 75.0), {"method": "lower"}),
    ("depth_to_space", (IMAGES, 2), {}),
    ("depth_to_space", (IMAGES, 2), {"data_format": "channels_first"}),
    ("space_to_depth", (IMAGES, 2), {}),
    ("space_to_depth", (IMAGES.transpose(0, 3, 1, 2), 2), {"data_format": "channels_first"}),
    ("unfold", (IMAGES, 2), {"stride": 2}),
    ("unfold", (IMAGES, (3, 2)), {"padding": 1, "dilation": (1, 2)}),
    ("cdist", (A, A[:2]), {}),
    (
        "cdist",
        (
            RNG.normal(size=(2, 3, 5)).astype(np.float32),
            RNG.normal(size=(2, 4, 5)).astype(np.float32),
        ),
        {},
    ),  # fmt: skip
    ("histogram", (VEC,), {}),
    ("histogram", (VEC,), {"bins": 3, "range": (-1.0, 1.0)}),
    ("correlate", (VEC, VEC[:3]), {}),
    ("correlate", (VEC, VEC[:3]), {"mode": "same"}),
    ("correlate", (VEC[:2], VEC), {"mode": "full"}),
    ("correlate", (INTS[0], INTS[1]), {"mode": "full"}),
    ("corrcoef", (A,), {}),
    ("vander", (VEC[:4],), {}),
    ("vander", (INTS[0],), {"N": 3, "increasing": True}),
    ("trapezoid", (A,), {}),
    ("trapezoid", (A,), {"x": np.array([0.0, 0.5, 2.0], np.float32), "axis": 0}),
    ("trapezoid", (INTS,), {"dx": 0.5}),
    ("angle", (A,), {}),
    ("angle", (np.array([1 + 1j, -2j], np.complex64),), {}),
    ("polar", (np.abs(A), A), {}),
    ("i0", (A,), {}),
    ("i0", (INTS,), {}),
    ("isreal", (np.array([1 + 0j, 1 + 1j], np.complex64),), {}),
    ("isreal", (A,), {}),
    ("nextafter", (A, np.zeros_like(A)), {}),
    ("view_as_real", (np.array([1 + 2j, 3 - 4j], np.complex64),), {}),
    ("view_as_complex", (A[:, :2].copy(),), {}),
    ("unravel_index", (np.array([0, 5, 11], np.int32), (3, 4)), {}),
    ("dsplit", (IMAGES, 2), {}),
    ("dsplit", (IMAGES, [1, 5]), {}),
    ("view", (A, "int32"), {}),
    ("sparse_sigmoid", (A * 2,), {}),
    ("sparse_sigmoid", (INTS - 4,), {}),
    ("rearrange", (IMAGES, "b h w c -> b c h w"), {}),
    ("rearrange", (IMAGES, "b (h p) w c -> b h (p w) c"), {"p": 2}),
    ("rearrange", (IMAGES, "b h w (c k) -> (b k) h w c"), {"k": 4}),
    ("conv_transpose", (IMAGES, RNG.normal(size=(3, 3, 5, 8)).astype(np.float32)), {}),
    (
        "conv_transpose",
        (IMAGES, RNG.normal(size=(3, 3, 5, 8)).astype(np.float32)),
        {"strides": 2, "padding": "same"},
    ),  # fmt: skip
    (
        "conv_transpose",
        (IMAGES, RNG.normal(size=(2, 3, 5, 8)).astype(np.float32)),
        {"strides": (2, 3), "padding": "valid", "output_padding": 1},
    ),  # fmt: skip
    (
        "conv_transpose",
        (IMAGES[:, :, 0], RNG.normal(size=(4, 2, 8)).astype(np.float32)),
        {"strides": 3, "padding": "same", "dilation_rate": 1},
    ),  # fmt: skip
    (
        "conv_transpose",
        (IMAGES, RNG.normal(size=(3, 3, 2, 8)).astype(np.float32)),
        {"padding": "same", "dilation_rate": 2},
    ),  # fmt: skip
    (
        "separable_conv",
        (
            IMAGES,
            RNG.normal(size=(3, 3, 8, 2)).astype(np.float32),
            RNG.normal(size=(1, 1, 16, 5)).astype(np.float32),
        ),
        {"padding": "same"},
    ),  # fmt: skip
    (
        "separable_conv",
        (
            IMAGES,
            RNG.normal(size=(2, 2, 8, 1)).astype(np.float32),
            RNG.normal(size=(1, 1, 8, 3)).astype(np.float32),
        ),
        {"strides": 2},
    ),  # fmt: skip
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
    got, expected = (v if isinstance(v, list) else [v] for v in (got, expected))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        # JAX runs without 64-bit types: an int64 there is int32; kinds must agree.
        assert g.dtype == e.dtype or (g.dtype.kind, e.dtype.kind) == ("i", "i"), (g.dtype, e.dtype)
        np.testing.assert_allclose(g, e, atol=1e-4, rtol=1e-4, equal_nan=True)


def test_fold_matches_keras_and_inverts_unfold_counts():
    blocks = ops.unfold(IMAGES, 2, stride=2)
    expected = np.asarray(keras.ops.fold(np.asarray(blocks), (6, 8), 2, stride=2))
    got = ops.fold(blocks, (6, 8), 2, stride=2).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-6)
    np.testing.assert_allclose(got, IMAGES, atol=1e-6)  # blocks that do not overlap


def test_argpartition_partitions_as_keras():
    x = RNG.permutation(10).astype(np.float32)
    got = ops.argpartition(x, 3).numpy()
    expected = np.asarray(keras.ops.argpartition(x, 3))
    assert got.dtype == expected.dtype  # int32 both
    # Any valid partition: the kth value in place, smaller ones before, larger after.
    assert x[got[3]] == x[expected[3]] == 3
    assert set(x[got[:3]]) == set(x[expected[:3]]) == {0, 1, 2}


def _ctc_inputs():
    logits = RNG.normal(size=(3, 9, 5)).astype(np.float32)
    target = np.array([[1, 2, 2, 0], [3, 4, 0, 0], [1, 1, 1, 3]], np.int32)
    return logits, target, np.array([3, 2, 4], np.int32), np.array([9, 7, 9], np.int32)


@pytest.mark.parametrize("mask_index", [0, 4])
def test_ctc_loss_and_its_gradient_match_keras(mask_index):
    logits, target, target_length, output_length = _ctc_inputs()
    if mask_index == 4:  # the blank is class 4: labels come from 0..3
        target = np.where(target == 4, 0, target)

    def theirs(v):
        return keras.ops.ctc_loss(target, v, target_length, output_length, mask_index)

    expected = np.asarray(theirs(jnp.asarray(logits)))
    expected_grad = np.asarray(jax.grad(lambda v: jnp.sum(theirs(v)))(jnp.asarray(logits)))
    inputs = torch.tensor(logits, requires_grad=True)
    got = ops.ctc_loss(target, inputs, target_length, output_length, mask_index)
    got.sum().backward()
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(inputs.grad.numpy(), expected_grad, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("merge_repeated", [True, False])
@pytest.mark.parametrize("mask_index", [0, 2])
def test_ctc_greedy_decode_matches_keras(merge_repeated, mask_index):
    probabilities = jax.nn.softmax(RNG.normal(size=(3, 9, 5)).astype(np.float32) * 3)
    probabilities = np.asarray(probabilities)
    lengths = np.array([9, 5, 7], np.int32)
    kwargs = {"merge_repeated": merge_repeated, "mask_index": mask_index}
    decoded, scores = keras.ops.ctc_decode(probabilities, lengths, **kwargs)
    got_decoded, got_scores = ops.ctc_decode(probabilities, lengths, **kwargs)
    np.testing.assert_array_equal(got_decoded.numpy(), np.asarray(decoded))
    assert got_decoded.dtype == torch.int32
    np.testing.assert_allclose(got_scores.numpy(), np.asarray(scores), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("beam_width, top_paths, mask_index", [(10, 3, 0), (4, 2, 4), (100, 1, 0)])
def test_ctc_beam_search_matches_keras(beam_width, top_paths, mask_index):
    logits = (RNG.normal(size=(3, 8, 5)) * 2).astype(np.float32)
    lengths = np.array([8, 5, 7], np.int32)
    kwargs = {"beam_width": beam_width, "top_paths": top_paths, "mask_index": mask_index}
    decoded, scores = keras.ops.ctc_decode(logits, lengths, strategy="beam_search", **kwargs)
    got_decoded, got_scores = ops.ctc_decode(logits, lengths, strategy="beam_search", **kwargs)
    np.testing.assert_array_equal(got_decoded.numpy(), np.asarray(decoded))
    np.testing.assert_allclose(got_scores.numpy(), np.asarray(scores), rtol=1e-5, atol=1e-5)


def test_custom_gradient_matches_keras():
    def make(o):
        @o.custom_gradient
        def log1pexp(x):
            e = o.exp(x)

            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                return o.multiply(upstream, 1.0 - 1.0 / o.add(1, e))

            return o.log(1 + e), grad

        return log1pexp

    x = np.array([0.0, 1.0, 100.0], np.float32)
    expected = np.asarray(jax.grad(lambda v: jnp.sum(make(keras.ops)(v)))(jnp.asarray(x)))
    inputs = torch.tensor(x, requires_grad=True)
    make(ops)(inputs).sum().backward()
    np.testing.assert_allclose(inputs.grad.numpy(), expected, rtol=1e-6)
    assert inputs.grad[2] == 1.0  # the plain gradient would be nan at 100 (inf / inf)


def test_jvp_matches_keras():
    def fun(x, y):
        return keras.ops.sin(x) * y, keras.ops.sum(x)

    x, y = A, A[::-1].copy()
    tx, ty = np.ones_like(A), np.full_like(A, 0.5)
    expected = keras.ops.jvp(fun, (x, y), (tx, ty), has_aux=True)

    def ours(a, b):
        return ops.sin(a) * b, ops.sum(a)

    got = ops.jvp(ours, (x, y), (tx, ty), has_aux=True)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), np.asarray(e), rtol=1e-5, atol=1e-6)


def test_associative_scan_matches_keras():
    x = RNG.normal(size=(6, 3)).astype(np.float32)
    for kwargs in [{}, {"reverse": True}, {"axis": 1}]:
        expected = keras.ops.associative_scan(lambda a, b: a + b, x, **kwargs)
        got = ops.associative_scan(lambda a, b: a + b, x, **kwargs)
        np.testing.assert_allclose(got.numpy(), np.asarray(expected), rtol=1e-5, atol=1e-5)
    pairs = (x, np.abs(x) + 0.5)  # a linear recurrence h = a * h + b as (a, b) pairs

    def combine(first, second):
        return (first[0] * second[0], second[0] * first[1] + second[1])

    expected = keras.ops.associative_scan(combine, pairs)
    got = ops.associative_scan(combine, pairs)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), np.asarray(e), rtol=1e-5, atol=1e-5)


def test_vectorize_matches_keras():
    def dot(a, b):
        return (a * b).sum()

    x, y = RNG.normal(size=(4, 3)).astype(np.float32), RNG.normal(size=3).astype(np.float32)
    expected = keras.ops.vectorize(lambda a, b: keras.ops.sum(a * b), signature="(n),(n)->()")
    got = ops.vectorize(dot, signature="(n),(n)->()")(x, y)
    np.testing.assert_allclose(got.numpy(), np.asarray(expected(x, y)), rtol=1e-5)
    elementwise = ops.vectorize(lambda a, b: a * 2 + b)(x, y)
    np.testing.assert_allclose(elementwise.numpy(), x * 2 + y, rtol=1e-6)
