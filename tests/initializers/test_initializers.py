"""Initializer statistics against Keras's formulas, fan computation, seeds and lookup.

Statistical tolerances come from the sample size n: the sample mean of n draws with standard
deviation s has standard error s / sqrt(n), and the sample standard deviation has relative
standard error about 1 / sqrt(2 n). We allow 6 standard errors (a false failure is ~1e-9).
"""

import math

import numpy as np
import pytest
import torch

from layerfit import backend, initializers
from layerfit.errors import LayerfitValueError

DENSE = (400, 500)  # fan_in 400, fan_out 500, n = 200_000
CONV = (3, 3, 64, 96)  # receptive field 9: fan_in 576, fan_out 864, n = 55_296
TRUNC_STD = 0.87962566103423978


def _check_moments(values: torch.Tensor, mean: float, std: float):
    x = values.double().numpy().ravel()
    n = x.size
    assert abs(x.mean() - mean) < 6 * std / math.sqrt(n), (x.mean(), mean)
    assert abs(x.std() / std - 1) < 6 / math.sqrt(2 * n), (x.std(), std)


def test_compute_fans_dense_conv_and_small_shapes():
    assert initializers.compute_fans((784, 64)) == (784, 64)
    assert initializers.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert initializers.compute_fans((5, 8, 4)) == (40, 20)  # Conv1D (k, in, out)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans(()) == (1, 1)


UNIFORM_LIMITS = {
    "glorot_uniform": lambda fi, fo: math.sqrt(6 / (fi + fo)),
    "he_uniform": lambda fi, fo: math.sqrt(6 / fi),
    "lecun_uniform": lambda fi, fo: math.sqrt(3 / fi),
}
NORMAL_STDS = {
    "glorot_normal": lambda fi, fo: math.sqrt(2 / (fi + fo)),
    "he_normal": lambda fi, fo: math.sqrt(2 / fi),
    "lecun_normal": lambda fi, fo: math.sqrt(1 / fi),
}


@pytest.mark.parametrize("shape", [DENSE, CONV])
@pytest.mark.parametrize("name", sorted(UNIFORM_LIMITS))
def test_uniform_variance_scaling_bounds_and_moments(name, shape):
    limit = UNIFORM_LIMITS[name](*initializers.compute_fans(shape))
    values = initializers.get(name)(shape)
    assert values.shape == shape and values.dtype == torch.float32
    assert values.abs().max().item() <= limit
    assert values.abs().max().item() > 0.999 * limit  # the range is used to its edges
    _check_moments(values, 0.0, limit / math.sqrt(3))


@pytest.mark.parametrize("shape", [DENSE, CONV])
@pytest.mark.parametrize("name", sorted(NORMAL_STDS))
def test_truncated_normal_variance_scaling_moments_and_truncation(name, shape):
    std = NORMAL_STDS[name](*initializers.compute_fans(shape))
    values = initializers.get(name)(shape)
    # Keras divides by the truncated std so the draw keeps variance `scale / n`.
    _check_moments(values, 0.0, std)
    assert values.abs().max().item() <= 2 * std / TRUNC_STD * (1 + 1e-6)


def test_variance_scaling_modes_and_untruncated_normal():
    init = initializers.VarianceScaling(
        scale=3.0, mode="fan_out", distribution="untruncated_normal"
    )
    _check_moments(init(DENSE), 0.0, math.sqrt(3.0 / 500))
    init = initializers.VarianceScaling(scale=2.0, mode="fan_avg", distribution="uniform")
    limit = math.sqrt(3 * 2.0 / 450)
    assert init(DENSE).abs().max().item() <= limit


def test_random_normal_uniform_truncated_moments():
    _check_moments(initializers.RandomNormal(mean=1.0, stddev=2.0)(DENSE), 1.0, 2.0)
    values = initializers.RandomUniform(minval=-1.0, maxval=3.0)(DENSE)
    assert values.min().item() >= -1.0 and values.max().item() < 3.0
    _check_moments(values, 1.0, 4.0 / math.sqrt(12))
    values = initializers.TruncatedNormal(mean=0.5, stddev=0.1)(DENSE)
    assert ((values - 0.5).abs() <= 0.2 * (1 + 1e-6)).all()
    _check_moments(values, 0.5, 0.1 * TRUNC_STD)


def test_keras_default_arguments():
    assert initializers.RandomNormal().get_config() == {"seed": None, "mean": 0.0, "stddev": 0.05}
    assert initializers.RandomUniform().get_config() == {
        "seed": None,
        "minval": -0.05,
        "maxval": 0.05,
    }
    assert initializers.TruncatedNormal().stddev == 0.05
    vs = initializers.VarianceScaling()
    assert (vs.scale, vs.mode, vs.distribution) == (1.0, "fan_in", "truncated_normal")


def test_integer_seed_repeats_and_no_seed_follows_global_rng():
    init = initializers.GlorotUniform(seed=7)
    assert torch.equal(init((5, 5)), init((5, 5)))
    assert torch.equal(init((5, 5)), initializers.GlorotUniform(seed=7)((5, 5)))
    assert not torch.equal(init((5, 5)), initializers.GlorotUniform(seed=8)((5, 5)))
    unseeded = initializers.HeNormal()
    backend.set_random_seed(3)
    first = unseeded((4, 4))
    assert not torch.equal(first, unseeded((4, 4)))  # fresh draws from the global RNG
    backend.set_random_seed(3)
    assert torch.equal(first, unseeded((4, 4)))


