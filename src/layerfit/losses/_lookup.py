"""Name -> loss lookup: Keras's `get`, `as_loss` (always a `Loss`, for compile),
`serialize`/`deserialize`."""

from __future__ import annotations

from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.losses import _classes as classes
from layerfit.losses._functions import ALIASES, CANONICAL_NAME, FUNCTIONS
from layerfit.losses._loss import Loss, LossFunctionWrapper

# Canonical function name -> the class that wraps it (Keras's class names resolve to the
# same entries because lookups ignore case and underscores).
CLASS_OF = {
    "mean_squared_error": classes.MeanSquaredError,
    "mean_absolute_error": classes.MeanAbsoluteError,
    "mean_absolute_percentage_error": classes.MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": classes.MeanSquaredLogarithmicError,
    "cosine_similarity": classes.CosineSimilarity,
    "huber": classes.Huber,
    "log_cosh": classes.LogCosh,
    "hinge": classes.Hinge,
    "squared_hinge": classes.SquaredHinge,
    "categorical_hinge": classes.CategoricalHinge,
    "kl_divergence": classes.KLDivergence,
    "poisson": classes.Poisson,
    "binary_crossentropy": classes.BinaryCrossentropy,
    "categorical_crossentropy": classes.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": classes.SparseCategoricalCrossentropy,
    "binary_focal_crossentropy": classes.BinaryFocalCrossentropy,
    "categorical_focal_crossentropy": classes.CategoricalFocalCrossentropy,
    "dice": classes.Dice,
    "tversky": classes.Tversky,
    "circle": classes.Circle,
    "categorical_generalized_cross_entropy": classes.CategoricalGeneralizedCrossEntropy,
    "ctc": classes.CTC,
}

LOSSES = Registry("loss")
for _name in FUNCTIONS:
    LOSSES.register(_name, _name)
for _alias, _name in ALIASES.items():
    LOSSES.register(_name, _alias)


def canonical_name(name: str) -> str:
    """'MSE' -> 'mean_squared_error'; unknown names raise with the closest suggestions."""
    return LOSSES.get(name)


def loss_function(identifier):
    """The per-sample function for a name (or a serialized function dict)."""
    if isinstance(identifier, dict):
        identifier = identifier.get("config", identifier.get("class_name"))
    return FUNCTIONS[canonical_name(identifier)]


def get(identifier):
    """Keras's ``losses.get``: a function name (``"mse"``, ``"categorical_crossentropy"``)
    gives the per-sample loss function, a class name (``"MeanSquaredError"``) an instance,
    a function itself; anything else as :func:`as_loss`.

    Example:
    >>> get("mse").__name__
    'mean_squared_error'
    """
    if isinstance(identifier, str):
        found = getattr(classes, identifier, None)
        if isinstance(found, type) and issubclass(found, Loss):
            return found()
        return FUNCTIONS[canonical_name(identifier)]
    if callable(identifier) and not isinstance(identifier, (Loss, type)):
        return identifier
    return as_loss(identifier)


def as_loss(identifier) -> Loss | None:
    """Returns a `Loss` instance for `identifier` (what compile needs).

    Names (`"mse"`, `"categorical_crossentropy"`, `"CategoricalCrossentropy"`; case and
    `_`/`-` insensitive) give the matching loss class with default arguments; a function is
    wrapped in `LossFunctionWrapper`; a `Loss` instance is returned as is.

    Args:
        identifier: `None`, a name, a config dict, a `Loss` instance or class, or a function
            `fn(y_true, y_pred)` returning per-sample losses.

    Example:
    >>> as_loss("sparse_categorical_crossentropy").fn_name
    'sparse_categorical_crossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise LayerfitValueError(
        explain(
            f"Could not interpret loss identifier: {identifier!r} "
            f"(of type {type(identifier).__name__}).",
            "a loss name such as 'mse', a keras.losses.Loss, or a function (y_true, y_pred).",
            "compile(loss='sparse_categorical_crossentropy', ...) for integer class labels.",
        )
    )


def resolve(identifier, y_true_shape, y_pred_shape) -> Loss | None:
    """Like `get`, also resolving `"crossentropy"`/`"ce"` from the shapes as Keras's compile does.

    Example:
    >>> resolve("crossentropy", (32,), (32, 10)).fn_name
    'sparse_categorical_crossentropy'
    """
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        is_binary = y_pred_shape[-1] == 1
        is_sparse = len(y_true_shape) < len(y_pred_shape) or (
            y_true_shape[-1] == 1 and y_pred_shape[-1] > 1
        )
        if is_binary:
            return classes.BinaryCrossentropy()
        if is_sparse:
            return classes.SparseCategoricalCrossentropy()
        return classes.CategoricalCrossentropy()
    return as_loss(identifier)


def serialize(loss):
    """Returns Keras's config dict for a loss (instance or function); `None` stays `None`.

    Example:
    >>> serialize(classes.Huber())["class_name"]
    'Huber'
    """
    if loss is None:
        return None
    if isinstance(loss, Loss):
        return {
            "module": "keras.losses" if type(loss).__module__.startswith("layerfit") else None,
            "class_name": type(loss).__name__,
            "config": loss.get_config(),
            "registered_name": None,
        }
    name = CANONICAL_NAME.get(id(loss)) or getattr(loss, "__name__", type(loss).__name__)
    return {
        "module": "keras.losses",
        "class_name": "function",
        "config": name,
        "registered_name": name,
    }


def deserialize(name, custom_objects=None) -> Loss:
    """Builds a `Loss` from a name or a dict made by `serialize`.

    Args:
        name: A name such as `"mse"`, or a dict with `class_name` and `config` (Keras's
            argument name, whatever it holds).
        custom_objects: Optional dict mapping names to your own losses. Defaults to `None`.

    Example:
    >>> deserialize("mae").fn_name
    'mean_absolute_error'
    """
    config, custom_objects = name, custom_objects or {}
    if isinstance(config, str):
        if config in custom_objects:
            return get(custom_objects[config])
        return CLASS_OF[canonical_name(config)]()
    if not isinstance(config, dict) or "class_name" not in config:
        raise LayerfitValueError(
            explain(
                f"Could not interpret loss config {config!r}.",
                "a name such as 'mse' or a dict with 'class_name' and 'config'.",
            )
        )
    class_name, kwargs = config["class_name"], config.get("config") or {}
    if class_name == "function":
        return deserialize(kwargs, custom_objects)
    if class_name in custom_objects:
        cls = custom_objects[class_name]
    elif class_name == "LossFunctionWrapper":
        cls = LossFunctionWrapper
    else:
        cls = CLASS_OF[canonical_name(class_name)]
    return cls.from_config(dict(kwargs))
