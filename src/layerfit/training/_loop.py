"""The loop: fit -> epoch -> batches -> step, with Keras's callback hooks and stop_training.

Every method sets up with ``prepare`` (``_prepare.py``) and goes through its batches with
``run_batches``, given a step (``_steps.py``): fit uses the train step and, for validation,
the test step; evaluate the test step; predict the predict step.
"""

from __future__ import annotations

import contextlib

import torch

from layerfit import backend
from layerfit._tree import flatten
from layerfit.callbacks import CallbackList, History, ProgbarLogger
from layerfit.callbacks._progbar import Progbar
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.training import _arguments
from layerfit.training._prepare import Arguments, prepare

# Gradients only where they are used; predict's tensors need no autograd bookkeeping at all.
_GRAD_MODE = {
    "train": contextlib.nullcontext,
    "test": torch.no_grad,
    "predict": torch.inference_mode,
}


def fit(model, arguments: Arguments) -> History:
    """``Model.fit``: set up once, then epochs of training batches and validation batches."""
    verbose = resolve_verbose(arguments.verbose)
    run = prepare(model, "fit", arguments)
    model.history = history = History()
    progbar = ProgbarLogger(verbose) if verbose else None
    callbacks = CallbackList(
        [*(arguments.callbacks or []), *([progbar] if progbar else []), history],
        model=model,
        verbose=verbose,
        epochs=arguments.epochs,
        steps=_length(run.data),
    )
    model.stop_training = False
    callbacks.call("on_train_begin", None)
    # BackupAndRestore sets _initial_epoch to resume after the last finished epoch.
    first_epoch = getattr(model, "_initial_epoch", None) or arguments.initial_epoch
    model._initial_epoch = None
    logs: dict = {}
    for epoch in range(first_epoch, arguments.epochs):
        callbacks.call("on_epoch_begin", epoch, None)
        bar = progbar.bar if progbar is not None else None
        logs = run_batches(model, run.data, run.train_step, callbacks, "train", bar)
        if _arguments.ran_out_of_data(run.data, model):
            break  # the epoch got no batch: nothing to log
        _warn_on_nonfinite(run.train_step, epoch)
        if run.validation is not None and (epoch + 1) % arguments.validation_freq == 0:
            val_logs = evaluation(model, run.validation, run.test_step, callbacks)
            logs.update({f"val_{name}": value for name, value in val_logs.items()})
        callbacks.call("on_epoch_end", epoch, logs)
        if model.stop_training:
            break
    # Keras ends on the optimizer's final values (the moving average when use_ema=True).
    model.optimizer.finalize_variable_values(model.trainable_weights)
    callbacks.call("on_train_end", logs)
    return history


def run_batches(model, batches, step, callbacks: CallbackList, mode: str, bar=None) -> dict:
    """One pass over ``batches`` with ``step`` ('train', 'test' or 'predict' ``mode``); its logs."""
    model.train(mode == "train")
    step.reset()
    call = step.call
    begin, end = f"on_{mode}_batch_begin", f"on_{mode}_batch_end"
    wants_begin, wants_end = callbacks.wants(begin), callbacks.wants(end)
    bar_logs = None if mode == "predict" else step.logs
    with _GRAD_MODE[mode]():
        for index, (x, y, sample_weight) in enumerate(batches):
            if wants_begin:
                callbacks.call(begin, index, None)
            call(x, y, sample_weight)
            if wants_end:
                callbacks.call(end, index, step.logs())
            if bar is not None:
                bar.update(index + 1, bar_logs)
            if mode == "train" and step.stopping():  # over several processes: agreed
                break
    return step.epoch_logs()  # over several processes: summed across them


def evaluation(model, batches, step, callbacks: CallbackList, bar=None) -> dict:
    """A pass of the test step between ``on_test_begin`` and ``on_test_end``."""
    callbacks.call("on_test_begin", None)
    logs = run_batches(model, batches, step, callbacks, "test", bar)
    callbacks.call("on_test_end", logs)
    return logs


