"""Keras 3's random initializers (formulas of ``keras/src/initializers/random_initializers.py``).

With ``seed=None`` they draw from torch's global RNG, so ``set_random_seed`` makes them
reproducible; with an integer seed every call returns the same values, as in Keras.
"""

from __future__ import annotations

import math

import torch

from layerfit.backend import torch_dtype
from layerfit.errors import LayerfitValueError, explain
from layerfit.initializers._initializer import (
    _TRUNCATED_STD,
    Initializer,
    _check_seed,
    _generator,
    _shape,
    compute_fans,
)


class RandomInitializer(Initializer):
    """Base of the random initializers: stores `seed` (an int, or None for the global RNG)."""

    def __init__(self, seed=None):
        self.seed = _check_seed(seed)

    def get_config(self):
        return {"seed": self.seed}


def _normal(shape, mean, stddev, seed, dtype):
    values = torch.randn(shape, generator=_generator(seed), dtype=torch.float32)
    return (values * stddev + mean).to(torch_dtype(dtype))


def _uniform(shape, minval, maxval, seed, dtype):
    values = torch.rand(shape, generator=_generator(seed), dtype=torch.float32)
    return (values * (maxval - minval) + minval).to(torch_dtype(dtype))


def _truncated_normal(shape, mean, stddev, seed, dtype):
    """Normal draws restricted to [mean - 2 stddev, mean + 2 stddev], by inverse CDF."""
    low = 0.5 * (1.0 + math.erf(-2.0 / math.sqrt(2.0)))
    high = 0.5 * (1.0 + math.erf(2.0 / math.sqrt(2.0)))
    uniform = torch.rand(shape, generator=_generator(seed), dtype=torch.float32)
    uniform = uniform * (high - low) + low
    values = torch.erfinv(2.0 * uniform - 1.0) * math.sqrt(2.0)
    values = values.clamp_(-2.0, 2.0)
    return (values * stddev + mean).to(torch_dtype(dtype))


