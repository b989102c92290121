"""save_model / load_model / save_weights / load_weights / to_json / model_from_json.

The model comes in as an argument (or is rebuilt from its config through the class a config
names), so this module never imports ``layerfit.models``.
"""

from __future__ import annotations

import json
import os

import torch

from layerfit.errors import LayerfitError, LayerfitValueError, explain, warn
from layerfit.layers import Layer
from layerfit.saving import (
    _archive,
    _bounds,
    _config,
    _keras2_h5,
    _keras2_model,
    _keras_archive,
    _keras_h5,
    _limits,
    _objects,
    _safetensors,
    _weights,
)
from layerfit.saving._registration import CustomObjectScope, SafeModeScope

MODEL_EXTENSIONS = (".keras", ".layerfit")
WEIGHTS_EXTENSIONS = (".weights.safetensors", ".weights.h5")


# -- paths --------------------------------------------------------------------------------------


def check_model_path(filepath) -> str:
    """Accepts '.keras' and '.layerfit' (and, with a warning as in Keras, Keras 2's '.h5')."""
    path = os.fspath(filepath)
    lower = str(path).lower()
    if lower.endswith(WEIGHTS_EXTENSIONS):
        raise LayerfitValueError(
            explain(
                f"model.save() got {path!r}, a weights file name.",
                "a model file name ending in .keras.",
                "use model.save_weights(path) for weights only, or model.save('model.keras').",
            )
        )
    if lower.endswith((".h5", ".hdf5")):
        warn(
            f"model.save({path!r}) writes Keras 2's legacy HDF5 format, as Keras does for .h5: "
            "the architecture, weights and compile settings, without the optimizer state.",
            "a file name ending in .keras.",
            "save as 'model.keras'.",
        )
    elif not lower.endswith(MODEL_EXTENSIONS):
        raise LayerfitValueError(
            explain(
                f"Invalid filepath extension for saving: {path!r}.",
                "a file name ending in .keras (recommended) or .layerfit.",
                "model.save('my_model.keras'); for deployment use model.export(path).",
            )
        )
    return path


def check_weights_path(filepath) -> str:
    path = os.fspath(filepath)
    if not str(path).lower().endswith(WEIGHTS_EXTENSIONS):
        raise LayerfitValueError(
            explain(
                f"save_weights() got {path!r}.",
                "a file name ending in Keras's .weights.h5 (HDF5, which Keras reads) or "
                ".weights.safetensors.",
                f"model.save_weights({_suggest_weights_name(path)!r})",
            )
        )
    return path


def _suggest_weights_name(path: str) -> str:
    base = str(path)
    for ending in (".h5", ".hdf5", ".keras", ".weights", ".safetensors", ".pt", ".pth"):
        base = base.removesuffix(ending)
    return base + ".weights.h5"


# -- whole models -------------------------------------------------------------------------------


def model_entry(model, include_compile: bool = True) -> dict:
    """The model's config.json: Keras's serialized object plus its compile settings."""
    entry = _objects.serialize_keras_object(model)
    compile_config = _config.compile_config(model) if include_compile else None
    if compile_config is not None:
        entry["compile_config"] = compile_config
    return entry


def save_model(model, filepath, overwrite: bool = True, zipped=None, format=None, **kwargs) -> None:
    """Saves architecture, weights, compile settings and optimizer state in one file.

    Args:
        model: the model to save.
        filepath: a path ending in '.keras' (or '.layerfit').
        overwrite: whether to replace an existing file. Defaults to True.
        zipped: accepted for Keras compatibility; the file is always a zip archive.
            Defaults to None.
        format: None or "layerfit" writes layerfit's format (safetensors weights, optimizer
            state); "keras" writes Keras 3's own format (HDF5 weights, needs h5py), which
            Keras's ``load_model`` opens. Defaults to None.

    Example:
    >>> save_model(model, "model.keras")
    >>> restored = load_model("model.keras")
    """
    _check_save_kwargs(kwargs)
    if format not in (None, "layerfit", "keras"):
        raise LayerfitValueError(
            explain(
                f"save_model got format={format!r}.",
                'None or "layerfit" (layerfit\'s own format) or "keras" (Keras 3\'s format).',
                'model.save("model.keras", format="keras") to write a file Keras opens.',
            )
        )
    path = check_model_path(filepath)
    if str(path).lower().endswith((".h5", ".hdf5")):
        _keras2_model.save(model, path, overwrite)
        return
    if format == "keras":
        _keras_archive.save(model, path, overwrite)
        return
    members = {
        _archive.METADATA: _json_bytes(_archive.metadata()),
        _archive.CONFIG: _json_bytes(model_entry(model)),
        _archive.WEIGHTS: _safetensors.dumps(_weights.weights_to_tensors(model)),
    }
    optimizer = getattr(model, "optimizer", None)
    if getattr(model, "compiled", None) is not None and getattr(optimizer, "built", False):
        members[_archive.OPTIMIZER] = _safetensors.dumps(optimizer.state_dict())
    _archive.write_archive(path, members, overwrite)


