"""RNN(cell): runs any cell (layerfit's, a stack of them, or the user's own) over a sequence.

A cell is a layer with ``call(inputs, states, training=None) -> (output, new_states)`` and a
``state_size``, as in Keras. Masked steps (``mask`` (batch, steps)) keep the previous output
and states.
"""

from __future__ import annotations

import torch

from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._recurrent import carried_states
from layerfit.layers._rnn_cells import StackedRNNCells, _output_size


def _where(keep, new, old):
    """``torch.where(keep, new, old)`` over matching nested lists of states."""
    if isinstance(new, (list, tuple)):
        return [_where(keep, n, o) for n, o in zip(new, old)]
    return torch.where(keep, new, old)


def _sizes(state_size) -> list:
    return list(state_size) if isinstance(state_size, (list, tuple)) else [state_size]


class RNN(Layer):
    """Runs a recurrent cell over the time axis of (batch, steps, features) inputs.

    Args:
        cell: a cell (``LSTMCell(32)``, a custom cell layer) or a list of cells (stacked).
        return_sequences: return every step's output, not only the last. Defaults to False.
        return_state: also return the final states. Defaults to False.
        go_backwards: read the sequence from its end. Defaults to False.
        stateful: each batch starts from the previous batch's final states (same batch
            size each time; ``reset_states()`` starts again from zeros). Defaults to False.
        unroll: accepted as Keras; the loop is always a Python loop. Defaults to False.
        zero_output_for_mask: masked steps output zeros rather than the previous output.
            Defaults to False.

    Example:
    >>> RNN(LSTMCell(4), return_sequences=True)(torch.zeros(2, 10, 8)).shape
    torch.Size([2, 10, 4])
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise LayerfitValueError(
                explain(
                    f"RNN got cell={cell!r}, which is not a recurrent cell.",
                    "a layer with call(inputs, states) and a state_size attribute, e.g. "
                    "LSTMCell(32), or a list of such cells.",
                    "RNN(layers.LSTMCell(32)); for a whole layer use layers.LSTM(32) directly.",
                )
            )
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states = None  # the carried states of a stateful RNN

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) < 3:
            raise LayerfitValueError(
                explain(
                    f"RNN {self.name!r} got input of shape {input_shape}.",
                    "sequences of shape (batch, timesteps, features).",
                    "give each step a feature axis: x[..., None] for one value per step.",
                )
            )

    def build(self, input_shape) -> None:
        if isinstance(self.cell, Layer):
            self.cell.build_checked((input_shape[0], *input_shape[2:]))

    def _zero_states(self, batch: int, device):
        if hasattr(self.cell, "get_initial_state"):
            states = self.cell.get_initial_state(batch_size=batch)
            return map_structure(lambda s: s.to(device), states)
        return [torch.zeros(batch, size, device=device) for size in _sizes(self.cell.state_size)]

    def _start_states(self, sequence, initial_state):
        batch = sequence.shape[0]
        if initial_state is not None:
            states = initial_state if isinstance(initial_state, (list, tuple)) else [initial_state]
            return list(states)
        if self.stateful and self.states is not None:
            return carried_states(self, self.states, batch)
        return self._zero_states(batch, sequence.device)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        sequence = sequences.flip(1) if self.go_backwards else sequences  # (B, T, F)
        if mask is not None:
            mask = torch.as_tensor(mask, device=sequence.device).bool()
            mask = mask.flip(1) if self.go_backwards else mask
        states = self._start_states(sequence, initial_state)
        if hasattr(self.cell, "reset_dropout_mask"):
            self.cell.reset_dropout_mask()
        kwargs = {"training": training} if self.cell.call_takes_training else {}
        outputs, output = [], None
        for step in range(sequence.shape[1]):
            new_output, new_states = self.cell(sequence[:, step], states, **kwargs)
            if not isinstance(new_states, (list, tuple)):
                new_states = [new_states]
            if mask is not None:
                keep = mask[:, step, None]  # (B, 1)
                previous = output if output is not None else torch.zeros_like(new_output)
                fallback = torch.zeros_like(new_output) if self.zero_output_for_mask else previous
                new_output = torch.where(keep, new_output, fallback)
                new_states = _where(keep, list(new_states), list(states))
            output, states = new_output, list(new_states)
            outputs.append(output)
        if self.stateful:
            self.states = map_structure(lambda s: s.detach(), states)
        result = torch.stack(outputs, dim=1) if self.return_sequences else output
        return [result, *states] if self.return_state else result

    def reset_states(self, states=None) -> None:
        """Starts the next call from zeros (or from ``states``)."""
        self.states = None if states is None else list(states)

    reset_state = reset_states

    def compute_mask(self, inputs, mask=None):
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(flatten(self.cell.state_size))
        return output_mask

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        size = _output_size(self.cell)
        output = (batch, steps, size) if self.return_sequences else (batch, size)
        if not self.return_state:
            return output
        return [output, *[(batch, s) for s in flatten(self.cell.state_size)]]

    def get_config(self) -> dict:
        from layerfit.layers._serialization import serialize as serialize_keras_object

        return {
            **super().get_config(),
            "cell": serialize_keras_object(self.cell),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from layerfit.layers._serialization import deserialize as deserialize_keras_object

        config = dict(config)
        config["cell"] = deserialize_keras_object(config["cell"], custom_objects)
        return cls(**config)
