"""The loop: fit -> epoch -> batch -> step, with Keras's callback hooks and stop_training."""

from __future__ import annotations

import numpy as np
import torch

from layerfit import backend
from layerfit._tree import flatten, map_structure
from layerfit.callbacks import CallbackList, History, ProgbarLogger
from layerfit.callbacks._progbar import Progbar
from layerfit.data import make_batches, prepare_xy, split_validation
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain, warn
from layerfit.training import _preflight
from layerfit.training._custom_steps import custom_evaluation, custom_train_epoch
from layerfit.training._runner import StepRunner


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
    return int(verbose)


def require_compiled(model, method: str) -> None:
    if getattr(model, "compiled", None) is None:
        raise LayerfitRuntimeError(
            explain(
                f"model.{method}() was called before model.compile().",
                "compile() first, to choose the loss, optimizer and metrics.",
                "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', "
                "metrics=['accuracy'])",
            )
        )


def _target_dtype(model):
    losses = [loss for loss in model.compiled.losses if loss is not None]
    sparse = losses and all("sparse" in getattr(loss, "fn_name", "") for loss in losses)
    return torch.long if sparse else backend.torch_dtype()


def runner_for(model) -> StepRunner:
    """The model's StepRunner, rebuilt when compile() has run again."""
    runner = getattr(model, "_runner", None)
    if runner is None or runner.compiled is not model.compiled:
        runner = StepRunner(model)
        model._runner = runner
    return runner


def _prepare_model(model, x) -> None:
    device = backend.default_device()
    if device.type == "cpu":
        backend.flush_denormals()
    if not model.built:
        model.build_from_inputs(map_structure(lambda t: t[:1].to(device), x))
    if any(p.device != device for p in model.parameters()):
        model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    if getattr(model.optimizer, "_built_for", None) != [id(p) for p in params]:
        model.optimizer.build(params)
        model.optimizer._built_for = [id(p) for p in params]


def fit(
    model,
    x=None,
    y=None,
    *,
    batch_size=None,
    epochs=1,
    verbose="auto",
    callbacks=None,
    validation_split=0.0,
    validation_data=None,
    shuffle=True,
    class_weight=None,
    sample_weight=None,
    initial_epoch=0,
    steps_per_epoch=None,
    validation_steps=None,
    validation_batch_size=None,
    validation_freq=1,
):
    require_compiled(model, "fit")
    verbose = resolve_verbose(verbose)
    batch_size = 32 if batch_size is None else batch_size
    device = backend.default_device()
    y_dtype = _target_dtype(model)
    validation = None
    if validation_split and validation_data is None:
        if not _is_arrays(x):
            raise LayerfitValueError(
                explain(
                    "validation_split works only with arrays and tensors.",
                    "x and y as arrays, or a separate validation_data.",
                    "pass validation_data=(x_val, y_val) or a validation DataLoader.",
                )
            )
        _preflight.check_arrays(x, y, "x", "y")
        x, y, sample_weight = prepare_xy(x, y, sample_weight, y_dtype=y_dtype, device=device)
        (x, y, sample_weight), validation = split_validation(x, y, sample_weight, validation_split)
    elif _is_arrays(x):
        _preflight.check_arrays(x, y, "x", "y")
    if class_weight is not None:
        sample_weight = class_sample_weight(x, y, sample_weight, class_weight)
    train = make_batches(
        x,
        y,
        sample_weight,
        batch_size=batch_size,
        shuffle=shuffle,
        steps=steps_per_epoch,
        y_dtype=y_dtype,
        device=device,
    )
    if validation_data is not None:
        validation = _unpack_validation(validation_data)
    val_batches = None
    if validation is not None:
        val_batches = make_batches(
            *validation,
            batch_size=validation_batch_size or batch_size,
            steps=validation_steps,
            y_dtype=y_dtype,
            device=device,
            argument="validation_data",
        )

    runner = runner_for(model)
    first = train.first_batch()
    _preflight.check_first_batch(
        model, *first, y_given=y is not None or first[1] is not None, data=train, stage="fit"
    )
    _prepare_model(model, first[0])
    if not runner.metrics_built:
        runner.first_batch(first[0], first[1])

    history = History()
    model.history = history
    progbar = ProgbarLogger(verbose) if verbose else None
    steps = _length(train)
    callback_list = CallbackList(
        [*(callbacks or []), *([progbar] if progbar else []), history],
        model,
        {"verbose": verbose, "epochs": epochs, "steps": steps},
    )
    model.stop_training = False
    callback_list.call("on_train_begin", None)
    # BackupAndRestore sets _initial_epoch to resume after the last finished epoch.
    initial_epoch = getattr(model, "_initial_epoch", None) or initial_epoch
    model._initial_epoch = None
    logs: dict = {}
    for epoch in range(initial_epoch, epochs):
        callback_list.call("on_epoch_begin", epoch, None)
        logs = train_epoch(model, runner, train, callback_list, progbar, epoch)
        if val_batches is not None and (epoch + 1) % validation_freq == 0:
            val_logs = run_evaluation(model, runner, val_batches, callback_list)
            logs.update({f"val_{key}": value for key, value in val_logs.items()})
        callback_list.call("on_epoch_end", epoch, logs)
        if model.stop_training:
            break
    callback_list.call("on_train_end", logs)
    return history


