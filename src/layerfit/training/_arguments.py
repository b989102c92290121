"""Checks of the arguments of fit, evaluate, predict and the *_on_batch methods.

Each public function runs once at the top of its method, before any data is converted, and
raises our error naming the argument, the value received and the fix. They are pure: they read
the arguments and return the cleaned-up callbacks list, nothing else.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch

from layerfit import config
from layerfit._tree import flatten
from layerfit.callbacks import Callback
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn


def check_fit_arguments(
    model,
    x,
    *,
    batch_size,
    epochs,
    callbacks,
    class_weight,
    initial_epoch,
    steps_per_epoch,
    validation_steps,
    validation_batch_size,
    validation_freq,
    validation_split,
) -> list:
    """Checks ``fit``'s arguments; returns the callbacks as a list."""
    check_count(batch_size, "fit", "batch_size", example="batch_size=32")
    check_count(
        validation_batch_size, "fit", "validation_batch_size", example="validation_batch_size=64"
    )
    check_count(steps_per_epoch, "fit", "steps_per_epoch", example="steps_per_epoch=100")
    check_count(validation_steps, "fit", "validation_steps", example="validation_steps=10")
    check_count(validation_freq, "fit", "validation_freq", example="validation_freq=1")
    _check_epochs(epochs, initial_epoch)
    if isinstance(validation_split, bool) or not (
        isinstance(validation_split, numbers.Real) and 0 <= validation_split < 1
    ):
        raise LayerfitValueError(
            explain(
                f"fit got validation_split={validation_split!r}.",
                "a fraction in [0, 1): the share of samples kept aside for validation.",
                "fit(x, y, validation_split=0.2)",
            )
        )
    if class_weight is not None:
        check_class_weight(class_weight)
    check_inputs(model, x, "fit")
    return callback_list(callbacks, "fit")


def check_evaluate_arguments(model, x, *, batch_size, steps, callbacks) -> list:
    """Checks ``evaluate``'s arguments; returns the callbacks as a list."""
    check_count(batch_size, "evaluate", "batch_size", example="batch_size=32")
    check_count(steps, "evaluate", "steps", example="steps=10")
    check_inputs(model, x, "evaluate")
    return callback_list(callbacks, "evaluate")


def check_predict_arguments(model, x, *, batch_size, steps, callbacks) -> list:
    """Checks ``predict``'s arguments; returns the callbacks as a list."""
    check_count(batch_size, "predict", "batch_size", example="batch_size=32")
    check_count(steps, "predict", "steps", example="steps=10")
    check_inputs(model, x, "predict")
    return callback_list(callbacks, "predict")


def check_batch_arguments(model, x, method: str) -> None:
    """Checks the x of ``train_on_batch``, ``test_on_batch`` and ``predict_on_batch``."""
    if x is None:
        raise LayerfitValueError(
            explain(
                f"model.{method}() got x=None.",
                "one batch of inputs (an array, a tensor, or a list/dict of them).",
                f"model.{method}(x_batch{', y_batch' if method != 'predict_on_batch' else ''})",
            )
        )
    check_inputs(model, x, method)


def check_compile_arguments(
    *, loss_weights, run_eagerly, steps_per_execution, jit_compile, auto_scale_loss
) -> None:
    """Checks ``compile``'s arguments; warns once about steps_per_execution, which PyTorch's
    eager execution makes moot."""
    check_count(
        steps_per_execution, "compile", "steps_per_execution", example="steps_per_execution=1"
    )
    for argument, value in (("run_eagerly", run_eagerly), ("auto_scale_loss", auto_scale_loss)):
        if not isinstance(value, (bool, np.bool_)):
            raise LayerfitTypeError(
                explain(
                    f"model.compile() got {argument}={value!r}.",
                    f"{argument}=True or False.",
                    f"model.compile(..., {argument}={argument == 'auto_scale_loss'})",
                )
            )
    if jit_compile not in (True, False, "auto"):
        raise LayerfitValueError(
            explain(
                f"model.compile() got jit_compile={jit_compile!r}.",
                "True, False or 'auto'.",
                "leave jit_compile out ('auto').",
            )
        )
    weights = list(loss_weights.values()) if isinstance(loss_weights, dict) else loss_weights
    for weight in weights if isinstance(weights, (list, tuple)) else [weights]:
        _check_loss_weight(weight)
    # jit_compile=True compiles the train step with torch.compile (training/_steps.py).
    ignored = [f"steps_per_execution={steps_per_execution!r}"] if steps_per_execution != 1 else []
    if ignored and ignored != _noted:
        _noted[:] = ignored
        warn(
            f"model.compile({', '.join(ignored)}) is accepted and has no effect: layerfit runs "
            "each step in PyTorch, with no per-call overhead to spread over several steps; "
            "results are the same.",
            "the default settings.",
            "leave steps_per_execution out; for a compiled train step use "
            "compile(..., jit_compile=True).",
        )


_noted: list = []  # the ignored settings last warned about: one warning per setting


