"""Keras 2's legacy HDF5 weights (``model.save_weights("w.h5")``, ``model.save("m.h5")`` and
Keras's published ``keras-applications`` files), read by topology or by layer name.

The root (or its ``model_weights`` group, in a whole-model file) lists ``layer_names``; each
layer's group lists ``weight_names`` (``"Conv1/kernel:0"``), in Keras's order. The checks of
``_keras_h5`` apply: hard links and plain numeric datasets only, every shape and dtype from
the metadata, the ``max_bytes`` limit, all before any data is read.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers import Layer
from layerfit.saving import _keras_h5, _limits


def is_legacy(file, source: str = "the file") -> bool:
    """Whether an open HDF5 file is in Keras 2's layout."""
    if "layer_names" in file.attrs:
        return True
    root = _keras_h5._get(file, "model_weights", source)  # hard links only
    return root is not None and "layer_names" in root.attrs


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# The most entries an attribute may declare (a layer-name list of a huge model has thousands).
# Its bytes cannot exceed the file's, whose size the caller checks first.
_MAX_ATTRIBUTE_ITEMS = 2**20


def attribute(group, name: str, source: str):
    """An attribute's value, its declared entry count checked before it is read (None when
    absent). Keras splits long lists into ``name0``, ``name1``, ... (see names_attribute)."""
    if name not in group.attrs:
        return None
    shape = group.attrs.get_id(name).shape or ()
    if int(np.prod(shape, dtype=np.int64)) > _MAX_ATTRIBUTE_ITEMS:
        _keras_h5._refuse(source, f"its attribute {name!r} declares {shape} entries")
    return group.attrs[name]


def names_attribute(group, name: str, source: str) -> list[str]:
    """A list of names stored as Keras writes it: one attribute, or chunks ``name0``, ..."""
    value = attribute(group, name, source)
    if value is None:
        chunks, index = [], 0
        while f"{name}{index}" in group.attrs and index < 10_000:
            chunks.extend(attribute(group, f"{name}{index}", source))
            index += 1
        value = chunks
    if isinstance(value, (str, bytes)) or getattr(value, "ndim", 1) != 1:
        _keras_h5._refuse(source, f"its attribute {name!r} is not a list of names")
    return [_text(item) for item in value]


def legacy_weights(layer: Layer) -> list:
    """A layer's weights in Keras 2's order: trainable, then the others (sublayers' included)."""
    return layer.trainable_weights + layer.non_trainable_weights


def weights_root(file, source: str):
    """The group holding ``layer_names``: the root of a weights file, ``model_weights`` of a
    whole-model file."""
    if "layer_names" not in file.attrs and "model_weights" in file:
        root = _keras_h5._get(file, "model_weights", source)
        if root is None:
            _keras_h5._refuse(source, "its 'model_weights' is not a group")
        return root
    return file


