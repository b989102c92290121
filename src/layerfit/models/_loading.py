"""Keras's ``keras.models`` loading functions; the work is in ``layerfit.saving``."""

from __future__ import annotations

from layerfit.saving import _saving


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True, max_bytes=None):
    """Loads a model saved by ``model.save``, ready to predict and to continue training.

    Args:
        filepath: the '.keras' (or '.layerfit') file.
        custom_objects: a dict mapping names to your classes and functions that were not
            registered with ``layerfit.saving.register_serializable``. Defaults to None.
        compile: whether to restore the compile settings and optimizer state. Defaults to True.
        safe_mode: refuse Lambda layers, as Keras does; with False a Lambda's function is
            taken from ``custom_objects`` (code is never read from the file). Defaults to True.
        max_bytes: the most bytes of weights the file may hold or declare, for a big model
            you trust. Defaults to None (``layerfit.saving.set_load_limits``'s, 16 GiB at start).

    Example:
    >>> model.save("model.keras")
    >>> restored = layerfit.models.load_model("model.keras")
    """
    return _saving.load_model(
        filepath,
        custom_objects=custom_objects,
        compile=compile,
        safe_mode=safe_mode,
        max_bytes=max_bytes,
    )


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Same as ``model.save(filepath)``.

    Example:
    >>> layerfit.models.save_model(model, "model.keras")
    """
    _saving.save_model(model, filepath, overwrite=overwrite, zipped=zipped, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (with new weights) from ``model.to_json()``.

    Args:
        json_string: the JSON string.
        custom_objects: a dict mapping names to your classes and functions. Defaults to None.

    Example:
    >>> clone = layerfit.models.model_from_json(model.to_json())
    """
    return _saving.model_from_json(json_string, custom_objects=custom_objects)
