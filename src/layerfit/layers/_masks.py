"""Masks: which timesteps are padding, carried from layer to layer as Keras 3 carries them.

A mask rides on the tensor it describes, as the attribute ``_keras_mask`` (a bool tensor, one
entry per timestep): the same place Keras 3 puts it on its torch backend, so code written for
Keras (``output._keras_mask``) reads it unchanged. A layer call with no mask in sight takes the
plain path; this module runs only when a mask is present or a layer makes one.
"""

from __future__ import annotations

import inspect

import torch

from layerfit._tree import flatten, map_structure
from layerfit.errors import warn


def get_mask(x):
    """The mask attached to ``x``, or None."""
    return getattr(x, "_keras_mask", None) if torch.is_tensor(x) else None


def set_mask(x, mask) -> None:
    """Attaches ``mask`` to ``x`` in place (None clears it)."""
    if torch.is_tensor(x):
        x._keras_mask = mask


def has_mask(structure) -> bool:
    if type(structure) is torch.Tensor:
        return getattr(structure, "_keras_mask", None) is not None
    if isinstance(structure, (list, tuple, dict)):
        return any(get_mask(leaf) is not None for leaf in flatten(structure))
    return False


def call_with_masks(layer, call, args: tuple, kwargs: dict):
    """Calls ``layer`` (through ``call``) with Keras's mask rules.

    Fills ``mask=`` (or ``<argument>_mask=`` when several tensors are passed) from the masks
    on the arguments, then attaches ``layer.compute_mask(inputs, previous_mask)`` to the
    outputs when the layer supports masking; a layer that does not drops the mask, with a
    warning once, as Keras warns.
    """
    first = args[0] if args else kwargs.get("inputs")
    names = _call_argument_names(layer)
    if "mask" in names or any(name.endswith("_mask") for name in names):
        kwargs = _fill_mask_arguments(layer, names, args, kwargs)
    explicit = kwargs.get("mask")
    previous_mask = explicit if explicit is not None else map_structure(get_mask, first)
    outputs = call(*args, **kwargs)
    if layer.supports_masking:
        _attach(layer, first, outputs, previous_mask)
    elif any(m is not None for m in flatten(previous_mask)) and not layer.__dict__.get(
        "_mask_warned"
    ):
        layer.__dict__["_mask_warned"] = True
        warn(
            f"Layer {layer.name!r} ({type(layer).__name__}) was passed an input with a mask "
            "attached to it, but it does not support masking: layers after it will not see "
            "the mask.",
            "a layer that supports masking (RNNs, Dense, Dropout, GlobalAveragePooling1D, "
            "merges, ...) after Embedding(mask_zero=True) or Masking.",
            "pool or run an RNN over the masked sequence first (GlobalAveragePooling1D, LSTM), "
            "or set supports_masking = True on your own layer if it keeps the timesteps.",
        )
    return outputs


def _attach(layer, inputs, outputs, previous_mask) -> None:
    flat_outputs = flatten(outputs)
    if all(get_mask(x) is not None for x in flat_outputs):
        return  # the layer set its own masks in call()
    masks = layer.compute_mask(inputs, previous_mask)
    if masks is None:
        return
    for tensor, mask in zip(flat_outputs, flatten(masks)):
        if mask is not None and get_mask(tensor) is None:
            set_mask(tensor, mask)


def _call_argument_names(layer) -> list[str]:
    cached = layer.__dict__.get("_call_argument_names")
    if cached is None:
        parameters = inspect.signature(layer.call).parameters.values()
        cached = [p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        layer.__dict__["_call_argument_names"] = cached
    return cached


def _fill_mask_arguments(layer, names: list[str], args: tuple, kwargs: dict) -> dict:
    """Keras's rule: one tensor argument fills ``mask``; several fill ``<name>_mask`` each."""
    bound = dict(zip(names, args))
    bound.update(kwargs)
    tensors = {
        name: value
        for name, value in bound.items()
        if not name.endswith("mask") and any(torch.is_tensor(leaf) for leaf in flatten(value))
    }
    kwargs = dict(kwargs)
    if len(tensors) == 1:
        if "mask" in names and bound.get("mask") is None:
            (value,) = tensors.values()
            mask = map_structure(get_mask, value)
            if any(m is not None for m in flatten(mask)):
                kwargs["mask"] = mask
    else:
        for name, value in tensors.items():
            key = f"{name}_mask"
            if key in names and bound.get(key) is None:
                mask = map_structure(get_mask, value)
                if any(m is not None for m in flatten(mask)):
                    kwargs[key] = mask
    return kwargs
