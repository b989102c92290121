"""Name -> optimizer lookup (`get`, `serialize`, `deserialize`)."""

from __future__ import annotations

from layerfit import _registry
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.optimizers._adafactor import Adafactor
from layerfit.optimizers._adagrad import Adadelta, Adagrad
from layerfit.optimizers._adam import Adam, Adamax, AdamW, Nadam
from layerfit.optimizers._ftrl import Ftrl
from layerfit.optimizers._lamb import Lamb
from layerfit.optimizers._lion import Lion
from layerfit.optimizers._optimizer import Optimizer
from layerfit.optimizers._sgd import SGD, RMSprop

OPTIMIZERS = Registry("optimizer")
for _cls in (
    SGD,
    RMSprop,
    Adam,
    AdamW,
    Adamax,
    Nadam,
    Adagrad,
    Adadelta,
    Adafactor,
    Ftrl,
    Lamb,
    Lion,
):
    OPTIMIZERS.register(_cls, _cls.__name__.lower())


def get(identifier) -> Optimizer:
    """Returns an optimizer for `identifier`.

    Args:
        identifier: A name (`"adam"`, `"sgd"`, `"rmsprop"`, ...; case-insensitive), a config
            dict from `serialize`, or an `Optimizer` instance (returned as is).

    Example:
    >>> get("adam").learning_rate
    0.001
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise LayerfitValueError(
        explain(
            f"Could not interpret optimizer identifier: {identifier!r} "
            f"(of type {type(identifier).__name__}).",
            "an optimizer name such as 'adam', or a keras.optimizers.Optimizer.",
            "compile(optimizer='adam', ...) or compile(optimizer=Adam(learning_rate=1e-3)).",
        )
    )


def serialize(optimizer: Optimizer) -> dict:
    """Returns Keras's config dict for an optimizer.

    Example:
    >>> serialize(SGD(0.1))["config"]["learning_rate"]
    0.1
    """
    module = "keras.optimizers" if type(optimizer).__module__.startswith("layerfit") else None
    return {
        "module": module,
        "class_name": type(optimizer).__name__,
        "config": optimizer.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None) -> Optimizer:
    """Builds an optimizer from a name or a dict made by `serialize`.

    Args:
        config: A name such as `"adam"`, or a dict with `class_name` and `config`.
        custom_objects: Optional dict mapping names to your own optimizer classes.
            Defaults to `None`.

    Example:
    >>> deserialize({"class_name": "Adam", "config": {"learning_rate": 0.01}}).learning_rate
    0.01
    """
    custom_objects = custom_objects or {}
    class_name, kwargs = _registry.parse_config(config, "optimizer", "adam")
    cls = custom_objects.get(class_name) or OPTIMIZERS.get(class_name)
    return cls.from_config(dict(kwargs), custom_objects=custom_objects or None)
