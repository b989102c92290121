"""Limits on what a file may make the loader read or allocate, checked before allocating.

A model file is data from anywhere: a few KB of JSON can declare a layer of billions of
weights, and a zip member of a few KB can inflate to gigabytes. Every size a file declares
(member sizes, JSON length and nesting, tensor bytes, the weights its config implies) is
compared with these limits first. A trusted big model raises them with
``load_model(path, max_bytes=...)`` or ``layerfit.saving.set_load_limits(...)``.
"""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain

_DEFAULTS = {
    # Weights (and optimizer state) of one model: 16 GiB covers a 4-billion-parameter
    # float32 model; anything bigger is a choice a user makes for a file they trust.
    "max_bytes": 16 * 2**30,
    # A config.json is kilobytes; the largest Keras application configs are ~1 MB.
    "max_json_bytes": 64 * 2**20,
    # Nesting of JSON objects and lists: a model inside a model adds about 6 levels.
    "max_json_depth": 256,
}
_limits = dict(_DEFAULTS)

_HOW = {
    "max_bytes": "load_model(path, max_bytes={value}) (or load_weights(path, max_bytes=...)), "
    "or layerfit.saving.set_load_limits(max_bytes={value})",
    "max_json_bytes": "layerfit.saving.set_load_limits(max_json_bytes={value})",
    "max_json_depth": "layerfit.saving.set_load_limits(max_json_depth={value})",
}


def set_load_limits(max_bytes=None, max_json_bytes=None, max_json_depth=None) -> dict:
    """Raises (or lowers) the sizes a loaded file may declare; returns the previous limits.

    Args:
        max_bytes: the most bytes of weights (and, separately, of optimizer state) a model
            file may hold or its config imply. Defaults to None (unchanged; 16 GiB at start).
        max_json_bytes: the longest config.json or JSON string read. Defaults to None
            (unchanged; 64 MiB at start).
        max_json_depth: the deepest nesting of JSON objects and lists. Defaults to None
            (unchanged; 256 at start).

    Example:
    >>> previous = layerfit.saving.set_load_limits(max_bytes=64 * 2**30)  # a trusted big model
    >>> model = layerfit.saving.load_model("big.keras")
    >>> layerfit.saving.set_load_limits(**previous)
    """
    previous = dict(_limits)
    for name, value in (
        ("max_bytes", max_bytes),
        ("max_json_bytes", max_json_bytes),
        ("max_json_depth", max_json_depth),
    ):
        if value is None:
            continue
        _check_limit(name, value)
        _limits[name] = int(value)
    return previous


def limit(name: str, override=None) -> int:
    """The limit in force: the call's own argument when given, else the setting."""
    if override is not None:
        _check_limit(name, override)
        return int(override)
    return _limits[name]


def check(name: str, declared: int, what: str, source: str, override=None) -> None:
    """Raises our error when ``declared`` exceeds the limit ``name``."""
    allowed = limit(name, override)
    if declared <= allowed:
        return
    wanted = _round_up(declared)
    raise LayerfitValueError(
        explain(
            f"{source}: {what} is {_size(declared, name)}, over the {name} limit of "
            f"{_size(allowed, name)}; nothing was allocated.",
            f"{name} <= {allowed}: files from untrusted sources stay within it.",
            "if you trust this file, raise the limit: "
            + _HOW[name].format(value=wanted)
            + "; otherwise the file is damaged or hostile.",
        )
    )


def _check_limit(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LayerfitValueError(
            explain(
                f"{name}={value!r}.",
                f"{name} as a positive whole number.",
                f"set_load_limits({name}={_DEFAULTS[name]})",
            )
        )


def _round_up(value: int) -> int:
    """A limit a little above ``value``: a whole number of GiB/MiB when it is that big."""
    for unit in (2**30, 2**20):
        if value >= unit:
            return -(-value // unit) * unit
    return value


def _size(value: int, name: str) -> str:
    if name == "max_json_depth":
        return f"{value} levels"
    if value >= 2**30:
        return f"{value} bytes ({value / 2**30:.1f} GiB)"
    if value >= 2**20:
        return f"{value} bytes ({value / 2**20:.1f} MiB)"
    return f"{value} bytes"
