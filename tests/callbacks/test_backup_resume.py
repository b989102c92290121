"""A fit killed mid-epoch and resumed with BackupAndRestore ends as the uninterrupted run:
the same history, the same CSV log, the same best checkpoint and the same final weights,
with ModelCheckpoint(save_best_only), EarlyStopping(restore_best_weights), ReduceLROnPlateau
and CSVLogger all continuing their state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.callbacks import (
    BackupAndRestore,
    CSVLogger,
    EarlyStopping,
    ModelCheckpoint,
    ReduceLROnPlateau,
)
from layerfit.errors import LayerfitValueError

SRC = str(Path(keras.__file__).resolve().parents[1])

# The monitored value per epoch, scripted so every callback's decision is known: the best is
# epoch 2 (0-based); a run that forgot it would save epoch 4 (0.7) as "best", EarlyStopping
# would stop later, ReduceLROnPlateau would reduce at other epochs.
SCRIPT_VAL = [1.0, 0.6, 0.5, 0.8, 0.7, 0.9, 0.95, 0.99, 0.98, 0.97]

RUN = textwrap.dedent(
    """
    import json, os, signal, sys
    import numpy as np, torch
    torch.set_num_threads(1)
    import layerfit as keras
    from layerfit import layers
    from layerfit.callbacks import (BackupAndRestore, CSVLogger, EarlyStopping,
                                    ModelCheckpoint, ReduceLROnPlateau)

    folder, kill_epoch, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    SCRIPT_VAL = %r

    class Scripted(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = SCRIPT_VAL[epoch]

    class Kill(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch
        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == kill_epoch and batch == 2:
                os.kill(os.getpid(), signal.SIGKILL if how == "sigkill" else signal.SIGTERM)

    keras.utils.set_random_seed(5)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=64)
    x = (rng.normal(size=(64, 4)) + y[:, None]).astype("float32")
    model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(16, activation="relu"),
                              layers.Dropout(0.3), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    callbacks = [
        Scripted(),
        ModelCheckpoint(os.path.join(folder, "best.keras"), save_best_only=True),
        EarlyStopping(patience=3, restore_best_weights=True),
        ReduceLROnPlateau(factor=0.5, patience=1, cooldown=1),
        CSVLogger(os.path.join(folder, "log.csv")),
        BackupAndRestore(os.path.join(folder, "backup")),
        Kill(),
    ]
    history = model.fit(x, y, epochs=10, batch_size=8, verbose=0, callbacks=callbacks)
    np.savez(os.path.join(folder, "final.npz"), *model.get_weights())
    with open(os.path.join(folder, "history.json"), "w") as file:
        json.dump({"epoch": history.epoch, "history": history.history}, file)
    """
)


def run(folder: Path, kill_epoch: int = -1, how: str = "sigkill"):
    folder.mkdir(exist_ok=True)
    script = folder.parent / "run.py"
    script.write_text(RUN % (SCRIPT_VAL,))
    return subprocess.run(
        [sys.executable, str(script), str(folder), str(kill_epoch), how],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC, "PYTHONHASHSEED": "0"},
        timeout=300,
    )


def weights_of(path: Path) -> list:
    return keras.saving.load_model(path).get_weights()


@pytest.mark.parametrize("how", ["sigkill", "sigterm"])
def test_killed_and_resumed_run_ends_as_the_uninterrupted_run(tmp_path, how):
    reference = run(tmp_path / "reference")
    assert reference.returncode == 0, reference.stderr
    killed = run(tmp_path / "resumed", kill_epoch=4, how=how)
    signal_number = signal.SIGKILL if how == "sigkill" else signal.SIGTERM
    assert killed.returncode == -signal_number, killed.stderr
    assert (tmp_path / "resumed" / "backup" / "epoch-4.keras").exists()  # epochs 0-3 done
    resumed = run(tmp_path / "resumed")
    assert resumed.returncode == 0, resumed.stderr

    want, got = tmp_path / "reference", tmp_path / "resumed"
    want_history = json.loads((want / "history.json").read_text())
    got_history = json.loads((got / "history.json").read_text())
    # EarlyStopping: best at epoch 2, patience 3 -> stops after epoch 5 in both runs.
    assert want_history["epoch"] == [0, 1, 2, 3, 4, 5]
    assert got_history == want_history
    assert (got / "log.csv").read_text() == (want / "log.csv").read_text()
    assert len((got / "log.csv").read_text().splitlines()) == 7  # one header, six epochs
    for a, b in zip(weights_of(want / "best.keras"), weights_of(got / "best.keras")):
        np.testing.assert_array_equal(a, b)  # the epoch-2 model, not the resumed epoch 4
    final_want, final_got = np.load(want / "final.npz"), np.load(got / "final.npz")
    for key in final_want.files:
        np.testing.assert_array_equal(final_got[key], final_want[key])
    assert not (got / "backup").exists()  # finished: the backup and any temp files are gone
    assert not list(got.glob(".*.tmp"))


def xy():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=32)
    return (rng.normal(size=(32, 4)) + y[:, None]).astype("float32"), y


def classifier():
    model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


class Stop(Exception):
    pass


class StopAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.at = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at:
            raise Stop


def interrupted(folder: Path, at: int = 2, callbacks=()):
    x, y = xy()
    with pytest.raises(Stop):
        classifier().fit(
            x, y, epochs=4, verbose=0, callbacks=[*callbacks, BackupAndRestore(folder), StopAt(at)]
        )
    return x, y


def test_a_backup_beyond_the_run_is_refused_and_kept(tmp_path):
    x, y = interrupted(tmp_path / "b", at=3)
    with pytest.raises(LayerfitValueError) as info:
        classifier().fit(x, y, epochs=2, verbose=0, callbacks=[BackupAndRestore(tmp_path / "b")])
    message = str(info.value)
    assert "records 3 finished epochs, but this fit runs 2" in message
    assert "fit(epochs=...) of at least 3" in message
    assert (tmp_path / "b" / "training_state.json").exists()
    assert (tmp_path / "b" / "epoch-3.keras").exists()


def test_an_epoch_edited_past_the_run_is_refused_not_a_silent_no_op(tmp_path):
    x, y = interrupted(tmp_path / "b")
    state_path = tmp_path / "b" / "training_state.json"
    state = json.loads(state_path.read_text())
    state["epoch"] = 99
    state_path.write_text(json.dumps(state))
    with pytest.raises(LayerfitValueError, match="records 99 finished epochs"):
        classifier().fit(x, y, epochs=4, verbose=0, callbacks=[BackupAndRestore(tmp_path / "b")])
    assert state_path.exists()


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda s: "{not json", "not valid JSON"),
        (lambda s: json.dumps({**s, "rng": {**s["rng"], "python": [3, [1, 2], None]}}), "random"),
        (lambda s: json.dumps({**s, "epoch": "2"}), "epoch '2' is not a positive whole number"),
        (lambda s: json.dumps({**s, "model_file": "../x.keras"}), "not a file name"),
        (lambda s: json.dumps({**s, "callbacks": [1]}), "callbacks entry"),
    ],
)
def test_a_damaged_state_is_our_error_and_the_backup_is_kept(tmp_path, damage, reason):
    x, y = interrupted(tmp_path / "b")
    state_path = tmp_path / "b" / "training_state.json"
    state_path.write_text(damage(json.loads(state_path.read_text())))
    with pytest.raises(LayerfitValueError) as info:
        classifier().fit(x, y, epochs=4, verbose=0, callbacks=[BackupAndRestore(tmp_path / "b")])
    assert reason in str(info.value) and "delete the folder" in str(info.value)
    assert "The backup was left as it is" in str(info.value)
    assert state_path.exists() and (tmp_path / "b" / "epoch-2.keras").exists()


def test_a_damaged_callback_state_is_our_error(tmp_path):
    stop = EarlyStopping(monitor="loss", patience=5)
    x, y = interrupted(tmp_path / "b", callbacks=[stop])
    state_path = tmp_path / "b" / "training_state.json"
    state = json.loads(state_path.read_text())
    del state["callbacks"]["EarlyStopping:0"]["wait"]
    state_path.write_text(json.dumps(state))
    with pytest.raises(LayerfitValueError, match="state of EarlyStopping in the backup is damaged"):
        classifier().fit(
            x,
            y,
            epochs=4,
            verbose=0,
            callbacks=[EarlyStopping(monitor="loss", patience=5), BackupAndRestore(tmp_path / "b")],
        )


def test_orphaned_temp_files_are_cleaned_at_the_next_save(tmp_path):
    model = classifier()
    orphan = tmp_path / ".model.keras.abc123.tmp"  # what a kill mid-save leaves
    orphan.write_bytes(b"partial")
    other = tmp_path / ".other.keras.abc123.tmp"  # another file's: not ours to delete
    other.write_bytes(b"partial")
    model.save(tmp_path / "model.keras")
    assert not orphan.exists() and other.exists()
    weights_orphan = tmp_path / ".w.weights.h5.xyz.tmp"
    weights_orphan.write_bytes(b"partial")
    model.save_weights(tmp_path / "w.weights.h5")
    assert not weights_orphan.exists()


def test_backup_orphans_do_not_stop_the_folder_being_removed(tmp_path):
    folder = tmp_path / "b"
    x, y = interrupted(folder)
    (folder / ".epoch-3.keras.q1w2e3.tmp").write_bytes(b"partial")
    (folder / ".training_state.json.r4t5.tmp").write_bytes(b"partial")
    classifier().fit(x, y, epochs=4, verbose=0, callbacks=[BackupAndRestore(folder)])
    assert not folder.exists()


def test_csv_logger_resumes_without_a_second_header_or_a_repeated_row(tmp_path):
    folder, log = tmp_path / "b", tmp_path / "log.csv"
    first = CSVLogger(log)
    x, y = interrupted(folder, at=2, callbacks=[first])
    first.on_train_end()  # the interrupted process would have closed it by exiting
    with log.open("a") as file:  # epoch 2 ran partly and logged before the kill
        file.write("2,0.5,NA\n")
    classifier().fit(
        x, y, epochs=4, verbose=0, callbacks=[CSVLogger(log), BackupAndRestore(folder)]
    )
    lines = log.read_text().splitlines()
    assert lines[0].startswith("epoch,") and [line.split(",")[0] for line in lines[1:]] == [
        "0",
        "1",
        "2",
        "3",
    ]


def test_reduce_lr_state_is_restored(tmp_path):
    folder = tmp_path / "b"
    reduce = ReduceLROnPlateau(monitor="loss", patience=2, cooldown=3, min_delta=10.0)
    x, y = interrupted(folder, at=3, callbacks=[reduce])
    # min_delta=10: no epoch improves after the first; epoch 2 ends wait 2 -> one reduction.
    assert reduce.cooldown_counter == 3 and reduce.wait == 0
    resumed = ReduceLROnPlateau(monitor="loss", patience=2, cooldown=3, min_delta=10.0)
    model = classifier()
    model.fit(x, y, epochs=4, verbose=0, callbacks=[resumed, BackupAndRestore(folder)])
    # Epoch 3 runs in the cooldown that started at epoch 2: counter 3 -> 2, no reduction.
    assert resumed.cooldown_counter == 2 and resumed.best == reduce.best
    # Logged before each epoch's decision: the reduction at epoch 2 shows from epoch 3 on,
    # restored with the optimizer state; the History holds the epochs before the interruption.
    assert model.history.history["learning_rate"] == [0.001, 0.001, 0.001, 0.0001]


def test_model_checkpoint_best_is_restored(tmp_path):
    folder = tmp_path / "b"
    checkpoint = ModelCheckpoint(tmp_path / "best.keras", monitor="loss", save_best_only=True)
    x, y = interrupted(folder, at=2, callbacks=[checkpoint])
    fresh = ModelCheckpoint(tmp_path / "best.keras", monitor="loss", save_best_only=True)
    model = classifier()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[fresh, BackupAndRestore(folder)])
    assert fresh.best == checkpoint.best  # epochs=2: nothing left to run, the state is back
