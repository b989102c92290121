"""Every Keras-2-era spelling layerfit still accepts, and its deprecation notice, in one place.

Old spellings from learners' notes keep working; each use emits a ``LayerfitDeprecationWarning``
naming the Keras 3 spelling. Python's warning filters show it once per line of user code (the
warning points at the user's line, not ours), so a loop or a long fit prints it once.

Standard library and level-0 modules only: callers hand in what a shim needs (the model, the
kwargs), so this module imports nothing above it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from layerfit._registry import closest
from layerfit.errors import LayerfitDeprecationWarning, LayerfitTypeError, explain, warn

# Keras 1 argument names of fit that Keras 3 renamed. (Optimizers map lr= themselves.)
FIT_RENAMES = {"nb_epoch": "epochs"}


def notice(old: str, new: str, detail: str | None = None) -> None:
    """Emits the deprecation notice for one old spelling: it works, here is the new one."""
    what = f"{old} is an old Keras spelling: it still works in layerfit, but Keras 3 rejects it."
    if detail:
        what = f"{what} {detail}"
    warn(what, None, f"write {new}", category=LayerfitDeprecationWarning)


def bare_int_shape(spelled: str, value: int, fixed: str) -> tuple:
    """Reads a shape written as a bare int (``input_shape=(784)`` is just 784) as ``(value,)``.

    Keras 3 rejects it ("Cannot convert '784' to a shape"); layerfit keeps the learner's code
    running and says how to write it so that Keras accepts it too.
    """
    warn(
        f"{spelled}={value} is a number, not a tuple (({value}) in Python is just {value}): "
        f"layerfit reads it as ({value},), but Keras 3 rejects it.",
        None,
        f"write {fixed} (the comma makes the tuple)",
        category=LayerfitDeprecationWarning,
    )
    return (value,)


def parameter_names(function) -> list[str]:
    """The keyword arguments ``function`` takes by name (not ``self``, ``*args``, ``**kwargs``)."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind in kinds and p.name != "self"
    ]


def renamed_kwargs(owner: str, kwargs: dict, renames: dict[str, str], valid: Iterable[str]) -> dict:
    """Maps old keyword names to new ones (with a notice) and rejects unknown ones.

    Returns ``{new_name: value}`` for the renamed arguments. Any other key in ``kwargs``
    raises ``LayerfitTypeError`` naming the closest valid argument.

    Example:
    >>> renamed_kwargs("fit", {"nb_epoch": 5}, FIT_RENAMES, ["epochs"])  # and a notice
    {'epochs': 5}
    """
    valid = list(valid)
    result = {}
    for key, value in kwargs.items():
        if key in renames:
            notice(f"{owner}({key}=...)", f"{owner}({renames[key]}=...)")
            result[renames[key]] = value
            continue
        suggestions = closest(key, valid)
        hint = (
            "Did you mean " + " or ".join(f"{name}=" for name in suggestions) + "?"
            if suggestions
            else f"Valid keyword arguments: {', '.join(valid)}."
        )
        raise LayerfitTypeError(
            explain(
                f"{owner}() got an unexpected keyword argument {key}={value!r}.",
                f"one of: {', '.join(valid)}.",
                hint,
            )
        )
    return result


def metrics_as_list(metrics, argument: str = "metrics") -> list:
    """``compile(metrics='accuracy')`` -> ``['accuracy']`` with a notice (Keras 3 needs a list)."""
    shown = repr(metrics) if isinstance(metrics, str) else f"{type(metrics).__name__}(...)"
    notice(
        f"compile({argument}={shown})",
        f"compile({argument}=[{shown}])",
        "Keras 3 expects a list (or dict) of metrics.",
    )
    return [metrics]


def single_layer_sequential(layer):
    """``Sequential(layer)`` -> ``Sequential([layer])`` with a notice."""
    notice("Sequential(layer)", "Sequential([layer]) (a list of layers)")
    return [layer]


def np_utils_used(name: str) -> None:
    """``keras.utils.np_utils.<name>``: the module is gone in Keras 3; the function is not."""
    notice(
        f"keras.utils.np_utils.{name}",
        f"keras.utils.{name}(...)",
        "The np_utils module was removed.",
    )


def fit_generator(
    model,
    generator,
    steps_per_epoch=None,
    epochs=1,
    verbose=1,
    callbacks=None,
    validation_data=None,
    validation_steps=None,
    validation_freq=1,
    class_weight=None,
    max_queue_size=10,
    workers=1,
    use_multiprocessing=False,
    shuffle=True,
    initial_epoch=0,
):
    """Keras 2's ``model.fit_generator``: ``model.fit`` with the generator as ``x``.

    ``max_queue_size``, ``workers`` and ``use_multiprocessing`` are accepted and ignored:
    in Keras 3 they belong to the data object (``keras.utils.PyDataset``).
    """
    notice(
        "model.fit_generator(generator, ...)",
        "model.fit(generator, ...)",
        "fit accepts generators and PyDatasets directly.",
    )
    return model.fit(
        generator,
        steps_per_epoch=steps_per_epoch,
        epochs=epochs,
        verbose=verbose,
        callbacks=callbacks,
        validation_data=validation_data,
        validation_steps=validation_steps,
        validation_freq=validation_freq,
        class_weight=class_weight,
        shuffle=shuffle,
        initial_epoch=initial_epoch,
    )


def evaluate_generator(
    model,
    generator,
    steps=None,
    callbacks=None,
    max_queue_size=10,
    workers=1,
    use_multiprocessing=False,
    verbose=0,
):
    """Keras 2's ``model.evaluate_generator``: ``model.evaluate`` with the generator as ``x``."""
    notice("model.evaluate_generator(generator, ...)", "model.evaluate(generator, ...)")
    return model.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)


def predict_generator(
    model,
    generator,
    steps=None,
    callbacks=None,
    max_queue_size=10,
    workers=1,
    use_multiprocessing=False,
    verbose=0,
):
    """Keras 2's ``model.predict_generator``: ``model.predict`` with the generator as ``x``."""
    notice("model.predict_generator(generator, ...)", "model.predict(generator, ...)")
    return model.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)