def load_model(
    filepath,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
    max_bytes: int | None = None,
):
    """Loads a model saved by ``model.save``: ready to predict, and to train on if compiled.

    Every size the file declares is checked against limits before anything is allocated.

    Args:
        filepath: the saved file.
        custom_objects: a dict mapping names to your classes and functions that were not
            registered with ``register_serializable``. Defaults to None.
        compile: whether to restore the compile settings and optimizer state. Defaults to True.
        safe_mode: refuse Lambda layers, as Keras does; with False a Lambda's function is
            taken from ``custom_objects`` (code is never read from the file). Defaults to True.
        max_bytes: the most bytes of weights the file may hold or declare, for a big model
            you trust. Defaults to None (``set_load_limits``'s value, 16 GiB at start).

    Example:
    >>> model = load_model("model.keras")
    """
    path = _archive.resolve_path(filepath, "load_model")
    if _archive.is_archive(_archive.read_head(path)) and _keras_archive.is_keras_archive(path):
        return _keras_archive.load(path, custom_objects, compile, safe_mode, max_bytes)
    if _archive.read_head(path).startswith(_archive._HDF5):
        return _keras2_model.load(path, custom_objects, compile, safe_mode, max_bytes)
    with _archive.Archive(path, max_bytes) as archive, SafeModeScope(safe_mode):
        source = archive.source
        entry = archive.json(_archive.CONFIG)
        if _archive.WEIGHTS not in archive:
            _archive._damaged(source, f"it has no {_archive.WEIGHTS}")
        header = archive.tensors_header(_archive.WEIGHTS)
        _bounds.check_config(entry, f"{source}:{_archive.CONFIG}")
        with _bounds.bounded(header.elements, source, max_bytes):
            model = deserialize_model(entry, custom_objects, compile=compile)
        tensors, _ = archive.tensors(_archive.WEIGHTS)
        _weights.assign_weights(model, tensors, repr(source))
        del tensors
        if (
            compile
            and getattr(model, "compiled", None) is not None
            and _archive.OPTIMIZER in archive
        ):
            _optimizer_state(model, archive, header.data_bytes, strict=True)
    return model


def deserialize_model(entry, custom_objects: dict | None = None, compile: bool = True):
    """Rebuilds a model from its config.json entry (unbuilt weights are freshly initialised)."""
    if not isinstance(entry, dict) or "class_name" not in entry:
        _config._invalid("the top level must be an object with 'class_name' and 'config'")
    cls = _objects.resolve_class(entry, custom_objects)
    inner = entry.get("config") or {}
    if isinstance(inner, dict) and isinstance(inner.get("layers"), list):
        inner, custom_objects = _config.prepare_graph_config(inner, custom_objects)
    with CustomObjectScope(custom_objects):
        model = _objects.from_config(cls, inner, custom_objects)
        if not isinstance(model, Layer):
            _config._invalid(f"{entry['class_name']!r} is not a model")
        shape = (entry.get("build_config") or {}).get("input_shape")
        if shape is not None and not model.built:
            _config.build_from_shape(model, _config.as_shape(shape))
        if compile and entry.get("compile_config"):
            _config.compile_from_config(model, entry["compile_config"])
    return model


def restore_optimizer(model, state: dict, strict: bool, source: str) -> None:
    """Loads optimizer state, building the optimizer on the model's trainable weights first."""
    optimizer = model.optimizer
    if not getattr(optimizer, "built", False):
        optimizer.build([p for p in model.parameters() if p.requires_grad])
    try:
        _check_optimizer_state(optimizer, state, source)
        optimizer.load_state_dict(state)
    except (ValueError, KeyError, RuntimeError, TypeError) as error:
        if strict:
            if isinstance(error, LayerfitError):
                raise
            raise LayerfitValueError(
                explain(
                    f"The optimizer state in {source} cannot be restored: "
                    f"{type(error).__name__}: {error}.",
                    "the state model.save() wrote for this optimizer.",
                    "load with compile=False and compile again (the optimizer starts fresh), "
                    "or save the model again.",
                )
            ) from None
        warn(
            f"The optimizer state in {source} was not restored: {error}",
            "the same optimizer class, compiled on the same architecture.",
            "compile with the optimizer used when saving, or ignore this to start the "
            "optimizer fresh.",
        )


