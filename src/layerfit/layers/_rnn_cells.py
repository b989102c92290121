"""SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells: one step of Keras's recurrent layers.

A cell holds the same weights as its layer (``kernel``, ``recurrent_kernel``, ``bias``, same
shapes and gate order) and runs the same step: the step and bias functions are the layer
classes' own (``SimpleRNN._step``, ...), borrowed so the formulas live in one place.
"""

from __future__ import annotations

import torch

from layerfit import activations, constraints, initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._recurrent import GRU, LSTM, SimpleRNN, _Recurrent


class _Cell(Layer):
    """Arguments, weights, dropout masks and the step call the three cells share."""

    GATES = 1
    STATES = 1

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise LayerfitValueError(
                explain(f"{name} got units={units!r}.", "a positive integer.", f"{name}(32)")
            )
        for argument, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0 <= value < 1:
                raise LayerfitValueError(
                    explain(f"{name} got {argument}={value!r}.", "a rate in [0, 1).", "0.2")
                )
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.seed = seed
        self._masks = None  # (input keep, recurrent keep), drawn once per sequence

    # The weights are built exactly as the layer builds them.
    build = _Recurrent.build
    _bias_shape = _Recurrent._bias_shape
    _bias_initializer = _Recurrent._bias_initializer
    _input_bias = _Recurrent._input_bias

    @property
    def state_size(self):
        return self.units if self.STATES == 1 else [self.units] * self.STATES

    @property
    def output_size(self) -> int:
        return self.units

    def get_initial_state(self, batch_size=None):
        """Zero states: a list of (batch, units) tensors."""
        device = self.kernel.device if self.built else None
        return [torch.zeros(batch_size, self.units, device=device) for _ in range(self.STATES)]

    def reset_dropout_mask(self) -> None:
        """Forgets the dropout masks: the RNN layer calls it once per sequence."""
        self._masks = None

    reset_recurrent_dropout_mask = reset_dropout_mask

    def _dropout_masks(self, inputs, state):
        if self._masks is None:
            keep = (torch.rand_like(inputs) >= self.dropout) / (1 - self.dropout)
            recurrent = (torch.rand_like(state) >= self.recurrent_dropout) / (
                1 - self.recurrent_dropout
            )
            self._masks = (
                keep if self.dropout else None,
                recurrent if self.recurrent_dropout else None,
            )
        return self._masks

    def call(self, inputs, states, training=None):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        keep, recurrent_keep = None, None
        if training and (self.dropout or self.recurrent_dropout):
            keep, recurrent_keep = self._dropout_masks(inputs, states[0])
            if keep is not None:
                inputs = inputs * keep
        projected = inputs @ self.kernel
        if self.bias is not None:
            projected = projected + self._input_bias()
        new_states = self._step(projected, states, recurrent_keep)
        return new_states[0], new_states

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class SimpleRNNCell(_Cell):
    """One step of ``SimpleRNN``: ``h = activation(x W + h U + b)``; for ``RNN(cell)``.

    Args:
        units, activation, use_bias, initializers, regularizers, dropout,
        recurrent_dropout, seed: as ``SimpleRNN``.

    Example:
    >>> RNN(SimpleRNNCell(4))(torch.zeros(2, 10, 8)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):  # Keras's order, which differs from the other cells'
        kwargs.pop("recurrent_activation", None)
        arguments = {k: v for k, v in locals().items() if k not in ("self", "kwargs", "__class__")}
        super().__init__(**arguments, **kwargs)

    _step = SimpleRNN._step

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("recurrent_activation")
        return config


class LSTMCell(_Cell):
    """One step of ``LSTM`` (gates i, f, c, o; states [h, c]); for ``RNN(cell)``.

    Args:
        units, activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
        regularizers, dropout, recurrent_dropout, seed: as ``LSTM``.

    Example:
    >>> RNN(LSTMCell(4), return_state=True)(torch.zeros(2, 10, 8))[2].shape
    torch.Size([2, 4])
    """

    GATES = 4
    STATES = 2

    def __init__(
        self,
        units,
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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        arguments = {k: v for k, v in locals().items() if k not in ("self", "kwargs", "__class__")}
        self_forget = arguments.pop("unit_forget_bias")
        super().__init__(**arguments, **kwargs)
        self.unit_forget_bias = self_forget

    _bias_initializer = LSTM._bias_initializer
    _step = LSTM._step

    def get_config(self) -> dict:
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class GRUCell(_Cell):
    """One step of ``GRU`` (gates z, r, h); for ``RNN(cell)``.

    Args:
        units, activation, recurrent_activation, use_bias, reset_after, initializers,
        regularizers, dropout, recurrent_dropout, seed: as ``GRU``.

    Example:
    >>> RNN(GRUCell(4))(torch.zeros(2, 10, 8)).shape
    torch.Size([2, 4])
    """

    GATES = 3

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
        seed=None,
        **kwargs,
    ):
        arguments = {k: v for k, v in locals().items() if k not in ("self", "kwargs", "__class__")}
        reset = arguments.pop("reset_after")
        super().__init__(**arguments, **kwargs)
        self.reset_after = reset

    _bias_shape = GRU._bias_shape
    _input_bias = GRU._input_bias
    _step = GRU._step

    def get_config(self) -> dict:
        return {**super().get_config(), "reset_after": self.reset_after}


class StackedRNNCells(Layer):
    """Several cells run as one: each step feeds the first cell's output to the next.

    Args:
        cells: a list of cells.

    Example:
    >>> cells = StackedRNNCells([LSTMCell(8), LSTMCell(4)])
    >>> RNN(cells)(torch.zeros(2, 10, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = torch.nn.ModuleList(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return self.cells[-1].output_size

    def get_initial_state(self, batch_size=None):
        return [cell.get_initial_state(batch_size) for cell in self.cells]

    def reset_dropout_mask(self) -> None:
        for cell in self.cells:
            if hasattr(cell, "reset_dropout_mask"):
                cell.reset_dropout_mask()

    def build(self, input_shape) -> None:
        for cell in self.cells:
            cell.build_checked(tuple(input_shape))
            input_shape = (input_shape[0], _output_size(cell))

    def call(self, inputs, states, training=None):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            kwargs = {"training": training} if cell.call_takes_training else {}
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            new_states.append(
                list(cell_states) if isinstance(cell_states, (list, tuple)) else [cell_states]
            )
        return inputs, new_states

    def get_config(self) -> dict:
        from layerfit.layers._serialization import serialize as serialize_keras_object

        return {**super().get_config(), "cells": [serialize_keras_object(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from layerfit.layers._serialization import deserialize as deserialize_keras_object

        config = dict(config)
        config["cells"] = [deserialize_keras_object(c, custom_objects) for c in config["cells"]]
        return cls(**config)


def _output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    if size is None:
        size = cell.state_size
        size = size[0] if isinstance(size, (list, tuple)) else size
    return int(size)