def test_constant_initializers():
    assert torch.equal(initializers.Zeros()((2, 3)), torch.zeros(2, 3))
    assert torch.equal(initializers.Ones()((2,)), torch.ones(2))
    assert torch.equal(initializers.Constant(2.5)((2, 2)), torch.full((2, 2), 2.5))
    assert initializers.Constant([1.0, 2.0])((3, 2)).tolist() == [[1.0, 2.0]] * 3
    assert torch.equal(initializers.Identity(gain=2.0)((2, 3)), 2.0 * torch.eye(2, 3))
    assert initializers.Zeros()((2,), dtype="float64").dtype == torch.float64


def test_identity_rejects_non_2d_shape():
    with pytest.raises(LayerfitValueError) as info:
        initializers.Identity()((3, 3, 3))
    assert "rank 3" in str(info.value) and "2D" in str(info.value)


@pytest.mark.parametrize("shape", [(50, 30), (30, 50), (3, 3, 4, 20)])
def test_orthogonal_is_orthogonal_times_gain(shape):
    values = initializers.Orthogonal(gain=1.5, seed=1)(shape)
    matrix = values.reshape(-1, shape[-1]).double() / 1.5
    rows, cols = matrix.shape
    gram = matrix.T @ matrix if rows >= cols else matrix @ matrix.T
    np.testing.assert_allclose(gram.numpy(), np.eye(min(rows, cols)), atol=1e-5)


def test_orthogonal_rejects_1d_shape():
    with pytest.raises(LayerfitValueError, match="biases"):
        initializers.Orthogonal()((5,))


def test_invalid_variance_scaling_arguments_explain_the_fix():
    with pytest.raises(LayerfitValueError, match="scale=2.0"):
        initializers.VarianceScaling(scale=-1.0)
    with pytest.raises(LayerfitValueError, match="fan_in"):
        initializers.VarianceScaling(mode="fan_middle")
    with pytest.raises(LayerfitValueError, match="uniform"):
        initializers.VarianceScaling(distribution="poisson")
    with pytest.raises(LayerfitValueError, match="integer"):
        initializers.RandomNormal(seed="seven")


NAMES = {
    "zeros": initializers.Zeros,
    "ones": initializers.Ones,
    "constant": initializers.Constant,
    "identity": initializers.Identity,
    "random_normal": initializers.RandomNormal,
    "random_uniform": initializers.RandomUniform,
    "truncated_normal": initializers.TruncatedNormal,
    "variance_scaling": initializers.VarianceScaling,
    "glorot_uniform": initializers.GlorotUniform,
    "glorot_normal": initializers.GlorotNormal,
    "he_uniform": initializers.HeUniform,
    "he_normal": initializers.HeNormal,
    "lecun_uniform": initializers.LecunUniform,
    "lecun_normal": initializers.LecunNormal,
    "orthogonal": initializers.Orthogonal,
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_get_by_snake_and_class_name(name):
    cls = NAMES[name]
    assert type(initializers.get(name)) is cls
    assert type(initializers.get(cls.__name__)) is cls
    assert type(initializers.get(cls)) is cls


@pytest.mark.parametrize("name", sorted(NAMES))
def test_serialize_round_trip(name):
    init = initializers.get(name)
    config = initializers.serialize(init)
    assert config["class_name"] == type(init).__name__
    restored = initializers.deserialize(config)
    assert type(restored) is type(init) and restored.get_config() == init.get_config()


def test_round_trip_keeps_arguments_and_seed():
    init = initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform", seed=3)
    restored = initializers.get(initializers.serialize(init))
    assert torch.equal(restored((6, 4)), init((6, 4)))
    assert initializers.get({"class_name": "Constant", "config": {"value": 2.0}}).value == 2.0


def test_get_passes_instances_and_functions_through():
    init = initializers.HeNormal(seed=1)
    assert initializers.get(init) is init
    assert initializers.get(None) is None

    def my_init(shape, dtype=None):
        return torch.full(shape, 3.0)

    assert initializers.get(my_init) is my_init


def test_get_misspelling_suggests_closest_name():
    with pytest.raises(LayerfitValueError) as info:
        initializers.get("glorot_unifrom")
    assert "'glorot_uniform'" in str(info.value)
    with pytest.raises(LayerfitValueError, match="he_normal"):
        initializers.get(3.5)


def test_public_names_snapshot():
    expected = {
        "INITIALIZERS", "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform",
        "Identity", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
        "OrthogonalInitializer", "RandomInitializer", "RandomNormal", "RandomUniform",
        "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans", "constant", "deserialize",
        "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
        "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
        "serialize", "truncated_normal", "variance_scaling", "zeros",
        "IdentityInitializer", "STFT", "STFTInitializer", "stft",
    }  # fmt: skip
    assert set(initializers.__all__) == expected
