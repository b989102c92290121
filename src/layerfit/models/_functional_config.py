"""A functional model's config, as Keras lays it out, and the graph rebuilt from one.

``graph_config`` lists every layer with its inbound nodes (the arguments of each call, symbolic
tensors written as [layer name, node index, output index]); ``rebuild_graph`` creates new layers
from it and calls them node by node once their inputs exist.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import InputLayer
from layerfit.layers._op_layer import OpLayer, is_op_module, op_class
from layerfit.layers._symbolic import KerasTensor
from layerfit.ops import convert_to_tensor


def graph_config(model) -> dict:
    """``Functional.get_config()``: layers with inbound nodes, input and output layers."""
    node_index = {}
    for layer in model.operations:
        own = [n for n in model._input_nodes if n.layer is layer]
        own += [n for n in model._nodes if n.layer is layer]
        node_index.update({id(node): i for i, node in enumerate(own)})
    inputs = {id(t): node for t, node in zip(model._input_tensors, model._input_nodes)}

    def history(tensor: KerasTensor) -> list:
        node = inputs.get(id(tensor), tensor.node)
        position = (
            0
            if id(tensor) in inputs
            else next(i for i, t in enumerate(flatten(node.outputs)) if t is tensor)
        )
        return [node.layer.name, node_index[id(node)], position]

    def serialize(item):
        if isinstance(item, KerasTensor):
            return {
                "class_name": "__keras_tensor__",
                "config": {
                    "shape": list(item.shape),
                    "dtype": item.dtype,
                    "keras_history": history(item),
                },
            }
        return serialize_constant(item)

    layers = []
    for layer in model.operations:
        nodes = [
            {
                "args": map_structure(serialize, list(node.args)),
                "kwargs": map_structure(serialize, node.kwargs),
            }
            for node in model._nodes
            if node.layer is layer
        ]
        entry = {
            "class_name": type(layer).__name__,
            "name": layer.name,
            "config": layer.get_config(),
            "inbound_nodes": nodes,
        }
        if isinstance(layer, OpLayer):  # Keras's module tells the op Add from the layer Add
            entry = {
                "module": type(layer).__module__,
                **entry,
                "registered_name": entry["class_name"],
            }
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": map_structure(history, model._inputs_structure),
        "output_layers": map_structure(history, model._outputs_structure),
    }


def rebuild_graph(config: dict, custom_objects: dict):
    """Recreates the layers of a ``get_config()`` and calls them again, node by node."""
    tensors: dict[tuple, KerasTensor] = {}
    pending = []
    for entry in config["layers"]:
        layer = _entry_class(entry, custom_objects).from_config(entry["config"])
        # The graph names layers as the config did: a custom get_config without 'name'
        # gives the new layer another name.
        name = entry.get("name") or layer.name
        if isinstance(layer, InputLayer):
            tensors[(name, 0, 0)] = layer.output
        pending += [(layer, name, i, node) for i, node in enumerate(entry["inbound_nodes"])]

    def tensor(item):
        if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
            return tensors[tuple(item["config"]["keras_history"])]
        if isinstance(item, dict) and item.get("class_name") in _CONSTANTS:
            return deserialize_constant(item)
        if isinstance(item, dict):
            return {key: tensor(value) for key, value in item.items()}
        if isinstance(item, (list, tuple)):
            return type(item)(tensor(value) for value in item)
        return item

    while pending:
        ready = [entry for entry in pending if _inputs_ready(entry[3], tensors)]
        if not ready:
            raise LayerfitValueError(
                explain(
                    "Functional.from_config() found nodes whose inputs never appear: "
                    f"{sorted({name for _, name, _, _ in pending})}.",
                    "a config produced by Functional.get_config().",
                )
            )
        for layer, name, index, node in ready:
            kwargs = dict(node["kwargs"]) if isinstance(node["kwargs"], dict) else {}
            if "mask" in kwargs and kwargs["mask"] is None:
                del kwargs["mask"]  # Keras 3 records mask=None on layers that support masks
            outputs = layer(*tensor(node["args"]), **tensor(kwargs))
            for position, output in enumerate(flatten(outputs)):
                tensors[(name, index, position)] = output
        done = {id(entry) for entry in ready}
        pending = [entry for entry in pending if id(entry) not in done]
    return (_resolve(config["input_layers"], tensors), _resolve(config["output_layers"], tensors))


def _resolve(structure, tensors: dict):
    """Maps each [layer name, node index, tensor index] triple to its rebuilt tensor."""
    if isinstance(structure, dict):
        return {key: _resolve(value, tensors) for key, value in structure.items()}
    if (
        isinstance(structure, (list, tuple))
        and len(structure) == 3
        and isinstance(structure[0], str)
    ):
        return tensors[tuple(structure)]
    return [_resolve(item, tensors) for item in structure]


def _inputs_ready(node: dict, tensors: dict) -> bool:
    found = []

    def collect(item):
        if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
            found.append(tuple(item["config"]["keras_history"]))
        elif isinstance(item, dict):
            for value in item.values():
                collect(value)
        elif isinstance(item, (list, tuple)):
            for value in item:
                collect(value)

    collect([node["args"], node["kwargs"]])
    return all(key in tensors for key in found)


def _entry_class(entry: dict, custom_objects: dict):
    """An op node's class (module keras.src.ops...: only layerfit's ops are found), else the
    layer class."""
    if is_op_module(entry.get("module")):
        class_name, module = entry["class_name"], entry.get("module")
        found = op_class(class_name)
        if found is None:
            raise LayerfitValueError(
                explain(
                    f"The model config uses the op {class_name!r} ({module}), which layerfit "
                    "does not have.",
                    "ops of keras.ops that layerfit implements.",
                    "rebuild the model without this op, or replace it by a custom layer "
                    "passed in custom_objects.",
                )
            )
        return found
    return _layer_class(entry["class_name"], custom_objects)


# -- constants in a node's arguments, written as Keras writes them ------------------------------

_CONSTANTS = ("__slice__", "__ellipsis__", "__numpy__", "__tensor__")
_CONSTANT_DTYPES = (
    "float16",
    "float32",
    "float64",
    "int8",
    "uint8",
    "int16",
    "int32",
    "int64",
    "bool",
)


def serialize_constant(item):
    """Slices, Ellipsis, arrays and tensors in an op's arguments, in Keras's JSON form."""
    if isinstance(item, slice):
        return {
            "class_name": "__slice__",
            "config": {"start": item.start, "stop": item.stop, "step": item.step},
        }
    if item is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(item, (np.ndarray, torch.Tensor)):
        array = item.detach().cpu().numpy() if torch.is_tensor(item) else item
        return {
            "class_name": "__tensor__" if torch.is_tensor(item) else "__numpy__",
            "config": {"value": array.tolist(), "dtype": str(array.dtype)},
        }
    return item


def deserialize_constant(item: dict):
    inner = item.get("config") or {}
    kind = item["class_name"]
    if kind == "__slice__":
        return slice(inner.get("start"), inner.get("stop"), inner.get("step"))
    if kind == "__ellipsis__":
        return Ellipsis
    dtype = inner.get("dtype")
    if dtype not in _CONSTANT_DTYPES:
        raise LayerfitValueError(
            explain(
                f"A constant in the model config has dtype {dtype!r}.",
                f"one of {list(_CONSTANT_DTYPES)}.",
            )
        )
    array = np.asarray(inner.get("value"), dtype=dtype)
    return convert_to_tensor(array) if kind == "__tensor__" else array


def _layer_class(class_name: str, custom_objects: dict):
    from layerfit import layers, models
    from layerfit.saving._registration import get_registered_object, registered_by_bare_name

    found = get_registered_object(class_name, custom_objects)  # custom objects, then registered
    found = found or getattr(layers, class_name, None) or getattr(models, class_name, None)
    found = found or registered_by_bare_name(class_name)
    if found is None:
        raise LayerfitValueError(
            explain(
                f"Unknown layer class {class_name!r} in the model config.",
                "a layerfit layer, or a custom class passed in custom_objects.",
                f"Functional.from_config(config, custom_objects={{'{class_name}': {class_name}}})",
            )
        )
    return found
