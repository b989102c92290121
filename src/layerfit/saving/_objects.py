"""Objects <-> JSON configs: Keras's serialize_keras_object / deserialize_keras_object.

A config names a class by ``module`` and ``class_name`` as Keras writes them
(``{"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": None}``).
Loading looks a name up in the user's ``custom_objects``, the registry filled by
``register_serializable``, or the public names of layerfit's own modules, and nowhere else:
no module named by a file is ever imported, so a file cannot run code.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import numpy as np
import torch

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.saving._registration import (
    NAMES,
    CustomObjectScope,
    SafeModeScope,
    get_registered_name,
    get_registered_object,
    registered_by_bare_name,
)

# Families a config may name, searched in this order when the module is unknown; functions
# (activations, loss and metric functions) come only from the last three.
FUNCTION_FAMILIES = ("activations", "losses", "metrics")
FAMILIES = (
    "layers",
    "models",
    "losses",
    "metrics",
    "optimizers",
    "initializers",
    "regularizers",
    "constraints",
    "activations",
    "optimizers.schedules",
    "mixed_precision",  # LossScaleOptimizer, DTypePolicy
    "utils",  # FeatureSpace
)


# -- serialize --------------------------------------------------------------------------------


def serialize_keras_object(obj) -> Any:
    """Turns an object into JSON-compatible data: Keras's ``{"module", "class_name", ...}``.

    Plain values, lists and dicts are kept (tuples become lists, numpy scalars Python
    numbers); objects with ``get_config`` and named functions become config dicts.

    Example:
    >>> serialize_keras_object(layerfit.layers.Dense(2))["class_name"]
    'Dense'
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (np.ndarray, torch.Tensor)):
        return np.asarray(obj.detach().cpu() if torch.is_tensor(obj) else obj).tolist()
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, torch.dtype):
        return str(obj).removeprefix("torch.")
    if not inspect.isclass(obj) and hasattr(obj, "get_config"):
        return _serialize_instance(obj)
    if callable(obj) and not inspect.isclass(obj) and hasattr(obj, "__name__"):
        name = getattr(obj, "__name__", "")
        if name == "<lambda>":
            raise LayerfitValueError(
                explain(
                    "Cannot save a lambda function: its code would have to be stored and run "
                    "at load time, which layerfit never does.",
                    "a named function (def my_fn(...)) registered with "
                    "@layerfit.saving.register_serializable().",
                    "replace the lambda by a def and register it.",
                )
            )
        return {
            "module": _module_of(obj),
            "class_name": "function",
            "config": _function_name(obj),
            "registered_name": get_registered_name(obj),
        }
    raise LayerfitTypeError(
        explain(
            f"Cannot serialize {obj!r} of type {type(obj).__name__}.",
            "numbers, strings, lists, dicts, layerfit objects or registered functions.",
            "give custom objects a get_config() and register them with "
            "@layerfit.saving.register_serializable().",
        )
    )


def _serialize_instance(obj) -> dict:
    cls = type(obj)
    config = obj.get_config()
    if not (isinstance(config, dict) and "input_layers" in config):  # a graph rebuilds itself
        _check_config_covers_init(obj)
    if isinstance(config, dict) and isinstance(config.get("layers"), list):
        from layerfit.saving._config import enrich_layer_entries  # a model: complete its layers

        config = enrich_layer_entries(obj, config)
    result = {
        "module": _module_of(cls),
        "class_name": cls.__name__,
        "config": serialize_keras_object(config),
        "registered_name": NAMES.get(cls) or (None if _is_builtin(cls) else cls.__name__),
    }
    shape = getattr(obj, "_build_input_shape", None)
    if getattr(obj, "built", False) and shape is not None:
        result["build_config"] = {"input_shape": serialize_keras_object(shape)}
    return result


