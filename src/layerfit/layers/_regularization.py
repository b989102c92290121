"""SpatialDropout1D/2D: drop whole feature maps (channels) instead of single values."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import check_image_rank, standardize_data_format
from layerfit.layers._layer import Layer


class _SpatialDropout(Layer):
    supports_masking = True  # masks pass through, as in Keras

    rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        layer = type(self).__name__
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise LayerfitValueError(
                explain(
                    f"{layer} got rate={rate!r}.",
                    "a fraction in [0, 1): the share of channels to drop, e.g. 0.2.",
                    f"{layer}(0.2) drops a fifth of the feature maps during training.",
                )
            )
        self.rate = float(rate)
        self.data_format = standardize_data_format(data_format)
        self.seed = seed
        self._generator = None if seed is None else torch.Generator().manual_seed(int(seed))

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, self.rank, self.data_format)

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or self.rate == 0:
            return inputs
        # One keep/drop draw per (sample, channel), broadcast over the spatial axes.
        shape = [1] * inputs.dim()
        shape[0] = inputs.shape[0]
        channel_axis = -1 if self.data_format == "channels_last" else 1
        shape[channel_axis] = inputs.shape[channel_axis]
        if self._generator is None:
            keep = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
            keep.bernoulli_(1.0 - self.rate)
        else:
            keep = torch.rand(shape, generator=self._generator) >= self.rate
            keep = keep.to(device=inputs.device, dtype=inputs.dtype)
        return inputs * keep * (1.0 / (1.0 - self.rate))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "data_format": self.data_format,
            "seed": self.seed,
        }


class SpatialDropout2D(_SpatialDropout):
    """Drops whole channels of images in training (each with probability ``rate``).

    The kept channels are scaled by ``1 / (1 - rate)``; at inference the layer does nothing.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        seed: Defaults to None (torch's global generator).

    Example:
    >>> layer = SpatialDropout2D(0.5)
    >>> layer(torch.ones(2, 4, 4, 8), training=False).sum().item()
    256.0
    """


class SpatialDropout1D(_SpatialDropout):
    """Drops whole channels of sequences (batch, steps, channels) in training.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        seed: Defaults to None (torch's global generator).

    Example:
    >>> SpatialDropout1D(0.5)(torch.ones(2, 5, 3), training=False).shape
    torch.Size([2, 5, 3])
    """

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, None, seed, name, dtype, **kwargs)
        self.data_format = "channels_last"

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return config
