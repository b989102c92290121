"""Keras's ``keras.dtype_policies``: the policy classes and their lookup.

The policies themselves live in ``mixed_precision`` (Keras's older home for them); the
quantized policies (int8, float8, ...) are not offered: layerfit does not quantize layers.
"""

from __future__ import annotations

from layerfit._registry import parse_config
from layerfit.errors import LayerfitValueError, explain
from layerfit.mixed_precision._policy import DTypePolicy

__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "get", "serialize"]


class FloatDTypePolicy(DTypePolicy):
    """Keras's name for a plain (unquantized) policy; the same as `DTypePolicy`."""


_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}


def serialize(dtype_policy) -> dict:
    """Keras's config dict of a policy.

    Example:
    >>> serialize(DTypePolicy("mixed_float16"))["config"]
    {'name': 'mixed_float16'}
    """
    return {
        "module": "keras",
        "class_name": type(dtype_policy).__name__,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None) -> DTypePolicy:
    """A policy from `serialize`'s dict (or a policy name).

    Example:
    >>> deserialize({"class_name": "DTypePolicy", "config": {"name": "float16"}}).compute_dtype
    'float16'
    """
    if isinstance(config, str):
        return DTypePolicy(config)
    class_name, kwargs = parse_config(config, "dtype policy", "DTypePolicy")
    cls = (custom_objects or {}).get(class_name) or _CLASSES.get(class_name)
    if cls is None:
        raise LayerfitValueError(
            explain(
                f"Unknown dtype policy class {class_name!r}.",
                "DTypePolicy or FloatDTypePolicy (layerfit has no quantized policies).",
                "DTypePolicy('mixed_float16'), or a policy name such as 'float32'.",
            )
        )
    return cls.from_config(dict(kwargs))


def get(identifier) -> DTypePolicy:
    """A policy from a name ('float32', 'mixed_bfloat16', ...), a config dict or a policy.

    Example:
    >>> get("mixed_float16").variable_dtype
    'float32'
    """
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    raise LayerfitValueError(
        explain(
            f"Cannot interpret {identifier!r} as a dtype policy.",
            "a policy name such as 'float32' or 'mixed_float16', a config dict, or a DTypePolicy.",
            "keras.dtype_policies.get('mixed_float16')",
        )
    )
