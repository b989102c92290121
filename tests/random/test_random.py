"""keras.random: seeds reproduce, SeedGenerators advance, samples have the promised law.

Statistical checks use 100,000 samples; tolerances are about 5 standard errors.
"""

import numpy as np
import pytest
import torch

from layerfit import random
from layerfit.errors import LayerfitTypeError, LayerfitValueError

N = 100_000


def test_an_int_seed_gives_the_same_values_on_every_call():
    assert torch.equal(random.normal((5,), seed=3), random.normal((5,), seed=3))
    assert not torch.equal(random.normal((5,), seed=3), random.normal((5,), seed=4))


def test_a_seed_generator_advances_and_restarts_from_its_seed():
    generator = random.SeedGenerator(7)
    first, second = random.uniform((4,), seed=generator), random.uniform((4,), seed=generator)
    assert not torch.equal(first, second)
    again = random.SeedGenerator(7)
    assert torch.equal(random.uniform((4,), seed=again), first)


def test_normal_and_uniform_have_their_moments():
    normal = random.normal((N,), mean=2.0, stddev=3.0, seed=0)
    assert normal.dtype == torch.float32
    assert abs(normal.mean().item() - 2.0) < 5 * 3.0 / N**0.5
    assert abs(normal.std().item() - 3.0) < 0.05
    uniform = random.uniform((N,), minval=-1.0, maxval=3.0, seed=0)
    assert uniform.min() >= -1.0 and uniform.max() < 3.0
    assert abs(uniform.mean().item() - 1.0) < 5 * (16 / 12) ** 0.5 / N**0.5


def test_truncated_normal_stays_within_two_deviations():
    values = random.truncated_normal((N,), mean=1.0, stddev=0.5, seed=0)
    assert values.min() >= 0.0 and values.max() <= 2.0
    # The standard normal truncated to [-2, 2] has standard deviation 0.8796.
    assert abs(values.std().item() - 0.5 * 0.8796) < 0.01


def test_randint_covers_its_half_open_range():
    values = random.randint((N,), 3, 7, seed=0)
    assert values.dtype == torch.int32
    assert sorted(torch.unique(values).tolist()) == [3, 4, 5, 6]


def test_shuffle_permutes_along_the_axis():
    x = np.arange(12).reshape(6, 2)
    shuffled = random.shuffle(x, seed=1).numpy()
    assert sorted(map(tuple, shuffled)) == sorted(map(tuple, x)) and not np.array_equal(shuffled, x)


def test_dropout_zeroes_the_rate_and_rescales_the_rest():
    out = random.dropout(torch.ones(N), rate=0.25, seed=0)
    kept = out[out != 0]
    assert torch.allclose(kept, torch.full_like(kept, 1 / 0.75))
    assert abs((out == 0).float().mean().item() - 0.25) < 5 * (0.25 * 0.75 / N) ** 0.5
    shared = random.dropout(torch.ones(100, 8), rate=0.5, noise_shape=(None, 1), seed=0)
    assert all(len(set(row.tolist())) == 1 for row in shared)  # one decision per row


def test_categorical_draws_the_likely_class():
    logits = torch.log(torch.tensor([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]) + 1e-12)
    draws = random.categorical(logits, 1000, seed=0)
    assert draws.shape == (2, 1000) and (draws[0] == 1).all()
    assert set(draws[1].tolist()) == {0, 2}


def test_mistakes_explain_themselves():
    with pytest.raises(LayerfitTypeError, match="seed='1'"):
        random.normal((2,), seed="1")
    with pytest.raises(LayerfitValueError, match="rate=1.5"):
        random.dropout(torch.ones(2), rate=1.5)


@pytest.mark.parametrize("name", ["gamma", "beta", "binomial"])
def test_new_samplers_are_seeded_like_the_others(name):
    def draw(seed):
        args = {"gamma": (2.0,), "beta": (2.0, 3.0), "binomial": (10, 0.3)}[name]
        return getattr(random, name)((50,), *args, seed=seed)

    assert torch.equal(draw(3), draw(3)) and not torch.equal(draw(3), draw(4))
    generator = random.SeedGenerator(5)
    first, second = draw(generator), draw(generator)
    assert not torch.equal(first, second)
    assert torch.equal(draw(random.SeedGenerator(5)), first)
    assert first.dtype == torch.float32 and draw(1).shape == (50,)


def test_gamma_beta_binomial_have_their_moments():
    gamma = random.gamma((N,), alpha=3.0, seed=0)  # mean 3, variance 3
    assert abs(gamma.mean() - 3.0) < 5 * (3.0 / N) ** 0.5 and abs(gamma.var() - 3.0) < 0.15
    beta = random.beta((N,), alpha=2.0, beta=3.0, seed=0)  # mean 0.4, variance 0.04
    assert abs(beta.mean() - 0.4) < 5 * (0.04 / N) ** 0.5 and beta.min() >= 0 and beta.max() <= 1
    binomial = random.binomial((N,), counts=10, probabilities=0.3, seed=0)  # mean 3, var 2.1
    assert abs(binomial.mean() - 3.0) < 5 * (2.1 / N) ** 0.5
    assert torch.equal(binomial, binomial.round()) and binomial.max() <= 10


def test_sampler_parameters_broadcast_per_entry_or_fail_with_our_error():
    drawn = random.binomial((2, 3), counts=np.array([0.0, 5.0, 1000.0]), probabilities=0.5, seed=1)
    assert (drawn[:, 0] == 0).all() and (drawn[:, 2] > 400).all()
    with pytest.raises(LayerfitValueError, match="does not broadcast"):
        random.gamma((2, 3), alpha=np.ones(4), seed=1)
