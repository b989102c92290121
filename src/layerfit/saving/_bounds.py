"""What a model config may declare, checked before anything is allocated.

Two passes over a config before the real load:

- ``check_config``: every ``dtype`` a layer names is one of a fixed list (a name from a file
  never reaches ``getattr(torch, ...)``), and every declared shape is made of sizes >= 0.
- ``measure``: the model is rebuilt on torch's ``meta`` device, where tensors have shapes but
  no memory, which gives the bytes its weights will take and its largest one-sample
  activation. Those are checked against the limits and against the weights the file holds.
"""

from __future__ import annotations

import contextlib

import torch

from layerfit.errors import LayerfitError, LayerfitValueError, explain
from layerfit.saving import _limits

# Weights are floating point; inputs may also be integer ids or booleans.
WEIGHT_DTYPES = ("float16", "bfloat16", "float32", "float64", "half", "float", "double")
INPUT_DTYPES = (*WEIGHT_DTYPES, "int8", "uint8", "int16", "int32", "int64", "bool")
_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape", "build_input_shape", "shape")


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
            _check_dtype(config["dtype"], item["class_name"], source)
        for key in _SHAPE_KEYS:
            if key in item:
                _check_shape(item[key], key, source)
        stack.extend(item.values())


def _check_dtype(dtype, class_name, source: str) -> None:
    if dtype is None or isinstance(dtype, dict):  # the default, or a Keras DTypePolicy
        return
    allowed = INPUT_DTYPES if class_name in ("InputLayer", "__keras_tensor__") else WEIGHT_DTYPES
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


def measure(rebuild) -> tuple[int, int, int] | None:
    """``(weight bytes, weight values, largest one-sample activation in bytes)`` of the model
    ``rebuild()`` makes, found on the meta device (no memory); None when a custom layer
    cannot run there (then only the file's own sizes bound the load)."""
    from layerfit.backend import _session

    names = dict(_session._name_counts)
    largest = [0]

    def record(module, args, output) -> None:
        for value in (output, *args):
            if torch.is_tensor(value):
                largest[0] = max(largest[0], value.numel() * value.element_size())

    hook = torch.nn.modules.module.register_module_forward_hook(record)
    try:
        with torch.device("meta"), _quiet():
            model = rebuild()
        weights = list(getattr(model, "weights", None) or model.parameters())
    except LayerfitError:
        raise
    except Exception:  # noqa: BLE001 - a custom layer that needs real data: measure nothing
        return None
    finally:
        hook.remove()
        _session._name_counts.clear()
        _session._name_counts.update(names)
    if any(w.device.type != "meta" for w in weights):
        return None
    byte_count = sum(w.numel() * w.element_size() for w in weights)
    return byte_count, sum(w.numel() for w in weights), largest[0]


@contextlib.contextmanager
def _quiet():
    """The dry run's warnings are the real load's warnings: shown once, by the real load."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def check_measured(measured, file_values: int | None, source: str, max_bytes=None) -> None:
    """The model the config describes fits the limits and the weights the file holds."""
    if measured is None:
        return
    byte_count, values, activation = measured
    _limits.check("max_bytes", byte_count, "the weights its config declares", source, max_bytes)
    _limits.check(
        "max_bytes", activation, "the largest activation its config implies", source, max_bytes
    )
    if file_values is not None and values > file_values:
        raise LayerfitValueError(
            explain(
                f"{source}: its config declares a model with {values} weight values, but "
                f"its weights hold {file_values}; nothing was allocated.",
                "a config and weights saved together by model.save().",
                "the file is damaged or was edited: save the model again.",
            )
        )