def _check_optimizer_state(optimizer, state: dict, source: str) -> None:
    """Every tensor the optimizer holds is in ``state`` with its shape, before any is copied."""
    expected = optimizer.state_dict()
    problems = []
    for key, value in expected.items():
        if "/" not in key and key != "iterations":
            continue
        if key not in state:
            problems.append(f"{key!r} is missing")
        elif tuple(state[key].shape) != tuple(torch.as_tensor(value).shape):
            problems.append(
                f"{key!r} has shape {tuple(state[key].shape)}, expected "
                f"{tuple(torch.as_tensor(value).shape)}"
            )
    problems += [
        f"{key!r} is not a state of this optimizer" for key in state if key not in expected
    ]
    if problems:
        raise LayerfitValueError(
            explain(
                f"The optimizer state in {source} does not fit {type(optimizer).__name__} on "
                f"this model: {'; '.join(problems[:4])}"
                + (f" (and {len(problems) - 4} more)." if len(problems) > 4 else "."),
                "the state model.save() wrote for the same optimizer and architecture.",
                "load with compile=False and compile again (the optimizer starts fresh), or "
                "save the model again.",
            )
        )


def _optimizer_state(model, archive, weight_bytes: int, strict: bool) -> None:
    """Reads and restores the optimizer member, bounded by the size of the weights."""
    size = archive.sizes[_archive.OPTIMIZER]
    # A few slots per weight at most (Adam keeps two, AMSGrad three), plus small scalars.
    if size > 4 * weight_bytes + 2**20:
        _archive._damaged(
            archive.source,
            f"its {_archive.OPTIMIZER} has {size} bytes, more than four slots for its "
            f"{weight_bytes} bytes of weights",
        )
    state, _ = archive.tensors(_archive.OPTIMIZER)
    restore_optimizer(model, state, strict=strict, source=repr(archive.source))


def to_json(model, **kwargs) -> str:
    """The model's architecture (and compile settings) as a JSON string."""
    return json.dumps(model_entry(model), **kwargs)


def model_from_json(json_string, custom_objects: dict | None = None):
    """Rebuilds a model (new weights) from ``model.to_json()``.

    Args:
        json_string: the JSON string.
        custom_objects: a dict mapping names to your classes and functions. Defaults to None.

    Example:
    >>> clone = model_from_json(model.to_json())
    """
    if not isinstance(json_string, (str, bytes)):
        raise LayerfitValueError(
            explain(
                f"model_from_json got {type(json_string).__name__}.",
                "the string returned by model.to_json().",
                "model_from_json(model.to_json())",
            )
        )
    entry = _archive.parse_json(json_string, "model_from_json: the JSON string", what="json")
    _bounds.check_config(entry, "model_from_json")
    with _bounds.bounded(None, "model_from_json"):
        return deserialize_model(entry, custom_objects)


# -- weights only -------------------------------------------------------------------------------


def save_weights(model, filepath, overwrite: bool = True, max_shard_size=None, **kwargs) -> None:
    """Saves the weights only: '.weights.h5' as HDF5 in Keras 3's layout (Keras's
    ``load_weights`` reads it; needs h5py), '.weights.safetensors' as safetensors.

    Args:
        model: the model.
        filepath: a path ending in '.weights.h5' or '.weights.safetensors'.
        overwrite: whether to replace an existing file. Defaults to True.
        max_shard_size: Keras splits large files into shards of this many GB; layerfit
            writes one file and warns if this is set. Defaults to None.
    """
    if max_shard_size is not None or kwargs:
        ignored = {"max_shard_size": max_shard_size, **kwargs} if max_shard_size else kwargs
        warn(
            f"save_weights ignores {sorted(ignored)}: layerfit writes one unsharded file.",
            fix="drop the argument(s); load_weights reads the single file back.",
        )
    path = check_weights_path(filepath)
    if str(path).lower().endswith(".h5"):
        data = _keras_h5.write_weights(model)  # Keras's own layout, so Keras reads it
        _archive.atomic_write(path, lambda file: file.write(data), overwrite)
        return
    info = _archive.metadata()
    data = _safetensors.dumps(
        _weights.weights_to_tensors(model),
        metadata={key: str(value) for key, value in info.items()},
    )
    _archive.atomic_write(path, lambda file: file.write(data), overwrite)


