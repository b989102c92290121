"""The registry of custom classes and functions, so saved models find them by name.

``register_serializable`` files an object under ``'package>name'``; ``CustomObjectScope``
adds names for the duration of a ``with`` block. Loading looks names up here and in the
``custom_objects`` a user passes, never anywhere else.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain

REGISTERED: dict[str, Any] = {}  # "package>name" -> class or function
NAMES: dict[Any, str] = {}  # class or function -> "package>name"
_scopes = threading.local()


def register_serializable(package: str = "Custom", name: str | None = None):
    """Registers a class or function so saved models find it by name, without custom_objects.

    Args:
        package: the package part of the registered name ``'package>name'``.
            Defaults to 'Custom'.
        name: the name part. Defaults to the class or function's ``__name__``.

    Example:
    >>> @register_serializable(package="my_project")
    ... class Scale(layerfit.layers.Layer):
    ...     def get_config(self):
    ...         return super().get_config()
    >>> get_registered_name(Scale)
    'my_project>Scale'
    """
    if inspect.isclass(package) or inspect.isfunction(package):
        return register_serializable()(package)  # used bare: @register_serializable
    if not isinstance(package, str) or (name is not None and not isinstance(name, str)):
        raise LayerfitTypeError(
            explain(
                f"register_serializable got package={package!r}, name={name!r}.",
                "strings (or name=None for the object's own name).",
                "use @register_serializable() or @register_serializable(package='mine').",
            )
        )

    def decorator(obj):
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise LayerfitValueError(
                explain(
                    f"Cannot register class {obj.__name__}: it has no get_config() method.",
                    "a class with get_config() returning its constructor arguments.",
                    "subclass a layerfit Layer, Loss or Metric, or define get_config().",
                )
            )
        key = f"{package}>{name or obj.__name__}"
        REGISTERED[key] = obj  # re-running a notebook cell replaces the earlier definition
        NAMES[obj] = key
        return obj

    return decorator


register_keras_serializable = register_serializable


def get_registered_name(obj) -> str:
    """The name ``obj`` was registered under ('package>name'), else its ``__name__``."""
    return NAMES.get(obj) or getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(
    name: str, custom_objects: dict | None = None, module_objects: dict | None = None
):
    """The class or function registered (or passed in ``custom_objects``) as ``name``, or None.

    Example:
    >>> get_registered_object("my_project>Scale") is Scale
    True
    """
    for mapping in (*_active_scopes(), REGISTERED, custom_objects or {}, module_objects or {}):
        if name in mapping:
            return mapping[name]
    return None


def registered_by_bare_name(name: str):
    """The one object registered as 'package>name', for configs that say only 'name'; or None."""
    matches = [obj for key, obj in REGISTERED.items() if key.split(">", 1)[-1] == name]
    return matches[0] if len(matches) == 1 else None


def get_custom_objects() -> dict:
    """The live registry of ``register_serializable`` objects, keyed by 'package>name'."""
    return REGISTERED


class CustomObjectScope:
    """Within ``with CustomObjectScope({'name': obj}):``, loading finds these objects by name.

    Args:
        custom_objects: a dict mapping names to classes or functions.

    Example:
    >>> with CustomObjectScope({"Scale": Scale}):
    ...     model = layerfit.models.load_model("model.keras")
    """

    def __init__(self, custom_objects: dict):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _active_scopes().append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _active_scopes().pop()


custom_object_scope = CustomObjectScope


def _active_scopes() -> list[dict]:
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


class SafeModeScope:
    """Within ``with SafeModeScope(False):`` loading may take Lambda functions from
    ``custom_objects``; by default (safe mode) a saved Lambda is refused, as Keras does.

    Scopes nest: an inner scope cannot turn safe mode back off once an outer one set it on,
    and ``SafeModeScope(True)`` inside an unsafe scope keeps it unsafe only for the caller
    that asked (``effective = asked and outer``).
    """

    def __init__(self, safe_mode: bool = True):
        self.safe_mode = bool(safe_mode) and in_safe_mode()

    def __enter__(self):
        _safe_modes().append(self.safe_mode)
        return self

    def __exit__(self, *exc_info):
        _safe_modes().pop()


def in_safe_mode() -> bool:
    """Whether the current load runs in safe mode (True unless ``safe_mode=False`` was given)."""
    stack = _safe_modes()
    return stack[-1] if stack else True


def _safe_modes() -> list[bool]:
    if not hasattr(_scopes, "safe_modes"):
        _scopes.safe_modes = []
    return _scopes.safe_modes
