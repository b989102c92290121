"""Every activation (values and gradients) and every initializer (statistics) against Keras 3.

Activations: rtol 1e-5 / atol 1e-6 (float32 elementwise; gelu's tanh/erf forms differ from
each other by far more, so the right one is pinned).
Initializers: the two libraries draw different random numbers, so samples of 200,000 values
are compared by their statistics: mean within 0.01 * std + 1e-4 and std within 1% (the
standard errors at that size are 0.0022 * std and 0.16%), bounds exactly for uniform and
truncated draws; deterministic ones (constant, identity, orthogonal's Q^T Q = I) exactly.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

keras = pytest.importorskip("keras")

import layerfit  # noqa: E402

# Offset so no point sits exactly on a kink (0, relu's threshold and max_value), where the
# two libraries pick different (equally valid) subgradients.
X = (np.linspace(-6, 6, 241) + 0.0123).astype("f4").reshape(1, -1)

ACTIVATIONS = [
    ("relu", {}),
    ("relu", {"negative_slope": 0.1, "max_value": 3.0, "threshold": 0.5}),
    ("relu6", {}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.3}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("gelu", {}),
    ("gelu", {"approximate": False}),
    ("sigmoid", {}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_swish", {}),
    ("silu", {}),
    ("swish", {}),
    ("mish", {}),
    ("tanh", {}),
    ("softplus", {}),
    ("softsign", {}),
    ("exponential", {}),
    ("linear", {}),
    ("softmax", {}),
    ("softmax", {"axis": 0}),
    ("log_softmax", {}),
    ("celu", {}),
    ("celu", {"alpha": 0.5}),
    ("glu", {"axis": 0}),  # the two rows: the last axis has an odd length
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.0}),
    ("hard_tanh", {}),
    ("log_sigmoid", {}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 1.0}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    # sparsemax: not here. Keras 3.15 sums the running sums of the support instead of taking
    # the last one, so its output does not sum to 1 once two or more entries are in the support
    # (DECISIONS); tests/ops/test_ops_more.py checks ours against the paper's algorithm.
    ("squareplus", {}),
    ("squareplus", {"b": 2}),
    ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.5, "default_value": -1.0}),
]


@pytest.mark.parametrize("name, kwargs", ACTIVATIONS, ids=[f"{n}-{k}" for n, k in ACTIVATIONS])
def test_activation_value_and_gradient(name, kwargs):
    x = np.concatenate([X, X[:, ::-1] * 0.5])  # two rows: softmax's axis matters
    theirs = getattr(keras.activations, name)
    cotangent = np.random.default_rng(0).normal(size=np.shape(theirs(x, **kwargs))).astype("f4")
    expected = np.asarray(theirs(jnp.asarray(x), **kwargs))
    expected_grad = jax.grad(lambda v: jnp.sum(theirs(v, **kwargs) * cotangent))(jnp.asarray(x))
    inputs = torch.tensor(x, requires_grad=True)
    got = getattr(layerfit.activations, name)(inputs, **kwargs)
    (got * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(inputs.grad.numpy(), np.asarray(expected_grad), rtol=1e-5, atol=1e-6)


SHAPE = (400, 500)  # fan_in 400, fan_out 500
RANDOM = [
    ("RandomNormal", {"mean": 0.5, "stddev": 2.0}),
    ("RandomUniform", {"minval": -0.3, "maxval": 0.7}),
    ("TruncatedNormal", {"mean": 0.1, "stddev": 0.5}),
    ("GlorotUniform", {}),
    ("GlorotNormal", {}),
    ("HeUniform", {}),
    ("HeNormal", {}),
    ("LecunUniform", {}),
    ("LecunNormal", {}),
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}),
    ("VarianceScaling", {"scale": 0.5, "mode": "fan_avg", "distribution": "untruncated_normal"}),
    ("VarianceScaling", {"input_axes": [0], "output_axes": [1], "mode": "fan_out"}),
    ("GlorotUniform", {"input_axes": [1], "output_axes": [0]}),
]


@pytest.mark.parametrize("name, kwargs", RANDOM, ids=[f"{n}-{k}" for n, k in RANDOM])
@pytest.mark.parametrize("shape", [SHAPE, (3, 3, 120, 200)], ids=["dense", "conv"])
def test_random_initializer_statistics(name, kwargs, shape):
    expected = np.asarray(getattr(keras.initializers, name)(seed=1, **kwargs)(shape))
    got = getattr(layerfit.initializers, name)(seed=1, **kwargs)(shape).numpy()
    assert got.shape == expected.shape and got.dtype == expected.dtype
    std = expected.std()
    assert abs(got.mean() - expected.mean()) < 0.01 * std + 1e-4
    assert got.std() == pytest.approx(std, rel=0.01)
    distribution = kwargs.get("distribution", "truncated_normal")
    unbounded = name == "RandomNormal" or distribution == "untruncated_normal"
    if not unbounded:
        # Uniform and truncated draws have hard bounds: ours stay inside Keras's range,
        # and reach within 1% of it (200,000 draws).
        low, high = expected.min(), expected.max()
        span = high - low
        assert low - 0.01 * span <= got.min() <= low + 0.01 * span
        assert high - 0.01 * span <= got.max() <= high + 0.01 * span


@pytest.mark.parametrize(
    "name, kwargs",
    [("Zeros", {}), ("Ones", {}), ("Constant", {"value": 0.3}), ("Identity", {"gain": 2.0})],
)
def test_deterministic_initializers_exact(name, kwargs):
    expected = np.asarray(getattr(keras.initializers, name)(**kwargs)((4, 6)))
    got = getattr(layerfit.initializers, name)(**kwargs)((4, 6)).numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 3, 2, 5)])
def test_orthogonal_properties_match(shape):
    got = layerfit.initializers.Orthogonal(gain=1.5, seed=3)(shape).numpy()
    expected = np.asarray(keras.initializers.Orthogonal(gain=1.5, seed=3)(shape))
    flat = lambda a: a.reshape(-1, a.shape[-1])  # noqa: E731
    a, b = flat(got), flat(expected)
    small = min(a.shape)
    gram = lambda m: m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T  # noqa: E731
    # Both give gain * an orthonormal basis: the same Gram matrix, 2.25 * I (float32 QR).
    np.testing.assert_allclose(gram(a), gram(b), atol=1e-5)
    np.testing.assert_allclose(gram(a), 2.25 * np.eye(small), atol=1e-5)


REGULARIZERS = [("L1", {"l1": 0.03}), ("L2", {"l2": 0.02}), ("L1L2", {"l1": 0.01, "l2": 0.05})]


@pytest.mark.parametrize("name, kwargs", REGULARIZERS, ids=[n for n, _ in REGULARIZERS])
def test_regularizer_penalty_and_gradient(name, kwargs):
    # Same float32 tolerance as the activations: one elementwise formula and one sum.
    w = np.random.default_rng(2).normal(size=(5, 4)).astype("f4")
    theirs = getattr(keras.regularizers, name)(**kwargs)
    expected = float(theirs(jnp.asarray(w)))
    expected_grad = np.asarray(jax.grad(lambda v: theirs(v))(jnp.asarray(w)))
    weight = torch.tensor(w, requires_grad=True)
    got = getattr(layerfit.regularizers, name)(**kwargs)(weight)
    got.backward()
    np.testing.assert_allclose(float(got.detach()), expected, rtol=1e-5)
    np.testing.assert_allclose(weight.grad.numpy(), expected_grad, rtol=1e-5, atol=1e-6)
