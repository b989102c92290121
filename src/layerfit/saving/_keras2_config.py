"""Keras 2 (and tf.keras 2.x) model and training configs, rewritten in Keras 3's form.

A legacy ``.h5`` model file keeps its architecture as JSON in the ``model_config`` attribute
and its compile settings in ``training_config``. Keras 3 writes those in its own form, but
files from Keras 2 differ in a few known places, rewritten here as Keras 3's legacy loader
reads them (data only: nothing in a config is ever executed):

- ``InputLayer`` has ``batch_input_shape``, other layers may carry ``batch_input_shape`` /
  ``batch_size`` (Sequential's first layer: it becomes an ``InputLayer``);
- a Functional model is ``Model`` (Keras < 2.4) and its nodes are lists of
  ``[layer name, node index, tensor index, kwargs]``;
- ``axis`` is a one-element list (BatchNormalization, LayerNormalization), RNNs have
  ``time_major``;
- optimizers carry ``decay`` / ``is_legacy_optimizer``; losses carry ``fn`` and
  ``reduction="auto"``; metrics are ``MeanMetricWrapper`` objects naming a function.
"""

from __future__ import annotations

from layerfit.errors import warn

# Arguments Keras 2 layers wrote that Keras 3 dropped without changing the math.
_DROPPED_LAYER_KEYS = ("batch_input_shape", "batch_size", "time_major")
_DROPPED_OPTIMIZER_KEYS = ("is_legacy_optimizer", "jit_compile")
# Keras 2's Lambda records how its function was serialized; the function itself is refused
# in safe mode (and never read from the file otherwise).
_DROPPED_LAMBDA_KEYS = ("function_type", "module", "output_shape_type", "output_shape_module")


def upgrade_model(entry: dict) -> dict:
    """A Keras 2 ``model_config`` in Keras 3's form (a Keras 3 config comes back unchanged)."""
    if not isinstance(entry, dict):
        return entry
    entry = dict(entry)
    if entry.get("class_name") == "Model":  # Keras < 2.4 called Functional models Model
        entry["class_name"] = "Functional"
    config = entry.get("config")
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        return entry
    config = dict(config)
    layers = [_upgrade_layer(layer) for layer in config["layers"]]
    if entry.get("class_name") == "Sequential":
        layers = _sequential_input(config["layers"], layers)
    config["layers"] = layers
    entry["config"] = config
    return entry


def _upgrade_layer(layer):
    if not isinstance(layer, dict):
        return layer
    layer = upgrade_model(layer)  # a nested model
    inner = layer.get("config")
    if isinstance(inner, dict) and not isinstance(inner.get("layers"), list):
        inner = dict(inner)
        if layer.get("class_name") == "InputLayer":
            if "batch_input_shape" in inner:
                inner["batch_shape"] = inner.pop("batch_input_shape")
        else:
            for key in _DROPPED_LAYER_KEYS:
                inner.pop(key, None)
        if layer.get("class_name") == "Lambda":
            for key in _DROPPED_LAMBDA_KEYS:
                inner.pop(key, None)
            code = inner.get("function")
            if isinstance(code, list) and len(code) == 3:  # (bytecode, defaults, closure)
                keys = ("code", "defaults", "closure")
                inner["function"] = {"class_name": "__lambda__", "config": dict(zip(keys, code))}
        axis = inner.get("axis")
        if isinstance(axis, list) and len(axis) == 1:
            inner["axis"] = axis[0]
        layer["config"] = inner
    nodes = layer.get("inbound_nodes")
    if isinstance(nodes, list):
        layer["inbound_nodes"] = [_upgrade_node(node) for node in nodes]
    return layer


def _sequential_input(original: list, layers: list) -> list:
    """Keras 2 put the input shape on Sequential's first layer; Keras 3 wants an InputLayer."""
    if not layers or not isinstance(original[0], dict):
        return layers
    first = original[0].get("config")
    if original[0].get("class_name") == "InputLayer" or not isinstance(first, dict):
        return layers
    shape = first.get("batch_input_shape")
    if shape is None:
        return layers
    entry = {"batch_shape": shape, "dtype": first.get("dtype", "float32")}
    return [{"class_name": "InputLayer", "config": entry}, *layers]


