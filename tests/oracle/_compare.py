"""Runs one layer through Keras (JAX) and layerfit with the same weights and input.

Gradients are compared in Keras's weight layout without knowing ours: both sides take one
plain gradient step (w - g) and the weights are read back with ``get_weights``, so
``before - after`` is the gradient as Keras lays it out. Non-trainable weights (moving
statistics) come back updated by the call, and are compared as they are.
"""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "jax"

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import layerfit  # noqa: E402


def keras_run(layer, inputs, cotangent, training=False):
    """Keras's outputs, d(sum(out * cotangent))/d(inputs) and the weights after one step."""
    trainable = [v.value for v in layer.trainable_variables]
    frozen = [v.value for v in layer.non_trainable_variables]
    single = not isinstance(inputs, list)
    xs = [jnp.asarray(x) for x in ([inputs] if single else inputs)]

    def objective(weights, xs):
        extra = {"training": training} if layer._call_has_training_arg else {}
        out, new_frozen = layer.stateless_call(weights, frozen, xs[0] if single else xs, **extra)
        first = out[0] if isinstance(out, (list, tuple)) else out
        return jnp.sum(first * cotangent), (out, new_frozen)

    if all(jnp.issubdtype(x.dtype, jnp.floating) for x in xs):
        (_, (out, new_frozen)), (g_weights, g_inputs) = jax.value_and_grad(
            objective, argnums=(0, 1), has_aux=True
        )(trainable, xs)
    else:  # token ids: no gradient with respect to the input
        (_, (out, new_frozen)), g_weights = jax.value_and_grad(objective, has_aux=True)(
            trainable, xs
        )
        g_inputs = [jnp.zeros(x.shape) for x in xs]
    after = {
        id(v): np.asarray(w - g) for v, w, g in zip(layer.trainable_variables, trainable, g_weights)
    }
    after |= {id(v): np.asarray(w) for v, w in zip(layer.non_trainable_variables, new_frozen)}
    weights = [after[id(v)] for v in layer.weights]
    outs = [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]
    return outs, [np.asarray(g) for g in g_inputs], weights


def layerfit_run(layer, inputs, cotangent, training=False):
    single = not isinstance(inputs, list)
    xs = [
        torch.tensor(np.asarray(x), requires_grad=np.asarray(x).dtype.kind == "f")
        for x in ([inputs] if single else inputs)
    ]
    kwargs = {"training": training} if layer.call_takes_training else {}
    out = layer(xs[0] if single else xs, **kwargs)
    first = out[0] if isinstance(out, (list, tuple)) else out
    (first * torch.as_tensor(np.asarray(cotangent))).sum().backward()
    with torch.no_grad():
        for w in layer.trainable_weights:
            if w.grad is not None:
                w -= w.grad
    outs = (
        [o.detach().numpy() for o in out]
        if isinstance(out, (list, tuple))
        else [out.detach().numpy()]
    )
    grads = [x.grad.numpy() if x.grad is not None else np.zeros(x.shape) for x in xs]
    return outs, grads, layer.get_weights()


def keras_weights(layer) -> list[np.ndarray]:
    """``layer.get_weights()`` without Keras's own numpy-2 DeprecationWarning (an error here)."""
    return [np.array(v.value) for v in layer.weights]


def compare_layer(name, kwargs, inputs, training=False, atol=1e-5, rtol=1e-4, build_shape=None):
    """Builds both layers, copies Keras's weights into layerfit's, compares everything."""
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layerfit.layers, name)(**kwargs)
    xs = inputs if isinstance(inputs, list) else [inputs]
    theirs(xs[0] if not isinstance(inputs, list) else xs)  # builds with Keras's initializers
    ours(
        torch.as_tensor(xs[0]) if not isinstance(inputs, list) else [torch.as_tensor(x) for x in xs]
    )
    ours.set_weights(keras_weights(theirs))
    probe = theirs(xs[0] if not isinstance(inputs, list) else xs)
    probe = probe[0] if isinstance(probe, (list, tuple)) else probe
    cotangent = np.random.default_rng(0).normal(size=probe.shape).astype("float32")
    k_out, k_grads, k_weights = keras_run(theirs, inputs, cotangent, training)
    o_out, o_grads, o_weights = layerfit_run(ours, inputs, cotangent, training)
    assert len(k_out) == len(o_out)
    for a, b in zip(o_out, k_out):
        np.testing.assert_allclose(a, b, atol=atol, rtol=rtol, err_msg=f"{name} outputs")
    for a, b in zip(o_grads, k_grads):
        np.testing.assert_allclose(a, b, atol=atol, rtol=rtol, err_msg=f"{name} input gradient")
    assert len(o_weights) == len(k_weights)
    for i, (a, b) in enumerate(zip(o_weights, k_weights)):
        np.testing.assert_allclose(
            a, b, atol=atol, rtol=rtol, err_msg=f"{name} weight {i} after a step"
        )
    return len(k_out) + len(k_grads) + len(k_weights)
