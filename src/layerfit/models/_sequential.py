"""Sequential: a plain stack of layers, each feeding the next."""

from __future__ import annotations

import torch

from layerfit import _compat, activations
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers import InputLayer, Layer
from layerfit.layers._symbolic import KerasTensor, name_scope
from layerfit.models._inputs import InputAdapter
from layerfit.models._model import Model


class ConvReluMaxPool:
    """Runs ``MaxPooling(relu(conv(x)))`` as ``relu(MaxPooling(conv_linear(x)))``.

    ReLU is monotonic, so both give the same values and gradients; the right side runs the
    ReLU and its backward on the pooled quarter of the values: about a fifth of the keras-io
    convnet's training step on CPU (see DECISIONS.md).
    """

    def __init__(self, conv: Layer, pool: Layer):
        self.conv = conv
        self.pool = pool

    def __call__(self, inputs):
        return torch.relu(self.pool(self.conv.call_linear(inputs)))


def _fusable(layer: Layer, following: Layer | None) -> bool:
    from layerfit.layers import MaxPooling1D, MaxPooling2D

    return (
        isinstance(following, (MaxPooling1D, MaxPooling2D))
        and hasattr(layer, "call_linear")
        and getattr(layer, "activation", None) is activations.relu
    )


def plan_steps(layers) -> list[tuple]:
    """The per-call steps: each layer with whether it takes ``training``, fusing where exact."""
    steps, index, layers = [], 0, list(layers)
    while index < len(layers):
        layer = layers[index]
        following = layers[index + 1] if index + 1 < len(layers) else None
        if _fusable(layer, following):
            steps.append((ConvReluMaxPool(layer, following), False))
            index += 2
        else:
            steps.append((layer, layer.call_takes_training))
            index += 1
    return steps