def _check_config_covers_init(obj) -> None:
    """A custom class that keeps the base get_config cannot be rebuilt: say so at save time."""
    cls = type(obj)
    if _is_builtin(cls) or _overrides_get_config(cls):
        return
    try:
        parameters = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return
    required = [
        p.name
        for p in parameters
        if p.name != "self"
        and p.default is p.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if required:
        listed = ", ".join(f"'{name}': self.{name}" for name in required)
        raise LayerfitValueError(
            explain(
                f"{cls.__name__} needs constructor arguments {required} but has no get_config(), "
                "so it cannot be rebuilt when the file is loaded.",
                "a get_config() returning every argument __init__ needs.",
                f"add to {cls.__name__}: def get_config(self): "
                f"return {{**super().get_config(), {listed}}}",
            )
        )


def _overrides_get_config(cls) -> bool:
    for klass in cls.__mro__:
        if "get_config" in klass.__dict__:
            return not _is_builtin(klass)
    return False


def _is_builtin(obj) -> bool:
    return (getattr(obj, "__module__", "") or "").startswith("layerfit.")


def _module_of(obj) -> str | None:
    module = getattr(obj, "__module__", None) or ""
    if not module.startswith("layerfit."):
        return module or None
    parts = [p for p in module.split(".")[1:] if not p.startswith("_")]
    return "keras." + ".".join(parts) if parts else "keras"


def _function_name(fn) -> str:
    if fn in NAMES:
        return NAMES[fn]
    if _is_builtin(fn) and (fn.__module__ or "").startswith("layerfit.activations"):
        from layerfit import activations

        name = activations.serialize(fn)
        if isinstance(name, str):
            return name
    return fn.__name__


# -- deserialize ------------------------------------------------------------------------------


def deserialize_keras_object(
    config, custom_objects: dict | None = None, safe_mode: bool = True, **kwargs
):
    """Rebuilds an object from ``serialize_keras_object``'s output.

    Classes are found in ``custom_objects``, the registry, or layerfit's public modules; a
    file never makes layerfit import a module or run code.

    Args:
        config: the serialized data.
        custom_objects: a dict mapping names to your classes and functions. Defaults to None.
        safe_mode: refuse Lambda layers, as Keras does; with False a Lambda's function is
            taken from ``custom_objects`` (code is never read). Defaults to True.

    Example:
    >>> layer = deserialize_keras_object({"module": "keras.layers", "class_name": "Dense",
    ...                                   "config": {"units": 2}})
    """
    with SafeModeScope(safe_mode):
        return _deserialize(config, custom_objects)


def _deserialize(config, custom_objects: dict | None):
    if isinstance(config, list):
        return [deserialize_keras_object(item, custom_objects) for item in config]
    if not isinstance(config, dict):
        return config
    if "class_name" not in config:
        return {
            key: deserialize_keras_object(value, custom_objects) for key, value in config.items()
        }
    if config["class_name"] == "function":
        return resolve_function(config, custom_objects)
    if config["class_name"] == "__keras_tensor__":
        raise LayerfitValueError(
            explain(
                "A symbolic tensor config was found outside a functional model config.",
                "symbolic tensors only inside a Model's inbound_nodes.",
            )
        )
    cls = resolve_class(config, custom_objects)
    obj = from_config(cls, config.get("config") or {}, custom_objects)
    shape = (config.get("build_config") or {}).get("input_shape")
    if shape is not None and not getattr(obj, "built", True):
        from layerfit.saving._config import as_shape, build_from_shape

        build_from_shape(obj, as_shape(shape))
    return obj


def from_config(cls, inner: dict, custom_objects: dict | None = None):
    """``cls.from_config(inner)`` with custom objects inside resolved, and a clear error."""
    if not hasattr(cls, "from_config"):
        raise LayerfitValueError(
            explain(
                f"{cls.__name__} has no from_config() and cannot be loaded from a config.",
                "a class with get_config() and from_config().",
            )
        )
    if not isinstance(inner, dict):
        _bad_config(f"the config of {cls.__name__} is {type(inner).__name__}, not an object")
    takes_custom = "custom_objects" in _parameters(cls.from_config)
    if not takes_custom:  # a from_config taking custom_objects resolves its own entries
        inner = {key: resolve_custom_values(value, custom_objects) for key, value in inner.items()}
    try:
        if takes_custom:
            return cls.from_config(inner, custom_objects=custom_objects)
        with CustomObjectScope(custom_objects):
            return cls.from_config(inner)
    except LayerfitTypeError:
        raise
    except TypeError as error:
        raise LayerfitTypeError(
            explain(
                f"{cls.__name__}.from_config() failed: {error}.",
                f"get_config() of {cls.__name__} returning exactly the arguments its __init__ "
                "accepts.",
                f"make {cls.__name__}.get_config() return every __init__ argument "
                "({**super().get_config(), 'units': self.units, ...}), or define a from_config "
                "classmethod.",
            )
        ) from None


def resolve_custom_values(value, custom_objects: dict | None):
    """Replaces serialized custom objects nested in a config by the objects themselves.

    Built-in objects stay as configs: each layerfit constructor reads its own.
    """
    if isinstance(value, list):
        return [resolve_custom_values(item, custom_objects) for item in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        return {key: resolve_custom_values(item, custom_objects) for key, item in value.items()}
    found = _lookup_custom(value, custom_objects)
    if found is None:
        return value
    if value["class_name"] == "function" or not inspect.isclass(found):
        return found
    return from_config(found, value.get("config") or {}, custom_objects)


def _lookup_custom(config: dict, custom_objects: dict | None):
    names = [config.get("registered_name"), config.get("class_name")]
    if config.get("class_name") == "function":
        names.insert(0, config.get("config"))
    for name in names:
        if isinstance(name, str):
            found = get_registered_object(name, custom_objects)
            if found is not None:
                return found
    # Written without its registered name (e.g. a hand-made config): match the bare name.
    bare = next((name for name in names if isinstance(name, str)), None)
    if bare and ">" not in bare and not _is_layerfit_module(config.get("module")):
        return registered_by_bare_name(bare)
    return None


def resolve_class(config: dict, custom_objects: dict | None = None):
    """The class a config names: custom objects, then the registry, then layerfit's modules."""
    class_name = config.get("class_name")
    if not isinstance(class_name, str):
        _bad_config(f"class_name {class_name!r} is not a string")
    module = config.get("module")
    if isinstance(module, str) and module.startswith(
        ("keras.src.ops", "keras.ops", "layerfit.ops")
    ):
        from layerfit.layers._op_layer import op_class  # an op node (Add, GetItem): ours only

        found = op_class(class_name)
        if found is None:
            _not_found("class", class_name, config.get("module"))
        return found
    found = _lookup_custom(config, custom_objects)
    if found is None:
        found = _builtin(class_name, config.get("module"), want_class=True)
    if found is None:
        _not_found("class", class_name, config.get("module"))
    return found


def resolve_function(config: dict, custom_objects: dict | None = None):
    """The function a ``{"class_name": "function", "config": name}`` entry names."""
    name = config.get("config")
    if not isinstance(name, str):
        _bad_config(f"function name {name!r} is not a string")
    found = _lookup_custom(config, custom_objects)
    if found is None:
        found = _builtin(name, config.get("module"), want_class=False)
    if found is None:
        _not_found("function", name, config.get("module"))
    return found


def _is_layerfit_module(module) -> bool:
    return isinstance(module, str) and (
        module == "keras" or module.startswith(("keras.", "layerfit."))
    )


def _family(module) -> str | None:
    """'keras.layers', 'keras.src.layers.core.dense', 'layerfit.losses' -> the family name."""
    if not _is_layerfit_module(module):
        return None
    parts = [p for p in module.split(".")[1:] if p not in ("src",) and not p.startswith("_")]
    for length in (2, 1):
        candidate = ".".join(parts[:length])
        if candidate in FAMILIES:
            return candidate
    return None


def _application_layer(name: str, module):
    """A layer class an application module lists in ``LAYER_CLASSES`` (ConvNeXt's LayerScale),
    for a module written as Keras's ('keras.src.applications.convnext'); only modules that
    ``layerfit.applications`` lists are imported."""
    if not (_is_layerfit_module(module) and ".applications." in f"{module}."):
        return None
    family = module.rsplit(".", 1)[-1]
    applications = importlib.import_module("layerfit.applications")
    if family not in getattr(applications, "__all__", ()):
        return None
    namespace = importlib.import_module(f"layerfit.applications.{family}")
    return getattr(namespace, "LAYER_CLASSES", {}).get(name)


def _builtin(name: str, module, want_class: bool):
    """A public class or function of layerfit's own modules; nothing else is ever imported."""
    if want_class:
        found = _application_layer(name, module)
        if found is not None:
            return found
    family = _family(module)
    order = ([family] if family else []) + [f for f in FAMILIES if f != family]
    if not want_class:
        order = [f for f in order if f in FUNCTION_FAMILIES]
    for candidate in order:
        try:
            namespace = importlib.import_module(f"layerfit.{candidate}")
        except ImportError:
            continue
        public = getattr(namespace, "__all__", ())
        obj = getattr(namespace, name, None) if name in public else None
        if obj is not None and inspect.isclass(obj) == want_class:
            return obj
        if not want_class and candidate == "activations" and hasattr(namespace, "get"):
            try:
                return namespace.get(name)
            except ValueError:
                continue
    return None


def _parameters(fn) -> dict:
    try:
        return dict(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return {}


def _not_found(kind: str, name: str, module) -> None:
    where = f" (module {module!r})" if module else ""
    raise LayerfitValueError(
        explain(
            f"Could not locate {kind} {name!r}{where} while loading.",
            f"a layerfit {kind}, or your own registered with "
            "@layerfit.saving.register_serializable() or passed in custom_objects.",
            f"decorate {name} with @layerfit.saving.register_serializable() before loading, or "
            f"pass custom_objects={{'{name.split('>')[-1]}': {name.split('>')[-1]}}} to "
            "load_model().",
        )
    )


def _bad_config(reason: str) -> None:
    raise LayerfitValueError(
        explain(
            f"The saved config is invalid: {reason}.",
            "a config written by layerfit's save() or to_json().",
            "save the model again; if you edited the JSON by hand, check that entry.",
        )
    )
