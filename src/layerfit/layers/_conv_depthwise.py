"""DepthwiseConv1D/2D (one set of filters per input channel) and SeparableConv1D/2D
(depthwise, then a pointwise convolution), on the shared convolution base."""

from __future__ import annotations

import torch.nn.functional as F

from layerfit import constraints, initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv import _BaseConv
from layerfit.layers._conv_arguments import standardize_tuple


class DepthwiseConv2D(_BaseConv):
    """Depthwise 2D convolution: each input channel gets its own ``depth_multiplier`` filters.

    Args:
        kernel_size: an int or (height, width).
        strides: Defaults to (1, 1).
        padding: 'valid' or 'same'. Defaults to 'valid'.
        depth_multiplier: output channels per input channel. Defaults to 1.
        data_format: Defaults to ``config.image_data_format()``.
        dilation_rate: Defaults to (1, 1).
        activation: Defaults to None.
        use_bias: Defaults to True.
        depthwise_initializer: Defaults to 'glorot_uniform'.
        bias_initializer: Defaults to 'zeros'.
        depthwise_regularizer, bias_regularizer: Defaults to None.

    Example:
    >>> DepthwiseConv2D(3, depth_multiplier=2)(torch.zeros(1, 8, 8, 3)).shape
    torch.Size([1, 6, 6, 6])
    """

    _needs_filters = False
    _causal_ok = False  # Keras's depthwise and separable layers take 'valid' or 'same' only

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            filters=None,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=1,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.depth_multiplier = standardize_tuple(
            depth_multiplier, 1, "depth_multiplier", type(self).__name__
        )[0]

    def _output_channels(self, input_channels):
        return None if input_channels is None else input_channels * self.depth_multiplier

    def build(self, input_shape) -> None:
        channels = input_shape[self._channel_axis()]
        self.groups = channels
        self.kernel = self._add_depthwise(
            "kernel", channels, self.kernel_initializer, self.kernel_regularizer
        )
        self.bias = self._add_bias(channels * self.depth_multiplier)
        self._prepare_padding()

    def _add_depthwise(self, name, channels, initializer, regularizer):
        window, rank = self.kernel_size, self.rank
        multiplier = self.depth_multiplier
        # Keras (*k, in, mult) -> torch (in * mult, 1, *k); output channel c*mult + m.
        to_torch_order = (rank + 1, rank, *range(rank))
        to_keras_order = (*range(2, rank + 2), 1, 0)
        return self._add_layout_weight(
            name,
            (*window, channels, multiplier),
            initializer,
            regularizer,
            lambda t: t.reshape(*window, 1, channels * multiplier).permute(to_torch_order),
            lambda t: t.permute(to_keras_order).reshape(*window, channels, multiplier),
        )

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("filters", "groups"):
            config.pop(key)
        config["depth_multiplier"] = self.depth_multiplier
        config["depthwise_initializer"] = config.pop("kernel_initializer")
        config["depthwise_regularizer"] = config.pop("kernel_regularizer")
        config["depthwise_constraint"] = config.pop("kernel_constraint")
        return config


class SeparableConv2D(DepthwiseConv2D):
    """Depthwise convolution followed by a 1x1 pointwise convolution to ``filters`` channels.

    Args:
        filters: number of output channels.
        kernel_size: an int or (height, width) of the depthwise window.
        strides: Defaults to (1, 1).
        padding: 'valid' or 'same'. Defaults to 'valid'.
        data_format: Defaults to ``config.image_data_format()``.
        dilation_rate: Defaults to (1, 1).
        depth_multiplier: depthwise channels per input channel. Defaults to 1.
        activation: Defaults to None.
        use_bias: Defaults to True.
        depthwise_initializer, pointwise_initializer: Defaults to 'glorot_uniform'.
        bias_initializer: Defaults to 'zeros'.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: Defaults to None.

    Example:
    >>> SeparableConv2D(16, 3)(torch.zeros(1, 8, 8, 3)).shape
    torch.Size([1, 6, 6, 16])
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got filters={filters!r}.",
                    "a positive integer: the number of output channels.",
                    f"{type(self).__name__}(32, 3)",
                )
            )
        self.filters = filters
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def _constraint_of(self, name):
        return self.pointwise_constraint if name == "pointwise_kernel" else self.kernel_constraint

    def _output_channels(self, input_channels):
        return self.filters

    def build(self, input_shape) -> None:
        channels = input_shape[self._channel_axis()]
        self.groups = channels
        self.depthwise_kernel = self._add_depthwise(
            "depthwise_kernel", channels, self.kernel_initializer, self.kernel_regularizer
        )
        self.pointwise_kernel = self._add_kernel(
            "pointwise_kernel",
            (*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            self.pointwise_initializer,
            self.pointwise_regularizer,
        )
        self.bias = self._add_bias(self.filters)
        self._prepare_padding()

    def _convolve(self, x):
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.rank - 1]
        depthwise = conv(
            x,
            self.depthwise_kernel,
            None,
            self.strides,
            self._torch_padding,
            self.dilation_rate,
            self.groups,
        )
        return conv(depthwise, self.pointwise_kernel, self.bias)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        }


class DepthwiseConv1D(DepthwiseConv2D):
    """Depthwise 1D convolution: each input channel of (batch, steps, channels) gets its own
    ``depth_multiplier`` filters.

    Args: as ``DepthwiseConv2D`` with one int per tuple (strides, dilation_rate default to 1).

    Example:
    >>> DepthwiseConv1D(3, depth_multiplier=2)(torch.zeros(1, 8, 3)).shape
    torch.Size([1, 6, 6])
    """

    rank = 1

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate,
            activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
            bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint,
            **kwargs,
        )  # fmt: skip


class SeparableConv1D(SeparableConv2D):
    """Depthwise 1D convolution followed by a pointwise (kernel 1) convolution to ``filters``.

    Args: as ``SeparableConv2D`` with one int per tuple (strides, dilation_rate default to 1).

    Example:
    >>> SeparableConv1D(16, 3)(torch.zeros(1, 8, 3)).shape
    torch.Size([1, 6, 16])
    """

    rank = 1

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
            activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
            depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
            depthwise_constraint, pointwise_constraint, bias_constraint, **kwargs,
        )  # fmt: skip


# Keras's aliases.
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
