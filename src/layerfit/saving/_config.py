"""Model and layer configs as Keras 3 writes them, models rebuilt from them, compile settings.

A model's ``get_config`` gives the graph (Sequential: its layers, the InputLayer first;
functional: layers with their inbound nodes, ``input_layers``, ``output_layers``); here each
layer entry gets Keras's ``module``, ``registered_name`` and ``build_config``. The model
classes come in as ``cls`` or by name through ``_objects``, never by import.
"""

from __future__ import annotations

import inspect

import torch

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers import Layer
from layerfit.layers._op_layer import is_op_module
from layerfit.saving import _objects
from layerfit.saving._objects import serialize_keras_object
from layerfit.saving._registration import CustomObjectScope

# -- model configs ------------------------------------------------------------------------------


def enrich_layer_entries(model, config: dict) -> dict:
    """Completes each ``config["layers"]`` entry as Keras writes it: module, registered name,
    build config, every value JSON-ready (the model's get_config gives class and config)."""
    entries = config.get("layers")
    if not isinstance(entries, list):
        return config
    layers = [*getattr(model, "layers", []), getattr(model, "_input_layer", None)]
    by_name = {layer.name: layer for layer in layers if layer is not None}
    enriched = []
    for entry in entries:
        layer = None
        if isinstance(entry, dict):
            layer = by_name.get(entry.get("name") or (entry.get("config") or {}).get("name"))
        if layer is None:
            enriched.append(serialize_keras_object(entry))
            continue
        extra = {
            key: serialize_keras_object(entry[key])
            for key in ("name", "inbound_nodes")
            if key in entry
        }
        enriched.append({**serialize_keras_object(layer), **extra})
    return {**config, "layers": enriched}


def model_from_config(cls, config: dict, custom_objects: dict | None = None):
    """``Model.from_config``: Sequential and subclassed configs (functional ones go to
    ``Functional.from_config``)."""
    if not isinstance(config, dict):
        _invalid(f"a model config must be an object, got {type(config).__name__}")
    with CustomObjectScope(custom_objects):
        if "layers" in config and "input_layers" in config:
            functional = _objects.resolve_class(
                {"module": "keras.models", "class_name": "Functional"}
            )
            config, custom_objects = prepare_graph_config(config, custom_objects)
            return functional.from_config(config, custom_objects=custom_objects)
        if "layers" in config:
            if not hasattr(cls, "add"):  # Model.from_config(a Sequential config)
                cls = _objects.resolve_class({"module": "keras.models", "class_name": "Sequential"})
            return _sequential_from_config(cls, config)
        return _subclassed_from_config(cls, config)


def prepare_graph_config(config: dict, custom_objects: dict | None) -> tuple[dict, dict]:
    """Resolves the custom classes and functions a graph config names, for a model's own
    ``from_config`` that looks layers up by class name in ``custom_objects``."""
    found = dict(custom_objects or {})

    def visit(entries):
        prepared = []
        for entry in entries:
            if not isinstance(entry, dict) or "class_name" not in entry:
                _invalid(f"a layer entry must be an object with 'class_name', got {entry!r}")
            if not is_op_module(entry.get("module")):  # op nodes are found by the graph
                found.setdefault(entry["class_name"], _objects.resolve_class(entry, custom_objects))
            inner = dict(entry.get("config") or {})
            if isinstance(inner.get("layers"), list):  # a nested model
                inner["layers"] = visit(inner["layers"])
            else:
                inner = _objects.resolve_custom_values(inner, custom_objects)
            prepared.append({**entry, "config": inner})
        return prepared

    return {**config, "layers": visit(config["layers"])}, found


def _sequential_from_config(cls, config: dict):
    model = cls(name=config.get("name"), trainable=config.get("trainable", True))
    entries = config["layers"]
    if not isinstance(entries, list):
        _invalid("'layers' of a Sequential config must be a list")
    for entry in entries:
        model.add(deserialize_layer(entry))
    shape = config.get("build_input_shape")
    if not model.built and shape:
        model.build(tuple(shape))
    return model


