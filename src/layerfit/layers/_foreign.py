"""JaxLayer, FlaxLayer, TFSMLayer: Keras's wrappers around JAX functions, Flax modules and
TensorFlow SavedModels. They exist under Keras's names so that code reaching them fails with
a message that says why (the wrapped thing runs on another framework) and what to use."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain

_TORCH_INSTEAD = (
    "write the computation in PyTorch and wrap it with layers.TorchModuleWrapper(module), "
    "or as a Layer subclass; weights saved from Keras (.keras, .weights.h5) load with "
    "layerfit.models.load_model / model.load_weights."
)


def _refuse(layer: str, wraps: str, framework: str):
    raise LayerfitValueError(
        explain(
            f"{layer} wraps {wraps}, which runs on {framework} only; layerfit runs on PyTorch.",
            "a layerfit layer or a torch.nn.Module.",
            _TORCH_INSTEAD,
        )
    )


class JaxLayer:
    """Keras's wrapper of a JAX function; refuses with our error (it needs Keras's JAX backend).

    Args: as Keras's ``JaxLayer`` (call_fn, init_fn, params, state, seed, ...).
    """

    def __init__(
        self,
        call_fn,
        init_fn=None,
        params=None,
        state=None,
        seed=None,
        native_serialization_platforms=None,
        **kwargs,
    ):
        _refuse("JaxLayer", "a JAX function (call_fn)", "Keras's JAX backend")


class FlaxLayer(JaxLayer):
    """Keras's wrapper of a Flax module; refuses with our error (it needs JAX and Flax).

    Args: as Keras's ``FlaxLayer`` (module, method, variables).
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        _refuse("FlaxLayer", "a Flax module", "Keras's JAX backend")


class TFSMLayer:
    """Keras's reader of a TensorFlow SavedModel; refuses with our error (it needs TensorFlow).

    Args: as Keras's ``TFSMLayer`` (filepath, call_endpoint, ...).
    """

    def __init__(
        self,
        filepath,
        call_endpoint="serve",
        call_training_endpoint=None,
        trainable=True,
        name=None,
        dtype=None,
    ):
        _refuse("TFSMLayer", "a TensorFlow SavedModel", "TensorFlow")
