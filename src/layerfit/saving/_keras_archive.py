"""Keras 3's own ``.keras`` files: read (written by Keras) and written (for Keras to load).

A Keras 3 archive holds ``metadata.json`` (with ``keras_version``), ``config.json`` (the same
layout as ours) and ``model.weights.h5`` (HDF5, see ``_keras_h5``). Reading checks the same
limits as our own format: member sizes and JSON before parsing, the config's dtypes and
shapes, the weights the config may allocate (bounded by the values the HDF5 file declares),
and each dataset's metadata before its data.
"""

from __future__ import annotations

import datetime
import json
import math
import zipfile

from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.saving import _archive, _bounds, _keras_h5, _limits

H5_WEIGHTS = "model.weights.h5"
NPZ_WEIGHTS = "model.weights.npz"
MEMBERS = (_archive.METADATA, _archive.CONFIG, H5_WEIGHTS)
# The Keras version whose format we write; Keras 3 reads files of its own major version.
KERAS_VERSION = "3.15.1"


def is_keras_archive(path) -> bool:
    """Whether a zip file is a Keras 3 model archive (its weights in HDF5 or npz)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False
    return bool(names & {H5_WEIGHTS, NPZ_WEIGHTS}) and _archive.METADATA in names


def load(path, custom_objects, compile: bool, safe_mode: bool, max_bytes):
    """A layerfit model from a Keras 3 ``.keras`` file."""
    from layerfit.saving import _saving, _weights
    from layerfit.saving._registration import SafeModeScope

    source = str(path)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        sizes = {info.filename: info.file_size for info in infos}
        if NPZ_WEIGHTS in names:
            raise LayerfitValueError(
                explain(
                    f"{source!r} is a Keras file with its weights in {NPZ_WEIGHTS}, which "
                    "Keras writes as pickled Python objects; layerfit never unpickles.",
                    f"a Keras .keras file with {H5_WEIGHTS} (Keras's default).",
                    "in Keras, save the model again with model.save('model.keras').",
                )
            )
        _check_members(names, source)
        meta = _json(archive, _archive.METADATA, sizes, source)
        if not isinstance(meta, dict) or not str(meta.get("keras_version", "")).startswith("3."):
            raise LayerfitValueError(
                explain(
                    f"{source!r} says it was written by Keras "
                    f"{meta.get('keras_version') if isinstance(meta, dict) else None!r}.",
                    "a file written by Keras 3.",
                    "save the model again with Keras 3, or with layerfit.",
                )
            )
        entry = _json(archive, _archive.CONFIG, sizes, source)
        _limits.check("max_bytes", sizes[H5_WEIGHTS], f"{H5_WEIGHTS}", source, max_bytes)
        data = archive.read(H5_WEIGHTS)
    weights_source = f"{source}:{H5_WEIGHTS}"
    with _keras_h5.open_file(weights_source, data) as file, SafeModeScope(safe_mode):
        _bounds.check_config(entry, f"{source}:{_archive.CONFIG}")
        with _bounds.bounded(_declared_values(file), source, max_bytes):
            model = _saving.deserialize_model(entry, custom_objects, compile=compile)
        tensors = _keras_h5.read_weights(file, model, repr(weights_source), max_bytes)
        _weights.assign_weights(model, tensors, repr(weights_source))
        if compile and "optimizer" in file and getattr(model, "compiled", None) is not None:
            warn(
                f"{source!r}: the optimizer state Keras saved was not restored; the "
                "optimizer starts fresh (the weights and compile settings are loaded).",
                "a file whose training continues exactly: save it with layerfit.",
                "nothing to do for inference or fine-tuning; to silence this, "
                "load_model(path, compile=False) and compile again.",
            )
    return model


def _check_members(names: list[str], source: str) -> None:
    unknown = [name for name in names if name not in MEMBERS]
    repeated = sorted({name for name in names if names.count(name) > 1})
    missing = [name for name in MEMBERS if name not in names]
    if unknown or repeated or missing:
        what = (
            f"members layerfit does not read: {unknown[:5]}"
            if unknown
            else f"members stored twice: {repeated[:5]}"
            if repeated
            else f"no {missing[0]}"
        )
        raise LayerfitValueError(
            explain(
                f"{source!r} is a Keras file with {what}; nothing is read that the format "
                "does not name.",
                f"a Keras 3 .keras file with exactly {list(MEMBERS)} (layers with assets, "
                "such as TextVectorization, are not read yet).",
                "save the model again in Keras; or rebuild it in layerfit from config.json "
                "(layerfit.models.model_from_json) and load_weights('model.weights.h5').",
            )
        )


def _json(archive, name: str, sizes: dict, source: str):
    where = f"{source}:{name}"
    _limits.check("max_json_bytes", sizes[name], f"{name} (uncompressed)", where)
    return _archive.parse_json(archive.read(name), where)


def _declared_values(file) -> int:
    """How many values the HDF5 file's datasets declare (from metadata, nothing read)."""
    h5py = _keras_h5.require_h5py()
    total = 0

    def count(_, node):
        nonlocal total
        if isinstance(node, h5py.Dataset) and node.shape is not None:
            total += math.prod(node.shape)

    file.visititems(count)
    return total


def save(model, path, overwrite: bool = True) -> None:
    """Writes a ``.keras`` file that Keras 3 ``load_model`` opens (HDF5 weights, no optimizer)."""
    from layerfit.saving import _saving

    meta = {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    members = {
        _archive.METADATA: json.dumps(meta).encode("utf-8"),
        _archive.CONFIG: json.dumps(_for_keras(_saving.model_entry(model))).encode("utf-8"),
        H5_WEIGHTS: _keras_h5.write_weights(model),
    }
    _archive.write_archive(path, members, overwrite)


def _for_keras(entry):
    """Our config with the one spelling Keras insists on: it finds ``Functional`` only under
    its internal module name (it is not exported from ``keras.models``)."""
    stack = [entry]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if item.get("class_name") == "Functional" and "config" in item:
                item["module"] = "keras.src.models.functional"
                item["registered_name"] = "Functional"
            stack.extend(item.values())
    return entry
