"""keras.dtype_policies: Keras's names for the policies, their configs and lookup."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import dtype_policies
from layerfit.errors import LayerfitValueError


def test_policies_by_name_dict_and_instance():
    policy = dtype_policies.get("mixed_float16")
    assert (policy.variable_dtype, policy.compute_dtype) == ("float32", "float16")
    assert dtype_policies.get(policy) is policy
    config = dtype_policies.serialize(policy)
    assert config == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert dtype_policies.deserialize(config) == policy
    float_policy = dtype_policies.get(
        {"class_name": "FloatDTypePolicy", "config": {"name": "float16"}}
    )
    assert isinstance(float_policy, keras.DTypePolicy) and float_policy.compute_dtype == "float16"
    assert keras.FloatDTypePolicy is dtype_policies.FloatDTypePolicy


@pytest.mark.parametrize(
    "dtype",
    [
        dtype_policies.DTypePolicy("float64"),
        {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float64"}},
        np.float64,
        torch.float64,
        "float64",
    ],
    ids=["policy", "config", "numpy", "torch", "name"],
)
def test_every_spelling_of_a_float64_layer_makes_float64_weights(dtype):
    # A plain float64 policy once gave float32 weights silently.
    layer = keras.layers.Dense(2, dtype=dtype)
    out = layer(np.ones((1, 3)))
    assert layer.kernel.dtype == torch.float64 and out.dtype == torch.float64
    assert layer.dtype == "float64" and layer.compute_dtype == "float64"


def test_unknown_policies_get_our_errors():
    with pytest.raises(LayerfitValueError, match="no quantized policies"):
        dtype_policies.deserialize(
            {"class_name": "QuantizedDTypePolicy", "config": {"name": "int8"}}
        )
    with pytest.raises(LayerfitValueError, match="as a dtype policy"):
        dtype_policies.get(3.5)
