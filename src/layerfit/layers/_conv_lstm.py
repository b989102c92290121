"""ConvLSTM1D/2D/3D: an LSTM whose gates are convolutions (Shi et al. 2015), Keras's weights.

Inputs are (batch, steps, *spatial, channels) (channels_last). The weights keep Keras's layout
(``kernel`` (k..., in, 4 * filters), ``recurrent_kernel`` (k..., filters, 4 * filters),
``bias`` (4 * filters), gates i, f, c, o), so ``get_weights``/``set_weights`` need no
conversion; each step convolves the input with the given strides and padding and the state
with stride 1 and 'same' padding, as Keras does.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import activations, initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import (
    conv_output_length,
    same_pads,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    warn_unsupported,
)
from layerfit.layers._layer import Layer

_CONV = (F.conv1d, F.conv2d, F.conv3d)


class _ConvLSTM(Layer):
    rank = 2

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        layer = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise LayerfitValueError(
                explain(
                    f"{layer} got filters={filters!r}.", "a positive integer.", f"{layer}(8, 3)"
                )
            )
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, self.rank, "kernel_size", layer)
        self.strides = standardize_tuple(strides, self.rank, "strides", layer)
        self.padding = standardize_padding(padding, layer)
        self.data_format = standardize_data_format(data_format)
        if self.data_format != "channels_last":
            raise LayerfitValueError(
                explain(
                    f"{layer} got data_format={data_format!r}.",
                    "'channels_last' inputs (batch, steps, *spatial, channels).",
                    "move the channels last: ops.moveaxis(x, 2, -1).",
                )
            )
        self.dilation_rate = standardize_tuple(dilation_rate, self.rank, "dilation_rate", layer)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        warn_unsupported(
            layer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout or None,  # the gates' dropout is not implemented yet
            recurrent_dropout=recurrent_dropout or None,
        )
        for argument, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0 <= value < 1:
                raise LayerfitValueError(
                    explain(f"{layer} got {argument}={value!r}.", "a rate in [0, 1).", "0.2")
                )
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.seed = seed
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.states = None

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) != self.rank + 3:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} {self.name!r} got input of shape {input_shape}.",
                    f"{self.rank + 3} axes: (batch, steps, {self.rank} spatial axes, channels).",
                    "give each sample a time axis before the spatial ones.",
                )
            )

    def build(self, input_shape) -> None:
        channels, width = input_shape[-1], 4 * self.filters
        self.kernel = self.add_weight(
            (*self.kernel_size, channels, width), self.kernel_initializer, name="kernel",
            regularizer=self.kernel_regularizer,
        )  # fmt: skip
        self.recurrent_kernel = self.add_weight(
            (*self.kernel_size, self.filters, width), self.recurrent_initializer,
            name="recurrent_kernel", regularizer=self.recurrent_regularizer,
        )  # fmt: skip
        if not self.use_bias:
            self.bias = None
        else:
            base, filters = self.bias_initializer, self.filters

            def forget_gate_at_one(shape, dtype=None):
                ones = torch.ones(filters, dtype=dtype)
                return torch.cat(
                    [base((filters,), dtype=dtype), ones, base((2 * filters,), dtype=dtype)]
                )

            initializer = forget_gate_at_one if self.unit_forget_bias else base
            self.bias = self.add_weight(
                (width,), initializer, name="bias", regularizer=self.bias_regularizer
            )

    def _torch_kernel(self, kernel):
        """(k..., in, out) -> torch's (out, in, k...)."""
        return kernel.permute(self.rank + 1, self.rank, *range(self.rank))

    def _conv(self, x, kernel, bias, strides, padding):
        if padding == "same":
            pads = [
                same_pads(size, k, s, d)
                for size, k, s, d in zip(x.shape[2:], self.kernel_size, strides, self.dilation_rate)
            ]
            spec = [amount for pair in reversed(pads) for amount in pair]
            x = F.pad(x, spec)
        return _CONV[self.rank - 1](x, kernel, bias, strides, 0, self.dilation_rate)

    def _spatial(self, sizes):
        return [
            conv_output_length(size, k, s, self.padding, d)
            for size, k, s, d in zip(sizes, self.kernel_size, self.strides, self.dilation_rate)
        ]

    def call(self, inputs, initial_state=None, mask=None, training=None):
        # (B, T, *spatial, C) -> (B, T, C, *spatial) for torch's convolutions.
        x = inputs.movedim(-1, 2)
        x = x.flip(1) if self.go_backwards else x
        batch, steps = x.shape[:2]
        spatial = self._spatial(x.shape[3:])
        if initial_state is not None:
            h, c = (s.movedim(-1, 1) for s in initial_state)
        elif self.stateful and self.states is not None:
            h, c = self.states
        else:
            h = c = x.new_zeros(batch, self.filters, *spatial)
        kernel, recurrent = (
            self._torch_kernel(self.kernel),
            self._torch_kernel(self.recurrent_kernel),
        )
        # All steps' input convolutions at once: (B*T, 4F, *spatial).
        projected = self._conv(x.flatten(0, 1), kernel, self.bias, self.strides, self.padding)
        projected = projected.unflatten(0, (batch, steps))
        outputs = []
        for step in range(steps):
            z = projected[:, step] + self._conv(h, recurrent, None, (1,) * self.rank, "same")
            i, f, g, o = z.chunk(4, dim=1)
            i, f, o = (self.recurrent_activation(t) for t in (i, f, o))
            c = f * c + i * self.activation(g)
            h = o * self.activation(c)
            outputs.append(h)
        if self.stateful:
            self.states = (h.detach(), c.detach())
        output = (
            torch.stack(outputs, 1).movedim(2, -1) if self.return_sequences else h.movedim(1, -1)
        )
        if self.return_state:
            return [output, h.movedim(1, -1), c.movedim(1, -1)]
        return output

    def reset_states(self, states=None) -> None:
        """A stateful layer's next call starts from zeros."""
        self.states = None if states is None else tuple(s.movedim(-1, 1) for s in states)

    reset_state = reset_states

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        state = (batch, *self._spatial(input_shape[2:-1]), self.filters)
        output = (batch, steps, *state[1:]) if self.return_sequences else state
        return [output, state, state] if self.return_state else output

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
        }