def class_sample_weight(x, y, sample_weight, class_weight: dict):
    """Keras's ``class_weight``: each training sample weighted by its class (validation is not)."""
    if not _is_arrays(x) or y is None or not isinstance(class_weight, dict):
        raise LayerfitValueError(
            explain(
                f"fit(class_weight=...) got {type(class_weight).__name__} with x of type "
                f"{type(x).__name__}.",
                "a dict {class_index: weight} with x and y as arrays or tensors.",
                "pass class_weight={0: 1.0, 1: 5.0}; for generators or DataLoaders, yield "
                "(x, y, sample_weight) batches instead.",
            )
        )
    labels = (
        y.detach().cpu().numpy()
        if torch.is_tensor(y)
        else np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
    )
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)  # one-hot rows
    labels = np.rint(labels.reshape(len(labels))).astype("int64")
    table = np.ones(max(int(labels.max()), *map(int, class_weight)) + 1, dtype="float32")
    for index, weight in class_weight.items():
        table[int(index)] = float(weight)
    weights = table[labels]
    if sample_weight is not None:
        given = (
            sample_weight.detach().cpu().numpy()
            if torch.is_tensor(sample_weight)
            else (np.asarray(sample_weight, dtype="float32"))
        )
        weights = weights * given.reshape(len(weights))
    return weights


def _is_arrays(x) -> bool:
    from layerfit.data._arrays import is_array_like

    return x is not None and is_array_like(x)


def _length(batches):
    try:
        return len(batches)
    except TypeError:
        return None


def _unpack_validation(validation_data):
    if isinstance(validation_data, tuple) and len(validation_data) in (2, 3):
        x_val, y_val, *rest = validation_data
        _preflight.check_arrays(x_val, y_val, "validation_data[0]", "validation_data[1]")
        return x_val, y_val, (rest[0] if rest else None)
    if _is_arrays(validation_data):
        raise LayerfitValueError(
            explain(
                "validation_data is a single array.",
                "a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val), or a DataLoader.",
                "fit(x, y, validation_data=(x_val, y_val))",
            )
        )
    return validation_data, None, None


def train_epoch(model, runner, batches, callbacks, progbar, epoch) -> dict:
    model.train()
    if model._custom_train_step:
        bar = progbar.bar if progbar is not None else None
        return custom_train_epoch(model, runner, batches, callbacks, bar)
    runner.reset()
    batch_begin = callbacks.wants("on_train_batch_begin")
    batch_end = callbacks.wants("on_train_batch_end")
    bar = progbar.bar if progbar is not None else None
    for step, (x, y, sample_weight) in enumerate(batches):
        if batch_begin:
            callbacks.call("on_train_batch_begin", step, None)
        runner.train_step(x, y, sample_weight)
        if batch_end:
            callbacks.call("on_train_batch_end", step, runner.logs())
        if bar is not None:
            bar.update(step + 1, runner.logs)
        if model.stop_training:
            break
    _warn_on_nonfinite(model, runner, epoch)
    return runner.logs()


def _warn_on_nonfinite(model, runner, epoch: int) -> None:
    # Keras trains on after a NaN/inf loss (TerminateOnNaN stops it), so layerfit does too;
    # it says so once per fit, at the first epoch where it happened.
    if runner.__dict__.get("nonfinite_warned_for") is model.history:
        return
    bad = runner.loss_record.first_nonfinite()
    if bad is None:
        return
    runner.nonfinite_warned_for = model.history
    value = float(runner.loss_record.buffer[bad])
    warn(
        f"The loss became {value} at epoch {epoch + 1}, batch {bad + 1}. Training goes on, as "
        "in Keras, but the weights are probably no longer usable.",
        "a finite loss.",
        "add keras.callbacks.TerminateOnNaN() to stop at the first bad batch; lower the "
        "learning rate (e.g. Adam(learning_rate=1e-4)), scale the inputs to [0, 1] or "
        "standardise them, and check the data for NaN values.",
    )


@torch.no_grad()
def run_evaluation(model, runner, batches, callbacks=None, bar: Progbar | None = None) -> dict:
    model.eval()
    if callbacks is not None:
        callbacks.call("on_test_begin", None)
    evaluation = custom_evaluation if model._custom_test_step else _evaluation
    logs = evaluation(model, runner, batches, callbacks, bar)
    if callbacks is not None:
        callbacks.call("on_test_end", logs)
    return logs


def _evaluation(model, runner, batches, callbacks, bar) -> dict:
    runner.reset()
    batch_begin = callbacks is not None and callbacks.wants("on_test_batch_begin")
    batch_end = callbacks is not None and callbacks.wants("on_test_batch_end")
    for step, (x, y, sample_weight) in enumerate(batches):
        if batch_begin:
            callbacks.call("on_test_batch_begin", step, None)
        runner.test_step(x, y, sample_weight)
        if batch_end:
            callbacks.call("on_test_batch_end", step, runner.logs())
        if bar is not None:
            bar.update(step + 1, runner.logs)
    return runner.logs()


