"""Keras arguments layerfit accepts but cannot honour: each warns once, naming itself."""

from __future__ import annotations

from layerfit.errors import warn


def warn_not_implemented(layer: str, why: str, **arguments) -> None:
    """Warns for each argument that is set (not None/False): layerfit would ignore it."""
    for argument, value in arguments.items():
        if value is not None and value is not False:
            warn(
                f"{layer} got {argument}={value!r}, which layerfit does not implement: {why}",
                fix=f"drop {argument}=; the layer computes what it would without it.",
            )
