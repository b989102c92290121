"""Image reshaping layers: ZeroPadding2D, Cropping2D, UpSampling2D."""

from __future__ import annotations

import torch.nn.functional as F

from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import (
    channels_first_perms,
    check_image_rank,
    spatial_axes,
    standardize_data_format,
    standardize_tuple,
)
from layerfit.layers._layer import Layer

UPSAMPLING_INTERPOLATIONS = Registry("interpolation")
for _name in ("nearest", "bilinear", "bicubic"):
    UPSAMPLING_INTERPOLATIONS.register(_name, _name)


def _pairs(value, arg: str, layer: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """An int, (sym_h, sym_w), or ((top, bottom), (left, right)) -> two (before, after) pairs."""
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (tuple, list)) for v in value)
    ):
        first = standardize_tuple(value[0], 2, arg, layer, allow_zero=True)
        second = standardize_tuple(value[1], 2, arg, layer, allow_zero=True)
        return first, second
    height, width = standardize_tuple(value, 2, arg, layer, allow_zero=True)
    return (height, height), (width, width)


class _Spatial2D(Layer):
    """Shared data_format handling for the layers that change height and width."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self._axes = spatial_axes(self.data_format, 2)
        self._channels_last = self.data_format == "channels_last"
        self._to_first, self._to_last = channels_first_perms(2)

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, 2, self.data_format)
        self.compute_output_shape(input_shape)

    def _with_spatial(self, input_shape, sizes):
        shape = list(input_shape)
        for axis, size in zip(self._axes, sizes):
            shape[axis] = size
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class ZeroPadding2D(_Spatial2D):
    """Adds rows and columns of zeros around images.

    Args:
        padding: an int, (rows, cols) added on both sides, or ((top, bottom), (left, right)).
            Defaults to (1, 1).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> ZeroPadding2D(1)(torch.ones(1, 3, 3, 2)).shape
    torch.Size([1, 5, 5, 2])
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.padding = _pairs(padding, "padding", "ZeroPadding2D")
        (top, bottom), (left, right) = self.padding
        self._spec = (
            (0, 0, left, right, top, bottom) if self._channels_last else (left, right, top, bottom)
        )

    def compute_output_shape(self, input_shape):
        sizes = [
            None if input_shape[a] is None else input_shape[a] + sum(pad)
            for a, pad in zip(self._axes, self.padding)
        ]
        return self._with_spatial(input_shape, sizes)

    def call(self, inputs):
        return F.pad(inputs, self._spec)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding}


class Cropping2D(_Spatial2D):
    """Removes rows and columns at the edges of images.

    Args:
        cropping: an int, (rows, cols) removed on both sides, or ((top, bottom),
            (left, right)). Defaults to ((0, 0), (0, 0)).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> Cropping2D(((1, 1), (2, 2)))(torch.ones(1, 6, 6, 2)).shape
    torch.Size([1, 4, 2, 2])
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.cropping = _pairs(cropping, "cropping", "Cropping2D")

    def compute_output_shape(self, input_shape):
        sizes = []
        for axis, crop in zip(self._axes, self.cropping):
            size = input_shape[axis]
            if size is not None and size - sum(crop) <= 0:
                raise LayerfitValueError(
                    explain(
                        f"Cropping2D layer {self.name!r} would crop {crop} from an axis of size "
                        f"{size} (input shape {input_shape}).",
                        "a cropping that leaves at least one row and one column.",
                        "reduce cropping=.",
                    )
                )
            sizes.append(None if size is None else size - sum(crop))
        return self._with_spatial(input_shape, sizes)

    def call(self, inputs):
        (top, bottom), (left, right) = self.cropping
        index = [slice(None)] * inputs.dim()
        height_axis, width_axis = self._axes
        index[height_axis] = slice(top, inputs.shape[height_axis] - bottom)
        index[width_axis] = slice(left, inputs.shape[width_axis] - right)
        return inputs[tuple(index)]

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}


class UpSampling2D(_Spatial2D):
    """Repeats rows and columns (or interpolates) to enlarge images by ``size``.

    Args:
        size: an int or (rows, cols) factors. Defaults to (2, 2).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        interpolation: 'nearest', 'bilinear' or 'bicubic'. Defaults to 'nearest'.

    Example:
    >>> UpSampling2D()(torch.ones(1, 3, 3, 2)).shape
    torch.Size([1, 6, 6, 2])
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = standardize_tuple(size, 2, "size", "UpSampling2D")
        if not isinstance(interpolation, str):
            raise LayerfitValueError(
                explain(
                    f"UpSampling2D got interpolation={interpolation!r}.",
                    "'nearest', 'bilinear' or 'bicubic'.",
                )
            )
        self.interpolation = UPSAMPLING_INTERPOLATIONS.get(interpolation)

    def compute_output_shape(self, input_shape):
        sizes = [
            None if input_shape[a] is None else input_shape[a] * s
            for a, s in zip(self._axes, self.size)
        ]
        return self._with_spatial(input_shape, sizes)

    def call(self, inputs):
        rows, cols = self.size
        if self.interpolation == "nearest":  # one broadcast copy, in either layout
            if self._channels_last:
                n, h, w, c = inputs.shape
                grown = inputs[:, :, None, :, None, :].expand(n, h, rows, w, cols, c)
                return grown.reshape(n, h * rows, w * cols, c)
            n, c, h, w = inputs.shape
            grown = inputs[:, :, :, None, :, None].expand(n, c, h, rows, w, cols)
            return grown.reshape(n, c, h * rows, w * cols)
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        y = F.interpolate(
            x, scale_factor=(float(rows), float(cols)), mode=self.interpolation, align_corners=False
        )
        return y.permute(self._to_last) if self._channels_last else y

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "interpolation": self.interpolation}
