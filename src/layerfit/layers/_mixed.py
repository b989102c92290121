"""Runs a mixed-policy layer's call under torch.autocast (entered once, at the outermost one)."""

from __future__ import annotations

import torch

from layerfit._tree import flatten

_state = {"active": False}  # inside a mixed layer's autocast: inner layers just call


def active() -> bool:
    return _state["active"]


def call_autocast(layer, args: tuple, kwargs: dict):
    """``layer(*args, **kwargs)`` with its half compute dtype under autocast."""
    first = next((t for t in flatten((args, kwargs)) if torch.is_tensor(t)), None)
    device = first.device.type if first is not None else "cpu"
    _state["active"] = True
    try:
        with torch.autocast(device, dtype=layer._autocast):
            return layer(*args, **kwargs)
    finally:
        _state["active"] = False
