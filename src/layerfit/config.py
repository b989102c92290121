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


def _cap(value, setter: str):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"config.{setter}({value!r}) needs a positive whole number.",
                "an int >= 1, or None for no cap.",
                f"keras.config.{setter}(2)",
            )
        )
    return value


def _cap_from_environment(variable: str):
    value = os.environ.get(variable)
    if not value:
        return None
    try:
        return _cap(int(value), variable)
    except ValueError:
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"The environment variable {variable}={value!r} is not a whole number.",
                "a positive int, e.g. 2.",
                f"export {variable}=2, or unset it.",
            )
        ) from None


# -- Keras 3's keras.config getters and setters ---------------------------------------------------
# layerfit has one backend and no dtype policies; the settings it cannot apply say so when set.

_settings.update(
    {
        "max_epochs": _cap_from_environment("KERAS_MAX_EPOCHS"),
        "max_steps_per_epoch": _cap_from_environment("KERAS_MAX_STEPS_PER_EPOCH"),
        "interactive_logging": True,
        "traceback_filtering": True,
        "flash_attention": None,
        "unsafe_deserialization": False,
    }
)


def _warn_not_applied(what: str, expected: str, fix: str) -> None:
    from layerfit.errors import warn

    warn(what, expected, fix)


def backend() -> str:
    """The backend's name: always 'torch' (layerfit is Keras 3's API on PyTorch)."""
    return "torch"


def set_backend(backend: str) -> None:
    """Keras switches backends here; layerfit runs on PyTorch only, so only 'torch' is taken."""
    if backend != "torch":
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"config.set_backend({backend!r}): layerfit runs on PyTorch only.",
                "'torch'.",
                "for Keras's other backends, use Keras itself with KERAS_BACKEND set.",
            )
        )


def dtype_policy() -> str:
    """The global dtype policy's name: ``floatx()``, or a mixed policy ('mixed_bfloat16')."""
    return _settings.get("dtype_policy") or floatx()


_POLICIES = ("mixed_float16", "mixed_bfloat16", "float16", "bfloat16", "float32", "float64")


def set_dtype_policy(policy) -> None:
    """Sets the global policy (``keras.mixed_precision.set_global_policy``); a plain float
    policy ('float32', 'float64') also sets ``floatx``."""
    name = getattr(policy, "name", policy)
    if name not in _POLICIES:
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"set_dtype_policy({policy!r}) names no dtype policy.",
                f"one of {', '.join(repr(p) for p in _POLICIES)}.",
                "keras.mixed_precision.set_global_policy('mixed_bfloat16')",
            )
        )
    if name.startswith("mixed_"):
        _settings["dtype_policy"] = name
        return
    _settings["dtype_policy"] = None
    set_floatx(name)


def max_epochs():
    """The cap Keras puts on fit's epochs (None: no cap)."""
    return _settings["max_epochs"]


def set_max_epochs(max_epochs) -> None:
    """Caps the epochs of every ``fit`` (None: no cap), as Keras's debugging switch.

    ``KERAS_MAX_EPOCHS`` in the environment sets it at import, as in Keras.
    """
    _settings["max_epochs"] = _cap(max_epochs, "set_max_epochs")


def max_steps_per_epoch():
    """The cap Keras puts on each epoch's steps (None: no cap)."""
    return _settings["max_steps_per_epoch"]


def set_max_steps_per_epoch(max_steps_per_epoch) -> None:
    """Caps the steps of every epoch of ``fit``, ``evaluate`` and ``predict`` (None: no cap).

    ``KERAS_MAX_STEPS_PER_EPOCH`` in the environment sets it at import, as in Keras.
    """
    _settings["max_steps_per_epoch"] = _cap(max_steps_per_epoch, "set_max_steps_per_epoch")


def is_interactive_logging_enabled() -> bool:
    return _settings["interactive_logging"]


def enable_interactive_logging() -> None:
    _settings["interactive_logging"] = True


def disable_interactive_logging() -> None:
    _settings["interactive_logging"] = False
    _warn_not_applied(
        "config.disable_interactive_logging() is recorded, but layerfit always prints its "
        "progress to stdout (Keras sends it to absl logging instead).",
        "interactive logging enabled.",
        "pass verbose=0 to fit/evaluate/predict to silence the progress output.",
    )


def is_traceback_filtering_enabled() -> bool:
    return _settings["traceback_filtering"]


def enable_traceback_filtering() -> None:
    _settings["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    # layerfit does not trim tracebacks (its own errors already name cause and fix), so the
    # full traceback is what both settings show.
    _settings["traceback_filtering"] = False


def is_flash_attention_enabled():
    """None (PyTorch picks its attention kernel), or what was last enabled or disabled."""
    return _settings["flash_attention"]


def _flash_attention(enabled: bool) -> None:
    _settings["flash_attention"] = enabled
    _warn_not_applied(
        f"config.{'enable' if enabled else 'disable'}_flash_attention() is recorded, but "
        "PyTorch's scaled_dot_product_attention picks its own kernel (flash when it can).",
        "no call: PyTorch decides per device and dtype.",
        "use torch.nn.attention.sdpa_kernel(...) to force a kernel.",
    )


def enable_flash_attention() -> None:
    _flash_attention(True)


def disable_flash_attention() -> None:
    _flash_attention(False)


def enable_unsafe_deserialization() -> None:
    """Keras's switch for loading lambdas from saved configs: layerfit never loads code."""
    _settings["unsafe_deserialization"] = True
    _warn_not_applied(
        "config.enable_unsafe_deserialization() changes nothing: layerfit never loads code "
        "(lambdas, pickles) from a saved file.",
        "no call.",
        "rebuild Lambda layers in code and pass custom objects to load_model(custom_objects=...).",
    )


# -- The language of layerfit's messages (layerfit only: Keras speaks English) ---------------------


def get_language() -> str:
    """The language of errors, warnings and notices: 'en' (default) or 'ko'.

    ``set_language``'s choice, else ``LAYERFIT_LANG``, else the locale (``ko_KR`` in ``LC_ALL``,
    ``LC_MESSAGES`` or ``LANG``, read in that order); English everywhere else.
    """
    from layerfit._messages import get_language as current

    return current()


def set_language(language) -> None:
    """Sets the language of messages: 'ko' (한국어), 'en', or None to follow the environment.

    Only the prose is translated: code, names and values inside a message stay as written,
    and the exception types do not change.
    """
    from layerfit._messages import set_language as choose

    choose(language)


def is_nnx_enabled() -> bool:
    """Flax NNX is a JAX feature: never enabled here."""
    return False


__all__ = [
    "backend",
    "cache_dir",
    "data_dir",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "get_language",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_language",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]
