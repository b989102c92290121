"""Name -> initializer lookup (`get`, `serialize`, `deserialize`) for ``keras.initializers``."""

from __future__ import annotations

from layerfit import _registry
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.initializers._constant import Constant, Identity, Ones, Zeros
from layerfit.initializers._initializer import Initializer
from layerfit.initializers._random import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)
from layerfit.initializers._stft import STFT

INITIALIZERS = Registry("initializer")
for _cls, _names in (
    (Zeros, ("zeros", "zero")),
    (Ones, ("ones", "one")),
    (Constant, ("constant",)),
    (Identity, ("identity", "identity_initializer")),
    (STFT, ("stft", "stft_initializer")),
    (RandomNormal, ("random_normal", "normal")),
    (RandomUniform, ("random_uniform", "uniform")),
    (TruncatedNormal, ("truncated_normal",)),
    (VarianceScaling, ("variance_scaling",)),
    (GlorotUniform, ("glorot_uniform",)),
    (GlorotNormal, ("glorot_normal",)),
    (HeUniform, ("he_uniform",)),
    (HeNormal, ("he_normal",)),
    (LecunUniform, ("lecun_uniform",)),
    (LecunNormal, ("lecun_normal",)),
    (Orthogonal, ("orthogonal", "orthogonal_initializer")),
):
    INITIALIZERS.register(_cls, *_names)


def get(identifier):
    """Returns an initializer for `identifier`.

    Args:
        identifier: `None`, a name such as `"glorot_uniform"` or `"GlorotUniform"`, a config
            dict from `serialize`, an `Initializer` instance or class, or a callable
            `fn(shape, dtype=None)`.

    Example:
    >>> get("he_normal")
    HeNormal(seed=None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise LayerfitValueError(
        explain(
            f"Could not interpret initializer identifier: {identifier!r} "
            f"(of type {type(identifier).__name__}).",
            "a name such as 'glorot_uniform', an Initializer, or a function (shape, dtype).",
            "pass kernel_initializer='he_normal' or keras.initializers.HeNormal(seed=0).",
        )
    )


def serialize(initializer):
    """Returns Keras's config dict for `initializer` (`None` stays `None`).

    Example:
    >>> serialize(Zeros())["class_name"]
    'Zeros'
    """
    if initializer is None:
        return None
    if isinstance(initializer, Initializer):
        return {
            "module": "keras.initializers",
            "class_name": type(initializer).__name__,
            "config": initializer.get_config(),
            "registered_name": None,
        }
    name = getattr(initializer, "__name__", type(initializer).__name__)
    return {"module": None, "class_name": "function", "config": name, "registered_name": name}


def deserialize(config, custom_objects=None):
    """Builds an initializer from a name or a config dict made by `serialize`.

    Args:
        config: A name (`"zeros"`) or a dict with `class_name` and `config`.
        custom_objects: Optional dict mapping names to your own initializer classes or
            functions. Defaults to `None`.

    Example:
    >>> deserialize({"class_name": "Constant", "config": {"value": 2.0}})
    Constant(value=2.0)
    """
    custom_objects = custom_objects or {}
    class_name, kwargs = _registry.parse_config(config, "initializer", "zeros")
    if class_name == "function":
        class_name, kwargs = kwargs, {}
    if class_name in custom_objects:
        obj = custom_objects[class_name]
    else:
        obj = INITIALIZERS.get(class_name)
    if isinstance(obj, type):
        return obj.from_config(dict(kwargs)) if hasattr(obj, "from_config") else obj(**kwargs)
    return obj
