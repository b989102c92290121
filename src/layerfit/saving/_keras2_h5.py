"""Keras 2's legacy HDF5 weights (``model.save_weights("w.h5")``, ``model.save("m.h5")`` and
Keras's published ``keras-applications`` files), read by layer name.

The root (or its ``model_weights`` group, in a whole-model file) lists ``layer_names``; each
layer's group lists ``weight_names`` (``"Conv1/kernel:0"``), in Keras's order. The checks of
``_keras_h5`` apply: hard links and plain numeric datasets only, every shape and dtype from
the metadata, the ``max_bytes`` limit, all before any data is read.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import Layer
from layerfit.saving import _keras_h5, _limits


def is_legacy(file) -> bool:
    """Whether an open HDF5 file is in Keras 2's layout."""
    root = file["model_weights"] if "model_weights" in file else file
    return "layer_names" in root.attrs


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def read_weights(file, model: Layer, source: str, max_bytes=None, skip_mismatch=False):
    """``{layerfit weight key: tensor}`` from a Keras 2 file, matched by layer name."""
    from layerfit.saving import _weights

    if "model_weights" in file:
        _keras_h5._get(file, "model_weights", source)
        root = file["model_weights"]
    else:
        root = file
    saved_layers = [_text(name) for name in root.attrs["layer_names"]]
    keys = {id(param): key for key, _, param in _weights.weight_entries(model)}
    plan, total = [], 0
    for _, layer, own in _keras_h5.keras_paths(model):
        group = _keras_h5._get(root, layer.name, source) if layer.name in saved_layers else None
        names = [_text(n) for n in group.attrs.get("weight_names", [])] if group else []
        if len(names) != len(own):
            if skip_mismatch:
                continue
            raise LayerfitValueError(
                explain(
                    f"Layer {layer.name!r} ({type(layer).__name__}) has {len(own)} weights but "
                    f"{source} holds {len(names)} for a layer of that name.",
                    "a Keras 2 weights file saved from a model with the same layer names.",
                    "build the model with the layer names of the saving model (compare "
                    "model.summary()), or pass skip_mismatch=True to load what fits.",
                )
            )
        for name, param in zip(names, own):
            dataset = _dataset_at(group, name, source)
            total += int(np.prod(dataset.shape, dtype=np.int64)) * dataset.dtype.itemsize
            plan.append((keys[id(param)], dataset))
    _limits.check("max_bytes", total, "the weights it holds", source, max_bytes)
    return {key: torch.from_numpy(np.ascontiguousarray(dataset[()])) for key, dataset in plan}


def _dataset_at(group, name: str, source: str):
    """A dataset under ``group`` at a relative path such as ``Conv1/kernel:0``."""
    parts = name.split("/")
    node = _keras_h5._get(group, "/".join(parts[:-1]), source) if len(parts) > 1 else group
    if node is None:
        _keras_h5._refuse(source, f"the weight {name!r} it lists is missing")
    return _keras_h5._dataset(node, parts[-1], name, source)
