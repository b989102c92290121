"""keras.backend's dtype helpers and keras.utils' graph helpers, against Keras 3 itself."""

import keras
import numpy as np
import pytest
import torch

import layerfit

PAIRS = [
    ("int32", "float16"),
    ("int8", "uint8"),
    ("int64", "float32"),
    ("bool", "int8"),
    ("float16", "bfloat16"),
    ("uint8", "int32"),
    ("bool", "bool"),
]


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
def test_result_type_is_keras(pair):
    assert layerfit.backend.result_type(*pair) == keras.backend.result_type(*pair)


@pytest.mark.parametrize(
    "dtype", [np.float32, np.dtype("int8"), "bfloat16", float, bool, "uint16"], ids=str
)
def test_standardize_dtype_is_keras(dtype):
    assert layerfit.backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)
    assert layerfit.utils.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)
    assert layerfit.backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype)
    assert layerfit.backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype)


def test_torch_dtypes_and_bad_names():
    assert layerfit.backend.standardize_dtype(torch.int16) == "int16"
    with pytest.raises(layerfit.errors.LayerfitValueError, match="Invalid dtype: 'float'"):
        layerfit.backend.standardize_dtype("float")  # Keras raises too


def test_get_uid_counts_per_prefix_as_keras():
    ours = [layerfit.backend.get_uid("block") for _ in range(3)]
    theirs = [keras.backend.get_uid("block") for _ in range(3)]
    assert ours == theirs == [1, 2, 3]


def test_source_inputs_and_keras_tensors_as_keras():
    for library in (keras, layerfit):
        a, b = library.Input((3,), name="a"), library.Input((3,), name="b")
        joined = library.layers.Concatenate()([library.layers.Dense(2)(a), b])
        found = library.utils.get_source_inputs(joined)
        assert [t.name for t in found] == ["a", "b"], library.__name__
        assert library.utils.is_keras_tensor(joined) and not library.utils.is_keras_tensor(1.0)
        assert library.backend.is_keras_tensor(a)


def test_dtype_policy_configs_are_keras_configs():
    import keras

    import layerfit

    for name in ("float32", "mixed_float16", "mixed_bfloat16", "float16"):
        ours = layerfit.dtype_policies.serialize(layerfit.dtype_policies.get(name))
        theirs = keras.dtype_policies.serialize(keras.dtype_policies.get(name))
        assert ours == theirs
        back = layerfit.dtype_policies.deserialize(theirs)
        assert (back.variable_dtype, back.compute_dtype) == (
            keras.dtype_policies.get(name).variable_dtype,
            keras.dtype_policies.get(name).compute_dtype,
        )