def load_weights(model, filepath, skip_mismatch: bool = False, max_bytes=None, **kwargs) -> None:
    """Loads weights from ``save_weights`` or from a whole-model file into ``model``.

    From a whole-model file the optimizer state is restored too when the model is compiled
    with the same optimizer class. ``max_bytes`` raises the size limit for a big file you
    trust (see ``set_load_limits``). Keras 2 ``.h5`` files are matched by topology (layers
    with weights, in order), or by layer name with ``by_name=True``, as in Keras.
    """
    by_name = _check_load_kwargs(kwargs, filepath)
    path = _archive.resolve_path(filepath, "load_weights")
    head = _archive.read_head(path)
    source = repr(str(path))
    if by_name is not None and not head.startswith(_archive._HDF5):
        _by_name_refused(filepath)
    if _archive.is_archive(head):
        with _archive.Archive(path, max_bytes) as archive:
            if _archive.WEIGHTS not in archive:
                _archive._damaged(archive.source, f"it has no {_archive.WEIGHTS}")
            tensors, _ = archive.tensors(_archive.WEIGHTS)
            _weights.assign_weights(model, tensors, source, skip_mismatch)
            del tensors
            _restore_optimizer_from_archive(model, archive)
        return
    if head.startswith(_archive._HDF5):
        _limits.check("max_bytes", path.stat().st_size, "the weights file", str(path), max_bytes)
        with _keras_h5.open_file(str(path)) as file:
            if _keras2_h5.is_legacy(file, source):
                tensors = _keras2_h5.read_weights(
                    file, model, source, max_bytes, skip_mismatch, by_name=bool(by_name)
                )
                _weights.assign_weights(model, tensors, source, partial=True)
                return
            if by_name is not None:
                _by_name_refused(filepath)
            tensors = _keras_h5.read_weights(file, model, source, max_bytes, skip_mismatch)
        _weights.assign_weights(model, tensors, source, skip_mismatch)
        return
    if not _looks_like_safetensors(head):
        _archive.reject_foreign(head, str(path), expected="a weights file from save_weights()")
    size = path.stat().st_size
    _limits.check("max_bytes", size, "the weights file", str(path), max_bytes)
    with open(path, "rb") as file:
        _safetensors.read_header(file, size, str(path))  # checked before the data is read
        file.seek(0)
        data = bytearray(size)
        file.readinto(data)
    tensors, meta = _safetensors.loads(data, str(path))
    if "format_version" in meta:
        version = int(meta["format_version"]) if meta["format_version"].isdigit() else None
        _archive.check_version(version, meta.get("layerfit_version"), str(path))
    _weights.assign_weights(model, tensors, source, skip_mismatch)


def _restore_optimizer_from_archive(model, archive) -> None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or _archive.OPTIMIZER not in archive:
        return
    entry = archive.json(_archive.CONFIG)
    saved = _dig(entry, "compile_config", "optimizer", "class_name")
    if saved != type(optimizer).__name__:
        return
    weight_bytes = sum(w.numel() * w.element_size() for w in model.weights)
    _optimizer_state(model, archive, weight_bytes, strict=False)


def _check_load_kwargs(kwargs: dict, filepath):
    """Keras's legacy ``by_name`` (returned); any other keyword is refused, as Keras does."""
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise LayerfitValueError(
            explain(
                f"load_weights got keyword arguments it does not take: {sorted(kwargs)}.",
                "filepath, skip_mismatch, by_name (Keras 2 .h5 files only) and max_bytes.",
                f"model.load_weights({str(filepath)!r}, skip_mismatch=True)",
            )
        )
    return by_name


def _by_name_refused(filepath) -> None:
    raise LayerfitValueError(
        explain(
            f"load_weights({str(filepath)!r}, by_name=...): by_name only applies to Keras 2's "
            "legacy .h5 files, as in Keras.",
            "by_name with a file written by Keras 2 or by model.save('model.h5').",
            "drop by_name: Keras 3 and layerfit files are matched by layer path.",
        )
    )


def _check_save_kwargs(kwargs) -> None:
    if kwargs:
        warn(
            f"model.save ignores {sorted(kwargs)}: layerfit's save takes filepath, overwrite, "
            "zipped and format.",
            fix="drop the argument(s).",
        )


def _dig(value, *keys):
    """``value[k1][k2]...``, or None where a level is missing or not an object."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _looks_like_safetensors(data: bytes) -> bool:
    return len(data) >= 9 and data[8:9] == b"{"


def _json_bytes(value) -> bytes:
    return json.dumps(value, indent=1).encode("utf-8")
