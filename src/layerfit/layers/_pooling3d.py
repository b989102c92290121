"""3D pooling (MaxPooling3D, AveragePooling3D) and global 3D pooling, on the shared bases."""

from __future__ import annotations

from layerfit.layers._pooling import _GlobalPooling, _Pooling


class MaxPooling3D(_Pooling):
    """Max over (depth, height, width) windows of (batch, d, h, w, channels) inputs.

    Args:
        pool_size: Defaults to (2, 2, 2).
        strides: Defaults to None (= pool_size).
        padding: 'valid' or 'same'. Defaults to 'valid'.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> MaxPooling3D()(torch.zeros(1, 4, 4, 4, 2)).shape
    torch.Size([1, 2, 2, 2, 2])
    """

    rank = 3

    def __init__(
        self,
        pool_size=(2, 2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling3D(_Pooling):
    """Mean over (depth, height, width) windows; 'same' padding averages real values only.

    Args: as ``MaxPooling3D``.

    Example:
    >>> AveragePooling3D()(torch.zeros(1, 4, 4, 4, 2)).shape
    torch.Size([1, 2, 2, 2, 2])
    """

    rank = 3
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


class GlobalMaxPooling3D(_GlobalPooling):
    """Max over depth, height and width: (batch, d, h, w, c) -> (batch, c).

    Args:
        data_format: Defaults to ``config.image_data_format()``.
        keepdims: keep the reduced axes with size 1. Defaults to False.

    Example:
    >>> GlobalMaxPooling3D()(torch.zeros(1, 4, 4, 4, 2)).shape
    torch.Size([1, 2])
    """

    rank = 3


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over depth, height and width: (batch, d, h, w, c) -> (batch, c).

    Args: as ``GlobalMaxPooling3D``.

    Example:
    >>> GlobalAveragePooling3D()(torch.zeros(1, 4, 4, 4, 2)).shape
    torch.Size([1, 2])
    """

    rank = 3
    mode = "average"


# Keras's aliases.
MaxPool3D = MaxPooling3D
AvgPool3D = AveragePooling3D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool3D = GlobalAveragePooling3D
