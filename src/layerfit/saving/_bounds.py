"""What a model config may declare, checked before anything is allocated.

Two checks of a config, before and while the model is rebuilt:

- ``check_config``: every ``dtype`` a layer names is one of a fixed list (a name from a file
  never reaches ``getattr(torch, ...)``), and every declared shape is made of sizes >= 0.
- ``bounded``: while the model is rebuilt, each weight is counted before it is allocated;
  the one that would take the total past the weights the file holds (or the ``max_bytes``
  limit) is refused, so a small file cannot declare a big model.
"""

from __future__ import annotations

import contextlib

from layerfit.errors import LayerfitValueError, explain
from layerfit.saving import _limits

# Weights are floating point; inputs may also be integer ids or booleans.
WEIGHT_DTYPES = ("float16", "bfloat16", "float32", "float64", "half", "float", "double")
# "string": an Input whose text stays a numpy array (no weights, nothing allocated).
INPUT_DTYPES = (*WEIGHT_DTYPES, "int8", "uint8", "int16", "int32", "int64", "bool", "string")
# Preprocessing layers whose dtype is that of their integer (or string) outputs: they make no
# weights of it, so the input dtypes are safe for them too (Keras writes HashedCrossing's int64).
_INTEGER_OUTPUT_LAYERS = (
    "CategoryEncoding",
    "Discretization",
    "FeatureSpace",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "StringLookup",
    "TextVectorization",
)
# Keys whose value is a declared input shape (a custom layer's own "shape" may mean anything).
_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape", "build_input_shape")


def check_config(entry, source: str) -> None:
    """Refuses dtypes outside the lists above and negative sizes in declared shapes."""
    stack = [entry]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        config = item.get("config")
        if "class_name" in item and isinstance(config, dict) and "dtype" in config:
            op = isinstance(item.get("module"), str) and ".ops" in item["module"]
            op = op or item["class_name"] in ("__numpy__", "__tensor__")  # an op's constant
            _check_dtype(config["dtype"], "InputLayer" if op else item["class_name"], source)
        for key in _SHAPE_KEYS:
            if key in item:
                _check_shape(item[key], key, source)
        stack.extend(item.values())


def _check_dtype(dtype, class_name, source: str) -> None:
    if dtype is None or isinstance(dtype, dict):  # the default, or a Keras DTypePolicy
        return
    inputs_like = ("InputLayer", "__keras_tensor__", *_INTEGER_OUTPUT_LAYERS)
    allowed = INPUT_DTYPES if class_name in inputs_like else WEIGHT_DTYPES
    if isinstance(dtype, str) and dtype in allowed:
        return
    hint = ""
    if dtype in INPUT_DTYPES:
        hint = f" {dtype} suits inputs (InputLayer), not the weights of a {class_name}."
    elif isinstance(dtype, str) and "complex" in dtype:
        hint = " layerfit layers compute on real numbers."
    raise LayerfitValueError(
        explain(
            f"{source}: layer {class_name!r} declares dtype {dtype!r}, which is not a dtype "
            f"layerfit loads.{hint}",
            f"one of {list(allowed)}.",
            "save the model again with float weights; if you edited the config by hand, "
            "write dtype 'float32'. (A name from a file is never looked up in torch.)",
        )
    )


def _check_shape(shape, key: str, source: str) -> None:
    dims = shape if isinstance(shape, list) else [shape]
    stack = list(dims)
    while stack:
        dim = stack.pop()
        if isinstance(dim, list):
            stack.extend(dim)
        elif isinstance(dim, dict):
            stack.extend(dim.values())
        elif dim is not None and (isinstance(dim, bool) or not isinstance(dim, int) or dim < 0):
            raise LayerfitValueError(
                explain(
                    f"{source}: the config declares {key} {shape!r}, with the size {dim!r}.",
                    "sizes that are whole numbers >= 0, or null for any size.",
                    "save the model again; if you edited the config by hand, fix that shape.",
                )
            )


@contextlib.contextmanager
def bounded(file_values: int | None, source: str, max_bytes=None):
    """While a model is rebuilt from a config: refuses, before allocating it, the weight that
    takes the total past the values the file holds (a 2 KB config cannot make the loader
    allocate gigabytes) or past the ``max_bytes`` limit (counted as float32)."""
    limit = _limits.limit("max_bytes", max_bytes)
    allowed = limit // 4
    if file_values is not None:
        allowed = min(allowed, file_values + _SLACK)

    def refuse(values: int, shape: tuple) -> None:
        if file_values is not None and values > file_values + _SLACK:
            raise LayerfitValueError(
                explain(
                    f"{source}: its config declares more weights than the file holds: "
                    f"{values} values by the weight of shape {tuple(shape)}, while its weights "
                    f"hold {file_values}; that weight was not allocated.",
                    "a config and weights saved together by model.save().",
                    "the file is damaged or was edited: save the model again.",
                )
            )
        _limits.check("max_bytes", values * 4, "the weights its config declares", source, limit)

    from layerfit.layers import _symbolic

    with _symbolic.weight_budget(allowed, refuse):
        yield


# A model may make a few weights that are not saved; far below any size that matters.
_SLACK = 4096
