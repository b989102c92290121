"""``keras.layers.serialize`` / ``deserialize``: a layer to its saved config and back.

The saving module does the work; it sits above layers, so it is imported when called.
"""

from __future__ import annotations


def serialize(layer) -> dict:
    """The layer's config as Keras saves it: module, class_name, config, registered_name.

    Example:
    >>> serialize(Dense(3))["class_name"]
    'Dense'
    """
    from layerfit.saving import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config: dict, custom_objects: dict | None = None):
    """A new layer (new weights) from ``serialize``'s output."""
    from layerfit.saving import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)
