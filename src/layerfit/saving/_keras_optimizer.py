"""The optimizer state of Keras 3 ``.keras`` files: ``optimizer/vars/0, 1, ...`` in the weights.

Keras numbers its optimizer's variables in creation order: ``iteration``, ``learning_rate``
(absent with a schedule), then each group of slots over ``model.trainable_variables``, a
group's slots interleaved per variable (Adam: ``kernel_momentum, kernel_velocity,
bias_momentum, ...``, then the AMSGrad ``velocity_hat`` group), then scalar extras
(Nadam's ``u_product``). The orders below were read from Keras 3.15's optimizers. The file
holds no names, so an optimizer whose layout is not known here is never matched by position:
the loader warns that the state was not restored instead.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit.saving import _keras_h5

# Keras's slot groups, per optimizer class, in creation order; a group's slots interleave.
SLOT_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Adam": (("momentum", "velocity"), ("velocity_hat",)),
    "AdamW": (("momentum", "velocity"), ("velocity_hat",)),
    "Adamax": (("momentum", "norm"),),
    "Nadam": (("momentum", "velocity"),),
    "SGD": (("momentum",),),
    "RMSprop": (("velocity",), ("momentum",), ("average_gradient",)),
    "Adagrad": (("accumulator",),),
    "Adadelta": (("accumulated_grad", "accumulated_delta_var"),),
}
SCALARS_AFTER: dict[str, tuple[str, ...]] = {"Nadam": ("u_product",)}


def layout(model, optimizer):
    """``(entries, reason)``: Keras's variable list for ``optimizer`` on ``model`` as
    ``("iterations",)``, ``("learning_rate",)``, ``("slot", name, our index, owner, param)``
    and ``("extra", name)``; or ``(None, why not)``. Builds the optimizer if needed."""
    kind = type(optimizer).__name__
    if kind not in SLOT_GROUPS:
        return None, f"layerfit does not know the order of {kind}'s variables in Keras files"
    if optimizer.use_ema or optimizer.gradient_accumulation_steps:
        return None, "use_ema and gradient_accumulation_steps add variables not matched here"
    if not optimizer.built:
        optimizer.build([p for p in model.parameters() if p.requires_grad])
    owners = {id(p): layer for _, layer, own in _keras_h5.keras_paths(model) for p in own}
    # Keras's model.trainable_variables: layers in tracking order, each layer's own first.
    order = [p for p in model.trainable_weights if p.requires_grad]
    if any(id(p) not in owners for p in order):
        return None, "some trainable weights have no place in Keras's file"
    ours = {id(p): i for i, p in enumerate(optimizer._params)}
    if len(order) != len(ours) or any(id(p) not in ours for p in order):
        return None, "the optimizer's variables are not the model's trainable weights"
    slots = optimizer._slot_names()
    groups = SLOT_GROUPS[kind]
    if set(slots) - {name for group in groups for name in group}:
        return None, f"{kind} has slots {list(slots)} that Keras's file does not lay out"
    entries: list[tuple] = [("iterations",)]
    if isinstance(optimizer._learning_rate, float):
        entries.append(("learning_rate",))
    for group in groups:
        names = [name for name in group if name in slots]
        for param in order:
            for name in names:
                entries.append(("slot", name, ours[id(param)], owners[id(param)], param))
    entries += [("extra", name) for name in SCALARS_AFTER.get(kind, ())]
    return entries, ""


def restore(model, file, source: str) -> str:
    """Loads Keras's optimizer variables into ``model.optimizer``; returns "" when done, else
    the reason it was not (nothing is changed then). Every dataset is checked (links, dtype,
    shape against the weight it belongs to) before any value is copied."""
    group = _keras_h5._get(file, "optimizer/vars", source)
    if group is None:
        return "the file's optimizer group holds no variables"
    names = list(group.keys())
    if sorted(names) != sorted(str(i) for i in range(len(names))):
        return "the file's optimizer variables are not numbered 0, 1, ..."
    return _restore(model, group, [str(i) for i in range(len(names))], "optimizer/vars/", source)


def restore_legacy(model, file, source: str) -> str:
    """The same for Keras 3's legacy ``.h5`` (``optimizer_weights``, its ``weight_names`` in
    Keras 3's variable order); "" when done, else the reason it was not."""
    from layerfit.saving import _keras2_h5

    version = _keras2_h5.attribute(file, "keras_version", source)
    version = version.decode("utf-8") if isinstance(version, bytes) else str(version)
    if not version.startswith("3."):
        return (
            f"the file was written by Keras {version}, whose optimizer variables are laid out "
            "differently"
        )
    group = _keras_h5._get(file, "optimizer_weights", source)
    if group is None:
        return "the file's optimizer group holds no variables"
    names = _keras2_h5.names_attribute(group, "weight_names", source)
    return _restore(model, group, names, "optimizer_weights/", source)


