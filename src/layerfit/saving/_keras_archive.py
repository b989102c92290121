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
from layerfit.saving import _archive, _bounds, _keras_h5, _keras_optimizer, _limits

H5_WEIGHTS = "model.weights.h5"
NPZ_WEIGHTS = "model.weights.npz"
MEMBERS = (_archive.METADATA, _archive.CONFIG, H5_WEIGHTS)
ASSETS = "assets/"
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
        assets = [name for name in names if name.startswith(ASSETS) and not name.endswith("/")]
        _limits.check(
            "max_bytes", sum(sizes[name] for name in assets), "its assets", source, max_bytes
        )
        asset_data = {name: archive.read(name) for name in assets}
    weights_source = f"{source}:{H5_WEIGHTS}"
    with _keras_h5.open_file(weights_source, data) as file, SafeModeScope(safe_mode):
        _bounds.check_config(entry, f"{source}:{_archive.CONFIG}")
        with _bounds.bounded(_declared_values(file), source, max_bytes):
            model = _saving.deserialize_model(entry, custom_objects, compile=compile)
        tensors = _keras_h5.read_weights(file, model, repr(weights_source), max_bytes)
        _weights.assign_weights(model, tensors, repr(weights_source))
        _keras_h5.read_layer_state(file, model, repr(weights_source))
        _load_assets(model, asset_data, source)
        compiled = compile and getattr(model, "compiled", None) is not None
        reason = "" if not compiled or "optimizer" not in file else "?"
        if reason:
            reason = _keras_optimizer.restore(model, file, repr(weights_source))
        if reason:
            warn(
                f"{source!r}: the optimizer state Keras saved was not restored ({reason}); "
                "the optimizer starts fresh (the weights and compile settings are loaded).",
                "a file whose training continues exactly: save it with layerfit.",
                "nothing to do for inference or fine-tuning; to silence this, "
                "load_model(path, compile=False) and compile again.",
            )
    return model


def _check_members(names: list[str], source: str) -> None:
    for name in names:
        if name.startswith(ASSETS):
            _check_asset_name(name, source)
    unknown = [name for name in names if name not in MEMBERS and not name.startswith(ASSETS)]
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
                f"a Keras 3 .keras file: {list(MEMBERS)} and the layers' files under {ASSETS!r}.",
                "save the model again in Keras; or rebuild it in layerfit from config.json "
                "(layerfit.models.model_from_json) and load_weights('model.weights.h5').",
            )
        )


def _check_asset_name(name: str, source: str) -> None:
    """A member under ``assets/`` names a plain relative path: no ``..``, no absolute or drive
    path, no backslash or control character (it becomes a file in a temporary folder)."""
    parts = name[len(ASSETS) :].rstrip("/").split("/")
    if (
        any(part in ("", ".", "..") for part in parts)
        or any(ord(char) < 32 or char in "\\:" for char in name)
        or name.startswith("/")
    ):
        raise LayerfitValueError(
            explain(
                f"{source!r} holds the member {name[:80]!r}, a path that could reach outside "
                "the assets folder; nothing is read from it.",
                "assets/<layer path>/<file name>, as Keras writes a layer's assets.",
                "save the model again in Keras; do not load files from unknown sources.",
            )
        )


def _load_assets(model, asset_data: dict[str, bytes], source: str) -> None:
    """Writes each layer's asset files to a private temporary folder and calls the layer's
    ``load_assets`` on it, as Keras does. A file no layer of the model owns is refused."""
    import os
    import tempfile

    from layerfit.saving import _keras_h5

    owners = _keras_h5.asset_layers(model)
    claimed: dict[int, list[str]] = {}
    for name in asset_data:
        inside = name[len(ASSETS) :]
        owner = next(
            (i for i, (path, _) in enumerate(owners) if path and inside.startswith(path)), None
        )
        if owner is None:
            raise LayerfitValueError(
                explain(
                    f"{source!r} holds {name!r}, which no layer of the model reads.",
                    "assets only for the model's vocabulary layers (TextVectorization, "
                    "StringLookup, IntegerLookup) or custom layers with load_assets().",
                    "load the file with the custom_objects= that define the layer reading it, "
                    "or save the model again in Keras.",
                )
            )
        claimed.setdefault(owner, []).append(name)
    with tempfile.TemporaryDirectory(prefix="layerfit-assets-") as folder:
        root = os.path.realpath(folder)
        for names in claimed.values():
            for name in names:
                target = os.path.realpath(os.path.join(root, *name[len(ASSETS) :].split("/")))
                if not target.startswith(root + os.sep):  # checked by name already
                    _check_asset_name("../", source)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as file:
                    file.write(asset_data[name])
        for index in sorted(claimed):
            path, layer = owners[index]
            layer.load_assets(os.path.join(root, *path.rstrip("/").split("/")))


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
    """Writes a ``.keras`` file that Keras 3 ``load_model`` opens (HDF5 weights, the optimizer's
    state when Keras's layout of it is known, vocabularies in ``assets/``)."""
    from layerfit.saving import _saving

    meta = {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    entry = _for_keras(_saving.model_entry(model))
    assets = _save_assets(model, entry)
    members = {
        _archive.METADATA: json.dumps(meta).encode("utf-8"),
        _archive.CONFIG: json.dumps(entry).encode("utf-8"),
        H5_WEIGHTS: _keras_h5.write_weights(model, optimizer=True),
        **assets,
    }
    _archive.write_archive(path, members, overwrite)


_VOCABULARY_LAYERS = ("TextVectorization", "StringLookup", "IntegerLookup")


def _save_assets(model, entry) -> dict[str, bytes]:
    """``{member name: bytes}`` of the layers' asset files, as Keras lays them out. A
    vocabulary written there leaves the layer's config (``vocabulary: null``), as in the files
    Keras writes for adapted layers; one whose tokens hold line breaks stays in the config."""
    import os
    import tempfile

    from layerfit.saving import _keras_h5

    owners = _keras_h5.asset_layers(model)
    if not owners:
        return {}
    configs: dict[tuple[str, str], list[dict]] = {}
    stack = [entry]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            config = item.get("config")
            if item.get("class_name") in _VOCABULARY_LAYERS and isinstance(config, dict):
                configs.setdefault((item["class_name"], config.get("name")), []).append(config)
            stack.extend(item.values())
    members: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="layerfit-assets-") as folder:
        for path, layer in owners:
            kind = type(layer).__name__
            found = configs.get((kind, layer.name), [])
            if kind in _VOCABULARY_LAYERS:
                tokens = [str(t) for t in layer.get_vocabulary()]
                # Only a layer named once in the config, with a vocabulary that Keras's reading
                # of the file (splitlines, trailing empty lines dropped) gives back unchanged.
                lines = "\n".join(tokens).splitlines()
                while lines and lines[-1] == "":
                    lines.pop()
                if len(found) != 1 or not tokens or lines != tokens:
                    continue
            where = os.path.join(folder, *path.rstrip("/").split("/"))
            os.makedirs(where, exist_ok=True)
            layer.save_assets(where)
            for root, _, files in os.walk(where):
                for name in files:
                    full = os.path.join(root, name)
                    member = ASSETS + os.path.relpath(full, folder).replace(os.sep, "/")
                    with open(full, "rb") as file:
                        members[member] = file.read()
            for config in found:
                config["vocabulary"] = None
                config["idf_weights"] = None
                config["vocabulary_size"] = layer.vocabulary_size()  # as Keras writes it
    return members


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
