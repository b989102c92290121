"""Keras's ``models.clone_model``: the same architecture with new weights."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import Input
from layerfit.models._functional import Functional
from layerfit.models._sequential import Sequential


def _clone_layer(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """A new model with the same configuration and freshly initialised weights, as Keras's.

    Args:
        model: a Sequential, functional or subclassed model.
        input_tensors: for a Sequential, an ``Input`` tensor to build the clone on.
            Defaults to None (a new input of the same shape).
        clone_function: called with each layer to make its clone (it may return the layer
            itself, to share it). Defaults to None: ``layer.__class__.from_config(config)``.
        call_function: Keras's hook to change how a functional model's layers are called;
            not supported yet (raises). Defaults to None.
        recursive: also clone nested models layer by layer with ``clone_function``.
            Defaults to False.

    Example:
    >>> twin = layerfit.models.clone_model(model)
    >>> twin.set_weights(model.get_weights())  # clone_model does not copy weights
    """
    if kwargs:
        raise LayerfitValueError(
            explain(
                f"clone_model() got unexpected arguments {sorted(kwargs)}.",
                "model, input_tensors, clone_function, call_function, recursive.",
                "clone_model(model, clone_function=...)",
            )
        )
    function = clone_function or _clone_layer
    if recursive:
        inner = function

        def function(layer):  # noqa: F811 - nested models are cloned layer by layer
            if isinstance(layer, (Sequential, Functional)):
                return clone_model(layer, clone_function=inner, recursive=True)
            return inner(layer)

    if isinstance(model, Sequential):
        return _clone_sequential(model, function, input_tensors)
    custom = [
        name
        for name, value in (
            ("input_tensors", input_tensors),
            ("clone_function", clone_function),
            ("call_function", call_function),
        )
        if value is not None
    ]
    if custom:
        kind = "functional" if isinstance(model, Functional) else "subclassed"
        raise LayerfitValueError(
            explain(
                f"clone_model() of the {kind} model {model.name!r} with {', '.join(custom)} is "
                "not supported yet.",
                "a Sequential model for these arguments, or clone_model(model) alone.",
                "clone without them, then change the clone's layers; or rebuild the model "
                "from your own code.",
            )
        )
    return model.__class__.from_config(model.get_config())


def _clone_sequential(model, function, input_tensors):
    layers = [function(layer) for layer in model.layers]
    if input_tensors is not None:
        inputs = input_tensors
        if isinstance(inputs, (list, tuple)):
            if len(inputs) != 1:
                raise LayerfitValueError(
                    explain(
                        f"clone_model() of a Sequential got {len(inputs)} input tensors.",
                        "one input tensor.",
                        "clone_model(model, input_tensors=keras.Input(shape=...))",
                    )
                )
            inputs = inputs[0]
        layers = [inputs, *layers]
    elif model._input_layer is not None:
        source = model._input_layer
        layers = [
            Input(batch_shape=source.batch_shape, dtype=source.dtype_name, name=source.name),
            *layers,
        ]
    return Sequential(layers, name=model.name, trainable=model.trainable)