def _restore(model, group, names: list[str], where: str, source: str) -> str:
    optimizer = model.optimizer
    entries, reason = layout(model, optimizer)
    if entries is None:
        return reason
    scalars = [entry for entry in entries if entry[0] in ("iterations", "learning_rate")]
    if len(names) == len(scalars):  # Keras's optimizer was never built: no slots yet
        entries = scalars
    if len(names) != len(entries):
        return (
            f"the file holds {len(names)} optimizer variables where {type(optimizer).__name__} "
            f"on this model has {len(entries)}"
        )
    values = []
    for name, entry in zip(names, entries):
        node = (
            _keras_h5._get(group, "/".join(name.split("/")[:-1]), source) if "/" in name else group
        )
        if node is None or name.split("/")[-1] not in node:
            return f"the file names {name!r} but does not hold it"
        dataset = _keras_h5._dataset(node, name.split("/")[-1], f"{where}{name}", source)
        if entry[0] == "slot":
            expected = tuple(entry[3].weight_to_keras(entry[4]).shape)
        else:
            expected = ()
        if tuple(dataset.shape) != expected:
            return f"{where}{name} has shape {dataset.shape}, expected {expected}"
        values.append(dataset[()])
    extras = {}
    with torch.no_grad():
        for entry, value in zip(entries, values):
            if entry[0] == "iterations":
                optimizer._iterations = int(value)
            elif entry[0] == "learning_rate":
                optimizer._learning_rate = float(value)
            elif entry[0] == "extra":
                extras[entry[1]] = float(value)
            else:
                _, name, ours, owner, param = entry
                slot = optimizer._slots[name][ours]
                slot.copy_(owner.weight_from_keras(param, np.asarray(value)).to(slot))
    if extras:
        optimizer._load_extra_state(extras)
    return ""


def write(model, file) -> str:
    """Writes ``model.optimizer``'s state as Keras lays it out (``optimizer/vars``); returns ""
    when written, else the reason it was not."""
    optimizer = getattr(model, "optimizer", None)
    # An optimizer not built yet is built here (its fresh state): Keras builds the optimizer
    # of a compiled model when it loads it, and expects every variable in the file.
    if getattr(model, "compiled", None) is None or optimizer is None:
        return "not compiled"
    entries, reason = layout(model, optimizer)
    if entries is None:
        return reason
    values = []
    for entry in entries:
        if entry[0] == "iterations":
            values.append(np.asarray(optimizer._iterations, dtype="int64"))
        elif entry[0] == "learning_rate":
            values.append(np.asarray(optimizer._learning_rate, dtype="float32"))
        elif entry[0] == "extra":
            values.append(np.asarray(optimizer._extra_state()[entry[1]], dtype="float32"))
        else:
            _, name, ours, owner, param = entry
            value = _slot_to_keras(owner, param, optimizer._slots[name][ours])
            if value is None:
                return f"{type(owner).__name__} keeps a weight in a layout not converted here"
            values.append(value)
    group = file.require_group("optimizer/vars")
    group.attrs["name"] = optimizer.name
    for index, value in enumerate(values):
        group.create_dataset(str(index), data=value)
    return ""


def _slot_to_keras(owner, param, slot: torch.Tensor):
    """A slot tensor in Keras's layout of its weight (conv kernels permuted), or None."""
    from layerfit.layers import Layer

    slot = slot.detach().cpu()
    layout_of = getattr(owner, "_layout_of", None)
    if layout_of is not None:
        found = layout_of(param)
        return (slot if found is None else found[1](slot)).numpy().copy()
    if type(owner).weight_to_keras is Layer.weight_to_keras:
        return slot.numpy().copy()
    return None
