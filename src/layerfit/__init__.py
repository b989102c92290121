"""layerfit: Keras 3's API on PyTorch. ``import layerfit as keras`` and your code runs unchanged."""

import importlib

__version__ = "0.1.0"

# Submodules and the three model names load on first use, so `import layerfit` stays cheap
# and a learner who only wants `layerfit.datasets` never pays for the rest.
_SUBMODULES = {
    "activations",
    "applications",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "data",
    "datasets",
    "distribution",
    "errors",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "optimizers",
    "preprocessing",
    "regularizers",
    "saving",
    "tuning",
    "tuners",
    "keras_tuner",
    "utils",
    "visualization",
    "wrappers",
    "ops",
    "random",
    "tree",
    "dtype_policies",
}
_MODEL_NAMES = {
    "Sequential": "layerfit.models",
    "Model": "layerfit.models",
    "Input": "layerfit.layers",
    # Keras 3's other top-level names: the base classes a custom object subclasses.
    "Layer": "layerfit.layers",
    "KerasTensor": "layerfit.layers",
    "InputSpec": "layerfit.layers",
    "Variable": "layerfit.layers",
    "Loss": "layerfit.losses",
    "Metric": "layerfit.metrics",
    "Optimizer": "layerfit.optimizers",
    "Initializer": "layerfit.initializers",
    "Regularizer": "layerfit.regularizers",
    "DTypePolicy": "layerfit.dtype_policies",
    "FloatDTypePolicy": "layerfit.dtype_policies",
}


def device(device_name):
    """Keras's ``keras.device``: ``with keras.device("cpu"):`` puts new tensors and weights there."""
    from layerfit.backend import device as device_scope

    return device_scope(device_name)


def version() -> str:
    """layerfit's version (Keras's ``keras.version()``)."""
    return __version__


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"layerfit.{name}")
    if name in _MODEL_NAMES:
        return getattr(importlib.import_module(_MODEL_NAMES[name]), name)
    raise AttributeError(f"module 'layerfit' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_SUBMODULES, *_MODEL_NAMES])


__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "Initializer",
    "Input",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Optimizer",
    "Regularizer",
    "Sequential",
    "Variable",
    "__version__",
    "device",
    "version",
]
