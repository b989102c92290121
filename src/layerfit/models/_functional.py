"""Functional models: a graph of layer calls on symbolic tensors, resolved once into steps.

At construction the graph is walked once: every tensor gets a slot in a flat list, every
layer call becomes a step ``(layer, source slot, target slot, takes training)``. A forward
pass is then a plain loop over the steps, as cheap as Sequential's.
"""

from __future__ import annotations

from collections import defaultdict

import torch

from layerfit import activations, backend
from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers import InputLayer
from layerfit.layers._op_layer import OpLayer
from layerfit.layers._strings import is_text, takes_strings
from layerfit.layers._symbolic import KerasTensor, Node
from layerfit.models._functional_config import graph_config, rebuild_graph
from layerfit.models._inputs import InputAdapter
from layerfit.models._model import Model


class _Slot:
    """Where a symbolic tensor's value lives in the list of values of one forward pass."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class Functional(Model):
    """``Model(inputs, outputs)``: runs the layers between them in dependency order.

    Args:
        inputs: an ``Input`` tensor, or a list/dict of them.
        outputs: a symbolic tensor computed from the inputs, or a list/dict of them.
        name: the model's name. Defaults to 'functional', 'functional_1', ...
        trainable: whether the weights are updated by training. Defaults to True.

    Example:
    >>> inputs = layerfit.Input(shape=(784,))
    >>> x = layerfit.layers.Dense(64, activation="relu")(inputs)
    >>> outputs = layerfit.layers.Dense(10, activation="softmax")(x)
    >>> model = layerfit.Model(inputs, outputs)
    """

    _named_outputs = True
    _checks_own_inputs = True  # every input has an InputAdapter

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(
            name=name or backend.unique_name("functional"), trainable=trainable, **kwargs
        )
        _check_symbolic(inputs, outputs)
        self._inputs_structure = inputs
        self._outputs_structure = outputs
        self._input_tensors = _flatten_sorted(inputs)
        self._output_tensors = _flatten_sorted(outputs)
        self._input_nodes = [_input_node(t) for t in self._input_tensors]
        self._nodes, depth_of_node, ordered_layers = _map_graph(
            self._input_tensors, self._input_nodes, self._output_tensors
        )
        _check_unique_names(ordered_layers)
        self._graph_layers = torch.nn.ModuleList(ordered_layers)
        self._depth_of_node = depth_of_node
        self._compile_plan()
        self.built = True
        if not trainable:
            self.trainable = False

    def _compile_plan(self) -> None:
        """Turns the graph into steps over integer slots (done once, never per batch)."""
        slots = {id(t): i for i, t in enumerate(self._input_tensors)}

        def template(item):
            return _Slot(slots[id(item)]) if isinstance(item, KerasTensor) else item

        steps = []
        for node in self._nodes:
            args = map_structure(template, node.args)
            kwargs = map_structure(template, node.kwargs)
            for tensor in flatten(node.outputs):
                slots[id(tensor)] = len(slots)
            simple = (
                len(args) == 1
                and isinstance(args[0], _Slot)
                and not kwargs
                and isinstance(node.outputs, KerasTensor)
            )
            target = (
                slots[id(node.outputs)]
                if isinstance(node.outputs, KerasTensor)
                else tuple(slots[id(t)] for t in flatten(node.outputs))
            )
            layer = node.layer
            if takes_strings(layer) and not isinstance(layer, Model):
                layer = _OnModelDevice(layer, self)
            steps.append(
                (
                    layer,
                    args[0].index if simple else -1,
                    target,
                    node.layer.call_takes_training,
                    args,
                    kwargs,
                )
            )
        self._steps = steps
        self._slot_count = len(slots)
        self._output_template = map_structure(template, self._outputs_structure)
        if isinstance(self._output_template, list) and len(self._output_template) == 1:
            self._output_template = self._output_template[0]  # Keras unpacks a single output
        self._single_input = len(self._input_tensors) == 1
        self._adapters = [InputAdapter(self, tensor) for tensor in self._input_tensors]

    # -- structure --------------------------------------------------------------------------

    @property
    def layers(self):
        """Every layer, InputLayers included, from the inputs to the outputs (as Keras orders).

        Op nodes (``x + y``, ``x[:, 0]``, ``ops.concatenate``) are not layers, as in Keras:
        ``operations`` lists them too."""
        return [layer for layer in self._graph_layers if not isinstance(layer, OpLayer)]

    @property
    def operations(self):
        """The layers and op nodes, from the inputs to the outputs (what summary() shows)."""
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
        shapes = map_structure(lambda t: t.shape, self._inputs_structure)
        return shapes[0] if isinstance(shapes, list) and len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = map_structure(lambda t: t.shape, self._outputs_structure)
        return shapes[0] if isinstance(shapes, list) and len(shapes) == 1 else shapes

    @property
    def output_names(self) -> list[str]:
        if isinstance(self._outputs_structure, dict):
            return sorted(self._outputs_structure)
        return [tensor.node.layer.name for tensor in self._output_tensors]

    @property
    def input_names(self) -> list[str]:
        if isinstance(self._inputs_structure, dict):
            return sorted(self._inputs_structure)
        return [node.layer.name for node in self._input_nodes]

    # -- computing --------------------------------------------------------------------------

    def _flat_inputs(self, inputs) -> list:
        if self._single_input and (
            torch.is_tensor(inputs) or (isinstance(inputs, (list, tuple)) and is_text(inputs))
        ):
            return [self._adapters[0](inputs)]  # a list of texts is one input, not several
        if isinstance(inputs, dict):
            names = self.input_names
            missing = [name for name in names if name not in inputs]
            if missing:
                raise LayerfitValueError(
                    explain(
                        f"Inputs {missing} are missing from the dict given to model "
                        f"{self.name!r} (it has keys {list(inputs)}).",
                        f"a dict with the keys {names}.",
                        "name the inputs with Input(shape=..., name='...') and use those "
                        "names as keys.",
                    )
                )
            flat = [inputs[name] for name in names]
        else:
            flat = flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != len(self._input_tensors):
            raise LayerfitValueError(
                explain(
                    f"Model {self.name!r} has {len(self._input_tensors)} inputs "
                    f"{self.input_names} but got {len(flat)} arrays.",
                    "one array per input, as a list in the same order or a dict keyed by "
                    "input name.",
                    "model.fit([x_a, x_b], y) or model.fit({'a': x_a, 'b': x_b}, y)",
                )
            )
        return [adapt(value) for adapt, value in zip(self._adapters, flat)]

    def _execute(self, flat_inputs: list, training, steps) -> list:
        values = [None] * self._slot_count
        values[: len(flat_inputs)] = flat_inputs
        for layer, source, target, takes_training, args, kwargs in steps:
            if source >= 0:
                x = values[source]
                output = layer(x, training=training) if takes_training else layer(x)
            else:
                output = _call_step(layer, args, kwargs, takes_training, training, values)
            if type(target) is int:
                values[target] = output
            else:
                for slot, value in zip(target, flatten(output)):
                    values[slot] = value
        return values

    def call(self, inputs, training=None):
        values = self._execute(self._flat_inputs(inputs), training, self._steps)
        template = self._output_template
        if type(template) is _Slot:
            return values[template.index]
        return map_structure(lambda slot: values[slot.index], template)

    def build(self, input_shape=None) -> None:
        self.built = True

    def compute_output_shape(self, input_shape):
        return self.output_shape

    def final_activation_split(self):
        """(logits function, activation name) when the single output is a softmax/sigmoid."""
        template = self._output_template
        if type(template) is not _Slot or not self._steps:
            return None
        layer, source, target, _, _, _ = self._steps[-1]
        if target != template.index or source < 0:
            return None
        if not hasattr(layer, "call_linear") and type(layer).__name__ != "Activation":
            return None
        if layer.activity_regularizer is not None:
            return None  # its penalty needs the activated output
        name = activations.serialize(getattr(layer, "activation", None))
        return self._forward_logits, name

    def _forward_logits(self, inputs, training=None):
        """The output before the final softmax/sigmoid (a method, so models stay picklable)."""
        layer, source = self._steps[-1][0], self._steps[-1][1]
        values = self._execute(self._flat_inputs(inputs), training, self._steps[:-1])
        final = layer.call_linear if hasattr(layer, "call_linear") else _identity
        return final(values[source])

    # -- summary ------------------------------------------------------------------------------

    @property
    def _sequential_like(self) -> bool:
        """Keras prints 'Connected to' only for graphs that are not a plain chain."""
        by_depth = defaultdict(list)
        for node, depth in self._depth_of_node.items():
            by_depth[depth].append(node)
        for nodes in by_depth.values():
            if len(nodes) > 1 or len(nodes[0].parent_tensors()) > 1:
                return False
        layers = [node.layer for node in self._nodes]
        return len(layers) == len(set(map(id, layers)))

    def _connections(self, layer) -> list[str]:
        """'Connected to' entries of ``layer`` in this model: 'dense[0][0]', ..."""
        input_layers = {
            id(t): node.layer for t, node in zip(self._input_tensors, self._input_nodes)
        }
        model_nodes = {id(node) for node in self._nodes}
        connected = []
        for node in layer._inbound_nodes:
            if id(node) not in model_nodes:
                continue
            for parent in node.parent_tensors():
                if id(parent) in input_layers:
                    connected.append(f"{input_layers[id(parent)].name}[0][0]")
                    continue
                producer = parent.node.layer
                node_index = producer._inbound_nodes.index(parent.node)
                tensor_index = next(
                    i for i, t in enumerate(flatten(parent.node.outputs)) if t is parent
                )
                connected.append(f"{producer.name}[{node_index}][{tensor_index}]")
        return connected

    # -- config -------------------------------------------------------------------------------

    def get_config(self) -> dict:
        """The graph as Keras lays it out: layers with their inbound nodes, inputs, outputs."""
        return graph_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Functional:
        """Rebuilds the graph from ``get_config()`` (new layers, new weights)."""
        inputs, outputs = rebuild_graph(config, custom_objects or {})
        return cls(
            inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True)
        )


def _identity(x):
    return x


class _OnModelDevice:
    """A text layer's step: its output (made on the CPU from numpy strings) moves to the
    device of the model's weights, as every other input does in ``InputAdapter``."""

    def __init__(self, layer, model):
        self.layer = layer
        self.model = model

    def __call__(self, *args, **kwargs):
        output = self.layer(*args, **kwargs)
        weight = next(self.model.parameters(), None)
        if weight is None or not torch.is_tensor(output) or output.device == weight.device:
            return output
        return output.to(weight.device)


