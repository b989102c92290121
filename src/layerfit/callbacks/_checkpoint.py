"""ModelCheckpoint: save the model (or its weights) every epoch, or the best one.

It saves through the model's own ``save`` / ``save_weights`` / ``load_weights``, which write
atomically, so a run killed mid-save keeps the previous file.
"""

from __future__ import annotations

import os

from layerfit.callbacks._callback import Callback
from layerfit.callbacks._monitor import MonitorMixin
from layerfit.errors import LayerfitValueError, explain, localize

# The extensions layerfit.saving accepts (checked here so a typo fails before training).
_MODEL_EXTENSIONS = (".keras", ".layerfit", ".h5")
_WEIGHTS_EXTENSIONS = (".weights.safetensors", ".weights.h5")


class ModelCheckpoint(MonitorMixin, Callback):
    """Saves the model (or its weights) after every epoch, or only when ``monitor`` improves.

    Args:
        filepath: where to save; may hold ``{epoch}`` and any logged value, formatted as
            ``str.format`` does: ``'ckpt-{epoch:02d}-{val_loss:.4f}.keras'``. Must end in
            '.keras' (whole model) or '.weights.h5' / '.weights.safetensors' (weights only).
        monitor: the logged value that decides the best model. Defaults to 'val_loss'.
        verbose: 1 prints a line when saving. Defaults to 0.
        save_best_only: save only when ``monitor`` beats the best so far. Defaults to False.
        save_weights_only: save with ``save_weights`` instead of ``save``. Defaults to False.
        mode: 'min', 'max' or 'auto' (from the monitor's name). Defaults to 'auto'.
        save_freq: 'epoch', or save every this many batches. Defaults to 'epoch'.
        initial_value_threshold: the best value to beat at first. Defaults to None.

    Example:
    >>> checkpoint = ModelCheckpoint("best.keras", monitor="val_accuracy", save_best_only=True)
    >>> model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    """

    _chief_hooks = "all"  # data parallelism: process 0 writes the file

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__()
        self.init_monitor(monitor, mode)
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self._current_epoch = 0
        self._batches_since_save = 0
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1
        ):
            raise LayerfitValueError(
                explain(
                    f"ModelCheckpoint got save_freq={save_freq!r}.",
                    "'epoch', or a positive number of batches.",
                    "ModelCheckpoint(path, save_freq='epoch')",
                )
            )
        _check_extension(self.filepath, self.save_weights_only)
        if save_freq != "epoch":  # only then pay for per-batch logs
            self.__class__ = _BatchModelCheckpoint

    def on_train_begin(self, logs=None):
        self._resume()
        self.reset_monitor_warning()

    def _resume_state(self) -> dict:
        return {
            "best": None if self.best is None else float(self.best),
            "batches_since_save": self._batches_since_save,
        }

    def _load_resume_state(self, state: dict) -> None:
        self.best = None if state["best"] is None else float(state["best"])
        self._batches_since_save = int(state["batches_since_save"])

    def on_epoch_end(self, epoch, logs=None):
        self._save(epoch, None, logs or {})

    def _save(self, epoch: int, batch: int | None, logs: dict) -> None:
        filepath = self._format(epoch, batch, logs)
        if self.save_best_only:
            current = self.monitor_value(logs)  # warns once when the key is missing
            if current is None:
                return
            best = "None" if self.best is None else f"{self.best:.5f}"
            if not self.is_improvement(current, self.best, 0):
                if self.verbose > 0:
                    print(
                        "\n"
                        + localize(f"Epoch {epoch + 1}: {self.monitor} did not improve from {best}")
                    )
                return
            if self.verbose > 0:
                print(
                    "\n"
                    + localize(
                        f"Epoch {epoch + 1}: {self.monitor} improved from {best} to "
                        f"{current:.5f}, saving model to {filepath}"
                    )
                )
            self.best = current
        elif self.verbose > 0:
            print("\n" + localize(f"Epoch {epoch + 1}: saving model to {filepath}"))
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)

    def _format(self, epoch: int, batch: int | None, logs: dict) -> str:
        values = dict(logs)
        values["epoch"] = epoch + 1
        if batch is not None:
            values.setdefault("batch", batch + 1)
        try:
            return self.filepath.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise LayerfitValueError(
                explain(
                    f"ModelCheckpoint could not fill in its filepath {self.filepath!r}: "
                    f"{type(error).__name__}: {error}. Available keys: {sorted(values)}.",
                    "placeholders named after logged values, e.g. {epoch:02d} or {val_loss:.4f}.",
                    "use only the keys listed; val_ values need validation data in fit().",
                )
            ) from None


class _BatchModelCheckpoint(ModelCheckpoint):
    """ModelCheckpoint with an integer ``save_freq``: saves every ``save_freq`` batches."""

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_end(self, batch, logs=None):
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch, logs or {})


def _check_extension(filepath: str, weights_only: bool) -> None:
    lower = filepath.lower()
    if weights_only and not lower.endswith(_WEIGHTS_EXTENSIONS):
        raise LayerfitValueError(
            explain(
                f"ModelCheckpoint(save_weights_only=True) got filepath={filepath!r}.",
                "a path ending in .weights.h5 or .weights.safetensors.",
                "ModelCheckpoint('best.weights.h5', save_weights_only=True)",
            )
        )
    if not weights_only and (
        lower.endswith(_WEIGHTS_EXTENSIONS) or not lower.endswith(_MODEL_EXTENSIONS)
    ):
        raise LayerfitValueError(
            explain(
                f"ModelCheckpoint got filepath={filepath!r}, which does not end in .keras.",
                "a path ending in .keras to save the whole model (or save_weights_only=True "
                "with .weights.h5).",
                "ModelCheckpoint('best.keras') or "
                "ModelCheckpoint('best.weights.h5', save_weights_only=True)",
            )
        )
