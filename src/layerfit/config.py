"""Settings with environment overrides. Standard library only."""

from __future__ import annotations

import os
from pathlib import Path

_settings = {
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
}


def floatx() -> str:
    return _settings["floatx"]


def set_floatx(value: str) -> None:
    _settings["floatx"] = value


def epsilon() -> float:
    return _settings["epsilon"]


def set_epsilon(value: float) -> None:
    _settings["epsilon"] = float(value)


def image_data_format() -> str:
    return _settings["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    if data_format not in ("channels_last", "channels_first"):
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"Unknown image data format {data_format!r}.",
                "'channels_last' or 'channels_first'.",
            )
        )
    _settings["image_data_format"] = data_format


def data_dir() -> Path | None:
    """A read-only folder of datasets (``LAYERFIT_DATA_DIR``), or None when unset."""
    value = os.environ.get("LAYERFIT_DATA_DIR")
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """Where downloads are kept: ``LAYERFIT_CACHE_DIR``, else the user's cache folder."""
    value = os.environ.get("LAYERFIT_CACHE_DIR")
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "layerfit"