def read_weights(
    file, model: Layer, source: str, max_bytes=None, skip_mismatch=False, by_name=False
):
    """``{layerfit weight key: tensor}`` from a Keras 2 file, as Keras 2's ``load_weights``
    pairs them: layers with weights in order (``by_name=False``, the default), or by layer name
    (layers missing from the file keep their weights). Shapes are compared from the file's
    metadata before any data is read."""
    from layerfit.saving import _weights

    root = weights_root(file, source)
    keys = {id(param): (key, owner) for key, owner, param in _weights.weight_entries(model)}
    saved = []  # (file layer name, its group, its weight names), layers with weights only
    for name in names_attribute(root, "layer_names", source):
        group = _keras_h5._get(root, name, source)
        if group is None:
            _keras_h5._refuse(source, f"the layer {name!r} it lists has no group")
        names = names_attribute(group, "weight_names", source)
        if names:
            saved.append((name, group, names))
    pairs = _pair_by_name(model, saved) if by_name else _pair_in_order(model, saved, source)
    plan, total, skipped = [], 0, []
    for layer, (saved_name, group, names) in pairs:
        own = legacy_weights(layer)
        if len(names) != len(own):
            if skip_mismatch and by_name:
                skipped.append(f"{layer.name} ({len(own)} weights, {len(names)} in the file)")
                continue
            _count_differs(layer, len(own), saved_name, len(names), source)
        for name, param in zip(names, own):
            dataset = _dataset_at(group, name, source)
            key, owner = keys[id(param)]
            expected = tuple(owner.weight_to_keras(param).shape)
            if tuple(dataset.shape) != expected:
                if skip_mismatch:
                    skipped.append(f"{key} {expected} vs {tuple(dataset.shape)}")
                    continue
                _shape_differs(layer, key, expected, saved_name, name, dataset.shape, source)
            total += int(np.prod(dataset.shape, dtype=np.int64)) * dataset.dtype.itemsize
            plan.append((key, dataset))
    _limits.check("max_bytes", total, "the weights it holds", source, max_bytes)
    if skipped:
        _skipped(skipped)
    # Only now is data read: each dataset into an array of the size checked above.
    return {key: torch.from_numpy(np.ascontiguousarray(dataset[()])) for key, dataset in plan}


def _pair_in_order(model: Layer, saved: list, source: str) -> list:
    layers = [layer for layer in model.layers if legacy_weights(layer)]
    if len(layers) != len(saved):
        raise LayerfitValueError(
            explain(
                f"The model has {len(layers)} layers with weights "
                f"({', '.join(layer.name for layer in layers[:8])}"
                f"{', ...' if len(layers) > 8 else ''}) but {source} holds weights for "
                f"{len(saved)} ({', '.join(name for name, _, _ in saved[:8])}"
                f"{', ...' if len(saved) > 8 else ''}).",
                "a Keras 2 file saved from a model with the same layers in the same order "
                "(load_weights matches them by position).",
                "build the model as the one that saved the file (compare model.summary()), or "
                "load_weights(path, by_name=True, skip_mismatch=True) to load the layers whose "
                "names match.",
            )
        )
    return list(zip(layers, saved))


def _pair_by_name(model: Layer, saved: list) -> list:
    index = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    return [(layer, entry) for entry in saved for layer in index.get(entry[0], [])]


def _count_differs(layer, expected: int, saved_name: str, received: int, source: str) -> None:
    raise LayerfitValueError(
        explain(
            f"Layer {layer.name!r} ({type(layer).__name__}) has {expected} weights but "
            f"{source} holds {received} for its layer {saved_name!r}.",
            "a Keras 2 file saved from a model with the same layers.",
            "build the model as the one that saved the file (compare model.summary()), or "
            "pass by_name=True, skip_mismatch=True to load the layers that fit.",
        )
    )


def _shape_differs(layer, key, expected, saved_name, name, shape, source) -> None:
    raise LayerfitValueError(
        explain(
            f"Weight shape mismatch in layer {layer.name!r}: its weight {key!r} has shape "
            f"{expected} in the model but {tuple(shape)} in {source} (layer {saved_name!r}, "
            f"weight {name!r}).",
            "the same architecture as the model that saved the file.",
            "build the model with the same layer sizes and input shape as when it was saved "
            "(compare model.summary()), or pass skip_mismatch=True to load what fits.",
        )
    )


def _skipped(what: list) -> None:
    warn(
        f"load_weights(skip_mismatch=True) left {len(what)} weights as they were: {what[:5]}.",
        "weights whose counts and shapes match the file.",
        "this is expected when reusing part of a model; check it if it is not.",
    )


def _dataset_at(group, name: str, source: str):
    """A dataset under ``group`` at a relative path such as ``Conv1/kernel:0``."""
    parts = name.split("/")
    node = _keras_h5._get(group, "/".join(parts[:-1]), source) if len(parts) > 1 else group
    if node is None:
        _keras_h5._refuse(source, f"the weight {name!r} it lists is missing")
    return _keras_h5._dataset(node, parts[-1], name, source)
