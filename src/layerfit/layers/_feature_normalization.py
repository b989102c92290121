"""Normalization: standardises features with a mean and variance learned by ``adapt(data)``."""

from __future__ import annotations

import numpy as np
import torch

from layerfit import backend
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer


class Normalization(Layer):
    """Computes ``(x - mean) / sqrt(variance)`` per feature; ``adapt(x_train)`` learns both.

    Before ``adapt`` (and without ``mean``/``variance``) it passes inputs through, as Keras does.

    Args:
        axis: the axis (or axes) that keep their own statistics. Defaults to -1 (features).
        mean, variance: fixed statistics instead of ``adapt``. Defaults to None.
        invert: undo the normalisation instead (``x * sqrt(variance) + mean``). Defaults to False.

    Example:
    >>> normalizer = Normalization()
    >>> normalizer.adapt(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> normalizer(torch.tensor([[2.0, 20.0]]))
    tensor([[0., 0.]])
    """

    supports_masking = True  # masks pass through, as in Keras

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis or ())
        if (mean is None) != (variance is None):
            raise LayerfitValueError(
                explain(
                    "Normalization got only one of mean and variance.",
                    "both, or neither (then call adapt(data)).",
                    "Normalization(mean=m, variance=v) or Normalization().adapt(x_train)",
                )
            )
        self.fixed_mean, self.fixed_variance = mean, variance
        self.invert = invert

    def _stat_shape(self, input_shape) -> tuple:
        rank = len(input_shape)
        keep = {a % rank for a in self.axis}
        return tuple(input_shape[i] if i in keep else 1 for i in range(rank))

    def build(self, input_shape) -> None:
        shape = self._stat_shape(tuple(input_shape))
        if any(d is None for d in shape):
            raise LayerfitValueError(
                explain(
                    f"Normalization {self.name!r} needs a known size on axis {self.axis}, "
                    f"got input shape {tuple(input_shape)}.",
                    "a fixed feature axis.",
                )
            )
        if self.fixed_mean is not None:
            # Fixed statistics are constants, not weights, as in Keras (no parameters, nothing
            # in weight files): buffers follow the layer to its device.
            target = shape[1:]
            for name, value in (("mean", self.fixed_mean), ("variance", self.fixed_variance)):
                array = np.broadcast_to(np.asarray(value, self.dtype_name), target).copy()
                self.register_buffer(name, torch.as_tensor(array), persistent=False)
            return
        self.mean = self.add_weight(shape[1:], "zeros", trainable=False, name="mean")
        self.variance = self.add_weight(shape[1:], "ones", trainable=False, name="variance")
        # Keras keeps this (unused) counter for older files; Keras's saved Normalization
        # layers (EfficientNet's published weights among them) hold it, and Keras counts it.
        self.count = self.add_weight((), "zeros", dtype="int32", trainable=False, name="count")

    def _keras_shape(self, param) -> tuple:
        """Keras stores mean and variance over the kept axes only: (3,), not (1, 1, 3)."""
        rank = param.dim() + 1
        keep = {a % rank for a in self.axis}
        return tuple(param.shape[i - 1] for i in range(1, rank) if i in keep)

    def weight_to_keras(self, param):
        value = backend.to_numpy(param)
        if param is self.mean or param is self.variance:
            return value.reshape(self._keras_shape(param))
        return value

    def weight_from_keras(self, param, value):
        tensor = torch.as_tensor(value)
        # Keras 2 files store the scalar count as shape (1,).
        return tensor.reshape(param.shape) if tensor.numel() == param.numel() else tensor

    def _assign(self, mean, variance) -> None:
        with torch.no_grad():
            target = self.mean.shape
            self.mean.copy_(torch.as_tensor(np.broadcast_to(mean, target).copy()))
            self.variance.copy_(torch.as_tensor(np.broadcast_to(variance, target).copy()))

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns each feature's mean and (population) variance from ``data``."""
        array = np.asarray(
            data.to_numpy()
            if hasattr(data, "to_numpy")
            else data.detach().cpu().numpy()
            if torch.is_tensor(data)
            else data,
            dtype="float64",
        )
        if array.ndim == 1:
            array = array[:, None]
        keep = {a % array.ndim for a in self.axis}
        reduce = tuple(i for i in range(array.ndim) if i not in keep)
        if not self.built:
            self.build_checked((None, *array.shape[1:]))
        mean = array.mean(axis=reduce, keepdims=True)[0]
        variance = array.var(axis=reduce, keepdims=True)[0]
        self._assign(mean.astype(self.dtype_name), variance.astype(self.dtype_name))

    def call(self, inputs):
        scale = torch.clamp(torch.sqrt(self.variance), min=backend.epsilon())
        if self.invert:
            return inputs * scale + self.mean
        return (inputs - self.mean) / scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        mean = None if self.fixed_mean is None else np.asarray(self.fixed_mean).tolist()
        variance = None if self.fixed_variance is None else np.asarray(self.fixed_variance).tolist()
        return {
            **super().get_config(),
            "axis": self.axis,
            "mean": mean,
            "variance": variance,
            "invert": self.invert,
        }