class Sequential(Model):
    """A stack of layers: ``Sequential([Input(shape=(784,)), Dense(10, activation='softmax')])``.

    Args:
        layers: the layers, in order (an Input first builds the model at once). Defaults to None.
        name: the model's name. Defaults to 'sequential', 'sequential_1', ...

    Example:
    >>> model = Sequential()
    >>> model.add(Input(shape=(8,)))
    >>> model.add(Dense(1, activation="sigmoid"))
    """

    _named_outputs = True

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack = torch.nn.ModuleList()
        self._input_layer: InputLayer | None = None
        self._symbolic_output: KerasTensor | None = None
        self._adapter: InputAdapter | None = None
        self._steps: list[tuple[Layer, bool]] = []
        if layers is not None:
            # Keras 2 accepted a single layer; Keras 3 needs a list (see DECISIONS.md).
            if isinstance(layers, (Layer, KerasTensor, torch.nn.Module)):
                layers = _compat.single_layer_sequential(layers)
            for layer in layers:
                self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def add(self, layer, rebuild=True) -> None:
        """Adds a layer on top of the stack (an ``Input`` declares the input shape)."""
        if isinstance(layer, KerasTensor) and isinstance(layer.node.layer, InputLayer):
            layer = layer.node.layer
        if isinstance(layer, torch.nn.Module) and not isinstance(layer, Layer):
            from layerfit.layers import TorchModuleWrapper

            layer = TorchModuleWrapper(layer)
        if not isinstance(layer, Layer):
            raise LayerfitTypeError(
                explain(
                    f"Sequential.add() got {layer!r} of type {type(layer).__name__}.",
                    "a layer instance such as Dense(10), or Input(shape=...).",
                    "create the layer with its arguments: model.add(Dense(32, activation='relu')).",
                )
            )
        if isinstance(layer, InputLayer):
            if len(self._stack) or self._input_layer is not None:
                raise LayerfitValueError(
                    explain(
                        f"Input {layer.name!r} added to Sequential {self.name!r} after other "
                        "layers.",
                        "the Input as the first entry.",
                        "put Input(shape=...) first, or give the first layer input_shape=.",
                    )
                )
            self._set_input(layer)
            return
        names = [existing.name for existing in self._stack]
        if layer.name in names:
            raise LayerfitValueError(
                explain(
                    f"Sequential {self.name!r} already has a layer named {layer.name!r}.",
                    "unique layer names in a model.",
                    "give the layer another name=.",
                )
            )
        self._stack.append(layer)
        self._steps = plan_steps(self._stack)
        if self._symbolic_output is None and len(self._stack) == 1 and layer.input_shape_arg:
            self._set_input(
                InputLayer(shape=layer.input_shape_arg, batch_size=layer.batch_size_arg)
            )
        if self._symbolic_output is not None:
            with name_scope(self):  # Keras builds a Sequential's layers in its name scope
                self._symbolic_output = layer(self._symbolic_output)
            self.built = True

    @property
    def _checks_own_inputs(self) -> bool:
        return self._adapter is not None

    def _set_input(self, layer: InputLayer, declared: bool = True) -> None:
        self._input_layer = layer
        self._symbolic_output = layer.output
        self._adapter = InputAdapter(self, layer.output, declared)

    def pop(self, rebuild=True) -> Layer:
        """Removes the last layer and returns it."""
        if not self._stack:
            raise LayerfitTypeError(
                explain(
                    f"pop() on Sequential {self.name!r}, which has no layers.",
                    "a model with at least one layer to remove.",
                    "check len(model.layers) before calling model.pop().",
                )
            )
        layer = self._stack[-1]
        del self._stack[-1]
        self._steps = plan_steps(self._stack)
        if self._symbolic_output is not None:  # built: the output is now the new last layer's
            self._symbolic_output = (
                self._stack[-1].output if self._stack else self._input_layer.output
            )
        return layer

    def build(self, input_shape=None) -> None:
        if self._input_layer is None:
            self._set_input(InputLayer(shape=tuple(input_shape[1:])), declared=False)
        output = self._input_layer.output
        with name_scope(self):
            for layer in self._stack:
                output = layer(output)
        self._symbolic_output = output

    def call(self, inputs, training=None):
        if self._adapter is not None:
            inputs = self._adapter(inputs)
        for layer, takes_training in self._steps:
            inputs = layer(inputs, training=training) if takes_training else layer(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._stack:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    @property
    def inputs(self) -> list[KerasTensor]:
        return [self._input_layer.output] if self._input_layer is not None else []

    @property
    def outputs(self) -> list[KerasTensor]:
        return [self._symbolic_output] if self._symbolic_output is not None else []

    @property
    def input(self):
        return self.inputs[0] if self.inputs else super().input

    @property
    def output(self):
        return self.outputs[0] if self.outputs else super().output

    @property
    def input_shape(self):
        return self._input_layer.batch_shape if self._input_layer is not None else None

    @property
    def output_shape(self):
        return self._symbolic_output.shape if self._symbolic_output is not None else None

    def final_activation_split(self):
        if not self._stack:
            return None
        last = self._stack[-1]
        activation = getattr(last, "activation", None)
        if (
            activation is None
            or not hasattr(last, "call_linear")
            and type(last).__name__ != "Activation"
        ):
            return None
        if last.activity_regularizer is not None:
            return None  # its penalty needs the activated output
        return self._forward_logits, activations.serialize(activation)

    def _forward_logits(self, inputs, training=None):
        """The output before the final softmax/sigmoid (a method, so models stay picklable)."""
        if self._adapter is not None:
            inputs = self._adapter(inputs)
        for layer, takes_training in self._steps[:-1]:
            inputs = layer(inputs, training=training) if takes_training else layer(inputs)
        last = self._stack[-1]
        return last.call_linear(inputs) if hasattr(last, "call_linear") else inputs

    def get_config(self) -> dict:
        layers = []
        if self._input_layer is not None:
            layers.append({"class_name": "InputLayer", "config": self._input_layer.get_config()})
        layers += [
            {"class_name": type(layer).__name__, "config": layer.get_config()}
            for layer in self._stack
        ]
        return {"name": self.name, "trainable": self.trainable, "layers": layers}