def _check_loss_weight(weight) -> None:
    if weight is None:
        return
    if (
        isinstance(weight, (bool, np.bool_))
        or not isinstance(weight, numbers.Real)
        or not np.isfinite(weight)
    ):
        raise LayerfitValueError(
            explain(
                f"model.compile() got the loss weight {weight!r} ({type(weight).__name__}).",
                "a finite number per output (or None for 1.0).",
                "model.compile(..., loss_weights=[1.0, 0.5]) or a dict keyed by output name.",
            )
        )


# -- single arguments -----------------------------------------------------------------------------


def check_count(value, method: str, argument: str, *, example: str) -> None:
    """A positive whole number (or None): batch sizes, step counts, frequencies."""
    if value is None:
        return
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, numbers.Integral)
        or int(value) < 1
    ):
        hint = ""
        if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
            if value > 0 and float(value) != int(value):
                hint = f" Round it: {argument}={max(1, round(value))}."
        raise LayerfitValueError(
            explain(
                f"model.{method}() got {argument}={value!r} ({type(value).__name__}).",
                f"{argument} as a positive whole number (1 or more), or None for the default.",
                f"model.{method}(..., {example}).{hint}",
            )
        )


def _check_epochs(epochs, initial_epoch) -> None:
    for argument, value, example in (
        ("epochs", epochs, "epochs=10"),
        ("initial_epoch", initial_epoch, "initial_epoch=0"),
    ):
        if (
            isinstance(value, (bool, np.bool_))
            or not isinstance(value, numbers.Integral)
            or value < 0
        ):
            raise LayerfitValueError(
                explain(
                    f"model.fit() got {argument}={value!r} ({type(value).__name__}).",
                    f"{argument} as a whole number, 0 or more.",
                    f"model.fit(x, y, {example})",
                )
            )


def callback_list(callbacks, method: str) -> list:
    """None, one callback, or a list/tuple of callbacks -> a list (Keras accepts all three)."""
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    if isinstance(callbacks, (list, tuple)):
        for item in callbacks:
            if not isinstance(item, Callback):
                _bad_callbacks(item, method, inside=True)
        return list(callbacks)
    _bad_callbacks(callbacks, method, inside=False)


def _bad_callbacks(value, method: str, inside: bool) -> None:
    where = "callbacks contains" if inside else "callbacks is"
    fix = "pass callback objects, e.g. callbacks=[EarlyStopping(patience=3)]"
    if isinstance(value, type) and issubclass(value, Callback):
        fix = f"create the callback: {value.__name__}(...), not the class {value.__name__}"
    raise LayerfitTypeError(
        explain(
            f"model.{method}() got {where} {value!r} ({type(value).__name__}).",
            "a list of layerfit.callbacks.Callback objects (or one callback, or None).",
            fix + ".",
        )
    )


def check_class_weight(class_weight) -> None:
    """``{class index: weight}`` with whole-number keys and non-negative number weights."""
    if not isinstance(class_weight, dict):
        raise LayerfitTypeError(
            explain(
                f"class_weight is a {type(class_weight).__name__}: {class_weight!r}.",
                "a dict {class_index: weight}.",
                "class_weight={0: 1.0, 1: 5.0}; for a list of weights use "
                "dict(enumerate(weights)).",
            )
        )
    for key, weight in class_weight.items():
        if isinstance(key, (bool, np.bool_)) or not isinstance(key, numbers.Integral) or key < 0:
            raise LayerfitValueError(
                explain(
                    f"class_weight has the key {key!r} ({type(key).__name__}).",
                    "class indices as keys: the whole numbers 0, 1, ... that y holds.",
                    "map class names to their indices first, e.g. "
                    "{class_names.index(name): w for name, w in class_weight.items()}.",
                )
            )
        if (
            isinstance(weight, (bool, np.bool_))
            or not isinstance(weight, numbers.Real)
            or not np.isfinite(weight)
            or weight < 0
        ):
            raise LayerfitValueError(
                explain(
                    f"class_weight[{key!r}] is {weight!r}.",
                    "a finite number, 0 or more, per class.",
                    "class_weight={0: 1.0, 1: 5.0}",
                )
            )


def check_inputs(model, x, method: str) -> None:
    """Input kinds no model can take: complex numbers, and a dict for a Sequential."""
    if isinstance(x, dict) and _is_sequential(model):
        keys = list(x)
        raise LayerfitValueError(
            explain(
                f"model.{method}() got x as a dict with keys {keys}, but a Sequential model "
                "has a single input.",
                "one array (or tensor) for x.",
                f"pass the array itself, e.g. x[{keys[0]!r}]"
                if len(keys) == 1
                else "build a functional model with one named Input per key: "
                f"inputs = {{{keys[0]!r}: keras.Input(shape=..., name={keys[0]!r}), ...}}, "
                "then keras.Model(inputs, outputs).",
            )
        )
    if isinstance(x, (list, tuple, dict)) or torch.is_tensor(x) or isinstance(x, np.ndarray):
        for leaf in flatten(x):
            dtype = getattr(leaf, "dtype", None)
            if dtype is not None and _is_complex(dtype):
                raise LayerfitTypeError(
                    explain(
                        f"model.{method}() got complex numbers in x (dtype {dtype}).",
                        "real numbers: layers compute on real-valued floats.",
                        "split them into real features first, e.g. "
                        "np.concatenate([x.real, x.imag], axis=-1), or use np.abs(x).",
                    )
                )


