"""Regularization layers active only in training: GaussianNoise, GaussianDropout, AlphaDropout;
and ActivityRegularization, which adds a penalty on its inputs to the loss."""

from __future__ import annotations

import math

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._regularization import _SpatialDropout

# SELU's constants (Klambauer et al. 2017), which AlphaDropout keeps self-normalizing.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _rate(layer: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise LayerfitValueError(
            explain(f"{layer} got rate={value!r}.", "a fraction in [0, 1).", f"{layer}(0.1)")
        )
    return float(value)


class _TrainingOnly(Layer):
    """Changes its inputs in training only; the identity at inference."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        return self._noisy(inputs) if training else inputs

    def compute_output_shape(self, input_shape):
        return input_shape


class GaussianNoise(_TrainingOnly):
    """Adds zero-mean Gaussian noise of standard deviation ``stddev`` during training.

    Args:
        stddev: the noise's standard deviation.
        seed: Defaults to None.

    Example:
    >>> GaussianNoise(0.1)(torch.ones(2, 3))  # inference: unchanged
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float)) or stddev < 0:
            raise LayerfitValueError(
                explain(
                    f"GaussianNoise got stddev={stddev!r}.", "a number >= 0.", "GaussianNoise(0.1)"
                )
            )
        self.stddev = float(stddev)

    def _noisy(self, inputs):
        return inputs + torch.randn_like(inputs) * self.stddev

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(_TrainingOnly):
    """Multiplies inputs by Gaussian noise of mean 1 and variance ``rate / (1 - rate)``.

    Args:
        rate: the equivalent dropout rate, in [0, 1).
        seed: Defaults to None.

    Example:
    >>> GaussianDropout(0.2)(torch.ones(2, 3)).shape
    torch.Size([2, 3])
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.rate = _rate("GaussianDropout", rate)

    def _noisy(self, inputs):
        if not self.rate:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * (1.0 + torch.randn_like(inputs) * stddev)

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class AlphaDropout(_TrainingOnly):
    """Dropout that keeps SELU networks' mean and variance: dropped units take SELU's
    negative saturation value, then an affine map restores the moments.

    Args:
        rate: fraction to drop, in [0, 1).
        noise_shape: broadcast shape of the keep mask. Defaults to None (the input's).
        seed: Defaults to None.

    Example:
    >>> AlphaDropout(0.1)(torch.ones(2, 3)).shape
    torch.Size([2, 3])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.rate = _rate("AlphaDropout", rate)
        self.noise_shape = noise_shape

    def _noisy(self, inputs):
        if not self.rate:
            return inputs
        shape = inputs.shape
        if self.noise_shape is not None:
            shape = [inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape)]
        kept = (torch.rand(shape, device=inputs.device) >= self.rate).to(inputs.dtype)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "noise_shape": self.noise_shape,
            "seed": self.seed,
        }


class ActivityRegularization(Layer):
    """Adds ``l1 * sum(|x|) + l2 * sum(x ** 2)``, divided by the batch size as Keras does, to
    the training loss; returns its inputs unchanged.

    Args:
        l1: Defaults to 0.0.
        l2: Defaults to 0.0.

    Example:
    >>> ActivityRegularization(l2=0.01)(torch.ones(2, 3)).shape
    torch.Size([2, 3])
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(**kwargs)
        self.l1 = float(l1)
        self.l2 = float(l2)
        self.supports_masking = True

    def call(self, inputs):
        penalty = inputs.new_zeros(())
        if self.l1:
            penalty = penalty + self.l1 * inputs.abs().sum()
        if self.l2:
            penalty = penalty + self.l2 * inputs.square().sum()
        self.add_loss(penalty / inputs.shape[0])
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}


class SpatialDropout3D(_SpatialDropout):
    """Drops whole channels of volumes (batch, depth, height, width, channels) in training.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        seed: Defaults to None (torch's global generator).

    Example:
    >>> SpatialDropout3D(0.5)(torch.ones(1, 2, 2, 2, 3), training=False).shape
    torch.Size([1, 2, 2, 2, 3])
    """

    rank = 3
