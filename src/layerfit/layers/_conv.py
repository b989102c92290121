"""Convolution layers: the shared base, Conv1D and Conv2D.

Inputs and outputs are channels_last (N, H, W, C) as in Keras. Inside, a channels_last tensor
viewed as ``x.permute(0, 3, 1, 2)`` already is an NCHW tensor in torch's channels_last memory
format, so ``F.conv2d`` runs oneDNN's NHWC kernels and the result is permuted back: no copies.
Kernels are stored in torch's layout ((out, in, kh, kw) for Conv2D) and converted to Keras's
layout ((kh, kw, in, out)) only by ``get_weights``/``set_weights`` and at initialisation.
DepthwiseConv2D and SeparableConv2D live in ``_conv_depthwise.py``, Conv2DTranspose in
``_conv_transpose.py``; the argument helpers in ``_conv_arguments.py``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import activations, backend, constraints, initializers, regularizers
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
from layerfit.layers._variable import Variable


class _InKerasLayout:
    """Calls a regularizer on a weight seen in Keras's layout (for layout-aware penalties)."""

    def __init__(self, regularizer, to_keras):
        self.regularizer = regularizer
        self.to_keras = to_keras

    def __call__(self, param):
        return self.regularizer(self.to_keras(param))


class _ConstraintInKerasLayout:
    """Applies a constraint to a weight seen in Keras's layout (its ``axis`` counts there)."""

    def __init__(self, constraint, to_keras, to_torch):
        self.constraint = constraint
        self.to_keras, self.to_torch = to_keras, to_torch

    def __call__(self, param):
        return self.to_torch(self.constraint(self.to_keras(param)))


# -- convolutions -----------------------------------------------------------------------------


