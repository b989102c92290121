"""BackupAndRestore: back up a run at each epoch's end; a restarted ``fit`` resumes it.

The backup is the model file (weights and optimizer state), the other callbacks' state
(``callbacks.npz`` for their arrays) and ``training_state.json`` (the epoch, the callbacks'
JSON state and the random generators), each written atomically.
"""

from __future__ import annotations

import base64
import json
import os
import random
import tempfile
from pathlib import Path

import numpy as np
import torch

from layerfit.callbacks._callback import Callback
from layerfit.errors import LayerfitValueError, explain


class BackupAndRestore(Callback):
    """Backs up the training state every epoch; a restarted ``fit`` resumes from the backup.

    The backup holds the weights, the optimizer state, the epoch and the random number
    generators' states, so a run killed and restarted ends with the same weights as a run
    that was never interrupted.

    Args:
        backup_dir: a folder for the backup, used by nothing else.
        save_freq: 'epoch' (the only value: runs resume at epoch boundaries).
            Defaults to 'epoch'.
        double_checkpoint: Keras keeps a second copy so a crash mid-write leaves one intact;
            layerfit's backups are written atomically (a new file replaces the old in one
            step), which gives the same guarantee with one copy. Defaults to False.
        delete_checkpoint: delete the backup when ``fit`` finishes. Defaults to True.

    Example:
    >>> backup = BackupAndRestore(backup_dir="/tmp/backup")
    >>> model.fit(x, y, epochs=10, callbacks=[backup])  # rerun the script after a crash
    """

    # Data parallelism: every process restores, process 0 alone writes and deletes.
    _chief_hooks = ("on_epoch_end", "on_train_end")

    _STATE = "training_state.json"
    _ARRAYS = "callbacks.npz"

    def __init__(
        self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True
    ):
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
        self.double_checkpoint = bool(double_checkpoint)

    _records_all = True  # CallbackList: restore the others first, record them last

    def on_train_begin(self, logs=None):
        if not (self.backup_dir / self._STATE).is_file():
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
        state = self._read_state()
        epochs = self.params.get("epochs")
        if isinstance(epochs, int) and state["epoch"] > epochs:
            self._refuse(
                f"it records {state['epoch']} finished epochs, but this fit runs {epochs}",
                f"fit(epochs=...) of at least {state['epoch']} to continue that run; or delete "
                f"the folder {str(self.backup_dir)!r} to start afresh",
            )
        self.model.load_weights(self.backup_dir / state["model_file"])
        self._restore_callbacks(state["callbacks"])
        try:
            set_rng_state(state["rng"])
        except (TypeError, ValueError, KeyError, IndexError, RuntimeError) as error:
            self._refuse(f"its random generator states cannot be restored ({error})")
        self.model._initial_epoch = state["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        name = f"epoch-{epoch + 1}.keras"
        self.model.save(self.backup_dir / name, overwrite=True)
        callbacks, arrays = self._record_callbacks()
        if arrays:
            _write_arrays(self.backup_dir / self._ARRAYS, arrays)
        else:
            (self.backup_dir / self._ARRAYS).unlink(missing_ok=True)
        state = {
            "epoch": epoch + 1,
            "model_file": name,
            "rng": get_rng_state(),
            "callbacks": callbacks,
        }
        _write_json(self.backup_dir / self._STATE, state)
        # The state now points at the new file; older ones can go.
        for old in self.backup_dir.glob("epoch-*.keras"):
            if old.name != name:
                old.unlink(missing_ok=True)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint or not self.backup_dir.is_dir():
            return
        for name in (self._STATE, self._ARRAYS):
            (self.backup_dir / name).unlink(missing_ok=True)
        for old in self.backup_dir.glob("epoch-*.keras"):
            old.unlink(missing_ok=True)
        remove_orphans(self.backup_dir, ("epoch-", self._STATE, self._ARRAYS))
        if not any(self.backup_dir.iterdir()):  # never delete files that are not ours
            self.backup_dir.rmdir()

    # -- the other callbacks' state --------------------------------------------------------

    def _keyed(self) -> dict:
        """The other callbacks by class and rank ('EarlyStopping:0'): stable across runs
        whether or not a progress bar is added."""
        counts: dict[str, int] = {}
        keyed = {}
        for callback in getattr(self, "_others", []):
            name = type(callback).__name__
            keyed[f"{name}:{counts.get(name, 0)}"] = callback
            counts[name] = counts.get(name, 0) + 1
        return keyed

    def _record_callbacks(self) -> tuple[dict, dict]:
        states, arrays = {}, {}
        for key, callback in self._keyed().items():
            state = callback._resume_state()
            if state is None:
                continue
            state = dict(state)
            own = list(state.pop("arrays", None) or [])
            for index, array in enumerate(own):
                arrays[f"{key}/{index}"] = np.asarray(array)
            state["arrays"] = len(own)
            states[key] = state
        return states, arrays

    def _restore_callbacks(self, states: dict) -> None:
        arrays = {}
        if any(state.get("arrays") for state in states.values()):
            arrays = _read_arrays(self.backup_dir / self._ARRAYS, self._refuse)
        keyed = self._keyed()
        for key, state in states.items():
            callback = keyed.get(key)
            if callback is None:  # a callback of the first run that this run lacks
                continue
            count = state.get("arrays") or 0
            own = [arrays.get(f"{key}/{i}") for i in range(count)]
            if any(array is None for array in own):
                self._refuse(f"the arrays of {key} are missing from {self._ARRAYS}")
            callback._pending_resume = {**state, "arrays": own}

    # -- the state file ----------------------------------------------------------------------

    def _read_state(self) -> dict | None:
        path = self.backup_dir / self._STATE
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            self._refuse(f"it is not valid JSON ({type(error).__name__})")
        if not isinstance(state, dict):
            self._refuse("it is not a JSON object")
        epoch, model_file = state.get("epoch"), state.get("model_file")
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
            self._refuse(f"its epoch {epoch!r} is not a positive whole number")
        if not isinstance(model_file, str) or Path(model_file).name != model_file:
            self._refuse(f"its model_file {model_file!r} is not a file name in the folder")
        if not (self.backup_dir / model_file).is_file():
            self._refuse(f"its model file {model_file!r} is missing")
        if not _valid_rng(state.get("rng")):
            self._refuse("its random generator states are not those get_rng_state writes")
        callbacks = state.setdefault("callbacks", {})
        if not isinstance(callbacks, dict) or not all(
            isinstance(v, dict) for v in callbacks.values()
        ):
            self._refuse("its callbacks entry is not a mapping of callback states")
        return state

    def _refuse(self, reason: str, fix: str | None = None) -> None:
        raise LayerfitValueError(
            explain(
                f"The backup state {str(self.backup_dir / self._STATE)!r} is damaged or does not "
                f"fit this run: "
                f"{reason}. The backup was left as it is.",
                "a training_state.json written by BackupAndRestore for this training run.",
                (fix or f"delete the folder {str(self.backup_dir)!r} to start training afresh")
                + ".",
            )
        )


def _valid_rng(rng) -> bool:
    if not isinstance(rng, dict) or not {"python", "numpy", "torch"} <= set(rng):
        return False
    python, numpy_state = rng["python"], rng["numpy"]
    return (
        isinstance(python, list)
        and len(python) == 3
        and isinstance(python[1], list)
        and len(python[1]) == 625
        and all(isinstance(v, int) and not isinstance(v, bool) for v in python[1])
        and isinstance(numpy_state, list)
        and len(numpy_state) == 5
        and isinstance(numpy_state[1], list)
        and len(numpy_state[1]) == 624
        and isinstance(rng["torch"], str)
    )


def _write_json(path: Path, value: dict) -> None:
    _write_atomically(path, lambda file: file.write(json.dumps(value).encode("utf-8")))


def _write_arrays(path: Path, arrays: dict) -> None:
    """Numeric arrays as .npz (read back with allow_pickle=False: never a pickle)."""
    named = {key.replace("/", "__"): value for key, value in arrays.items()}
    _write_atomically(path, lambda file: np.savez(file, **named))


def _write_atomically(path: Path, write) -> None:
    remove_orphans(path.parent, (path.name,))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_arrays(path: Path, refuse) -> dict:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {key.replace("__", "/"): stored[key] for key in stored.files}
    except (OSError, ValueError, KeyError) as error:
        refuse(f"its arrays file {path.name!r} cannot be read ({type(error).__name__})")


def remove_orphans(folder: Path, names: tuple[str, ...]) -> None:
    """Deletes temporary files a killed save left: '.<name>...tmp' for each of ``names``."""
    if not folder.is_dir():
        return
    for orphan in folder.glob(".*.tmp"):
        if orphan.name[1:].startswith(names):
            orphan.unlink(missing_ok=True)


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