def _is_complex(dtype) -> bool:
    if isinstance(dtype, torch.dtype):
        return dtype.is_complex
    try:
        return np.dtype(dtype).kind == "c"
    except TypeError:
        return False


def _is_sequential(model) -> bool:
    # By name: training never imports layerfit.models.
    return any(klass.__name__ == "Sequential" for klass in type(model).__mro__)


# -- running out of data ------------------------------------------------------------------------


def ran_out_of_data(batches, model) -> bool:
    """After an epoch: when a generator ran dry, warn as Keras does and stop training.

    Returns True when the epoch got no batch at all (nothing to log for it).
    """
    if not getattr(batches, "ran_out", False):
        return False
    batches.ran_out = False
    model.stop_training = True
    warn(
        "Your input ran out of data; interrupting training. Make sure that your dataset or "
        f"generator can generate at least `steps_per_epoch * epochs` batches "
        f"(it gave {batches.batches_given} in total).",
        "a generator that yields steps_per_epoch * epochs batches, e.g. one that loops "
        "forever (while True: ...).",
        "wrap the data in an endless loop, or lower steps_per_epoch or epochs.",
    )
    return batches.batches_in_epoch == 0


def check(model, stage: str, arguments) -> None:
    """Checks a Model method's arguments (``prepare``'s first step); puts the callbacks in a
    list."""
    a = arguments
    if stage == "fit":
        a.callbacks = check_fit_arguments(
            model,
            a.x,
            batch_size=a.batch_size,
            epochs=a.epochs,
            callbacks=a.callbacks,
            class_weight=a.class_weight,
            initial_epoch=a.initial_epoch,
            steps_per_epoch=a.steps_per_epoch,
            validation_steps=a.validation_steps,
            validation_batch_size=a.validation_batch_size,
            validation_freq=a.validation_freq,
            validation_split=a.validation_split,
        )
    elif stage == "evaluate":
        a.callbacks = check_evaluate_arguments(
            model, a.x, batch_size=a.batch_size, steps=a.steps, callbacks=a.callbacks
        )
    elif stage == "predict":
        a.callbacks = check_predict_arguments(
            model, a.x, batch_size=a.batch_size, steps=a.steps, callbacks=a.callbacks
        )
    else:
        check_batch_arguments(model, a.x, stage)
        if getattr(a, "class_weight", None) is not None:
            check_class_weight(a.class_weight)
    _apply_config_caps(stage, a)


def _apply_config_caps(stage: str, a) -> None:
    """``keras.config.set_max_epochs`` / ``set_max_steps_per_epoch`` (or ``KERAS_MAX_EPOCHS`` /
    ``KERAS_MAX_STEPS_PER_EPOCH``) cap every run, with Keras's notice, for quick debugging runs.

    Unlike Keras, a step cap larger than the batches of in-memory arrays changes nothing and
    says nothing (Keras sets it anyway, then warns that the input ran out of data)."""
    max_epochs, max_steps = config.max_epochs(), config.max_steps_per_epoch()
    if stage == "fit" and max_epochs and max_epochs < a.epochs:
        warn(f"Limiting epochs to {max_epochs} (keras.config.max_epochs() is set).")
        a.epochs = max_epochs
    if not max_steps or stage not in ("fit", "evaluate", "predict"):
        return
    if stage == "fit":
        share = 1.0 - (a.validation_split or 0.0) if a.validation_data is None else 1.0
        _cap_steps(a, "steps_per_epoch", a.x, a.batch_size, max_steps, share)
        if a.validation_data is not None:
            x_val = a.validation_data[0] if isinstance(a.validation_data, tuple) else None
            size = a.validation_batch_size or a.batch_size
            _cap_steps(a, "validation_steps", x_val, size, max_steps, 1.0, notice=False)
        elif a.validation_split:
            share = a.validation_split
            _cap_steps(a, "validation_steps", a.x, a.batch_size, max_steps, share, notice=False)
    else:
        _cap_steps(a, "steps", a.x, a.batch_size, max_steps, 1.0)


def _cap_steps(a, name, x, batch_size, max_steps, share, notice=True) -> None:
    steps = getattr(a, name)
    if steps and steps <= max_steps:
        return
    if not steps:
        leaves = flatten(x) if x is not None else []
        if leaves and hasattr(leaves[0], "shape") and len(leaves[0].shape):
            batches = math.ceil(int(leaves[0].shape[0] * share) / (batch_size or 32))
            if batches <= max_steps:
                return
    if notice:
        warn(f"Limiting {name} to {max_steps} (keras.config.max_steps_per_epoch() is set).")
    setattr(a, name, max_steps)
