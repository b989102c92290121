"""Keras's random ops (``keras.random.normal``, ...) on torch generators.

``seed`` is None (torch's global generator, which ``utils.set_random_seed`` sets), an int
(the same values on every call, as Keras's stateless seeds) or a ``SeedGenerator`` (a stream
that advances call by call).
"""

from __future__ import annotations

import torch

from layerfit import backend, config
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain


class SeedGenerator:
    """A random stream: each op given this generator draws the next values from it.

    Args:
        seed: the starting seed; None draws one from torch's global generator. Defaults to None.
        name: Defaults to 'seed_generator', 'seed_generator_1', ...

    Example:
    >>> generator = SeedGenerator(42)
    >>> first, second = normal((2,), seed=generator), normal((2,), seed=generator)
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)  # Keras's choice of backend module: torch is the only one
        if kwargs:
            raise LayerfitTypeError(
                explain(
                    f"SeedGenerator got unexpected arguments {sorted(kwargs)}.",
                    "seed and name.",
                    "SeedGenerator(seed=42, name='dropout_seed').",
                )
            )
        self.name = name or backend.unique_name("seed_generator")
        self.seed = int(torch.randint(0, 2**31 - 1, ()).item()) if seed is None else int(seed)
        self.generator = torch.Generator(device=backend.default_device())
        self.generator.manual_seed(self.seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


def _generator(seed) -> torch.Generator | None:
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        return seed.generator
    if isinstance(seed, int) and not isinstance(seed, bool):
        generator = torch.Generator(device=backend.default_device())
        return generator.manual_seed(seed)
    raise LayerfitTypeError(
        explain(
            f"seed={seed!r} of type {type(seed).__name__}.",
            "None, an int or a layerfit.random.SeedGenerator.",
            "seed=42, or make one SeedGenerator(42) and pass it to every call.",
        )
    )


def _float(dtype) -> torch.dtype:
    return backend.torch_dtype(dtype or config.floatx())


def _shape(shape) -> tuple:
    return (shape,) if isinstance(shape, int) else tuple(shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Samples of a normal distribution."""
    out = torch.empty(_shape(shape), dtype=_float(dtype), device=backend.default_device())
    return out.normal_(mean, stddev, generator=_generator(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Samples of a uniform distribution on [minval, maxval)."""
    out = torch.empty(_shape(shape), dtype=_float(dtype), device=backend.default_device())
    return out.uniform_(minval, maxval, generator=_generator(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Normal samples redrawn until within two standard deviations of the mean, as Keras's."""
    out = torch.empty(_shape(shape), dtype=_float(dtype), device=backend.default_device())
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=_generator(seed))
    return out * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None) -> torch.Tensor:
    """Integers in [minval, maxval)."""
    return torch.randint(
        minval,
        maxval,
        _shape(shape),
        generator=_generator(seed),
        dtype=backend.torch_dtype(dtype),
        device=backend.default_device(),
    )


def shuffle(x, axis=0, seed=None) -> torch.Tensor:
    """``x`` with its entries along ``axis`` in a random order."""
    x = backend.to_tensor(x, device=backend.default_device())
    order = torch.randperm(x.shape[axis], generator=_generator(seed), device=x.device)
    return x.index_select(axis, order)


def dropout(inputs, rate, noise_shape=None, seed=None) -> torch.Tensor:
    """Zeros each entry with probability ``rate`` and scales the rest by 1 / (1 - rate)."""
    if not 0 <= rate < 1:
        raise LayerfitValueError(
            explain(f"dropout rate={rate!r}.", "a rate in [0, 1).", "rate=0.5")
        )
    inputs = backend.to_tensor(inputs, device=backend.default_device())
    shape = inputs.shape if noise_shape is None else _noise_shape(noise_shape, inputs.shape)
    keep = uniform(shape, dtype=inputs.dtype, seed=seed) >= rate
    return inputs * keep / (1 - rate)


def _noise_shape(noise_shape, shape) -> tuple:
    return tuple(dim if dim is not None else size for dim, size in zip(noise_shape, shape))


def categorical(logits, num_samples, dtype="int32", seed=None) -> torch.Tensor:
    """For each row of ``logits``, ``num_samples`` class indices drawn from its softmax."""
    logits = backend.to_tensor(logits, device=backend.default_device())
    probabilities = torch.softmax(logits.float(), dim=-1)
    drawn = torch.multinomial(probabilities, num_samples, True, generator=_generator(seed))
    return drawn.to(backend.torch_dtype(dtype))


def _parameter(value, shape, dtype, name) -> torch.Tensor:
    value = backend.to_tensor(value, device=backend.default_device()).to(dtype)
    try:
        return value.expand(shape)
    except RuntimeError:
        raise LayerfitValueError(
            explain(
                f"{name} of shape {tuple(value.shape)} does not broadcast to shape {shape}.",
                "a number, or a tensor that broadcasts to the sample shape.",
                f"pass one value, or a tensor of shape {shape}.",
            )
        ) from None


def gamma(shape, alpha, dtype=None, seed=None) -> torch.Tensor:
    """Samples of a gamma distribution of shape ``alpha`` and scale 1.

    Example:
    >>> gamma((2, 3), alpha=2.0, seed=1).shape
    torch.Size([2, 3])
    """
    shape = _shape(shape)
    concentration = _parameter(alpha, shape, torch.float32, "alpha")
    samples = torch._standard_gamma(concentration, generator=_generator(seed))
    return samples.to(_float(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None) -> torch.Tensor:
    """Samples of a beta distribution: X / (X + Y) with X ~ gamma(alpha), Y ~ gamma(beta)."""
    shape = _shape(shape)
    generator = _generator(seed)
    both = torch.stack(
        [
            _parameter(alpha, shape, torch.float32, "alpha"),
            _parameter(beta, shape, torch.float32, "beta"),
        ]  # fmt: skip
    )
    drawn = torch._standard_gamma(both, generator=generator)
    return (drawn[0] / (drawn[0] + drawn[1])).to(_float(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None) -> torch.Tensor:
    """Numbers of successes in ``counts`` trials of success probability ``probabilities``
    (floatx by default, as Keras)."""
    shape = _shape(shape)
    counts_t = _parameter(counts, shape, torch.float32, "counts")
    probabilities_t = _parameter(probabilities, shape, torch.float32, "probabilities")
    drawn = torch.binomial(counts_t, probabilities_t, generator=_generator(seed))
    return drawn.to(_float(dtype))
