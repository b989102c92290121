"""Whole models in Keras 2's legacy HDF5 format (``model.save("m.h5")``): read and written.

The file's attributes hold ``model_config`` (the architecture as JSON) and, for a compiled
model, ``training_config`` (loss, metrics, optimizer config); ``model_weights`` holds the
weights in Keras 2's layout (see ``_keras2_h5``), matched by topology as Keras's legacy loader
does. Keras 3.15 still writes and reads this format, and so does tf.keras 2.x.

Reading keeps the loader's promises: the attributes' sizes are checked before they are read,
the JSON goes through the same limits and config checks as our own format, the weights the
config may allocate are bounded by the values the file declares, and every dataset's shape is
checked from its metadata before its data is read. Lambda layers are refused in safe mode.
"""

from __future__ import annotations

import io

import numpy as np

from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.saving import _archive, _bounds, _keras2_config, _keras2_h5, _keras_h5, _limits

# Written as the file's keras_version: Keras 3 reads legacy files of any version.
KERAS_VERSION = "3.15.1"


def load(path, custom_objects, compile: bool, safe_mode: bool, max_bytes):
    """A layerfit model from a Keras 2 / legacy ``.h5`` model file."""
    from layerfit.saving import _config, _saving, _weights
    from layerfit.saving._keras_archive import _declared_values
    from layerfit.saving._registration import SafeModeScope

    source = repr(str(path))
    _limits.check("max_bytes", path.stat().st_size, "the file", str(path), max_bytes)
    with _keras_h5.open_file(str(path)) as file, SafeModeScope(safe_mode):
        entry = _json_attribute(file, "model_config", source)
        if entry is None:
            raise LayerfitValueError(
                explain(
                    f"{source} is an HDF5 file without a model_config: it holds weights only.",
                    "a whole-model file from model.save('model.h5') to use load_model.",
                    "build the model in code, then model.load_weights(path).",
                )
            )
        entry = _keras2_config.upgrade_model(entry)
        _bounds.check_config(entry, f"{source}: model_config")
        root = _keras2_h5.weights_root(file, source)
        with _bounds.bounded(_declared_values(root), str(path), max_bytes):
            model = _saving.deserialize_model(entry, custom_objects, compile=False)
        tensors = _keras2_h5.read_weights(file, model, source, max_bytes)
        _weights.assign_weights(model, tensors, source)
        training = _json_attribute(file, "training_config", source) if compile else None
        if isinstance(training, dict):
            _config.compile_from_config(model, _keras2_config.compile_config(training))
            reason = ""
            if "optimizer_weights" in file:
                from layerfit.saving import _keras_optimizer

                reason = _keras_optimizer.restore_legacy(model, file, source)
            if reason:
                warn(
                    f"{source}: the optimizer state Keras saved was not restored ({reason}); "
                    "the optimizer starts fresh (the weights and compile settings are loaded).",
                    "a file whose training continues exactly: save it with layerfit.",
                    "nothing to do for inference or fine-tuning; to silence this, "
                    "load_model(path, compile=False) and compile again.",
                )
    return model


def _json_attribute(file, name: str, source: str):
    value = _keras2_h5.attribute(file, name, source)
    if value is None:
        return None
    if not isinstance(value, (bytes, str)):
        _keras_h5._refuse(source, f"its attribute {name!r} is not JSON text")
    data = value.encode("utf-8") if isinstance(value, str) else value
    where = f"{source}: {name}"
    _limits.check("max_json_bytes", len(data), f"{name}", where)
    return _archive.parse_json(data, where)


# -- writing ------------------------------------------------------------------------------------


def save(model, path, overwrite: bool = True) -> None:
    """Writes Keras 2's legacy ``.h5`` (architecture, weights, compile settings; no optimizer
    state), which Keras 3 ``load_model`` and tf.keras 2 open."""
    import json

    from layerfit.saving import _config, _saving
    from layerfit.saving._keras_archive import _for_keras

    h5py = _keras_h5.require_h5py()
    entry = _for_keras(_saving.model_entry(model, include_compile=False))
    model_config = {"class_name": entry["class_name"], "config": entry["config"]}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        file.attrs["keras_version"] = KERAS_VERSION
        file.attrs["backend"] = "torch"
        file.attrs["model_config"] = json.dumps(model_config).encode("utf-8")
        compile_config = _config.compile_config(model)
        if compile_config is not None:
            training = _keras2_config.training_config(_for_keras(compile_config))
            file.attrs["training_config"] = json.dumps(training).encode("utf-8")
        write_weights(file.create_group("model_weights"), model)
    data = buffer.getvalue()
    _archive.atomic_write(path, lambda out: out.write(data), overwrite)


def write_weights(group, model) -> None:
    """Keras 2's weights layout: ``layer_names``, one group per layer with ``weight_names``."""
    from layerfit.saving import _weights

    keys = {id(param): (key, owner) for key, owner, param in _weights.weight_entries(model)}
    group.attrs["layer_names"] = [layer.name.encode("utf-8") for layer in model.layers]
    group.attrs["backend"] = b"torch"
    group.attrs["keras_version"] = KERAS_VERSION.encode("utf-8")
    for layer in sorted(model.layers, key=lambda item: item.name):
        layer_group = group.create_group(layer.name)
        names = []
        for param in _keras2_h5.legacy_weights(layer):
            key, owner = keys[id(param)]
            names.append(key.encode("utf-8"))
            layer_group.create_dataset(key, data=np.asarray(owner.weight_to_keras(param)))
        layer_group.attrs["weight_names"] = names
    group.create_group("top_level_model_weights").attrs["weight_names"] = []
