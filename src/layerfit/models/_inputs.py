"""What a model does to each input before its first layer, as Keras 3's Functional does.

Arrays become tensors on the model's device, the dtype becomes the one the ``Input`` declares
(int64 pixels feed a float32 model), and a trailing axis of 1 is added or dropped: (n, 28, 28)
feeds ``Input(shape=(28, 28, 1))`` and (n,) feeds ``Input(shape=(1,))``. This happens on every
call, so batches from a DataLoader and a direct ``model(x)`` get it as well as ``fit``'s arrays.
Anything else that does not fit a declared shape gets our error instead of torch's (Keras 3
raises too); a shape only inferred from the first call is not enforced.
"""

from __future__ import annotations

import torch

from layerfit import backend
from layerfit.layers._symbolic import KerasTensor
from layerfit.training._preflight import input_shape_error, shape_fits


class InputAdapter:
    """Fits values to one declared Input; a tensor that already fits costs three checks."""

    def __init__(self, model, tensor: KerasTensor, declared: bool = True):
        self.model = model
        self.tensor = tensor
        self.declared = declared
        self.shape = tuple(tensor.shape[1:])
        self.dtype = backend.torch_dtype(tensor.dtype)

    def __call__(self, value):
        if type(value) is torch.Tensor and value.dtype is self.dtype:
            # A trace records shapes as tensors; export hands in example inputs that fit.
            if torch.jit.is_tracing() or value.shape[1:] == self.shape:
                return value
        return self._adapt(value)

    def _adapt(self, value):
        adapted = self._convert(value)
        mask = getattr(value, "_keras_mask", None)
        if mask is not None and adapted is not value:  # Keras keeps the mask of a cast input
            adapted._keras_mask = mask
        return adapted

    def _convert(self, value):
        if not torch.is_tensor(value):
            device = next((p.device for p in self.model.parameters()), None)
            value = backend.to_tensor(value, device=device or backend.default_device())
        if value.dim() == 0:
            raise input_shape_error(self.model, self.tensor, ())
        received = tuple(value.shape)
        if self.declared and not shape_fits(self.shape, received[1:]):
            raise input_shape_error(self.model, self.tensor, received)
        rank = len(self.shape) + 1
        if value.dim() == rank - 1 and self.shape[-1:] == (1,):
            value = value.unsqueeze(-1)
        elif value.dim() == rank + 1 and value.shape[-1] == 1:
            value = value.squeeze(-1)
        return value if value.dtype is self.dtype else value.to(self.dtype)