class _BaseConv(Layer):
    """Shared machinery of the convolutions: arguments, torch-layout weights, padding, call."""

    rank = 2
    _needs_filters = True
    _causal_ok = True  # rank 1 only

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer = type(self).__name__
        if filters is not None or self._needs_filters:
            if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
                raise LayerfitValueError(
                    explain(
                        f"{layer} got filters={filters!r}.",
                        "a positive integer: the number of output channels.",
                        f"{layer}(32, 3) makes 32 feature maps with 3x3 kernels.",
                    )
                )
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, self.rank, "kernel_size", layer)
        self.strides = standardize_tuple(strides, self.rank, "strides", layer)
        self.dilation_rate = standardize_tuple(dilation_rate, self.rank, "dilation_rate", layer)
        self.padding = standardize_padding(
            padding, layer, allow_causal=self.rank == 1 and self._causal_ok
        )
        self.data_format = standardize_data_format(data_format)
        self.groups = standardize_tuple(groups, 1, "groups", layer)[0]
        if filters is not None and filters % self.groups:
            raise LayerfitValueError(
                explain(
                    f"{layer} got filters={filters} and groups={self.groups}.",
                    "filters divisible by groups.",
                    f"use filters={self.groups * max(1, filters // self.groups)} or groups=1.",
                )
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise LayerfitValueError(
                explain(
                    f"{layer} got strides={self.strides} and dilation_rate={self.dilation_rate}.",
                    "strides > 1 or dilation_rate > 1, not both (as in Keras).",
                    "set one of them to 1.",
                )
            )
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._to_first, self._to_last = channels_first_perms(self.rank)
        self._layouts: dict[str, tuple] = {}

    # -- shapes ------------------------------------------------------------------------------

    @property
    def _channels_last(self) -> bool:
        return self.data_format == "channels_last"

    def _channel_axis(self) -> int:
        return -1 if self._channels_last else 1

    def _output_channels(self, input_channels: int) -> int:
        return self.filters

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, self.rank, self.data_format)
        channels = input_shape[self._channel_axis()]
        if channels % self.groups:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} layer {self.name!r} got {channels} input channels "
                    f"with groups={self.groups}.",
                    "a channel count divisible by groups.",
                    "change groups, or the previous layer's number of channels.",
                )
            )
        self.compute_output_shape(input_shape)

    def _spatial_output(self, size, axis: int):
        return conv_output_length(
            size, self.kernel_size[axis], self.strides[axis], self.padding, self.dilation_rate[axis]
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        axes = spatial_axes(self.data_format, self.rank)
        spatial = tuple(self._spatial_output(input_shape[a], i) for i, a in enumerate(axes))
        if any(d is not None and d <= 0 for d in spatial):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} layer {self.name!r} with kernel_size="
                    f"{self.kernel_size}, strides={self.strides}, padding={self.padding!r} "
                    f"would give an empty output for input of shape {input_shape} "
                    f"(output size {spatial}).",
                    "inputs at least as large as the kernel window.",
                    "use padding='same', a smaller kernel_size, or fewer pooling layers before.",
                )
            )
        channels = self._output_channels(input_shape[self._channel_axis()])
        if self._channels_last:
            return (input_shape[0], *spatial, channels)
        return (input_shape[0], channels, *spatial)

    # -- weights in torch layout ---------------------------------------------------------------

    def _add_layout_weight(self, name, keras_shape, initializer, regularizer, to_torch, to_keras):
        """Initialises a weight in Keras's layout, then stores it in torch's layout."""
        param = self.add_weight(keras_shape, initializer, name=name)
        with torch.no_grad():
            value = to_torch(param.detach()).contiguous()
        keras_name, keras_path = param.name, param.path
        param = Variable(value, requires_grad=param.requires_grad)
        param.name, param.path = keras_name, keras_path  # Keras's 'kernel', 'conv2d/kernel'
        self.register_parameter(name, param)
        self._layouts[name] = (to_torch, to_keras)
        if regularizer is not None:
            self._regularized.append((param, _InKerasLayout(regularizer, to_keras)))
        constraint = self._constraint_of(name)
        if constraint is not None:
            param.constraint = _ConstraintInKerasLayout(constraint, to_keras, to_torch)
        return param

    def _constraint_of(self, name: str):
        """The constraint of the layout weight ``name`` (the kernel's, unless overridden)."""
        return self.kernel_constraint

    def _add_kernel(self, name, keras_shape, initializer, regularizer):
        rank = self.rank
        to_torch_order = (rank + 1, rank, *range(rank))  # (k..., in, out) -> (out, in, k...)
        to_keras_order = (*range(2, rank + 2), 1, 0)
        return self._add_layout_weight(
            name,
            keras_shape,
            initializer,
            regularizer,
            lambda t: t.permute(to_torch_order),
            lambda t: t.permute(to_keras_order),
        )

    def _add_bias(self, channels):
        if not self.use_bias:
            return None
        return self.add_weight(
            (channels,),
            self.bias_initializer,
            name="bias",
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )

    def _layout_of(self, param):
        for name, layout in self._layouts.items():
            if getattr(self, name) is param:
                return layout
        return None

    def weight_to_keras(self, param):
        layout = self._layout_of(param)
        value = param.detach() if layout is None else layout[1](param.detach())
        return backend.to_numpy(value)  # a copy: the permuted tensor is a view of the weight

    def weight_from_keras(self, param, value):
        tensor = torch.as_tensor(value)
        layout = self._layout_of(param)
        if layout is None or tensor.dim() != param.dim():
            return tensor  # a wrong rank falls through to set_weights' shape error
        return layout[0](tensor)

    # -- building and calling ------------------------------------------------------------------

    def build(self, input_shape) -> None:
        channels = input_shape[self._channel_axis()]
        keras_shape = (*self.kernel_size, channels // self.groups, self.filters)
        self.kernel = self._add_kernel(
            "kernel", keras_shape, self.kernel_initializer, self.kernel_regularizer
        )
        self.bias = self._add_bias(self.filters)
        self._prepare_padding()

    def _prepare_padding(self) -> None:
        """Precomputes padding so that a call does no Python work on shapes when it can."""
        self._relu = self.activation is activations.relu
        linear = self.activation is activations.linear
        self._apply_activation = None if linear or self._relu else self.activation
        self._torch_padding = 0
        self._static_pad = None  # F.pad spec, when the padding is asymmetric but size-free
        self._dynamic_same = False
        if self.padding == "causal":
            self._static_pad = ((self.kernel_size[0] - 1) * self.dilation_rate[0], 0)
        elif self.padding == "same":
            if max(self.strides) > 1:
                self._dynamic_same = True
                return
            pads = [same_pads(1, k, 1, d) for k, d in zip(self.kernel_size, self.dilation_rate)]
            if all(before == after for before, after in pads):
                self._torch_padding = tuple(before for before, _ in pads)
            else:
                self._static_pad = pad_spec(pads)

    def _pad(self, x):
        """Pads a channels_first view ``x`` for 'same'/'causal' when torch's padding cannot."""
        if self._static_pad is not None:
            return F.pad(x, self._static_pad)
        if self._dynamic_same:
            sizes = x.shape[2:]
            pads = [
                same_pads(s, k, st, d)
                for s, k, st, d in zip(sizes, self.kernel_size, self.strides, self.dilation_rate)
            ]
            return F.pad(x, pad_spec(pads))
        return x

    def _convolve(self, x):
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.rank - 1]
        return conv(
            x,
            self.kernel,
            self.bias,
            self.strides,
            self._torch_padding,
            self.dilation_rate,
            self.groups,
        )

    def call(self, inputs):
        outputs = self.call_linear(inputs)
        if self._relu:
            return F.relu(outputs)
        return outputs if self._apply_activation is None else self._apply_activation(outputs)

    def convolution_op(self, inputs, kernel):
        """Keras's hook: the convolution of ``inputs`` with ``kernel`` in Keras's layout
        ``(*kernel_size, in, out)``; a subclass that overrides it (a standardized conv) is
        called with the layer's kernel in that layout, then the bias and activation follow."""
        from layerfit import ops  # layers sit above ops: imported on first use

        return ops.conv(
            inputs,
            kernel,
            strides=list(self.strides),
            padding=self.padding,
            dilation_rate=list(self.dilation_rate),
            data_format=self.data_format,
        )

    def call_linear(self, inputs):
        """The output before the activation (a model may fuse the activation with what follows)."""
        if type(self).convolution_op is not _BaseConv.convolution_op:
            kernel = self.kernel.permute(*range(2, self.rank + 2), 1, 0)  # torch -> Keras layout
            y = self.convolution_op(inputs, kernel)
            if self.bias is not None:
                shape = (-1,) if self._channels_last else (-1,) + (1,) * self.rank
                y = y + self.bias.reshape(shape)
            return y
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        if self._static_pad is not None or self._dynamic_same:
            x = self._pad(x)
        y = self._convolve(x)  # (N, C, *spatial), channels_last in memory
        return y.permute(self._to_last) if self._channels_last else y

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


