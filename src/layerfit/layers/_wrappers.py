"""Layers that wrap a function or another layer: Lambda, Wrapper, TimeDistributed.

A Lambda's function is never saved as code. Its config records a marker for an anonymous
function (or the name of a registered one), and loading refuses the marker in safe mode, as
Keras does; with ``safe_mode=False`` the function is taken from ``custom_objects`` under the
layer's name, never from the file.
"""

from __future__ import annotations

import inspect

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer

_LAMBDA = "__lambda__"


def _is_anonymous(fn) -> bool:
    return callable(fn) and getattr(fn, "__name__", "") == "<lambda>"


class Lambda(Layer):
    """Wraps a function as a layer: ``Lambda(lambda x: x ** 2)``.

    Args:
        function: called as ``function(inputs, **arguments)``; it also gets ``mask`` and
            ``training`` when it takes them.
        output_shape: the output shape without the batch axis, or a function of the input
            shape. Defaults to None (found by running the function).
        mask: a mask to return, or a function ``mask(inputs, previous_mask)``. Defaults to None.
        arguments: extra keyword arguments for ``function``. Defaults to None.

    Saving records no code: a model with a ``lambda`` loads only with ``safe_mode=False`` and
    ``custom_objects={'<layer name>': function}``; a named function registered with
    ``register_serializable`` (or passed in ``custom_objects``) loads as any function does.

    Example:
    >>> Lambda(lambda x: x * 2)(torch.ones(2, 3))
    tensor([[2., 2., 2.],
            [2., 2., 2.]])
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise LayerfitValueError(
                explain(
                    f"Lambda got function={function!r}, which cannot be called.",
                    "a function of the inputs.",
                    "Lambda(lambda x: x * 2)",
                )
            )
        self.function = function
        self.output_shape_arg = output_shape
        self.mask = mask
        self.arguments = dict(arguments or {})
        self.supports_masking = mask is not None
        parameters = inspect.signature(function).parameters
        self._passes_mask = "mask" in parameters
        self._passes_training = "training" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._passes_mask:
            kwargs["mask"] = mask
        if self._passes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_shape(self, input_shape):
        if self.output_shape_arg is None:
            return super().compute_output_shape(input_shape)
        if callable(self.output_shape_arg):
            return self.output_shape_arg(input_shape)
        batch = input_shape[0][0] if isinstance(input_shape, list) else input_shape[0]
        shape = self.output_shape_arg
        if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
            return [(batch, *s) for s in shape]
        return (batch, *tuple(shape))

    def get_config(self) -> dict:
        config = {**super().get_config(), "function": self._function_config(self.function)}
        if self.output_shape_arg is not None and not _is_anonymous(self.output_shape_arg):
            # An anonymous output_shape function is dropped: the shape is found on load.
            config["output_shape"] = (
                self._function_config(self.output_shape_arg)
                if callable(self.output_shape_arg)
                else self.output_shape_arg
            )
        if self.mask is not None:
            config["mask"] = self._function_config(self.mask) if callable(self.mask) else None
        config["arguments"] = self.arguments
        return config

    def _function_config(self, fn):
        if _is_anonymous(fn):
            return {
                "class_name": _LAMBDA,
                "config": {
                    "code": None,
                    "note": "layerfit never saves code; the function comes from custom_objects "
                    f"under {self.name!r} when loading with safe_mode=False.",
                },
            }
        from layerfit.layers._serialization import serialize as serialize_keras_object

        return serialize_keras_object(fn)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from layerfit.layers._serialization import deserialize as deserialize_keras_object
        from layerfit.saving._registration import get_registered_object, in_safe_mode

        config = dict(config)
        name = config.get("name", "lambda")
        for key in ("function", "mask", "output_shape"):
            entry = config.get(key)
            if not (isinstance(entry, dict) and "class_name" in entry):
                continue
            if entry["class_name"] != _LAMBDA:
                config[key] = deserialize_keras_object(entry, custom_objects)
                continue
            if in_safe_mode():
                raise LayerfitValueError(
                    explain(
                        f"The saved Lambda layer {name!r} holds an anonymous function (a "
                        "lambda); loading one is refused in safe mode, as Keras does.",
                        "safe_mode=False and the function given in custom_objects: layerfit "
                        "never runs code stored in a file.",
                        f"load_model(path, safe_mode=False, custom_objects={{'{name}': "
                        "your_function}), or save a named function registered with "
                        "@layerfit.saving.register_serializable().",
                    )
                )
            found = get_registered_object(name, custom_objects)
            if key == "output_shape":
                config.pop(key)  # found again by running the function
                continue
            if found is None:
                raise LayerfitValueError(
                    explain(
                        f"The saved Lambda layer {name!r} needs its function, which layerfit "
                        "does not store.",
                        f"custom_objects with the function under the layer's name {name!r}.",
                        f"load_model(path, safe_mode=False, custom_objects={{'{name}': "
                        "your_function})",
                    )
                )
            config[key] = found
        return cls(**config)


class Wrapper(Layer):
    """Base class of layers that wrap another layer (``TimeDistributed``, ...).

    Args:
        layer: the wrapped layer.
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got {layer!r}, which is not a layer.",
                    "a layerfit layer instance.",
                    f"{type(self).__name__}(layers.Dense(8))",
                )
            )
        self.layer = layer

    def get_config(self) -> dict:
        from layerfit.layers._serialization import serialize as serialize_keras_object

        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from layerfit.layers._serialization import deserialize as deserialize_keras_object

        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects)
        return cls(**config)


class TimeDistributed(Wrapper):
    """Applies ``layer`` to every time step: (batch, steps, ...) -> (batch, steps, ...).

    Batch and steps are folded into one axis, so the wrapped layer runs once per call.

    Args:
        layer: the layer applied to each step.

    Example:
    >>> TimeDistributed(Dense(8))(torch.zeros(2, 10, 4)).shape
    torch.Size([2, 10, 8])
    """

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) < 3:
            raise LayerfitValueError(
                explain(
                    f"TimeDistributed {self.name!r} got input of shape {input_shape}.",
                    "at least 3 axes: (batch, steps, features...).",
                    "give each sample a time axis, e.g. Input((steps, features)).",
                )
            )

    def build(self, input_shape) -> None:
        self.layer.build_checked((input_shape[0], *input_shape[2:]))

    def call(self, inputs, training=None, mask=None):
        batch, steps = inputs.shape[:2]
        kwargs = {"training": training} if self.layer.call_takes_training else {}
        if mask is not None and "mask" in inspect.signature(self.layer.call).parameters:
            kwargs["mask"] = mask.reshape(batch * steps, *mask.shape[2:])  # each step's mask
        outputs = self.layer(inputs.reshape(batch * steps, *inputs.shape[2:]), **kwargs)
        return outputs.reshape(batch, steps, *outputs.shape[1:])

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape((input_shape[0], *input_shape[2:]))
        return (inner[0], input_shape[1], *inner[1:])
