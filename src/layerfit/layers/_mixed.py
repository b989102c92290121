"""Runs a mixed-policy layer's call under torch.autocast (entered once, at the outermost one),
and a float32 layer inside a mixed model (Keras's "last layer in float32") outside it."""

from __future__ import annotations

import torch

from layerfit._tree import flatten, map_structure

# active: inside a mixed layer's autocast, so inner mixed layers just call;
# entering: the layer whose call is being wrapped right now (its own re-entry passes through).
_state: dict = {"active": False, "entering": None}


def wraps(layer) -> bool:
    """Whether ``layer``'s call must go through ``call_autocast`` (it has a policy to apply)."""
    if _state["entering"] is layer:
        _state["entering"] = None
        return False
    return layer._autocast is False or not _state["active"]


def call_autocast(layer, args: tuple, kwargs: dict):
    """``layer(*args, **kwargs)`` in its compute dtype: half under autocast, or float32."""
    first = next((t for t in flatten((args, kwargs)) if torch.is_tensor(t)), None)
    device = first.device.type if first is not None else "cpu"
    was_active = _state["active"]
    _state["active"] = True
    _state["entering"] = layer
    try:
        if layer._autocast is False:  # a float32 layer: half inputs come back to float32
            args, kwargs = map_structure(_to_float32, (args, kwargs))
            with torch.autocast(device, enabled=False):
                return layer(*args, **kwargs)
        with torch.autocast(device, dtype=layer._autocast):
            return layer(*args, **kwargs)
    finally:
        _state["active"] = was_active
        _state["entering"] = None


def _to_float32(value):
    if torch.is_tensor(value) and value.dtype in (torch.float16, torch.bfloat16):
        return value.float()
    return value
