"""Epochs of a model that overrides ``train_step`` / ``test_step`` (Keras's "customizing fit").

Each batch goes to the model's own step as ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``;
the dict it returns is the logs (nested dicts flattened, tensors read as floats). The model's
metrics are reset at the start of each epoch and each evaluation, as Keras does.
"""

from __future__ import annotations

from layerfit.utils import pack_x_y_sample_weight


def plain_logs(logs) -> dict[str, float]:
    values: dict[str, float] = {}
    for name, value in (logs or {}).items():
        if isinstance(value, dict):
            values.update(plain_logs(value))
        else:
            values[name] = float(value)
    return values


def _reset(model, runner) -> None:
    runner.reset()  # for a step that calls super().train_step(data)
    model.reset_metrics()


def custom_train_epoch(model, runner, batches, callbacks, bar) -> dict:
    _reset(model, runner)
    logs: dict[str, float] = {}
    for step, (x, y, sample_weight) in enumerate(batches):
        callbacks.call("on_train_batch_begin", step, None)
        logs = plain_logs(model.train_step(pack_x_y_sample_weight(x, y, sample_weight)))
        callbacks.call("on_train_batch_end", step, logs)
        if bar is not None:
            bar.update(step + 1, lambda current=logs: current)
        if model.stop_training:
            break
    return logs


def custom_evaluation(model, runner, batches, callbacks, bar) -> dict:
    _reset(model, runner)
    logs: dict[str, float] = {}
    for step, (x, y, sample_weight) in enumerate(batches):
        if callbacks is not None:
            callbacks.call("on_test_batch_begin", step, None)
        logs = plain_logs(model.test_step(pack_x_y_sample_weight(x, y, sample_weight)))
        if callbacks is not None:
            callbacks.call("on_test_batch_end", step, logs)
        if bar is not None:
            bar.update(step + 1, lambda current=logs: current)
    return logs
