"""SimpleRNN, LSTM and GRU with Keras's weights, run by torch's fused recurrent kernels.

Weights are stored as Keras stores them (``kernel`` (features, gates * units),
``recurrent_kernel`` (units, gates * units), one ``bias``), so ``get_weights`` and saved files
match Keras. With Keras's default activations and no recurrent dropout, a call hands them to
the same kernel ``torch.nn.LSTM`` uses (cuDNN on a GPU), reordering GRU's gates from Keras's
(z, r, h) to torch's (r, z, n); anything else runs a step-by-step loop of Keras's formulas.
A mask (``Embedding(mask_zero=True)``, ``Masking``) makes masked steps keep the state and repeat
the previous output, as Keras does; when each row's kept steps are one block (right or left
padding) the fused kernel still runs, on a packed sequence, and other masks run the loop.
"""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from layerfit import activations, constraints, initializers, regularizers
from layerfit._tree import flatten
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer


def carried_states(layer, states, batch: int):
    """The states a stateful layer carried over, checked against the new batch size."""
    carried = flatten(states)[0].shape[0]
    if carried != batch:
        raise LayerfitValueError(
            explain(
                f"Stateful {type(layer).__name__} {layer.name!r} carries states for batches of "
                f"{carried} but got a batch of {batch}.",
                "the same batch size on every call of a stateful layer.",
                "give fit/predict a batch_size that divides the number of samples, or call "
                "reset_states() before a batch of another size.",
            )
        )
    return states