class ConvLSTM1D(_ConvLSTM):
    """Convolutional LSTM over sequences of 1-D signals: (batch, steps, length, channels).

    Args: as ``ConvLSTM2D``, with one int per tuple.

    Example:
    >>> ConvLSTM1D(4, 3)(torch.zeros(2, 5, 10, 3)).shape
    torch.Size([2, 8, 4])
    """

    rank = 1


class ConvLSTM2D(_ConvLSTM):
    """Convolutional LSTM over sequences of images: (batch, steps, rows, cols, channels).

    Args:
        filters: number of output channels (the state's channels).
        kernel_size: the gates' convolution window.
        strides, padding, dilation_rate: of the input convolution ('same' for the state).
        activation: Defaults to 'tanh'. recurrent_activation: Defaults to 'sigmoid'.
        unit_forget_bias: forget gate bias starts at 1. Defaults to True.
        return_sequences, return_state, go_backwards, stateful: as ``LSTM``.
        dropout, recurrent_dropout: not applied yet (layerfit warns when they are set).

    Example:
    >>> ConvLSTM2D(4, 3, padding="same")(torch.zeros(2, 5, 8, 8, 1)).shape
    torch.Size([2, 8, 8, 4])
    """

    rank = 2


class ConvLSTM3D(_ConvLSTM):
    """Convolutional LSTM over sequences of volumes: (batch, steps, d, h, w, channels).

    Example:
    >>> ConvLSTM3D(2, 3, padding="same")(torch.zeros(1, 3, 4, 4, 4, 1)).shape
    torch.Size([1, 4, 4, 4, 2])
    """

    rank = 3