def _subclassed_from_config(cls, config: dict):
    accepted = inspect.signature(cls.__init__).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    kwargs = {k: v for k, v in config.items() if takes_any or k in accepted}
    try:
        model = cls(**kwargs)
    except TypeError as error:
        raise LayerfitTypeError(
            explain(
                f"Could not rebuild model class {cls.__name__} from its config: {error}.",
                f"get_config() of {cls.__name__} returning every argument its __init__ needs.",
                f"define get_config() in {cls.__name__} (and from_config() if __init__ takes "
                "objects), and register the class with @layerfit.saving.register_serializable().",
            )
        ) from None
    if "name" in config and "name" not in kwargs:
        model.name = config["name"]
    return model


# -- layers -------------------------------------------------------------------------------------


def deserialize_layer(config) -> Layer:
    """A layer from its serialized config (built from its ``build_config`` when it has one)."""
    if not isinstance(config, dict) or "class_name" not in config:
        _invalid(f"a layer entry must be an object with 'class_name', got {config!r}")
    layer = _objects.deserialize_keras_object(config)
    if not isinstance(layer, Layer):
        _invalid(f"{config['class_name']!r} is not a layer")
    return layer


def build_from_shape(layer: Layer, shape) -> None:
    """Builds ``layer`` (and any sublayers that build on their first call) for ``shape``."""
    layer.build_checked(shape)
    if all(sub.built for sub in layer._all_layers()):
        return

    def zeros(dims):
        return torch.zeros([1 if d is None else d for d in dims])

    from layerfit._tree import map_structure

    was_training = layer.training
    layer.eval()
    try:
        with torch.no_grad():
            layer(map_structure(zeros, shape))
    finally:
        layer.train(was_training)


def as_shape(value):
    """JSON lists back to shape tuples: [None, 4] -> (None, 4); lists of shapes stay lists."""
    if isinstance(value, list) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    if isinstance(value, list):
        return [as_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: as_shape(v) for k, v in value.items()}
    return value


# -- compile settings ---------------------------------------------------------------------------


def compile_config(model) -> dict | None:
    """The arguments ``compile`` was given, serialized; None for an uncompiled model."""
    compiled = getattr(model, "compiled", None)
    if compiled is None:
        return None
    raw = compiled.raw
    return {
        "optimizer": serialize_keras_object(model.optimizer),
        "loss": serialize_keras_object(raw["loss"]),
        "loss_weights": serialize_keras_object(raw["loss_weights"]),
        "metrics": serialize_keras_object(raw["metrics"]),
        "weighted_metrics": serialize_keras_object(raw["weighted_metrics"]),
    }


def compile_from_config(model, config: dict) -> None:
    """Calls ``model.compile`` with the settings ``compile_config`` recorded."""
    if not isinstance(config, dict):
        _invalid("compile_config must be an object")

    def restore(value):
        if isinstance(value, str):
            found = _objects.get_registered_object(value)
            return value if found is None else found
        if isinstance(value, list):
            return [restore(v) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {k: restore(v) for k, v in value.items()}
        return _objects.deserialize_keras_object(value)

    arguments = {
        key: restore(config.get(key))
        for key in ("loss", "loss_weights", "metrics", "weighted_metrics")
    }
    optimizer = config.get("optimizer")
    arguments["optimizer"] = (
        "rmsprop" if optimizer is None else _objects.deserialize_keras_object(optimizer)
    )
    model.compile(**arguments)


def _invalid(reason: str) -> None:
    raise LayerfitValueError(
        explain(
            f"The saved model config is invalid: {reason}.",
            "a config written by layerfit's model.save(), to_json() or get_config().",
            "save the model again; if you edited the JSON by hand, check that entry.",
        )
    )