class _Recurrent(Layer):
    """What the three share: arguments, weights, fused or looped run, output assembly."""

    supports_masking = True  # masks pass through, as in Keras

    GATES = 1
    STATES = 1  # LSTM carries a cell state too

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
        unroll=False,
        use_cudnn="auto",
        zero_output_for_mask=False,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
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
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.states = None  # the final states a stateful layer carries to its next call
        self.unroll = unroll
        self.use_cudnn = use_cudnn
        # Masked steps output zeros instead of the previous output (Bidirectional sets it).
        self.zero_output_for_mask = zero_output_for_mask

    # -- weights ------------------------------------------------------------------------------

    def check_input_shape(self, input_shape) -> None:
        if len(input_shape) != 3:
            name = type(self).__name__
            raise LayerfitValueError(
                explain(
                    f"{name} {self.name!r} got input of shape {tuple(input_shape)}.",
                    "sequences of shape (batch, timesteps, features).",
                    "give each step a feature axis: x[..., None] for one value per step, or put "
                    "an Embedding first for token ids.",
                )
            )

    def build(self, input_shape) -> None:
        features, width = int(input_shape[-1]), self.GATES * self.units
        self.kernel = self.add_weight(
            (features, width), self.kernel_initializer, name="kernel",
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )  # fmt: skip
        self.recurrent_kernel = self.add_weight(
            (self.units, width), self.recurrent_initializer, name="recurrent_kernel",
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint,
        )  # fmt: skip
        self.bias = (
            self.add_weight(
                self._bias_shape(),
                self._bias_initializer(),
                name="bias",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )  # fmt: skip
            if self.use_bias
            else None
        )

    def _bias_shape(self) -> tuple:
        return (self.GATES * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    # -- running ------------------------------------------------------------------------------

    def _uniform(self, like: torch.Tensor) -> torch.Tensor:
        """Uniform draws for the dropout masks: from the layer's own stream when seeded."""
        if self.seed is None:
            return torch.rand_like(like)
        generators = self.__dict__.setdefault("_generators", {})
        generator = generators.get(like.device)
        if generator is None:
            generator = torch.Generator(device=like.device).manual_seed(int(self.seed))
            generators[like.device] = generator
        return torch.rand(like.shape, generator=generator, device=like.device, dtype=like.dtype)

    def call(self, inputs, initial_state=None, mask=None, training=None):
        sequence = inputs.flip(1) if self.go_backwards else inputs  # (B, T, F)
        states = self._initial_states(sequence, initial_state)
        if training and self.dropout:
            keep = self._uniform(sequence[:, :1]) >= self.dropout  # one mask for all steps
            sequence = sequence * keep / (1 - self.dropout)
        if mask is not None:
            mask = mask.bool().flip(1) if self.go_backwards else mask.bool()  # (B, T)
            ran = self._fused_masked(sequence, states, mask) if self._fusable(training) else None
            outputs, states = ran or self._loop(sequence, states, training, mask)
        elif self._fusable(training):
            outputs, states = self._fused(sequence, states)
        else:
            outputs, states = self._loop(sequence, states, training)
        if self.stateful:
            self.states = [state.detach() for state in states]
        output = outputs if self.return_sequences else outputs[:, -1]
        return [output, *states] if self.return_state else output

    def reset_states(self, states=None) -> None:
        """A stateful layer's next call starts from zeros (or from ``states``)."""
        self.states = None if states is None else list(states)

    reset_state = reset_states

    def compute_mask(self, inputs, mask=None):
        output_mask = mask if self.return_sequences else None
        return [output_mask, *[None] * self.STATES] if self.return_state else output_mask

    def _fused_masked(self, sequence, states, mask):
        """The fused kernel on a packed sequence, when each row keeps one block of steps.

        Keras's masked loop gives, before the block, the initial state as output (zeros with
        ``zero_output_for_mask``), and after it the block's last output; the final states are
        the block's. Returns None for other masks (holes, rows with no step), which loop.
        """
        B, T = mask.shape
        kept = mask.to(torch.int8)
        blocks = kept[:, 0] + (kept[:, 1:] > kept[:, :-1]).sum(1)  # starts of kept blocks
        if not bool((blocks == 1).all()):
            return None
        lengths, starts = kept.sum(1), kept.argmax(1)
        steps = torch.arange(T, device=mask.device)
        shift = ((steps[None] + starts[:, None]) % T)[..., None]  # each row's block first
        shifted = sequence.gather(1, shift.expand(-1, -1, sequence.shape[-1]))
        packed = pack_padded_sequence(
            shifted, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        order, unorder = packed.sorted_indices, packed.unsorted_indices
        data, last = self._fused(
            packed.data, [s.index_select(0, order) for s in states], packed.batch_sizes
        )
        last = [s.index_select(0, unorder) for s in last]
        if not (self.return_sequences or self.zero_output_for_mask):
            return last[0][:, None], last  # only the last output is used: the block's last
        block, _ = pad_packed_sequence(
            PackedSequence(data, packed.batch_sizes, order, unorder), True, total_length=T
        )  # (B, T, units): row b's step starts[b] + j at position j
        position = steps[None] - starts[:, None]  # (B, T)
        inside = ((position >= 0) & (position < lengths[:, None]))[..., None]
        picked = block.gather(1, position.clamp(0, T - 1)[..., None].expand(-1, -1, self.units))
        if self.zero_output_for_mask:
            outside = torch.zeros_like(picked)
        else:
            before = (position < 0)[..., None]
            outside = torch.where(before, states[0][:, None], last[0][:, None])
        return torch.where(inside, picked, outside), last

    def _initial_states(self, sequence, initial_state) -> list:
        if initial_state is None and self.stateful and self.states is not None:
            return carried_states(self, self.states, sequence.shape[0])
        if initial_state is None:
            zeros = sequence.new_zeros(sequence.shape[0], self.units)
            return [zeros] * self.STATES
        states = (
            list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        )
        if len(states) != self.STATES:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got {len(states)} initial states.",
                    f"{self.STATES} state tensor(s) of shape (batch, {self.units}).",
                    "pass the states another layer returned with return_state=True.",
                )
            )
        return states

    def _fusable(self, training) -> bool:
        return (
            self.activation is activations.tanh
            and self.recurrent_activation is activations.sigmoid
            and not (training and self.recurrent_dropout)
            and self._fused_formula()
        )

    def _fused_formula(self) -> bool:
        return True

    def _kernel(self, kernel, sequence, hx, weights, batch_sizes):
        """One of torch's fused kernels, on a (B, T, F) batch or on packed data."""
        # cuDNN views its input flat: a sliced or dropped-out batch must be made contiguous.
        sequence = sequence.contiguous()
        hx = tuple(h.contiguous() for h in hx) if isinstance(hx, tuple) else hx.contiguous()
        if batch_sizes is None:
            return kernel(sequence, hx, weights, self.bias is not None, 1, 0.0, False, False, True)
        return kernel(
            sequence, batch_sizes, hx, weights, self.bias is not None, 1, 0.0, False, False
        )

    def _torch_weights(self) -> list:
        """The weights as torch's kernels take them (SimpleRNN and LSTM share the gate order);
        the second bias, which Keras does not have, is zero."""
        weights = [self.kernel.T, self.recurrent_kernel.T]
        return weights if self.bias is None else [*weights, self.bias, torch.zeros_like(self.bias)]

    def _loop(self, sequence, states, training, mask=None):
        # Input projections for every step at once: (B, T, gates * units).
        projected = sequence @ self.kernel
        if self.bias is not None:
            projected = projected + self._input_bias()
        recurrent_keep = None
        if training and self.recurrent_dropout:
            kept = self._uniform(states[0]) >= self.recurrent_dropout
            recurrent_keep = kept / (1 - self.recurrent_dropout)
        outputs = []
        for step in range(sequence.shape[1]):
            new_states = self._step(projected[:, step], states, recurrent_keep)
            if mask is None:
                states = new_states
                outputs.append(states[0])
                continue
            # A masked step keeps the states and repeats the previous output (Keras's rule).
            keep = mask[:, step, None]
            states = [torch.where(keep, new, old) for new, old in zip(new_states, states)]
            output = states[0]
            if self.zero_output_for_mask:
                output = torch.where(keep, output, torch.zeros_like(output))
            outputs.append(output)
        return torch.stack(outputs, dim=1), states

    def _input_bias(self):
        return self.bias

    # -- shapes and config --------------------------------------------------------------------

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        output = (batch, steps, self.units) if self.return_sequences else (batch, self.units)
        return [output, *[(batch, self.units)] * self.STATES] if self.return_state else output

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
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }


class SimpleRNN(_Recurrent):
    """A fully-connected recurrent layer: ``h = activation(x W + h U + b)``.

    Args:
        units: size of the state and output.
        activation: Defaults to 'tanh'.
        return_sequences: the output at every step (batch, timesteps, units), not only the
            last. Defaults to False.
        return_state: also return the last state. Defaults to False.
        go_backwards: read the sequence from its end. Defaults to False.
        dropout, recurrent_dropout: rates for the inputs and the state. Default to 0.

    Example:
    >>> SimpleRNN(4)(torch.zeros(2, 10, 8)).shape
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
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        kwargs.pop("recurrent_activation", None)
        super().__init__(**_arguments(locals()), **kwargs)

    def _fused(self, sequence, states, batch_sizes=None):
        outputs, last = self._kernel(
            torch._VF.rnn_tanh, sequence, states[0][None], self._torch_weights(), batch_sizes
        )
        return outputs, [last[0]]

    def _step(self, projected, states, recurrent_keep):
        h = states[0] if recurrent_keep is None else states[0] * recurrent_keep
        return [self.activation(projected + h @ self.recurrent_kernel)]

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("recurrent_activation")
        return config


class LSTM(_Recurrent):
    """Long short-term memory (Hochreiter 1997), Keras's gates (i, f, c, o) and weights.

    Args:
        units: size of the state and output.
        activation: Defaults to 'tanh'.
        recurrent_activation: for the gates. Defaults to 'sigmoid'.
        unit_forget_bias: start the forget gate's bias at 1. Defaults to True.
        return_sequences: the output at every step, not only the last. Defaults to False.
        return_state: also return the last states [h, c]. Defaults to False.
        go_backwards: read the sequence from its end. Defaults to False.
        dropout, recurrent_dropout: rates for the inputs and the state. Default to 0.

    Example:
    >>> LSTM(4, return_sequences=True)(torch.zeros(2, 10, 8)).shape
    torch.Size([2, 10, 4])
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
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        super().__init__(**_arguments(locals(), "unit_forget_bias"), **kwargs)
        self.unit_forget_bias = unit_forget_bias

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def forget_gate_at_one(shape, dtype=None):
            parts = [base((units,), dtype=dtype), torch.ones(units, dtype=dtype)]
            return torch.cat([*parts, base((2 * units,), dtype=dtype)])

        return forget_gate_at_one

    def _fused(self, sequence, states, batch_sizes=None):
        hx = (states[0][None], states[1][None])
        outputs, h, c = self._kernel(
            torch._VF.lstm, sequence, hx, self._torch_weights(), batch_sizes
        )
        return outputs, [h[0], c[0]]

    def _step(self, projected, states, recurrent_keep):
        h, c = states
        if recurrent_keep is not None:
            h = h * recurrent_keep
        z = projected + h @ self.recurrent_kernel
        i, f, g, o = z.chunk(4, dim=-1)
        i, f, o = (self.recurrent_activation(gate) for gate in (i, f, o))
        c = f * c + i * self.activation(g)
        return [o * self.activation(c), c]

    def get_config(self) -> dict:
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class GRU(_Recurrent):
    """Gated recurrent unit (Cho 2014), Keras's gates (z, r, h) and weights.

    Args:
        units: size of the state and output.
        activation: Defaults to 'tanh'.
        recurrent_activation: for the gates. Defaults to 'sigmoid'.
        reset_after: apply the reset gate after the recurrent matrix product (Keras 3's and
            cuDNN's form, with separate input and recurrent biases). Defaults to True.
        return_sequences, return_state, go_backwards, dropout, recurrent_dropout: as LSTM.

    Example:
    >>> GRU(4)(torch.zeros(2, 10, 8)).shape
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
        unroll=False,
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        super().__init__(**_arguments(locals(), "reset_after"), **kwargs)
        self.reset_after = reset_after

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _fused_formula(self) -> bool:
        return self.reset_after

    def _input_bias(self):
        return self.bias[0] if self.reset_after else self.bias

    def _fused(self, sequence, states, batch_sizes=None):
        def torch_order(weight):  # Keras (z, r, h) -> torch (r, z, n) along the last axis
            z, r, h = weight.chunk(3, dim=-1)
            return torch.cat([r, z, h], dim=-1)

        weights = [torch_order(self.kernel).T, torch_order(self.recurrent_kernel).T]
        if self.bias is not None:
            weights += [torch_order(self.bias[0]), torch_order(self.bias[1])]
        outputs, h = self._kernel(torch._VF.gru, sequence, states[0][None], weights, batch_sizes)
        return outputs, [h[0]]

    def _step(self, projected, states, recurrent_keep):
        h = states[0]
        h_in = h if recurrent_keep is None else h * recurrent_keep
        x_z, x_r, x_h = projected.chunk(3, dim=-1)
        u_z, u_r, u_h = self.recurrent_kernel.chunk(3, dim=-1)
        if self.reset_after:
            inner = h_in @ self.recurrent_kernel
            if self.bias is not None:
                inner = inner + self.bias[1]
            h_z, h_r, h_h = inner.chunk(3, dim=-1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + r * h_h)
        else:
            z = self.recurrent_activation(x_z + h_in @ u_z)
            r = self.recurrent_activation(x_r + h_in @ u_r)
            candidate = self.activation(x_h + (r * h_in) @ u_h)
        return [z * h + (1 - z) * candidate]

    def get_config(self) -> dict:
        return {**super().get_config(), "reset_after": self.reset_after}


def _arguments(names: dict, *own: str) -> dict:
    """A subclass's explicit arguments (Keras's positional order) for ``_Recurrent.__init__``,
    without ``self``, ``kwargs`` and those the subclass keeps itself (``own``)."""
    skip = {"self", "kwargs", "__class__", *own}
    return {key: value for key, value in names.items() if key not in skip}