def evaluate(
    model,
    x=None,
    y=None,
    *,
    batch_size=None,
    verbose="auto",
    sample_weight=None,
    steps=None,
    callbacks=None,
    return_dict=False,
):
    require_compiled(model, "evaluate")
    verbose = resolve_verbose(verbose)
    device = backend.default_device()
    if _is_arrays(x):
        _preflight.check_arrays(x, y, "x", "y")
    batches = make_batches(
        x,
        y,
        sample_weight,
        batch_size=batch_size or 32,
        steps=steps,
        y_dtype=_target_dtype(model),
        device=device,
    )
    runner = runner_for(model)
    first = batches.first_batch()
    _preflight.check_first_batch(model, *first, y_given=True, data=batches, stage="evaluate")
    _prepare_model(model, first[0])
    if not runner.metrics_built:
        runner.first_batch(first[0], first[1])
    callback_list = CallbackList(callbacks, model, {"verbose": verbose, "steps": _length(batches)})
    bar = Progbar(_length(batches), verbose) if verbose else None
    logs = run_evaluation(model, runner, batches, callback_list, bar)
    if bar is not None:
        bar.update(bar.current, lambda: logs, finalize=True)
    if return_dict:
        return logs
    ordered = _ordered_values(logs, runner)
    return ordered[0] if len(ordered) == 1 else ordered


def predict(model, x, *, batch_size=None, verbose="auto", steps=None, callbacks=None):
    verbose = resolve_verbose(verbose)
    device = backend.default_device()
    if _is_arrays(x):
        _preflight.check_arrays(x, None, "x", None)
    batches = make_batches(x, None, None, batch_size=batch_size or 32, steps=steps, device=device)
    first = batches.first_batch()
    _preflight.check_first_batch(model, *first, y_given=False, data=batches, stage="predict")
    if not model.built:
        model.build_from_inputs(first[0])
    if any(p.device != device for p in model.parameters()):
        model.to(device)
    callback_list = CallbackList(callbacks, model, {"verbose": verbose, "steps": _length(batches)})
    bar = Progbar(_length(batches), verbose) if verbose else None
    model.eval()
    outputs = []
    batch_begin = callback_list.wants("on_predict_batch_begin")
    batch_end = callback_list.wants("on_predict_batch_end")
    callback_list.call("on_predict_begin", None)
    with torch.inference_mode():
        for step, (x_batch, _, _) in enumerate(batches):
            if batch_begin:
                callback_list.call("on_predict_batch_begin", step, None)
            outputs.append(model(x_batch, training=False))
            if batch_end:
                callback_list.call("on_predict_batch_end", step, {"outputs": outputs[-1]})
            if bar is not None:
                bar.update(step + 1)
    if bar is not None:
        bar.update(bar.current, finalize=True)
    callback_list.call("on_predict_end", None)
    return _concatenate(outputs)


def _concatenate(outputs: list):
    first = outputs[0]
    if isinstance(first, (list, tuple)):
        return [_concatenate([o[i] for o in outputs]) for i in range(len(first))]
    if isinstance(first, dict):
        return {key: _concatenate([o[key] for o in outputs]) for key in first}
    return torch.cat(outputs).cpu().numpy()


def batch_length(x) -> int:
    first = flatten(x)[0]
    return int(first.shape[0]) if hasattr(first, "shape") else len(first)


def _single_batch(model, x, y, sample_weight):
    device = backend.default_device()
    x, y, sample_weight = prepare_xy(
        x, y, sample_weight, y_dtype=_target_dtype(model), device=device
    )
    runner = runner_for(model)
    _prepare_model(model, x)
    if not runner.metrics_built:
        runner.first_batch(x, y)
    return runner, x, y, sample_weight


def _batch_result(runner, return_dict):
    logs = runner.logs()
    if return_dict:
        return logs
    ordered = _ordered_values(logs, runner)
    return ordered[0] if len(ordered) == 1 else ordered


def train_on_batch(model, x, y, sample_weight, return_dict):
    require_compiled(model, "train_on_batch")
    runner, x, y, sample_weight = _single_batch(model, x, y, sample_weight)
    model.train()
    runner.reset()
    runner.train_step(x, y, sample_weight)
    return _batch_result(runner, return_dict)


def test_on_batch(model, x, y, sample_weight, return_dict):
    require_compiled(model, "test_on_batch")
    runner, x, y, sample_weight = _single_batch(model, x, y, sample_weight)
    model.eval()
    runner.reset()
    with torch.no_grad():
        runner.test_step(x, y, sample_weight)
    return _batch_result(runner, return_dict)


def _ordered_values(logs: dict, runner) -> list:
    """evaluate()'s list: loss, then the compiled metrics; a custom test_step's own names
    (loss first) when they differ."""
    names = ["loss", *(metric.name for metric in runner.compiled.all_metrics())]
    if all(name in logs for name in names):
        return [logs[name] for name in names]
    first = [logs["loss"]] if "loss" in logs else []
    return first + [value for name, value in logs.items() if name != "loss"]
