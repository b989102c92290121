"""Keras 3's HDF5 weights: ``model.weights.h5`` inside a Keras ``.keras`` and ``.weights.h5``.

Keras stores each layer's own variables as datasets ``0``, ``1``, ... in a group named after
the path of *class* names to the layer (``layers/dense/vars``, ``layers/dense_1/vars``,
``layers/sequential/layers/dense/vars``; a second layer of the same class gets ``_1``, in
the order of ``model.layers``), trainable variables first. This module computes those paths
for a layerfit model, so reading and writing match weights by key, not by guesswork.

Reading keeps the loader's promises: h5py only parses data (nothing is executed); every
dataset's shape and dtype come from the HDF5 metadata and are checked (dtype list, sizes,
the ``max_bytes`` limit) before any data is read; links to other files, external storage
and virtual datasets are refused. h5py is an optional dependency: ``layerfit[h5]``.
"""

from __future__ import annotations

import io
import re

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import Layer
from layerfit.saving import _limits

# What a weight may be stored as; anything else (strings, objects, compound types) is refused.
_DTYPES = ("float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool")


def require_h5py():
    """The h5py module, or our error naming the extra that installs it."""
    try:
        import h5py
    except ImportError:
        raise LayerfitValueError(
            explain(
                "Reading or writing Keras's HDF5 files (.weights.h5, the weights inside a "
                "Keras .keras file, Keras 2 .h5) needs the h5py package, which is not "
                "installed.",
                "h5py installed alongside layerfit.",
                'pip install "layerfit[h5]"  (or pip install h5py).',
            )
        ) from None
    return h5py