def _flatten_sorted(structure) -> list:
    """Flattens like Keras's ``tree.flatten``: dict entries in sorted key order."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten_sorted(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _flatten_sorted(item)]
    return [structure]


def _call_step(layer, args, kwargs, takes_training, training, values):
    def fill(item):
        return values[item.index] if type(item) is _Slot else item

    call_args = map_structure(fill, args)
    call_kwargs = map_structure(fill, kwargs)
    if takes_training and "training" not in call_kwargs:
        call_kwargs["training"] = training
    return layer(*call_args, **call_kwargs)


def _check_symbolic(inputs, outputs) -> None:
    for argument, structure in (("inputs", inputs), ("outputs", outputs)):
        tensors = flatten(structure)
        if not tensors:
            raise LayerfitValueError(
                explain(
                    f"Model(inputs, outputs) got empty {argument}.",
                    "at least one symbolic tensor.",
                    "inputs = Input(shape=(784,)); outputs = Dense(10)(inputs)",
                )
            )
        for tensor in tensors:
            if not isinstance(tensor, KerasTensor):
                raise LayerfitTypeError(
                    explain(
                        f"Model(inputs, outputs) got {type(tensor).__name__} in {argument} "
                        "where a symbolic tensor was expected.",
                        "inputs from layerfit.Input(...) and outputs from calling layers on them.",
                        "inputs = Input(shape=(784,)); outputs = Dense(10)(inputs); "
                        "Model(inputs, outputs). Wrap plain torch modules first: "
                        "layers.TorchModuleWrapper(module)(x).",
                    )
                )


def _input_node(tensor: KerasTensor) -> Node:
    """The InputLayer node that feeds ``tensor``; a new InputLayer for an intermediate tensor."""
    if tensor.node is not None and isinstance(tensor.node.layer, InputLayer):
        return tensor.node
    layer = InputLayer(batch_shape=tensor.shape, dtype=tensor.dtype)
    return layer._inbound_nodes[0]


def _map_graph(inputs, input_nodes, outputs):
    """Orders the nodes from inputs to outputs and the layers by depth, as Keras's map_graph.

    Returns (nodes to run in order, depth of every node, layers from inputs to outputs).
    """
    node_of_input = {id(t): node for t, node in zip(inputs, input_nodes)}
    layer_index: dict[int, int] = {}
    finished: set[int] = set()
    ordered: list[Node] = []  # every node, inputs first (post-order of a depth-first walk)

    def node_for(tensor: KerasTensor) -> Node:
        if id(tensor) in node_of_input:
            return node_of_input[id(tensor)]
        if tensor.node is None or isinstance(tensor.node.layer, InputLayer):
            raise LayerfitValueError(
                explain(
                    f"Graph disconnected: {tensor.name or tensor} is needed to compute the "
                    "outputs but it is not among the model's inputs.",
                    "every Input the outputs depend on listed in Model(inputs=...).",
                    "add the missing Input to the inputs list: Model([input_a, input_b], ...).",
                )
            )
        return tensor.node

    input_ids = {id(node) for node in input_nodes}

    def parents(node: Node) -> list[Node]:
        return [] if id(node) in input_ids else [node_for(t) for t in node.parent_tensors()]

    for output in outputs:
        stack = [(node_for(output), None)]
        while stack:
            node, pending = stack[-1]
            if pending is None:
                if id(node) in finished:
                    stack.pop()
                    continue
                layer_index.setdefault(id(node.layer), len(layer_index))
                pending = iter(parents(node))
                stack[-1] = (node, pending)
            parent = next(pending, None)
            if parent is None:
                finished.add(id(node))
                ordered.append(node)
                stack.pop()
            elif id(parent) not in finished:
                stack.append((parent, None))

    depth_of_node: dict[Node, int] = {}
    depth_of_layer: dict[int, int] = {}
    layers_by_id = {}
    for node in reversed(ordered):
        depth = max(depth_of_node.setdefault(node, 0), depth_of_layer.get(id(node.layer), 0))
        depth_of_layer[id(node.layer)] = depth
        depth_of_node[node] = depth
        layers_by_id[id(node.layer)] = node.layer
        for parent in parents(node):
            depth_of_node[parent] = max(depth + 1, depth_of_node.get(parent, 0))
    for node in input_nodes:  # inputs the outputs do not use still belong to the model
        if id(node.layer) not in depth_of_layer:
            depth_of_layer[id(node.layer)] = 0
            depth_of_node[node] = 0
            layer_index[id(node.layer)] = -1
            layers_by_id[id(node.layer)] = node.layer
    order = sorted(depth_of_layer, key=lambda key: (-depth_of_layer[key], layer_index[key]))
    nodes = [node for node in ordered if id(node) not in input_ids]
    return nodes, depth_of_node, [layers_by_id[key] for key in order]


def _check_unique_names(layers) -> None:
    names = [layer.name for layer in layers]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise LayerfitValueError(
            explain(
                f"The layer names {repeated} are used more than once in the model.",
                "a unique name for every layer (they key the weights and get_layer()).",
                "give one of the layers another name=, or leave name= out to get a unique one.",
            )
        )