class RandomNormal(RandomInitializer):
    """Random normal initializer: draws from `N(mean, stddev**2)`.

    Args:
        mean: Mean of the random values. Defaults to `0.0`.
        stddev: Standard deviation of the random values. Defaults to `0.05`.
        seed: An integer for reproducible draws (same values on every call), or `None` to
            draw from torch's global RNG. Defaults to `None`.

    Example:
    >>> RandomNormal(mean=0.0, stddev=1.0, seed=1)((2, 2)).shape
    torch.Size([2, 2])
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _normal(_shape(shape), self.mean, self.stddev, self.seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Normal draws more than two standard deviations from the mean are re-drawn.

    Args:
        mean: Mean of the random values. Defaults to `0.0`.
        stddev: Standard deviation before truncation. Defaults to `0.05`.
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> TruncatedNormal(stddev=1.0, seed=1)((3,)).abs().max() <= 2.0
    tensor(True)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _truncated_normal(_shape(shape), self.mean, self.stddev, self.seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Random uniform initializer: draws from `[minval, maxval)`.

    Args:
        minval: Lower bound (inclusive). Defaults to `-0.05`.
        maxval: Upper bound (exclusive). Defaults to `0.05`.
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> RandomUniform(0.0, 1.0, seed=1)((2,)).shape
    torch.Size([2])
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _uniform(_shape(shape), self.minval, self.maxval, self.seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "minval": self.minval, "maxval": self.maxval}


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(RandomInitializer):
    """Draws with variance `scale / n`, `n` set by `mode` from the weight's fans.

    Normal draws have `stddev = sqrt(scale / n)` (after truncation for
    `"truncated_normal"`); uniform draws lie in `[-limit, limit]` with
    `limit = sqrt(3 * scale / n)`.

    Args:
        scale: Positive scaling factor. Defaults to `1.0`.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`. Defaults to `"fan_in"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or `"uniform"`
            (`"normal"` means truncated). Defaults to `"truncated_normal"`.
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.
        input_axes, output_axes: the axes whose sizes multiply into fan_in and fan_out
            (both needed; else Keras's rule from the shape). Default to `None`.

    Example:
    >>> VarianceScaling(scale=0.1, mode="fan_in", distribution="uniform")((2, 2)).shape
    torch.Size([2, 2])
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if not isinstance(scale, (int, float)) or scale <= 0.0:
            raise LayerfitValueError(
                explain(
                    f"Argument `scale` must be positive float. Received: scale={scale!r}.",
                    "a float > 0, e.g. scale=2.0 for ReLU layers.",
                )
            )
        if mode not in _MODES:
            raise LayerfitValueError(
                explain(f"Invalid `mode` argument: {mode!r}.", f"one of {list(_MODES)}.")
            )
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise LayerfitValueError(
                explain(
                    f"Invalid `distribution` argument: {distribution!r}.",
                    f"one of {list(_DISTRIBUTIONS)}.",
                )
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if self.input_axes is not None and self.output_axes is not None:
            # Keras's explicit fans (e.g. attention kernels): the product of the named axes.
            fan_in = math.prod(shape[a] for a in self.input_axes)
            fan_out = math.prod(shape[a] for a in self.output_axes)
        else:
            fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / _TRUNCATED_STD
            return _truncated_normal(shape, 0.0, stddev, self.seed, dtype)
        if self.distribution == "untruncated_normal":
            return _normal(shape, 0.0, math.sqrt(scale), self.seed, dtype)
        limit = math.sqrt(3.0 * scale)
        return _uniform(shape, -limit, limit, self.seed, dtype)

    def get_config(self):
        return {
            "seed": self.seed,
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling whose scale, mode and distribution are fixed by the class."""

    _ARGS: tuple[float, str, str] = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        scale, mode, distribution = self._ARGS
        super().__init__(scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: `[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))`.

    Args:
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> GlorotUniform(seed=1)((784, 64)).shape
    torch.Size([784, 64])
    """

    _ARGS = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal, `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> GlorotNormal(seed=1)((4, 4)).shape
    torch.Size([4, 4])
    """

    _ARGS = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_FixedVarianceScaling):
    """He uniform: `[-limit, limit]`, `limit = sqrt(6 / fan_in)`.

    Args:
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> HeUniform(seed=1)((4, 4)).shape
    torch.Size([4, 4])
    """

    _ARGS = (2.0, "fan_in", "uniform")


class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal, `stddev = sqrt(2 / fan_in)`.

    Args:
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> HeNormal(seed=1)((4, 4)).shape
    torch.Size([4, 4])
    """

    _ARGS = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: `[-limit, limit]`, `limit = sqrt(3 / fan_in)`.

    Args:
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> LecunUniform(seed=1)((4, 4)).shape
    torch.Size([4, 4])
    """

    _ARGS = (1.0, "fan_in", "uniform")


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal, `stddev = sqrt(1 / fan_in)`.

    Args:
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> LecunNormal(seed=1)((4, 4)).shape
    torch.Size([4, 4])
    """

    _ARGS = (1.0, "fan_in", "truncated_normal")


class Orthogonal(RandomInitializer):
    """Orthogonal matrix from the QR decomposition of a normal draw, times `gain`.

    Shapes of rank > 2 are treated as a `(prod(shape[:-1]), shape[-1])` matrix.

    Args:
        gain: Multiplicative factor applied to the orthogonal matrix. Defaults to `1.0`.
        seed: An integer for reproducible draws, or `None`. Defaults to `None`.

    Example:
    >>> w = Orthogonal(seed=1)((3, 3))
    >>> torch.allclose(w.T @ w, torch.eye(3), atol=1e-5)
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) < 2:
            raise LayerfitValueError(
                explain(
                    f"Orthogonal initializer got shape={shape} of rank {len(shape)}.",
                    "a shape of at least two dimensions.",
                    "use Orthogonal for kernels, not for biases.",
                )
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        draw = torch.randn(
            (max(rows, cols), min(rows, cols)), generator=_generator(self.seed), dtype=torch.float32
        )
        q, r = torch.linalg.qr(draw)
        q = q * torch.sign(torch.diagonal(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).to(torch_dtype(dtype))

    def get_config(self):
        return {"seed": self.seed, "gain": self.gain}
