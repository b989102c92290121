"""Keras's dtype helpers on names: standardize_dtype, is_float_dtype, is_int_dtype, result_type."""

from __future__ import annotations

import torch

from layerfit import config

_PYTHON = {int: "int64", float: "float32", bool: "bool", str: "string"}
_ALLOWED = frozenset(
    {
        "float16",
        "float32",
        "float64",
        "bfloat16",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "int8",
        "int16",
        "int32",
        "int64",
        "bool",
        "string",
        "complex64",
        "complex128",
        "float8_e4m3fn",
        "float8_e5m2",
    }
)


def standardize_dtype(dtype) -> str:
    """A dtype's Keras name: None -> floatx(), float -> 'float32', np.int32 / torch.int32 ->
    'int32', as Keras's."""
    if dtype is None:
        return config.floatx()
    name = _PYTHON.get(dtype, dtype)
    if isinstance(name, torch.dtype):
        name = str(name).removeprefix("torch.")
    elif hasattr(name, "name"):  # numpy dtypes and scalar types
        name = name.name
    elif hasattr(name, "__name__"):  # np.float32 the type
        name = name.__name__
    if name not in _ALLOWED:
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"Invalid dtype: {dtype!r}.",
                f"one of {sorted(_ALLOWED)}, a numpy or torch dtype, or a Python type.",
                "dtype='float32'",
            )
        )
    return name


def is_float_dtype(dtype) -> bool:
    name = standardize_dtype(dtype)
    return name.startswith(("float", "bfloat"))


def is_int_dtype(dtype) -> bool:
    name = standardize_dtype(dtype)
    return name.startswith(("int", "uint"))


def result_type(*dtypes) -> str:
    """The dtype that ``dtypes`` combine into (floatx() for none), by torch's promotion, which
    agrees with Keras's lattice for the common float, int and bool mixes."""
    if not dtypes:
        return config.floatx()
    names = [standardize_dtype(d) for d in dtypes]
    if "string" in names:
        if all(name == "string" for name in names):
            return "string"
        from layerfit.errors import LayerfitValueError, explain

        raise LayerfitValueError(
            explain(
                f"result_type() cannot combine strings with numbers: {names}.",
                "all strings, or all numeric dtypes.",
                "convert the strings to numbers first.",
            )
        )
    result = getattr(torch, names[0])
    for name in names[1:]:
        result = torch.promote_types(result, getattr(torch, name))
    return str(result).removeprefix("torch.")
