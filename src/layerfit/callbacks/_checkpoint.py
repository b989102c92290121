"""ModelCheckpoint (save every epoch, or the best one) and BackupAndRestore (resume a run).

Both save through the model's own ``save`` / ``save_weights`` / ``load_weights``, which write
atomically, so a run killed mid-save keeps the previous file.
"""

from __future__ import annotations

import base64
import json
import os
import random
from pathlib import Path

import numpy as np
import torch

from layerfit.callbacks._callback import Callback
from layerfit.callbacks._monitor import MonitorMixin
from layerfit.errors import LayerfitValueError, explain
from layerfit.utils._atomic import write_json

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
        self.reset_monitor_warning()

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
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
                return
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
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


class BackupAndRestore(Callback):
    """Backs up the training state every epoch; a restarted ``fit`` resumes from the backup.

    The backup holds the weights, the optimizer state, the epoch and the random number
    generators' states, so a run killed and restarted ends with the same weights as a run
    that was never interrupted.

    Args:
        backup_dir: a folder for the backup, used by nothing else.
        save_freq: 'epoch' (the only value: runs resume at epoch boundaries).
            Defaults to 'epoch'.
        delete_checkpoint: delete the backup when ``fit`` finishes. Defaults to True.

    Example:
    >>> backup = BackupAndRestore(backup_dir="/tmp/backup")
    >>> model.fit(x, y, epochs=10, callbacks=[backup])  # rerun the script after a crash
    """

    _STATE = "training_state.json"

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise LayerfitValueError(
                explain(
                    "BackupAndRestore got an empty backup_dir.",
                    "a folder path.",
                    "BackupAndRestore(backup_dir='backup')",
                )
            )
        if save_freq != "epoch":
            raise LayerfitValueError(
                explain(
                    f"BackupAndRestore got save_freq={save_freq!r}; layerfit backs up at the "
                    "end of each epoch only, so a resumed run matches an uninterrupted one.",
                    "save_freq='epoch'.",
                    "leave save_freq out.",
                )
            )
        self.backup_dir = Path(os.fspath(backup_dir))
        self.save_freq = save_freq
        self.delete_checkpoint = bool(delete_checkpoint)

    def on_train_begin(self, logs=None):
        state = self._read_state()
        if state is None:
            return
        if not self.model.built:
            raise LayerfitValueError(
                explain(
                    f"BackupAndRestore found a backup in {str(self.backup_dir)!r} but the model "
                    "is not built, so its weights cannot be restored.",
                    "a model built before fit: Input(shape=...) first, or input_shape= on the "
                    "first layer.",
                    "add layerfit.Input(shape=...) as the first layer.",
                )
            )
        self.model.load_weights(self.backup_dir / state["model_file"])
        set_rng_state(state["rng"])
        self.model._initial_epoch = state["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        name = f"epoch-{epoch + 1}.keras"
        self.model.save(self.backup_dir / name, overwrite=True)
        state = {"epoch": epoch + 1, "model_file": name, "rng": get_rng_state()}
        write_json(self.backup_dir / self._STATE, state)
        # The state now points at the new file; older ones can go.
        for old in self.backup_dir.glob("epoch-*.keras"):
            if old.name != name:
                old.unlink(missing_ok=True)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint or not self.backup_dir.is_dir():
            return
        (self.backup_dir / self._STATE).unlink(missing_ok=True)
        for old in self.backup_dir.glob("epoch-*.keras"):
            old.unlink(missing_ok=True)
        if not any(self.backup_dir.iterdir()):  # never delete files that are not ours
            self.backup_dir.rmdir()

    def _read_state(self) -> dict | None:
        path = self.backup_dir / self._STATE
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            epoch, model_file, rng = state["epoch"], state["model_file"], state["rng"]
        except (ValueError, KeyError, TypeError):
            state = None
        if (
            state is None
            or not isinstance(epoch, int)
            or not isinstance(model_file, str)
            or (Path(model_file).name != model_file or not isinstance(rng, dict))
        ):
            raise LayerfitValueError(
                explain(
                    f"The backup state {str(path)!r} is damaged.",
                    "a training_state.json written by BackupAndRestore.",
                    f"delete the folder {str(self.backup_dir)!r} to start training afresh.",
                )
            )
        return state


# -- random number generators (shuffling, dropout, augmentation) ------------------------------


def get_rng_state() -> dict:
    """Python's, NumPy's and torch's generator states as JSON-ready data."""
    kind, keys, position, has_gauss, cached = np.random.get_state()
    version, internal, gauss = random.getstate()
    state = {
        "python": [version, list(internal), gauss],
        "numpy": [kind, keys.tolist(), int(position), int(has_gauss), float(cached)],
        "torch": _encode(torch.get_rng_state()),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = [_encode(s) for s in torch.cuda.get_rng_state_all()]
    return state


def set_rng_state(state: dict) -> None:
    """Restores what ``get_rng_state`` recorded."""
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, position, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), position, has_gauss, cached))
    torch.set_rng_state(_decode(state["torch"]))
    if "cuda" in state and torch.cuda.is_available():
        saved = [_decode(s) for s in state["cuda"]]
        if len(saved) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(saved)


def _encode(tensor: torch.Tensor) -> str:
    return base64.b64encode(tensor.cpu().numpy().tobytes()).decode("ascii")


def _decode(text: str) -> torch.Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.uint8)
