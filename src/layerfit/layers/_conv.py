"""Convolution layers: Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D.

Inputs and outputs are channels_last (N, H, W, C) as in Keras. Inside, a channels_last tensor
viewed as ``x.permute(0, 3, 1, 2)`` already is an NCHW tensor in torch's channels_last memory
format, so ``F.conv2d`` runs oneDNN's NHWC kernels and the result is permuted back: no copies.
Kernels are stored in torch's layout ((out, in, kh, kw) for Conv2D) and converted to Keras's
layout ((kh, kw, in, out)) only by ``get_weights``/``set_weights`` and at initialisation.

This module also holds the argument helpers the other image layers share (tuples, padding,
data format, 'same' padding amounts).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import activations, config, initializers, regularizers
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers._layer import Layer
from layerfit.layers._variable import Variable

PADDINGS = Registry("padding")
for _name in ("valid", "same", "causal"):
    PADDINGS.register(_name, _name)
DATA_FORMATS = Registry("data_format")
for _name in ("channels_last", "channels_first"):
    DATA_FORMATS.register(_name, _name)


# -- argument helpers shared by the image layers ----------------------------------------------


def standardize_tuple(value, n: int, arg: str, layer: str, allow_zero: bool = False) -> tuple:
    """An int or a sequence of ``n`` ints -> a tuple of ``n`` ints, checked positive."""
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    elif isinstance(value, (tuple, list)) and len(value) == n:
        values = tuple(value)
    else:
        values = None
    smallest = 0 if allow_zero else 1
    if values is None or any(
        isinstance(v, bool) or not isinstance(v, int) or v < smallest for v in values
    ):
        kind = "non-negative" if allow_zero else "positive"
        raise LayerfitValueError(
            explain(
                f"{layer} got {arg}={value!r}.",
                f"a {kind} integer or a tuple of {n} {kind} integers.",
                f"{arg}=3 or {arg}={(3,) * n}." if n > 1 else f"{arg}=3.",
            )
        )
    return tuple(int(v) for v in values)


def standardize_padding(value, layer: str, allow_causal: bool = False) -> str:
    """'valid' / 'same' (and 'causal' for Conv1D), any case."""
    if not isinstance(value, str):
        raise LayerfitValueError(
            explain(f"{layer} got padding={value!r}.", "'valid' or 'same'.", "padding='same'")
        )
    name = PADDINGS.get(value)
    if name == "causal" and not allow_causal:
        raise LayerfitValueError(
            explain(
                f"{layer} got padding='causal', which only Conv1D supports.",
                "'valid' or 'same'.",
                "padding='same' keeps the spatial size; padding='valid' shrinks it.",
            )
        )
    return name


def standardize_data_format(value) -> str:
    """None -> ``config.image_data_format()``; else 'channels_last' / 'channels_first'."""
    if value is None:
        return config.image_data_format()
    return DATA_FORMATS.get(value)


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding of TensorFlow's 'same': the extra pixel goes after."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def conv_output_length(size, kernel: int, stride: int, padding: str, dilation: int = 1):
    """Keras's output length of a convolution or pooling window along one axis."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (kernel - 1) * dilation - 1) // stride + 1
    return (size - 1) // stride + 1  # 'same' and 'causal'


def spatial_axes(data_format: str, rank: int) -> tuple[int, ...]:
    """Positions of the spatial axes in an input of ``rank`` spatial dims (batch axis 0)."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))


def channels_first_perms(rank: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Permutations channels_last -> channels_first and back, for ``rank`` spatial dims."""
    to_first = (0, rank + 1, *range(1, rank + 1))
    to_last = (0, *range(2, rank + 2), 1)
    return to_first, to_last


