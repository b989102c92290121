"""Conv3D: convolution over volumes (video, scans), on the shared convolution base."""

from __future__ import annotations

from layerfit.layers._conv import _BaseConv


class Conv3D(_BaseConv):
    """3D convolution over volumes: inputs (batch, depth, height, width, channels).

    The kernel is ``(kd, kh, kw, in_channels, filters)`` in ``get_weights()``, as in Keras.

    Args: as ``Conv2D``, with three ints per tuple (strides, dilation_rate default to
        (1, 1, 1)).

    Example:
    >>> Conv3D(4, 3)(torch.zeros(2, 8, 8, 8, 1)).shape
    torch.Size([2, 6, 6, 6, 4])
    """

    rank = 3

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs,
        )  # fmt: skip


Convolution3D = Conv3D  # Keras's alias
