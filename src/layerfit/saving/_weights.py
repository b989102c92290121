"""A model's weights as named tensors in Keras's layout, and back, with clear mismatch errors.

Each weight is keyed by the path of layer names to it and its own name, e.g. ``dense/kernel``
or ``encoder/dense/bias``, in ``get_weights()`` order. Loading matches by key, or by position
when only the automatic names differ (``dense_3`` in this session, ``dense`` in the file).
"""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers import Layer


def weight_entries(model: Layer) -> list[tuple[str, Layer, torch.nn.Parameter]]:
    """``(key, owning layer, parameter)`` for every weight, in ``get_weights`` order."""
    keys: dict[int, str] = {}
    owners: dict[int, Layer] = {}

    def walk(module: torch.nn.Module, prefix: str) -> None:
        if isinstance(module, Layer):
            for name in module._weight_names:
                param = getattr(module, name)
                keys.setdefault(id(param), prefix + name)
                owners.setdefault(id(param), module)
        for name, param in module.named_parameters(recurse=False):
            keys.setdefault(id(param), prefix + name)
        for attribute, child in module.named_children():
            if isinstance(child, Layer):
                walk(child, f"{prefix}{child.name}/")
            elif isinstance(child, (torch.nn.ModuleList, torch.nn.ModuleDict)) and all(
                isinstance(grandchild, Layer) for grandchild in child.children()
            ):
                walk(child, prefix)  # a model's list of layers adds nothing to the path
            else:
                walk(child, f"{prefix}{attribute}/")

    walk(model, "")
    entries, used = [], set()
    for index, param in enumerate(model.weights):
        key = keys.get(id(param), f"weight_{index}")
        if key in used:
            key = f"{key}_{index}"
        used.add(key)
        entries.append((key, owners.get(id(param), model), param))
    return entries


def weights_to_tensors(model: Layer) -> dict[str, object]:
    """``{key: array in Keras's layout}`` in ``get_weights`` order."""
    return {key: owner.weight_to_keras(param) for key, owner, param in weight_entries(model)}


def assign_weights(
    model: Layer,
    tensors: dict[str, torch.Tensor],
    source: str,
    skip_mismatch: bool = False,
    partial: bool = False,
) -> None:
    """Sets every weight from ``tensors``; checks all shapes before changing anything.

    With ``skip_mismatch``, weights whose shape (or key, when the counts differ) does not
    match are left as they are, with a warning naming them. With ``partial`` (a reader that
    already paired and checked them, such as Keras 2's by-name loading), the weights whose
    keys are absent are left as they are, silently.
    """
    entries = weight_entries(model)
    saved = list(tensors.items())
    if partial:
        entries = [entry for entry in entries if entry[0] in tensors]
    if {key for key, _, _ in entries} == set(tensors):
        pairs = [(entry, (entry[0], tensors[entry[0]])) for entry in entries]
    elif len(entries) == len(saved):
        pairs = list(zip(entries, saved))
    elif skip_mismatch:
        pairs = [(entry, (entry[0], tensors[entry[0]])) for entry in entries if entry[0] in tensors]
    else:
        _count_mismatch(entries, saved, source)
    paired = {entry[0] for entry, _ in pairs}
    skipped = [key for key, _, _ in entries if key not in paired]
    converted = []
    for (key, owner, param), (saved_key, value) in pairs:
        try:
            tensor = owner.weight_from_keras(param, value)
        except (RuntimeError, ValueError, TypeError):
            tensor = None
        if tensor is not None and tuple(tensor.shape) == tuple(param.shape):
            converted.append((param, tensor))
            continue
        expected = tuple(owner.weight_to_keras(param).shape)
        if skip_mismatch:
            skipped.append(f"{key} {expected} vs {tuple(value.shape)}")
            continue
        raise LayerfitValueError(
            explain(
                f"Weight shape mismatch in layer {owner.name!r}: its weight "
                f"{key.rsplit('/', 1)[-1]!r} has shape {expected} in the model but "
                f"{tuple(value.shape)} in {source} (entry {saved_key!r}).",
                "the same architecture as the model that saved the file.",
                "build the model with the same layer sizes and input shape as when it was "
                "saved (compare model.summary() with the saving script), or pass "
                "skip_mismatch=True to load only the weights that fit.",
            )
        )
    _warn_converted(pairs, source)
    if skipped:
        warn(
            f"load_weights(skip_mismatch=True) left {len(skipped)} weights as they were: "
            f"{skipped[:5]}.",
            "weights whose names and shapes match the file.",
            "this is expected when reusing part of a model; check the list if it is not.",
        )
    with torch.no_grad():
        for param, tensor in converted:
            param.copy_(tensor.to(device=param.device, dtype=param.dtype))


def _warn_converted(pairs, source: str) -> None:
    """Integer or boolean values for float weights are converted, as Keras's assign does,
    with a warning: a float model saved by layerfit or Keras never holds them."""
    odd = [
        f"{key} ({str(value.dtype).removeprefix('torch.')})"
        for (key, _, param), (_, value) in pairs
        if param.is_floating_point() and not value.is_floating_point()
    ]
    if odd:
        warn(
            f"{source} holds {len(odd)} non-float weights for float weights of the model, "
            f"converted to float: {odd[:5]}.",
            "float weights, as model.save() and save_weights() write them.",
            "check where the file came from; save the weights again from a float model.",
        )


def _count_mismatch(entries, saved, source: str) -> None:
    model_layers = _group(key for key, _, _ in entries)
    file_layers = _group(key for key, _ in saved)
    shapes = {key: tuple(value.shape) for key, value in saved}
    model_shapes = {key: tuple(owner.weight_to_keras(param).shape) for key, owner, param in entries}
    detail = ""
    for position, (mine, theirs) in enumerate(zip(model_layers, file_layers)):
        if [model_shapes[k] for k in model_layers[mine]] != [
            shapes[k] for k in file_layers[theirs]
        ]:
            detail = (
                f" The first difference is layer {position + 1}: {mine!r} has weights "
                f"{[model_shapes[k] for k in model_layers[mine]]} in the model, {theirs!r} has "
                f"{[shapes[k] for k in file_layers[theirs]]} in the file."
            )
            break
    raise LayerfitValueError(
        explain(
            f"The model has {len(entries)} weights in {len(model_layers)} layers "
            f"({', '.join(model_layers)}) but {source} has {len(saved)} in {len(file_layers)} "
            f"layers ({', '.join(file_layers)}).{detail}",
            "a file saved from a model with the same architecture.",
            "build the same layers in the same order as the model that saved the file.",
        )
    )


def _group(keys) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key.rsplit("/", 1)[0] if "/" in key else "(model)", []).append(key)
    return groups
