"""What a tuner adds to every fit: its hooks, and the best-epoch checkpoint with its input shape."""

from __future__ import annotations

from layerfit.callbacks import Callback


class TunerCallback(Callback):
    """Forwards the model's epoch and batch hooks to the tuner's (with the trial)."""

    def __init__(self, tuner, trial):
        super().__init__()
        self.tuner, self.trial = tuner, trial

    def on_epoch_begin(self, epoch, logs=None):
        self.tuner.on_epoch_begin(self.trial, self.model, epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self.tuner.on_epoch_end(self.trial, self.model, epoch, logs=logs)

    def on_batch_begin(self, batch, logs=None):
        self.tuner.on_batch_begin(self.trial, self.model, batch, logs)

    def on_batch_end(self, batch, logs=None):
        self.tuner.on_batch_end(self.trial, self.model, batch, logs)

    def __deepcopy__(self, memo):
        return self


class SaveBestEpoch(Callback):
    """Saves the weights whenever the objective improves (every epoch if it is not logged)."""

    def __init__(self, tuner, trial_id: str):
        super().__init__()
        self.tuner, self.trial_id = tuner, trial_id
        self.objective = tuner.oracle.objective
        self.best = float("-inf") if self.objective.direction == "max" else float("inf")

    def on_epoch_end(self, epoch, logs=None):
        if not self.objective.has_value(logs):
            self.tuner.save_model(self.trial_id, self.model, step=epoch)
            return
        value = float(self.objective.get_value(logs))
        if self.objective.better_than(value, self.best):
            self.best = value
            self.tuner.save_model(self.trial_id, self.model, step=epoch)

    def __deepcopy__(self, memo):
        return self


def plain_shape(shape):
    if shape is None:
        return None
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [list(s) for s in shape]
    return list(shape)


def tuple_shape(shape):
    if shape and isinstance(shape[0], list):
        return [tuple(s) for s in shape]
    return tuple(shape)


def build_from_shape(model, shape) -> None:
    """Creates the weights of a model declared without an Input, as its checkpoint had them."""
    if isinstance(shape, list):
        model.build(shape)
        return
    import numpy as np

    # A forward pass on zeros marks the model built (``build`` alone leaves a Sequential's
    # summary counting no parameters).
    model(np.zeros([1 if d is None else d for d in shape], dtype="float32"))