def check_image_rank(layer: Layer, input_shape, rank: int, data_format: str) -> None:
    """Raises our error when an input lacks the (batch, *spatial, channels) axes."""
    names = {1: "steps", 2: "height, width", 3: "depth, height, width"}[rank]
    expected = (
        f"(batch, {names}, channels)"
        if data_format == "channels_last"
        else f"(batch, channels, {names})"
    )
    if not isinstance(input_shape, tuple):
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got a {type(input_shape).__name__} "
                "of inputs.",
                f"one tensor of shape {expected}.",
            )
        )
    if len(input_shape) == rank + 1:
        spatial = tuple(d for d in input_shape[1:])
        sample = ", ".join(str(d) for d in spatial)
        example = (
            f"(batch, {sample}, 1)" if data_format == "channels_last" else f"(batch, 1, {sample})"
        )
        if data_format == "channels_last":
            fix = (
                f"add a channel axis: x = x[..., None] (or x.reshape(-1, {sample}, 1)), and "
                f"give the first layer input_shape=({sample}, 1)."
            )
        else:
            fix = (
                f"add a channel axis: x = x[:, None] (or x.reshape(-1, 1, {sample})), and "
                f"give the first layer input_shape=(1, {sample})."
            )
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape}: "
                f"{rank + 1} axes, with no channel axis.",
                f"{rank + 2} axes {expected}, e.g. {example} for one-channel (grayscale) data.",
                fix,
            )
        )
    if len(input_shape) != rank + 2:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape} "
                f"({len(input_shape)} axes).",
                f"{rank + 2} axes {expected}.",
                "check the previous layer's output shape (model.summary() shows each one).",
            )
        )
    channel_axis = -1 if data_format == "channels_last" else 1
    if input_shape[channel_axis] is None:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape} "
                "with an unknown number of channels.",
                f"a known channel axis in {expected}.",
                "give the first layer input_shape with the channel count, e.g. (28, 28, 1).",
            )
        )


def warn_unsupported(layer: str, **arguments) -> None:
    """Warns once per argument that layerfit accepts but does not apply yet."""
    for arg, value in arguments.items():
        if value is not None:
            warn(
                f"{layer} got {arg}={value!r}, which layerfit does not apply yet.",
                f"{arg}=None.",
                f"drop {arg}=, or apply it yourself after each optimizer step.",
            )


class _InKerasLayout:
    """Calls a regularizer on a weight seen in Keras's layout (for layout-aware penalties)."""

    def __init__(self, regularizer, to_keras):
        self.regularizer = regularizer
        self.to_keras = to_keras

    def __call__(self, param):
        return self.regularizer(self.to_keras(param))


# -- convolutions -----------------------------------------------------------------------------


class _BaseConv(Layer):
    """Shared machinery of the convolutions: arguments, torch-layout weights, padding, call."""

    rank = 2
    _needs_filters = True

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
        super().__init__(**kwargs)
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
        self.padding = standardize_padding(padding, layer, allow_causal=self.rank == 1)
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
        constraint = "kernel_constraint" if self._needs_filters else "depthwise_constraint"
        warn_unsupported(
            layer,
            activity_regularizer=activity_regularizer,
            **{constraint: kernel_constraint},
            bias_constraint=bias_constraint,
        )
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
        param = Variable(value, requires_grad=param.requires_grad)
        self.register_parameter(name, param)
        self._layouts[name] = (to_torch, to_keras)
        if regularizer is not None:
            self._regularized.append((param, _InKerasLayout(regularizer, to_keras)))
        return param

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
            (channels,), self.bias_initializer, name="bias", regularizer=self.bias_regularizer
        )

    def _layout_of(self, param):
        for name, layout in self._layouts.items():
            if getattr(self, name) is param:
                return layout
        return None

    def weight_to_keras(self, param):
        layout = self._layout_of(param)
        value = param.detach() if layout is None else layout[1](param.detach())
        return value.cpu().numpy()

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
                self._static_pad = _pad_spec(pads)

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
            return F.pad(x, _pad_spec(pads))
        return x

    def _convolve(self, x):
        conv = F.conv2d if self.rank == 2 else F.conv1d
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

    def call_linear(self, inputs):
        """The output before the activation (a model may fuse the activation with what follows)."""
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
        }


