"""Bidirectional: one recurrent layer reads the sequence forwards, a copy reads it backwards."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer

_MERGES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Layer):
    """Runs ``layer`` forwards and a copy of it backwards, and merges their outputs.

    Args:
        layer: a recurrent layer (LSTM, GRU, SimpleRNN).
        merge_mode: 'concat', 'sum', 'mul', 'ave' or None (a list of both). Defaults to 'concat'.
        backward_layer: the backward layer, when it should differ from a copy of ``layer``.
            Defaults to None.

    Example:
    >>> Bidirectional(LSTM(4))(torch.zeros(2, 10, 8)).shape
    torch.Size([2, 8])
    """

    supports_masking = True  # masks pass through, as in Keras

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        if merge_mode not in _MERGES:
            raise LayerfitValueError(
                explain(
                    f"Bidirectional got merge_mode={merge_mode!r}.",
                    f"one of {list(_MERGES)}.",
                    "merge_mode='concat'",
                )
            )
        if not hasattr(layer, "go_backwards"):
            raise LayerfitValueError(
                explain(
                    f"Bidirectional got {type(layer).__name__}, which is not recurrent.",
                    "an LSTM, GRU or SimpleRNN layer.",
                    "Bidirectional(LSTM(32))",
                )
            )
        config = layer.get_config()
        name = layer.name.removeprefix("forward_")  # a rebuilt wrapper keeps its names
        self.forward_layer = type(layer).from_config({**config, "name": f"forward_{name}"})
        if backward_layer is None:
            backward_config = {**config, "name": f"backward_{name}"}
            backward_config["go_backwards"] = not layer.go_backwards
            backward_layer = type(layer).from_config(backward_config)
        self.backward_layer = backward_layer
        for sublayer in (self.forward_layer, self.backward_layer):
            # As Keras: masked steps of returned sequences are zeros, from both directions.
            sublayer.zero_output_for_mask = sublayer.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state

    def build(self, input_shape) -> None:
        self.forward_layer.build_checked(input_shape)
        self.backward_layer.build_checked(input_shape)

    def call(self, inputs, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        forward = self.forward_layer(
            inputs, initial_state=forward_state, mask=mask, training=training
        )
        backward = self.backward_layer(
            inputs, initial_state=backward_state, mask=mask, training=training
        )
        states = []
        if self.return_state:
            forward, *forward_states = forward
            backward, *backward_states = backward
            states = forward_states + backward_states
        if self.return_sequences:
            backward = backward.flip(1)  # back in the order of the input steps
        output = self._merge(forward, backward)
        if not self.return_state:
            return output
        return [*(output if self.merge_mode is None else [output]), *states]

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_sequences:
            output_mask = [mask, mask] if self.merge_mode is None else mask
        else:
            output_mask = [None, None] if self.merge_mode is None else None
        if not self.return_state:
            return output_mask
        states = [None] * (2 * self.forward_layer.STATES)
        return [*output_mask, *states] if self.merge_mode is None else [output_mask, *states]

    def _merge(self, forward, backward):
        if self.merge_mode == "concat":
            return torch.cat([forward, backward], dim=-1)
        if self.merge_mode == "sum":
            return forward + backward
        if self.merge_mode == "mul":
            return forward * backward
        if self.merge_mode == "ave":
            return (forward + backward) / 2
        return [forward, backward]

    def compute_output_shape(self, input_shape):
        forward = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            forward, *states = forward
            states = states * 2
        if self.merge_mode == "concat":
            output = (*forward[:-1], forward[-1] * 2)
        elif self.merge_mode is None:
            output = [forward, forward]
        else:
            output = forward
        if not self.return_state:
            return output
        return [*(output if self.merge_mode is None else [output]), *states]

    def get_config(self) -> dict:
        from layerfit.layers._serialization import serialize

        def unbuilt(layer) -> dict:  # the wrapper's own build_config builds both
            return {k: v for k, v in serialize(layer).items() if k != "build_config"}

        config = {**super().get_config(), "merge_mode": self.merge_mode}
        config["layer"] = unbuilt(self.forward_layer)
        config["backward_layer"] = unbuilt(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        from layerfit.layers._serialization import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"])
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"])
        return cls(**config)
