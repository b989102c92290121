"""Keras's ``models.clone_model``: the same architecture with new weights."""

from __future__ import annotations

from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import Input, KerasTensor
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
        input_tensors: ``Input`` tensors to build the clone on, in the structure of
            ``model.input``. Defaults to None (new inputs of the same shapes and names).
        clone_function: called with each layer to make its clone (it may return the layer
            itself, to share it). Defaults to None: ``layer.__class__.from_config(config)``.
        call_function: for a functional model, called as ``call_function(layer, *args,
            **kwargs)`` instead of ``layer(*args, **kwargs)`` at each node, to change how the
            clone's layers are called. Defaults to None.
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
        if call_function is not None:
            raise LayerfitValueError(
                explain(
                    f"clone_model() got call_function for the Sequential model {model.name!r}.",
                    "call_function with functional models only: a Sequential lists its layers "
                    "instead of calling them.",
                    "clone_model(model, clone_function=...) for a Sequential.",
                )
            )
        clone = _clone_sequential(model, function, input_tensors)
    elif isinstance(model, Functional):
        clone = _clone_functional(model, function, input_tensors, call_function)
    else:
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
            raise LayerfitValueError(
                explain(
                    f"clone_model() of the subclassed model {model.name!r} got "
                    f"{', '.join(custom)}, which work for Sequential and functional models only "
                    "(as in Keras).",
                    "clone_model(model) alone for a subclassed model.",
                    "clone without them, or build the model functionally.",
                )
            )
        return model.__class__.from_config(model.get_config())
    if model.compiled is not None:  # Keras compiles the clone the same way
        clone.compile_from_config(model.get_compile_config())
    return clone


def _clone_functional(model, function, input_tensors, call_function):
    """Runs the graph again on new inputs, each layer replaced by ``function(layer)`` (once
    per layer, so shared layers stay shared) and called by ``call_function`` when given."""
    if input_tensors is None:
        inputs = map_structure(
            lambda t: Input(batch_shape=t.shape, dtype=t.dtype, name=t.name),
            model._inputs_structure,
        )
    else:
        inputs = _matching_inputs(model, input_tensors)
    values = {
        id(old): new for old, new in zip(model._input_tensors, _flatten_inputs(model, inputs))
    }
    clones: dict[int, object] = {}

    def fill(item):
        return values[id(item)] if isinstance(item, KerasTensor) else item

    for node in model._nodes:
        if id(node.layer) not in clones:
            clones[id(node.layer)] = function(node.layer)
        layer = clones[id(node.layer)]
        args, kwargs = map_structure(fill, node.args), map_structure(fill, node.kwargs)
        if call_function is not None:
            outputs = call_function(layer, *args, **kwargs)
        else:
            outputs = layer(*args, **kwargs)
        for old, new in zip(flatten(node.outputs), flatten(outputs)):
            values[id(old)] = new
    outputs = map_structure(lambda t: values[id(t)], model._outputs_structure)
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)


def _matching_inputs(model, input_tensors):
    given = flatten(input_tensors)
    if len(given) != len(model._input_tensors) or not all(
        isinstance(t, KerasTensor) for t in given
    ):
        raise LayerfitValueError(
            explain(
                f"clone_model() of {model.name!r} got input_tensors={input_tensors!r}.",
                f"{len(model._input_tensors)} symbolic tensor(s) from keras.Input, in the "
                "structure of model.input.",
                "clone_model(model, input_tensors=keras.Input(shape=...))",
            )
        )
    return input_tensors


def _flatten_inputs(model, inputs) -> list:
    """The new inputs in the order of ``model._input_tensors`` (dicts by sorted key)."""
    if isinstance(inputs, dict):
        return [t for key in sorted(inputs) for t in flatten(inputs[key])]
    return flatten(inputs)


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
