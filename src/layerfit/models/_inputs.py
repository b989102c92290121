"""What a model does to each input before its first layer, as Keras 3's Functional does.

Arrays become tensors on the model's device, the dtype becomes the one the ``Input`` declares
(int64 pixels feed a float32 model), and a trailing axis of 1 is added or dropped: (n, 28, 28)
feeds ``Input(shape=(28, 28, 1))`` and (n,) feeds ``Input(shape=(1,))``. This happens on every
call, so batches from a DataLoader and a direct ``model(x)`` get it as well as ``fit``'s arrays.
Anything else that does not fit a declared shape gets our error instead of torch's (Keras 3
raises too); a shape only inferred from the first call is not enforced.

An ``Input(dtype="string")`` takes text as a numpy array of strings (torch has no string
tensors) with the same axis rule; the model's text layers turn it into numbers.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit import backend
from layerfit.errors import LayerfitTypeError, explain
from layerfit.layers._strings import is_text, text_array
from layerfit.layers._symbolic import KerasTensor
from layerfit.training._preflight import input_shape_error, shape_fits


class InputAdapter:
    """Fits values to one declared Input; a tensor that already fits costs three checks."""

    def __init__(self, model, tensor: KerasTensor, declared: bool = True):
        self.model = model
        self.tensor = tensor
        self.declared = declared
        self.shape = tuple(tensor.shape[1:])
        self.text = tensor.dtype == "string"
        self.dtype = None if self.text else backend.torch_dtype(tensor.dtype)

    def __call__(self, value):
        if type(value) is torch.Tensor and value.dtype is self.dtype:
            # A trace records shapes as tensors; export hands in example inputs that fit.
            if torch.jit.is_tracing() or value.shape[1:] == self.shape:
                return value
        return self._adapt(value)

    def _adapt(self, value):
        adapted = self._text(value) if self.text else self._convert(value)
        mask = getattr(value, "_keras_mask", None)
        if mask is not None and adapted is not value:  # Keras keeps the mask of a cast input
            adapted._keras_mask = mask
        return adapted

    def _convert(self, value):
        if not torch.is_tensor(value):
            if isinstance(value, (np.ndarray, list, tuple)) and is_text(value):
                raise self._text_error(text_array(value).dtype)
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

    def _text(self, value) -> np.ndarray:
        """A string Input's value: a numpy array of text, with the declared number of axes."""
        array = text_array(value)
        if array.ndim == 0 or not is_text(array):
            raise LayerfitTypeError(
                explain(
                    f"Input '{self.tensor.name}' of model '{self.model.name}' is declared "
                    f"dtype='string' but got {_described(value)}.",
                    "a list or numpy array of strings, one per sample.",
                    "pass the texts themselves, e.g. model.predict(np.array(['a review'])); "
                    "numbers go to a numeric Input (dtype='float32' or 'int64').",
                )
            )
        received = array.shape
        rank = len(self.shape) + 1
        if array.ndim == rank - 1 and self.shape[-1:] == (1,):
            array = array[..., None]
        elif array.ndim == rank + 1 and array.shape[-1] == 1:
            array = array[..., 0]
        if self.declared and not shape_fits(self.shape, array.shape[1:]):
            raise input_shape_error(self.model, self.tensor, received)
        return array

    def _text_error(self, dtype) -> LayerfitTypeError:
        return LayerfitTypeError(
            explain(
                f"x holds text (dtype {dtype}), but input '{self.tensor.name}' of model "
                f"'{self.model.name}' takes numbers (dtype {self.tensor.dtype}).",
                "token ids or vectors made from the text, or a string Input followed by "
                "TextVectorization.",
                "vectorize it first: vectorize = layers.TextVectorization(); "
                "vectorize.adapt(texts); then pass vectorize(texts), or a dataset mapped with "
                "dataset.map(lambda x, y: (vectorize(x), y)); or start the model with "
                "keras.Input(shape=(1,), dtype='string') and x = vectorize(inputs).",
            )
        )


def _described(value) -> str:
    dtype = getattr(value, "dtype", None)
    kind = type(value).__name__
    return f"a {kind} of dtype {dtype}" if dtype is not None else f"a {kind}"
