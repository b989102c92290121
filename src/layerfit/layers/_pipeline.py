"""Pipeline: a list of preprocessing layers applied in order, as Keras's ``layers.Pipeline``."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer


class Pipeline(Layer):
    """Applies ``layers`` one after the other (augmentations stay inactive outside training).

    Unlike a Sequential model it is a layer: it runs inside ``Dataset.map`` and passes
    ``training`` to each layer.

    Args:
        layers: a list of layers.
        name: the layer's name. Defaults to 'pipeline', 'pipeline_1', ...

    Example:
    >>> from layerfit.layers import RandomFlip, Rescaling
    >>> Pipeline([Rescaling(1 / 255), RandomFlip()])(torch.full((1, 2, 2, 3), 255.0)).max().item()
    1.0
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(x, Layer) for x in layers):
            raise LayerfitValueError(
                explain(
                    f"Pipeline got layers={layers!r}.",
                    "a list of layerfit layers.",
                    "Pipeline([layers.RandomFlip(), layers.RandomRotation(0.1)])",
                )
            )
        self.layers = torch.nn.ModuleList(layers)
        self.built = True

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        for layer in self.layers:
            inputs = (
                layer(inputs, training=training) if layer.call_takes_training else layer(inputs)
            )
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self.layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self) -> dict:
        from layerfit.layers._serialization import serialize

        return {"name": self.name, "layers": [serialize(layer) for layer in self.layers]}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from layerfit.layers._serialization import deserialize

        config = dict(config)
        config["layers"] = [deserialize(entry, custom_objects) for entry in config["layers"]]
        return cls(**config)
