"""Pooling layers: Max/AveragePooling 1D and 2D, and the global poolings.

Windows follow Keras (TensorFlow) exactly: ``strides`` default to ``pool_size``; 'same' pads
with the extra row after, max pooling ignores the padding and average pooling divides by the
number of real (unpadded) values in each window.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import (
    channels_first_perms,
    check_image_rank,
    conv_output_length,
    pad_spec,
    same_pads,
    spatial_axes,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
)
from layerfit.layers._layer import Layer


class _Pooling(Layer):
    """Shared machinery: arguments, output shapes, and the channels_last <-> NCHW views."""

    rank = 2
    mode = "max"

    def __init__(
        self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(name=name, **kwargs)
        layer = type(self).__name__
        self.pool_size = standardize_tuple(pool_size, self.rank, "pool_size", layer)
        self.strides = standardize_tuple(
            self.pool_size if strides is None else strides, self.rank, "strides", layer
        )
        self.padding = standardize_padding(padding, layer)
        self.data_format = standardize_data_format(data_format)
        self._to_first, self._to_last = channels_first_perms(self.rank)
        self._channels_last = self.data_format == "channels_last"

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, self.rank, self.data_format)
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        shape = list(input_shape)
        for i, axis in enumerate(spatial_axes(self.data_format, self.rank)):
            shape[axis] = conv_output_length(
                input_shape[axis], self.pool_size[i], self.strides[i], self.padding
            )
            if shape[axis] is not None and shape[axis] <= 0:
                raise LayerfitValueError(
                    explain(
                        f"{type(self).__name__} layer {self.name!r} with pool_size="
                        f"{self.pool_size} would give an empty output for input of shape "
                        f"{input_shape}.",
                        "inputs at least as large as the pooling window.",
                        "use padding='same', a smaller pool_size, or fewer pooling layers.",
                    )
                )
        return tuple(shape)

    def _same_padding(self, x):
        """Torch's symmetric padding when 'same' allows it, else an explicitly padded input."""
        pads = [
            same_pads(size, k, s) for size, k, s in zip(x.shape[2:], self.pool_size, self.strides)
        ]
        if all(before == after for before, after in pads):
            return x, tuple(before for before, _ in pads), None
        fill = float("-inf") if self.mode == "max" else 0.0
        return F.pad(x, pad_spec(pads), value=fill), 0, pads

    def _pool(self, x):
        padding, explicit = 0, None
        if self.padding == "same":
            x, padding, explicit = self._same_padding(x)
        if self.mode == "max":
            pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[self.rank - 1]
            return pool(x, self.pool_size, self.strides, padding)
        pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[self.rank - 1]
        y = pool(x, self.pool_size, self.strides, padding, count_include_pad=False)
        if explicit is not None:
            # Zeros padded by hand count as values; rescale by the share of real values.
            ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
            inner = [slice(None), slice(None)] + [
                slice(before, size - after) for (before, after), size in zip(explicit, x.shape[2:])
            ]
            mask = torch.zeros_like(ones)
            mask[tuple(inner)] = 1.0
            y = y / pool(mask, self.pool_size, self.strides, 0)
        return y

    def call(self, inputs):
        return self._pool_layout(inputs)

    def _pool_layout(self, inputs):
        if not self._channels_last:
            return self._pool(inputs)
        return self._pool(inputs.permute(self._to_first)).permute(self._to_last)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }


class MaxPooling2D(_Pooling):
    """Max over windows of ``pool_size`` on images (batch, height, width, channels).

    Args:
        pool_size: an int or (height, width) of the window. Defaults to (2, 2).
        strides: Defaults to None (= pool_size).
        padding: 'valid' or 'same'. Defaults to 'valid'.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> MaxPooling2D()(torch.zeros(2, 26, 26, 32)).shape
    torch.Size([2, 13, 13, 32])
    """

    def __init__(
        self,
        pool_size=(2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling2D(_Pooling):
    """Mean over windows of ``pool_size`` on images (batch, height, width, channels).

    Args:
        pool_size: an int or (height, width) of the window (required, as in Keras).
        strides: Defaults to None (= pool_size).
        padding: 'valid' or 'same' (padding is left out of each mean). Defaults to 'valid'.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> AveragePooling2D(2)(torch.ones(1, 4, 4, 3)).shape
    torch.Size([1, 2, 2, 3])
    """

    mode = "average"

    def __init__(
        self,
        pool_size,
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class MaxPooling1D(_Pooling):
    """Max over windows of ``pool_size`` steps on sequences (batch, steps, channels).

    Args:
        pool_size: Defaults to 2.
        strides: Defaults to None (= pool_size).
        padding: 'valid' or 'same'. Defaults to 'valid'.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> MaxPooling1D()(torch.zeros(2, 10, 4)).shape
    torch.Size([2, 5, 4])
    """

    rank = 1

    def __init__(
        self,
        pool_size=2,
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling1D(_Pooling):
    """Mean over windows of ``pool_size`` steps on sequences (batch, steps, channels).

    Args:
        pool_size: steps per window (required, as in Keras).
        strides: Defaults to None (= pool_size).
        padding: 'valid' or 'same'. Defaults to 'valid'.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> AveragePooling1D(2)(torch.zeros(2, 10, 4)).shape
    torch.Size([2, 5, 4])
    """

    rank = 1
    mode = "average"

    def __init__(
        self,
        pool_size,
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class _GlobalPooling(Layer):
    """Reduces every spatial axis with a mean or a max."""

    rank = 2
    mode = "max"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self._axes = spatial_axes(self.data_format, self.rank)

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, self.rank, self.data_format)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def call(self, inputs):
        if self.mode == "max":
            return inputs.amax(dim=self._axes, keepdim=self.keepdims)
        return inputs.mean(dim=self._axes, keepdim=self.keepdims)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over height and width: (batch, h, w, c) -> (batch, c).

    Args:
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        keepdims: keep the spatial axes with size 1. Defaults to False.

    Example:
    >>> GlobalAveragePooling2D()(torch.ones(2, 5, 5, 8)).shape
    torch.Size([2, 8])
    """

    mode = "average"


class GlobalMaxPooling2D(_GlobalPooling):
    """Max over height and width: (batch, h, w, c) -> (batch, c).

    Args:
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        keepdims: keep the spatial axes with size 1. Defaults to False.

    Example:
    >>> GlobalMaxPooling2D()(torch.ones(2, 5, 5, 8)).shape
    torch.Size([2, 8])
    """


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over steps: (batch, steps, c) -> (batch, c).

    Args:
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        keepdims: keep the steps axis with size 1. Defaults to False.

    Example:
    >>> GlobalAveragePooling1D()(torch.ones(2, 7, 8)).shape
    torch.Size([2, 8])
    """

    supports_masking = True  # masks pass through, as in Keras

    rank = 1
    mode = "average"

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        # Masked steps are left out of the mean, as in Keras.
        weights = mask.to(inputs.dtype).unsqueeze(2 if self.data_format == "channels_last" else 1)
        total = torch.where(weights > 0, inputs, 0).sum(dim=self._axes, keepdim=self.keepdims)
        return total / weights.sum(dim=self._axes, keepdim=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None  # the steps are pooled away


class GlobalMaxPooling1D(_GlobalPooling):
    """Max over steps: (batch, steps, c) -> (batch, c).

    Args:
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        keepdims: keep the steps axis with size 1. Defaults to False.

    Example:
    >>> GlobalMaxPooling1D()(torch.ones(2, 7, 8)).shape
    torch.Size([2, 8])
    """

    rank = 1


# Keras's aliases.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
