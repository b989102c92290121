"""Functional models: a graph of layer calls on symbolic tensors, resolved once into steps."""

from __future__ import annotations

import torch

from layerfit import activations
from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers import InputLayer
from layerfit.layers._symbolic import KerasTensor, Node
from layerfit.models._model import Model


class Functional(Model):
    """``Model(inputs, outputs)``: runs the layers between them in dependency order.

    Args:
        inputs: an ``Input`` tensor, or a list/dict of them.
        outputs: a symbolic tensor computed from the inputs, or a list/dict of them.
        name: the model's name. Defaults to 'functional', 'functional_1', ...
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name or _default_name(), trainable=trainable, **kwargs)
        for tensor in flatten(inputs) + flatten(outputs):
            if not isinstance(tensor, KerasTensor):
                raise LayerfitTypeError(
                    explain(
                        f"Model(inputs, outputs) got {type(tensor).__name__} where a symbolic "
                        "tensor was expected.",
                        "inputs from layerfit.Input(...) and outputs from calling layers on them.",
                        "inputs = Input(shape=(784,)); outputs = Dense(10)(inputs); "
                        "Model(inputs, outputs)",
                    )
                )
        self._inputs_structure = inputs
        self._outputs_structure = outputs
        self._input_tensors = flatten(inputs)
        self._output_tensors = flatten(outputs)
        self._nodes = _nodes_between(self._input_tensors, self._output_tensors)
        unique = []
        for tensor in self._input_tensors:
            if tensor.node.layer not in unique:
                unique.append(tensor.node.layer)
        for node in self._nodes:
            if node.layer not in unique:
                unique.append(node.layer)
        self._graph_layers = torch.nn.ModuleList(unique)
        self._steps = [
            (node.layer, node.args, node.kwargs, node.outputs, node.layer.call_takes_training)
            for node in self._nodes
        ]
        self.built = True

    # -- structure --------------------------------------------------------------------------

    @property
    def layers(self):
        return list(self._graph_layers)

    @property
    def inputs(self) -> list[KerasTensor]:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list[KerasTensor]:
        return list(self._output_tensors)

    @property
    def input(self):
        return self._inputs_structure

    @property
    def output(self):
        return self._outputs_structure

    @property
    def input_shape(self):
        return map_structure(lambda t: t.shape, self._inputs_structure)

    @property
    def output_shape(self):
        return map_structure(lambda t: t.shape, self._outputs_structure)

    @property
    def output_names(self) -> list[str]:
        if isinstance(self._outputs_structure, dict):
            return list(self._outputs_structure)
        return [tensor.node.layer.name for tensor in self._output_tensors]

    @property
    def input_names(self) -> list[str]:
        if isinstance(self._inputs_structure, dict):
            return list(self._inputs_structure)
        return [tensor.node.layer.name for tensor in self._input_tensors]

    # -- computing --------------------------------------------------------------------------

    def _bind_inputs(self, inputs) -> dict[int, torch.Tensor]:
        if isinstance(inputs, dict):
            names = self.input_names
            missing = [name for name in names if name not in inputs]
            if missing:
                raise LayerfitValueError(
                    explain(f"Inputs {missing} missing from the dict given to {self.name!r}.",
                            f"a dict with keys {names}.")
                )
            flat = [inputs[name] for name in names]
        else:
            flat = flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != len(self._input_tensors):
            raise LayerfitValueError(
                explain(
                    f"Model {self.name!r} has {len(self._input_tensors)} inputs but got "
                    f"{len(flat)} arrays.",
                    f"one array per input ({self.input_names}), as a list or dict.",
                    "fit([x_a, x_b], y) or fit({'a': x_a, 'b': x_b}, y)",
                )
            )
        return {id(t): value for t, value in zip(self._input_tensors, flat)}

    def _run(self, values: dict, steps, training):
        def lookup(item):
            return values[id(item)] if isinstance(item, KerasTensor) else item

        for layer, args, kwargs, outputs, takes_training in steps:
            call_args = map_structure(lookup, args)
            call_kwargs = map_structure(lookup, kwargs)
            if takes_training and "training" not in call_kwargs:
                call_kwargs["training"] = training
            result = layer(*call_args, **call_kwargs)
            for tensor, value in zip(flatten(outputs), flatten(result)):
                values[id(tensor)] = value
        return values

    def call(self, inputs, training=None):
        values = self._run(self._bind_inputs(inputs), self._steps, training)
        return map_structure(lambda t: values[id(t)], self._outputs_structure)

    def build(self, input_shape=None) -> None:
        self.built = True

    def compute_output_shape(self, input_shape):
        return self.output_shape

    def final_activation_split(self):
        if len(self._output_tensors) != 1 or not self._steps:
            return None
        layer, args, kwargs, outputs, _ = self._steps[-1]
        if outputs is not self._output_tensors[0] or not hasattr(layer, "call_linear") or kwargs:
            return None
        name = activations.serialize(layer.activation)
        body = self._steps[:-1]
        source = args[0]

        def logits(inputs, training=None):
            values = self._run(self._bind_inputs(inputs), body, training)
            return layer.call_linear(values[id(source)])

        return (logits, name) if isinstance(source, KerasTensor) else None

    def get_config(self) -> dict:
        return {"name": self.name, "trainable": self.trainable}


def _default_name() -> str:
    from layerfit import backend

    return backend.unique_name("functional")


def _nodes_between(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> list[Node]:
    """The nodes that compute ``outputs`` from ``inputs``, each after the nodes it reads."""
    input_ids = {id(t) for t in inputs}
    ordered: list[Node] = []
    done: set[int] = set()

    def visit(tensor: KerasTensor, path: tuple) -> None:
        if id(tensor) in input_ids:
            return
        node = tensor.node
        if node is None or isinstance(node.layer, InputLayer):
            raise LayerfitValueError(
                explain(
                    f"Graph disconnected: {tensor.name or tensor} is needed to compute the outputs "
                    "but is not among the model's inputs.",
                    "every Input the outputs depend on listed in Model(inputs=...).",
                    "add the missing Input to the inputs list.",
                )
            )
        if id(node) in done:
            return
        for parent in node.parent_tensors():
            visit(parent, path + (node.layer.name,))
        done.add(id(node))
        ordered.append(node)

    for tensor in outputs:
        visit(tensor, ())
    return ordered