def _pad_spec(pads) -> tuple[int, ...]:
    """[(before, after) per spatial axis] -> F.pad's spec (last axis first)."""
    spec: list[int] = []
    for before, after in reversed(pads):
        spec.extend((before, after))
    return tuple(spec)


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
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            groups,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
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
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            groups,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
            **kwargs,
        )


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
            None,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            1,
            activation,
            use_bias,
            depthwise_initializer,
            bias_initializer,
            depthwise_regularizer,
            bias_regularizer,
            activity_regularizer,
            depthwise_constraint,
            bias_constraint,
            **kwargs,
        )
        self.depth_multiplier = standardize_tuple(
            depth_multiplier, 1, "depth_multiplier", "DepthwiseConv2D"
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
        kh, kw = self.kernel_size
        multiplier = self.depth_multiplier
        # Keras (kh, kw, in, mult) -> torch (in * mult, 1, kh, kw); output channel c*mult + m.
        return self._add_layout_weight(
            name,
            (kh, kw, channels, multiplier),
            initializer,
            regularizer,
            lambda t: t.reshape(kh, kw, 1, channels * multiplier).permute(3, 2, 0, 1),
            lambda t: t.permute(2, 3, 1, 0).reshape(kh, kw, channels, multiplier),
        )

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("filters", "groups"):
            config.pop(key)
        config["depth_multiplier"] = self.depth_multiplier
        config["depthwise_initializer"] = config.pop("kernel_initializer")
        config["depthwise_regularizer"] = config.pop("kernel_regularizer")
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
            kernel_size,
            strides,
            padding,
            depth_multiplier,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            depthwise_initializer,
            bias_initializer,
            depthwise_regularizer,
            bias_regularizer,
            activity_regularizer,
            depthwise_constraint,
            bias_constraint,
            **kwargs,
        )
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise LayerfitValueError(
                explain(
                    f"SeparableConv2D got filters={filters!r}.",
                    "a positive integer: the number of output channels.",
                    "SeparableConv2D(32, 3)",
                )
            )
        self.filters = filters
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        warn_unsupported("SeparableConv2D", pointwise_constraint=pointwise_constraint)

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
            (1, 1, channels * self.depth_multiplier, self.filters),
            self.pointwise_initializer,
            self.pointwise_regularizer,
        )
        self.bias = self._add_bias(self.filters)
        self._prepare_padding()

    def _convolve(self, x):
        depthwise = F.conv2d(
            x,
            self.depthwise_kernel,
            None,
            self.strides,
            self._torch_padding,
            self.dilation_rate,
            self.groups,
        )
        return F.conv2d(depthwise, self.pointwise_kernel, self.bias)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
        }


class Conv2DTranspose(_BaseConv):
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
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            1,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
            **kwargs,
        )
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(
                output_padding, 2, "output_padding", "Conv2DTranspose", allow_zero=True
            )
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise LayerfitValueError(
                    explain(
                        f"Conv2DTranspose got output_padding={self.output_padding} with "
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
        # Keras (kh, kw, filters, in) -> torch conv_transpose2d (in, filters, kh, kw).
        self.kernel = self._add_kernel(
            "kernel",
            (*self.kernel_size, self.filters, channels),
            self.kernel_initializer,
            self.kernel_regularizer,
        )
        self.bias = self._add_bias(self.filters)
        self._prepare_padding()
        self._static_pad, self._dynamic_same = None, False  # the crops below replace them
        crops = [self._crops(axis) for axis in range(2)]
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
        y = F.conv_transpose2d(
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
        (top, bottom), (left, right) = self._crop
        y = F.pad(y, (-left, -right, -top, -bottom))  # negative pads crop
        return y if self.bias is None else y + self.bias.view(1, -1, 1, 1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("groups")
        config["output_padding"] = self.output_padding
        return config


# Keras's aliases.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose
SeparableConvolution2D = SeparableConv2D
