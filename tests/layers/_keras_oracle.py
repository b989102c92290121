"""Real Keras 3 (JAX backend) as the oracle: same weights, same inputs, outputs and gradients.

Importing this module skips the test file when Keras or JAX is not installed.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
jax = pytest.importorskip("jax")
if keras.backend.backend() != "jax":  # another test imported Keras with another backend first
    pytest.skip("the Keras oracle runs on the JAX backend", allow_module_level=True)
jnp = jax.numpy


def _as_jax(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_as_jax(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_jax(v) for k, v in value.items()}
    return jnp.asarray(value) if isinstance(value, np.ndarray) else value


def _as_torch(value, grad: bool = False):
    if isinstance(value, (list, tuple)):
        return type(value)(_as_torch(v, grad) for v in value)
    if isinstance(value, dict):
        return {k: _as_torch(v, grad) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        tensor = torch.from_numpy(value.copy())
        return tensor.requires_grad_(grad and tensor.is_floating_point())
    return value


def _first(output):
    return output[0] if isinstance(output, (list, tuple)) else output


def keras_weights(layer) -> list:
    """Keras's weights as numpy (its ``get_weights`` warns under numpy 2)."""
    return [np.array(v.value) for v in layer.weights]  # writable copies


def keras_outputs(layer, args, kwargs=None):
    """Keras's output (numpy, first output if several) and its gradients of sum(out * probe).

    Gradients are taken with respect to the floating inputs (positional arrays) and the
    trainable weights, in ``layer.trainable_weights`` order.
    """
    kwargs = kwargs or {}
    jax_args = _as_jax(list(args))
    jax_kwargs = _as_jax(kwargs)
    output = np.asarray(_first(layer(*jax_args, **jax_kwargs)))
    probe = np.random.default_rng(7).normal(size=output.shape).astype(output.dtype)
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    floating = [i for i, a in enumerate(args) if np.issubdtype(np.asarray(a).dtype, np.floating)]

    def objective(weights, inputs):
        call_args = list(jax_args)
        for index, value in zip(floating, inputs):
            call_args[index] = value
        out, _ = layer.stateless_call(weights, non_trainable, *call_args, **jax_kwargs)
        return jnp.sum(_first(out) * probe)

    weight_grads, input_grads = jax.grad(objective, argnums=(0, 1))(
        trainable, [jax_args[i] for i in floating]
    )
    return output, [np.asarray(g) for g in input_grads], [np.asarray(g) for g in weight_grads]


def _grad_in_keras_layout(layer, weight) -> np.ndarray:
    """A weight's gradient in Keras's layout: converted as the weight itself is (a layer
    converts by identity, e.g. Conv2D's (out, in, kh, kw) kernel)."""
    owner = layer._owner_of(weight)
    if weight.grad is None:
        return np.zeros_like(owner.weight_to_keras(weight))
    saved = weight.data
    weight.data = weight.grad
    try:
        return np.array(owner.weight_to_keras(weight))
    finally:
        weight.data = saved


def our_outputs(layer, args, kwargs=None):
    """The same as ``keras_outputs`` for a layerfit layer."""
    torch_args = [_as_torch(a, grad=True) for a in args]
    output = _first(layer(*torch_args, **_as_torch(kwargs or {})))
    probe = np.random.default_rng(7).normal(size=tuple(output.shape)).astype(np.float32)
    (output * torch.from_numpy(probe)).sum().backward()
    input_grads = [
        a.grad.numpy() for a in torch_args if torch.is_tensor(a) and a.is_floating_point()
    ]
    weight_grads = [_grad_in_keras_layout(layer, w) for w in layer.trainable_weights]
    return output.detach().numpy(), input_grads, weight_grads


def assert_matches_keras(ours, theirs, args, kwargs=None, atol=1e-5, weights=True):
    """Builds both layers on ``args``, copies Keras's weights into ours, compares everything.

    Outputs, input gradients and weight gradients agree within ``atol`` (absolute, float32).
    """
    jax_args = _as_jax(list(args))
    theirs(*jax_args, **_as_jax(kwargs or {}))  # builds Keras's weights
    if weights:
        ours(*[_as_torch(a) for a in args], **_as_torch(kwargs or {}))  # builds ours
        ours.set_weights(keras_weights(theirs))
    expected, expected_inputs, expected_weights = keras_outputs(theirs, args, kwargs)
    got, got_inputs, got_weights = our_outputs(ours, args, kwargs)
    np.testing.assert_allclose(got, expected, atol=atol, rtol=0)
    assert len(got_inputs) == len(expected_inputs)
    for a, b in zip(got_inputs, expected_inputs):
        np.testing.assert_allclose(a, b, atol=atol, rtol=0)
    assert len(got_weights) == len(expected_weights)
    for a, b in zip(got_weights, expected_weights):
        np.testing.assert_allclose(a, b, atol=atol, rtol=0)
    return got