class Conv1D(_BaseConv):
    """1D convolution over steps: inputs (batch, steps, channels).

    Args:
        filters: number of output channels.
        kernel_size: length of the convolution window.
        strides: Defaults to 1.
        padding: 'valid', 'same' or 'causal' (left padding only). Defaults to 'valid'.
        data_format: 'channels_last' or 'channels_first'. Defaults to
            ``config.image_data_format()`` ('channels_last').
        dilation_rate: Defaults to 1.
        groups: number of channel groups convolved separately. Defaults to 1.
        activation: Defaults to None (linear).
        use_bias: Defaults to True.
        kernel_initializer: Defaults to 'glorot_uniform'.
        bias_initializer: Defaults to 'zeros'.
        kernel_regularizer, bias_regularizer: Defaults to None.

    Example:
    >>> Conv1D(8, 3)(torch.zeros(2, 10, 4)).shape
    torch.Size([2, 8, 8])
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
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
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


class Conv2D(_BaseConv):
    """2D convolution (cross-correlation) over images: inputs (batch, height, width, channels).

    The kernel is ``(kh, kw, in_channels, filters)`` in ``get_weights()``, as in Keras.

    Args:
        filters: number of output channels.
        kernel_size: an int or (height, width) of the window.
        strides: Defaults to (1, 1).
        padding: 'valid' (no padding) or 'same' (output size = ceil(input / strides)).
            Defaults to 'valid'.
        data_format: 'channels_last' or 'channels_first'. Defaults to
            ``config.image_data_format()`` ('channels_last').
        dilation_rate: Defaults to (1, 1).
        groups: number of channel groups convolved separately. Defaults to 1.
        activation: Defaults to None (linear).
        use_bias: Defaults to True.
        kernel_initializer: Defaults to 'glorot_uniform'.
        bias_initializer: Defaults to 'zeros'.
        kernel_regularizer, bias_regularizer: Defaults to None.

    Example:
    >>> Conv2D(32, 3, activation="relu")(torch.zeros(2, 28, 28, 1)).shape
    torch.Size([2, 26, 26, 32])
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
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
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
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


# Keras's aliases.
Convolution1D = Conv1D
Convolution2D = Conv2D
