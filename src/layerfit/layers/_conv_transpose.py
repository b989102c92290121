"""Conv2DTranspose: the gradient of a convolution, with Keras's output sizes."""

from __future__ import annotations

import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv import _BaseConv
from layerfit.layers._conv_arguments import standardize_tuple


class _ConvTranspose(_BaseConv):
    """What the transposed convolutions share; ``rank`` sets the number of spatial axes."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=(1, 1),
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
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=1,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(
                output_padding, self.rank, "output_padding", type(self).__name__, allow_zero=True
            )
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise LayerfitValueError(
                    explain(
                        f"{type(self).__name__} got output_padding={self.output_padding} with "
                        f"strides={self.strides}.",
                        "output_padding smaller than strides on each axis.",
                        "use output_padding=None to let the layer infer it.",
                    )
                )

    def _spatial_output(self, size, axis: int):
        if size is None:
            return None
        kernel = (self.kernel_size[axis] - 1) * self.dilation_rate[axis] + 1
        stride = self.strides[axis]
        extra = None if self.output_padding is None else self.output_padding[axis]
        if self.padding == "valid":
            extra = max(kernel, stride) - kernel if extra is None else extra
            return (size - 1) * stride + kernel + extra
        if extra is None:
            return size * stride
        return (size - 1) * stride + kernel % 2 + extra

    def _crops(self, axis: int) -> tuple[int, int]:
        """Rows to remove (negative: add) at each end of torch's full transposed output."""
        kernel = (self.kernel_size[axis] - 1) * self.dilation_rate[axis] + 1
        stride = self.strides[axis]
        extra = None if self.output_padding is None else self.output_padding[axis]
        if self.padding == "valid":
            extra = max(kernel, stride) - kernel if extra is None else extra
            before, after = kernel - 1, kernel - 1 + extra
        else:
            total = stride + kernel - 2 if extra is None else kernel + kernel % 2 - 2 + extra
            before = min(total // 2 + total % 2, kernel - 1)
            after = total - before
        return kernel - 1 - before, kernel - 1 - after

    def build(self, input_shape) -> None:
        channels = input_shape[self._channel_axis()]
        # Keras (k..., filters, in) -> torch conv_transpose (in, filters, k...).
        self.kernel = self._add_kernel(
            "kernel",
            (*self.kernel_size, self.filters, channels),
            self.kernel_initializer,
            self.kernel_regularizer,
        )
        self.bias = self._add_bias(self.filters)
        self._prepare_padding()
        self._static_pad, self._dynamic_same = None, False  # the crops below replace them
        crops = [self._crops(axis) for axis in range(self.rank)]
        self._torch_padding, self._output_padding, self._crop = 0, 0, None
        if all(
            before >= 0 and 0 <= before - after < stride
            for (before, after), stride in zip(crops, self.strides)
        ):
            self._torch_padding = tuple(before for before, _ in crops)
            self._output_padding = tuple(before - after for before, after in crops)
        else:
            self._crop = crops

    def _convolve(self, x):
        transpose = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.rank - 1]
        y = transpose(
            x,
            self.kernel,
            None if self._crop else self.bias,
            self.strides,
            self._torch_padding,
            self._output_padding,
            1,
            self.dilation_rate,
        )
        if self._crop is None:
            return y
        spec = [-amount for before, after in reversed(self._crop) for amount in (before, after)]
        y = F.pad(y, spec)  # negative pads crop
        return y if self.bias is None else y + self.bias.view(1, -1, *[1] * self.rank)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("groups")
        config["output_padding"] = self.output_padding
        return config


class Conv1DTranspose(_ConvTranspose):
    """Transposed 1D convolution over steps, with Keras's output sizes.

    The kernel is ``(k, filters, in_channels)`` in ``get_weights()``, as in Keras.

    Args: as ``Conv2DTranspose``, with one int per argument.

    Example:
    >>> Conv1DTranspose(8, 3, strides=2, padding="same")(torch.zeros(1, 7, 4)).shape
    torch.Size([1, 14, 8])
    """

    rank = 1

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
            filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs,
        )  # fmt: skip


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2D convolution ("deconvolution"), with Keras's output sizes.

    The kernel is ``(kh, kw, filters, in_channels)`` in ``get_weights()``, as in Keras.

    Args:
        filters: number of output channels.
        kernel_size: an int or (height, width).
        strides: Defaults to (1, 1).
        padding: 'valid' or 'same' ('same' gives input * strides). Defaults to 'valid'.
        output_padding: extra rows/columns at the end of the output, less than strides.
            Defaults to None (inferred).
        data_format: Defaults to ``config.image_data_format()``.
        dilation_rate: Defaults to (1, 1).
        activation: Defaults to None.
        use_bias: Defaults to True.
        kernel_initializer: Defaults to 'glorot_uniform'.
        bias_initializer: Defaults to 'zeros'.
        kernel_regularizer, bias_regularizer: Defaults to None.

    Example:
    >>> Conv2DTranspose(8, 3, strides=2, padding="same")(torch.zeros(1, 7, 7, 4)).shape
    torch.Size([1, 14, 14, 8])
    """

    rank = 2

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=(1, 1),
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
            filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs,
        )  # fmt: skip


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3D convolution over volumes, with Keras's output sizes.

    The kernel is ``(kd, kh, kw, filters, in_channels)`` in ``get_weights()``, as in Keras.

    Args: as ``Conv2DTranspose``, with three ints per tuple.

    Example:
    >>> Conv3DTranspose(2, 3, strides=2, padding="same")(torch.zeros(1, 4, 4, 4, 3)).shape
    torch.Size([1, 8, 8, 8, 2])
    """

    rank = 3

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        output_padding=None,
        dilation_rate=(1, 1, 1),
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
            filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs,
        )  # fmt: skip


# Keras's aliases.
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
