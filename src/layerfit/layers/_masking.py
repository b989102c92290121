"""Masking: marks the timesteps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

from layerfit.layers._layer import Layer
from layerfit.layers._masks import set_mask


class Masking(Layer):
    """Masks timesteps whose every feature equals ``mask_value``; later layers skip them.

    The output is the input with masked steps set to 0, carrying the mask (``_keras_mask``,
    (batch, timesteps) booleans) that RNNs, pooling, merges and losses read.

    Args:
        mask_value: the padding value. Defaults to 0.0.

    Example:
    >>> x = torch.tensor([[[1.0], [0.0]]])
    >>> Masking()(x)._keras_mask
    tensor([[ True, False]])
    """

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs):
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)  # (B, T, 1)
        outputs = inputs * keep.to(inputs.dtype)
        set_mask(outputs, keep.squeeze(-1))
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