def _upgrade_node(node):
    """``[[name, node_index, tensor_index, kwargs], ...]`` -> ``{"args": ..., "kwargs": ...}``."""
    if not isinstance(node, list):
        return node
    refs, kwargs = [], {}
    for item in node:
        if not (isinstance(item, list) and len(item) in (3, 4) and isinstance(item[0], str)):
            return node  # not the old form: left for the graph rebuild to judge
        refs.append({"class_name": "__keras_tensor__", "config": {"keras_history": list(item[:3])}})
        if len(item) == 4 and isinstance(item[3], dict):
            kwargs = item[3]
    return {"args": [refs[0]] if len(refs) == 1 else [refs], "kwargs": kwargs}


# -- training_config ------------------------------------------------------------------------------


def compile_config(training: dict) -> dict:
    """A legacy ``training_config`` as the ``compile_config`` our ``compile_from_config`` reads."""
    optimizer = training.get("optimizer_config")
    metrics = training.get("metrics")
    if isinstance(metrics, list) and len(metrics) == 1 and isinstance(metrics[0], list):
        metrics = metrics[0]  # tf.keras 2 nests a single output's metrics in a list
    return {
        "optimizer": _upgrade_optimizer(optimizer) if isinstance(optimizer, dict) else None,
        "loss": _map(training.get("loss"), _upgrade_loss),
        "loss_weights": training.get("loss_weights"),
        "metrics": _map(metrics, _upgrade_metric),
        "weighted_metrics": _map(training.get("weighted_metrics"), _upgrade_metric),
    }


# Keras 3.15's legacy loader cannot find these short loss names (it refuses files it wrote
# itself with loss="mse"), so they are written under their full names.
_LOSS_NAMES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
}


def training_config(compile_config: dict) -> dict:
    """Our ``compile_config`` as the ``training_config`` Keras writes in a legacy ``.h5``."""
    training = {key: value for key, value in compile_config.items() if key != "optimizer"}
    training["loss"] = _map(training.get("loss"), lambda loss: _LOSS_NAMES.get(loss, loss))
    optimizer = compile_config.get("optimizer") or {}
    training["optimizer_config"] = {
        "class_name": optimizer.get("class_name"),
        "config": optimizer.get("config", {}),
    }
    return training


def _map(value, upgrade):
    """Applies ``upgrade`` to every single object in a nested list/dict of them."""
    if value is None:
        return None
    if isinstance(value, str) or (isinstance(value, dict) and "class_name" in value):
        return upgrade(value)
    if isinstance(value, dict):
        return {key: _map(item, upgrade) for key, item in value.items()}
    if isinstance(value, list):
        return [_map(item, upgrade) for item in value]
    return value


def _upgrade_optimizer(entry: dict) -> dict:
    config = dict(entry.get("config") or {})
    for key in _DROPPED_OPTIMIZER_KEYS:
        config.pop(key, None)
    decay = config.pop("decay", None)
    if decay:
        warn(
            f"The file's {entry.get('class_name')} optimizer has decay={decay}, an argument "
            "Keras 3 removed; it is ignored (as Keras 3 ignores it).",
            "a learning-rate schedule for a decaying learning rate.",
            "compile again with learning_rate=keras.optimizers.schedules.InverseTimeDecay("
            f"initial_learning_rate, decay_steps=1, decay_rate={decay}).",
        )
    if "lr" in config and "learning_rate" not in config:
        config["learning_rate"] = config.pop("lr")
    return {**entry, "config": config}


def _upgrade_loss(value):
    if not isinstance(value, dict):
        return value
    config = dict(value.get("config") or {})
    config.pop("fn", None)
    if config.get("reduction") == "auto":
        config["reduction"] = "sum_over_batch_size"
    return {**value, "config": config}


def _upgrade_metric(value):
    """Keras 2's ``MeanMetricWrapper(name='accuracy', fn='categorical_accuracy')`` -> the name
    the user compiled with ('accuracy'), which resolves to the same function here."""
    if not isinstance(value, dict) or value.get("class_name") != "MeanMetricWrapper":
        return value
    config = value.get("config") or {}
    name, function = config.get("name"), config.get("fn")
    if name in ("accuracy", "acc", "crossentropy", "ce") or not isinstance(function, str):
        return name
    return name if _is_metric_name(name) else function


def _is_metric_name(name) -> bool:
    from layerfit.saving import _objects

    return isinstance(name, str) and _objects.get_registered_object(name) is not None
