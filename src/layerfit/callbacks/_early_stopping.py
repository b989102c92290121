"""EarlyStopping: stop training when a monitored value stops improving."""

from __future__ import annotations

import numpy as np

from layerfit.callbacks._callback import Callback
from layerfit.callbacks._monitor import MonitorMixin
from layerfit.errors import localize


class EarlyStopping(MonitorMixin, Callback):
    """Stops training when ``monitor`` has not improved for ``patience`` epochs.

    Args:
        monitor: the logged value to watch. Defaults to 'val_loss'.
        min_delta: an improvement must beat the best by more than this. Defaults to 0.
        patience: epochs without improvement before stopping. Defaults to 0.
        verbose: 1 prints when it stops and restores. Defaults to 0.
        mode: 'min', 'max' or 'auto' (from the name: losses and errors fall, accuracies rise).
            Defaults to 'auto'.
        baseline: training stops unless the value beats this within ``patience`` epochs.
            Defaults to None.
        restore_best_weights: at the end of training, set the weights of the best epoch.
            Defaults to False.
        start_from_epoch: epochs to wait before watching. Defaults to 0.

    Example:
    >>> es = EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__()
        self.init_monitor(monitor, mode)
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0
        self.restored_epoch = None

    def on_train_begin(self, logs=None):
        self._reset()
        self._resume()
        self.reset_monitor_warning()
        history = getattr(self.model, "history", None)
        if history is not None:
            history.early_stopping = self

    def on_epoch_end(self, epoch, logs=None):
        current = self.monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self._weights_now()
            self.best_epoch = epoch
        self.wait += 1
        if self.is_improvement(current, self.best, self.min_delta):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self._weights_now()
            # The patience count restarts only when the baseline is beaten too.
            if self.baseline is None or self.is_improvement(current, self.baseline, self.min_delta):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def _weights_now(self) -> list:
        # Copies: get_weights() arrays may share memory with weights that keep training.
        return [np.array(w, copy=True) for w in self.model.get_weights()]

    def _resume_state(self) -> dict:
        state = {
            "wait": self.wait,
            "stopped_epoch": self.stopped_epoch,
            "best": None if self.best is None else float(self.best),
            "best_epoch": self.best_epoch,
        }
        if self.best_weights is not None:
            state["arrays"] = list(self.best_weights)
        return state

    def _load_resume_state(self, state: dict) -> None:
        self.wait = int(state["wait"])
        self.stopped_epoch = int(state["stopped_epoch"])
        self.best = None if state["best"] is None else float(state["best"])
        self.best_epoch = int(state["best_epoch"])
        arrays = state.get("arrays")
        self.best_weights = list(arrays) if arrays else None

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(localize(f"Epoch {self.stopped_epoch + 1}: early stopping"))
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    localize(
                        "Restoring model weights from the end of the best epoch: "
                        f"{self.best_epoch + 1}."
                    )
                )
            self.model.set_weights(self.best_weights)
            self.restored_epoch = self.best_epoch