def snake_case(name: str) -> str:
    """Keras's automatic name for a class: ``BatchNormalization`` -> ``batch_normalization``,
    ``Conv2D`` -> ``conv2d``, ``ReLU`` -> ``re_lu``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _is_model(layer) -> bool:
    return hasattr(type(layer), "layers") and isinstance(getattr(layer, "layers", None), list)


def keras_layers(model: Layer) -> list[tuple[str, Layer]]:
    """``(path prefix, layer)`` for the model and every layer inside it, the prefix as Keras 3
    names it in its files (``""``, ``"layers/dense/"``, ``"layers/seq/layers/dense_1/"``).

    As Keras's ``saving_lib`` walks objects: Sequential and Functional models list
    ``layers/<snake class name>[_n]`` first; then every object's attributes in sorted order
    (private ones last) give ``<attribute>/`` for a layer and ``<attribute>/<snake>[_n]/`` for
    a list of layers (``layers`` of a subclassed model is such a list). Each layer gets the first
    path that reaches it."""
    found: list[tuple[str, Layer]] = []
    visited: set[int] = set()

    def container(layers, path: str) -> None:
        used: dict[str, int] = {}
        for child in layers:
            name = snake_case(type(child).__name__)
            if name in used:
                used[name] += 1
                name = f"{name}_{used[name]}"
            else:
                used[name] = 0
            visit(child, f"{path}{name}/")

    def visit(layer: Layer, path: str) -> None:
        if id(layer) in visited:
            return
        visited.add(id(layer))
        found.append((path, layer))
        if _is_model(layer) and _is_graph_model(layer):
            container(layer.layers, f"{path}layers/")
        attributes: list[tuple[str, object]] = []
        for attribute, child in layer.named_children():
            if attribute.startswith("_tracked_"):  # a list attribute of a subclassed model
                attributes.append((attribute[len("_tracked_") :], list(child)))
            elif isinstance(child, Layer):
                attributes.append((attribute, child))
        if _is_model(layer) and not _is_graph_model(layer):
            attributes.append(("layers", layer.layers))
        for attribute, child in sorted(attributes, key=lambda item: _name_key(item[0])):
            if isinstance(child, list):
                container([c for c in child if isinstance(c, Layer)], f"{path}{attribute}/")
            else:
                visit(child, f"{path}{attribute}/")

    visit(model, "")
    return found


def _name_key(name: str) -> str:
    return f"~{name}" if name.startswith("_") else name  # private attributes last, as Keras


def _is_graph_model(layer) -> bool:
    """A Sequential or Functional model (or a subclass of one), whose layers Keras lists first."""
    return any(
        cls.__name__ in ("Sequential", "Functional") and cls.__module__.startswith("layerfit.")
        for cls in type(layer).__mro__
    )


def keras_paths(model: Layer) -> list[tuple[str, Layer, list]]:
    """``(group path, layer, [its own weights in Keras's order])`` for every layer with weights,
    as Keras 3 names the groups in its weights file."""
    found: list[tuple[str, Layer, list]] = []
    for path, layer in keras_layers(model):
        # Its own weights, and those of plain torch modules inside it (TorchModuleWrapper):
        # every weight not held by a sublayer, which gets its own group.
        held = {
            id(p) for child in layer.children() if isinstance(child, Layer) for p in child.weights
        }
        if _is_model(layer):
            held |= {id(p) for child in layer.layers for p in child.weights}
        own = [p for p in layer.weights if id(p) not in held]
        if own:
            found.append((f"{path}vars", layer, own))
    return found


def asset_layers(model: Layer) -> list[tuple[str, Layer]]:
    """``(path prefix, layer)`` of the layers with files of their own in ``assets/`` (those
    with ``save_assets``/``load_assets``, as Keras's vocabulary layers); a layer inside one
    belongs to it (TextVectorization writes its lookup's vocabulary itself)."""
    found: list[tuple[str, Layer]] = []
    for path, layer in keras_layers(model):
        if not hasattr(layer, "load_assets") or not hasattr(layer, "save_assets"):
            continue
        if not any(path.startswith(outer) for outer, _ in found):
            found.append((path, layer))
    return found


# -- reading ------------------------------------------------------------------------------------


def open_file(source, data: bytes | bytearray | None = None):
    """An h5py File on a path, or on bytes read from an archive member."""
    h5py = require_h5py()
    try:
        return h5py.File(io.BytesIO(data) if data is not None else source, "r")
    except OSError as error:
        raise LayerfitValueError(
            explain(
                f"{source!r} is not a readable HDF5 file ({error}).",
                "a complete .weights.h5 or .keras file written by Keras or layerfit.",
                "the file was probably cut short or damaged: copy or save it again.",
            )
        ) from None


def read_weights(
    file, model: Layer, source: str, max_bytes=None, skip_mismatch: bool = False
) -> dict[str, torch.Tensor]:
    """``{layerfit weight key: tensor}`` for ``model`` from an open Keras 3 weights file.

    Every dataset is checked from its metadata before any is read. A layer whose group is
    missing or holds another number of variables is an error naming it (with
    ``skip_mismatch``, it is left out and ``assign_weights`` warns).
    """
    from layerfit.saving import _weights

    keys = {id(param): key for key, _, param in _weights.weight_entries(model)}
    plan, total = [], 0
    for path, layer, own in keras_paths(model):
        group = _get(file, path, source)
        names = sorted(group.keys(), key=lambda n: int(n) if n.isdigit() else -1) if group else []
        if len(names) != len(own) or any(not n.isdigit() for n in names):
            if skip_mismatch:
                continue
            if group is None or len(names) != len(own):
                _layers_differ(file, model, source)
            raise LayerfitValueError(
                explain(
                    f"Layer {layer.name!r} ({type(layer).__name__}) has {len(own)} weights but "
                    f"{source} holds {len(names)} under {path!r}.",
                    "a weights file saved from a model with the same layers in the same order.",
                    "build the model exactly as the one that saved the file (compare "
                    "model.summary()), or pass skip_mismatch=True to load what fits.",
                )
            )
        for name, param in zip(names, own):
            dataset = _dataset(group, name, f"{path}/{name}", source)
            total += int(np.prod(dataset.shape, dtype=np.int64)) * dataset.dtype.itemsize
            plan.append((keys[id(param)], dataset))
    _limits.check("max_bytes", total, "the weights it holds", source, max_bytes)
    # Only now is data read: each dataset into an array of the size checked above.
    return {key: torch.from_numpy(np.ascontiguousarray(dataset[()])) for key, dataset in plan}


def read_layer_state(file, model: Layer, source: str) -> None:
    """Gives each vocabulary layer the named state Keras keeps beside the weights
    (``<layer>/vars/idf_weights`` of a tf-idf lookup), each dataset checked before it is read."""
    for path, layer in asset_layers(model):
        group = _get(file, f"{path}vars", source)
        if group is None:
            continue
        names = [name for name in group.keys() if not name.isdigit()]
        store = {}
        for name in names:
            dataset = _dataset(group, name, f"{path}vars/{name}", source)
            if len(dataset.shape) != 1 or dataset.shape[0] > _MAX_STATE_VALUES:
                _refuse(source, f"{path}vars/{name!r} has shape {dataset.shape}")
            store[name] = dataset[()]
        if store:
            layer.load_own_variables(store)


# A vocabulary's idf weights: one value a token, bounded as the vocabulary file is.
_MAX_STATE_VALUES = 2**24


def _layers_differ(file, model: Layer, source: str) -> None:
    """Our error listing both sides' layers, when the file was saved from another model."""
    from layerfit.saving import _weights

    h5py = require_h5py()
    saved = []

    def collect(name, node):
        if isinstance(node, h5py.Dataset) and name.split("/")[-2:-1] == ["vars"]:
            parts = [p for p in name.split("/") if p not in ("layers", "vars")]
            if parts and parts[0] != "optimizer":
                saved.append(("/".join(parts), node))

    file.visititems(collect)
    saved.sort(key=lambda item: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", item[0])])
    _weights._count_mismatch(_weights.weight_entries(model), saved, source)


def _get(file, path: str, source: str):
    """The group at ``path``, following hard links only (no other file is ever opened)."""
    h5py = require_h5py()
    node = file
    for part in path.split("/"):
        if not isinstance(node, h5py.Group) or part not in node:
            return None
        link = node.get(part, getlink=True)
        if not isinstance(link, h5py.HardLink):
            _refuse(source, f"{path!r} is a link to another file or path ({type(link).__name__})")
        node = node[part]
    return node if isinstance(node, h5py.Group) else None


def _dataset(group, name: str, path: str, source: str):
    h5py = require_h5py()
    link = group.get(name, getlink=True)
    if not isinstance(link, h5py.HardLink):
        _refuse(source, f"{path!r} is a link ({type(link).__name__})")
    dataset = group[name]
    if not isinstance(dataset, h5py.Dataset):
        _refuse(source, f"{path!r} is not a dataset")
    if dataset.external or dataset.is_virtual:
        _refuse(source, f"{path!r} keeps its data outside the file")
    if dataset.dtype.kind not in "fiub" or dataset.dtype.name not in _DTYPES:
        _refuse(source, f"{path!r} has dtype {dataset.dtype}, not a number type we read")
    if dataset.shape is None:
        _refuse(source, f"{path!r} has no shape")
    return dataset


def _refuse(source: str, reason: str) -> None:
    raise LayerfitValueError(
        explain(
            f"{source} cannot be read safely: {reason}.",
            "a weights file written by Keras's or layerfit's save_weights() or save().",
            "save the weights again from the model; layerfit reads plain numeric datasets only.",
        )
    )


# -- writing ------------------------------------------------------------------------------------


def write_weights(model: Layer, optimizer: bool = False) -> bytes:
    """The model's weights as a Keras 3 ``.weights.h5`` file (bytes), in Keras's layout; with
    ``optimizer``, the trained optimizer's state too (``optimizer/vars``, for ``.keras``)."""
    h5py = require_h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        for path, layer, own in keras_paths(model):
            group = file.require_group(path)
            group.attrs["name"] = layer.name
            for index, param in enumerate(own):
                group.create_dataset(str(index), data=np.asarray(layer.weight_to_keras(param)))
        # State kept beside the weights (a tf-idf lookup's "idf_weights"), as Keras writes it.
        for path, layer in asset_layers(model):
            store: dict = {}
            layer.save_own_variables(store)
            for where in ("", *getattr(layer, "_state_copies", ())) if store else ():
                group = file.require_group(f"{path}{where}vars")
                group.attrs["name"] = layer.name
                for name, value in store.items():
                    group.create_dataset(name, data=np.asarray(value))
        if optimizer:
            from layerfit.saving import _keras_optimizer

            _keras_optimizer.write(model, file)
        # Keras also makes empty groups for weightless layers; it reads files without them.
        file.require_group("vars").attrs["name"] = model.name
    return buffer.getvalue()