def evaluate(model, arguments: Arguments):
    """``Model.evaluate``: the loss, [loss, *metrics], or a dict with ``return_dict``."""
    verbose = resolve_verbose(arguments.verbose)
    run = prepare(model, "evaluate", arguments)
    steps = _length(run.data)
    callbacks = CallbackList(arguments.callbacks, model=model, verbose=verbose, steps=steps)
    bar = Progbar(steps, verbose) if verbose else None
    logs = evaluation(model, run.data, run.test_step, callbacks, bar)
    if bar is not None:
        bar.update(bar.current, lambda: logs, finalize=True)
    return _result(model, logs, arguments.return_dict)


def predict(model, arguments: Arguments):
    """``Model.predict``: the outputs of every batch, concatenated into numpy arrays."""
    verbose = resolve_verbose(arguments.verbose)
    run = prepare(model, "predict", arguments)
    steps = _length(run.data)
    callbacks = CallbackList(arguments.callbacks, model=model, verbose=verbose, steps=steps)
    bar = Progbar(steps, verbose) if verbose else None
    callbacks.call("on_predict_begin", None)
    run_batches(model, run.data, run.predict_step, callbacks, "predict", bar)
    if bar is not None:
        bar.update(bar.current, finalize=True)
    callbacks.call("on_predict_end", None)
    return run.predict_step.result()


def train_on_batch(model, arguments: Arguments):
    """``Model.train_on_batch``: one step on one batch; its loss (and metrics)."""
    run = prepare(model, "train_on_batch", arguments)
    logs = run_batches(model, run.data, run.train_step, CallbackList(None), "train")
    return _result(model, logs, arguments.return_dict)


def test_on_batch(model, arguments: Arguments):
    """``Model.test_on_batch``: the loss (and metrics) of one batch."""
    run = prepare(model, "test_on_batch", arguments)
    logs = run_batches(model, run.data, run.test_step, CallbackList(None), "test")
    return _result(model, logs, arguments.return_dict)


# -- small helpers --------------------------------------------------------------------------


def resolve_verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise LayerfitValueError(
            explain(
                f"verbose={verbose!r}.",
                "'auto', 0 (silent), 1 (progress bar) or 2 (one line per epoch).",
                "fit(..., verbose=1)",
            )
        )
    # Over several processes only process 0 prints (joined here, before the first bar).
    return int(verbose) if backend.distributed.join().is_chief else 0


def _warn_on_nonfinite(step, epoch: int) -> None:
    # Keras trains on after a NaN/inf loss (TerminateOnNaN stops it), so layerfit does too;
    # it says so once per fit (each fit has its own step), at the first epoch it happened.
    if getattr(step, "nonfinite_warned", False):
        return
    bad = step.nonfinite()
    if bad is None:
        return
    step.nonfinite_warned = True
    index, value = bad
    warn(
        f"The loss became {value} at epoch {epoch + 1}, batch {index + 1}. Training goes on, as "
        "in Keras, but the weights are probably no longer usable.",
        "a finite loss.",
        "add keras.callbacks.TerminateOnNaN() to stop at the first bad batch; lower the "
        "learning rate (e.g. Adam(learning_rate=1e-4)), scale the inputs to [0, 1] or "
        "standardise them, and check the data for NaN values.",
    )


def _length(batches) -> int | None:
    try:
        return len(batches)
    except TypeError:
        return None


def batch_length(x) -> int:
    first = flatten(x)[0]
    return int(first.shape[0]) if hasattr(first, "shape") else len(first)


def _result(model, logs: dict, return_dict: bool):
    """The logs as a dict, or as evaluate()'s value: the loss alone, or [loss, *metrics]."""
    if return_dict:
        return logs
    names = ["loss", *(metric.name for metric in model.compiled.all_metrics())]
    if all(name in logs for name in names):
        ordered = [logs[name] for name in names]
    else:  # a custom test_step's own names, loss first
        ordered = [logs["loss"]] if "loss" in logs else []
        ordered += [value for name, value in logs.items() if name != "loss"]
    return ordered[0] if len(ordered) == 1 else ordered
