"""ModelCheckpoint on scripted logs and real fits; BackupAndRestore resumes killed runs exactly."""

import os
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
    Callback,
    CallbackList,
    ModelCheckpoint,
    _backup,
    _checkpoint,
)
from layerfit.errors import LayerfitValueError, LayerfitWarning
from layerfit.saving import _saving


class RecordingModel:
    """Stands in for a model: records what it was asked to save."""

    def __init__(self):
        self.stop_training = False
        self.saved = []

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", filepath))

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", filepath))


def run(callback, logs_per_epoch):
    model = RecordingModel()
    callbacks = CallbackList([callback], model=model, epochs=len(logs_per_epoch))
    callbacks.call("on_train_begin", None)
    for epoch, logs in enumerate(logs_per_epoch):
        callbacks.call("on_epoch_begin", epoch, None)
        callbacks.call("on_epoch_end", epoch, logs)
    callbacks.call("on_train_end", None)
    return model.saved


def test_filepath_is_formatted_with_epoch_and_logs(tmp_path):
    path = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.4f}.keras")
    saved = run(ModelCheckpoint(path), [{"val_loss": 0.51234}, {"val_loss": 0.4}])
    assert saved == [
        ("model", str(tmp_path / "ckpt-01-0.5123.keras")),
        ("model", str(tmp_path / "ckpt-02-0.4000.keras")),
    ]


def test_save_best_only_min_mode_and_weights_only(tmp_path):
    path = str(tmp_path / "best-{epoch}.weights.h5")
    checkpoint = ModelCheckpoint(path, save_best_only=True, save_weights_only=True)
    saved = run(checkpoint, [{"val_loss": v} for v in (0.9, 0.7, 0.7, 0.8, 0.3)])
    assert [p for _, p in saved] == [str(tmp_path / f"best-{e}.weights.h5") for e in (1, 2, 5)]
    assert {kind for kind, _ in saved} == {"weights"} and checkpoint.best == 0.3


def test_mode_auto_maximises_accuracy_and_initial_threshold(tmp_path):
    checkpoint = ModelCheckpoint(
        str(tmp_path / "{epoch}.keras"),
        monitor="val_accuracy",
        save_best_only=True,
        initial_value_threshold=0.6,
    )
    saved = run(checkpoint, [{"val_accuracy": v} for v in (0.5, 0.7, 0.65, 0.9)])
    assert [Path(p).name for _, p in saved] == ["2.keras", "4.keras"]


def test_explicit_mode_min_for_a_rising_name(tmp_path):
    checkpoint = ModelCheckpoint(
        str(tmp_path / "{epoch}.keras"), monitor="accuracy", mode="min", save_best_only=True
    )
    saved = run(checkpoint, [{"accuracy": v} for v in (0.5, 0.7, 0.4)])
    assert [Path(p).name for _, p in saved] == ["1.keras", "3.keras"]


def test_missing_monitor_warns_once_and_saves_nothing(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_loss", save_best_only=True)
    with pytest.warns(LayerfitWarning) as record:
        saved = run(checkpoint, [{"loss": 0.5}, {"loss": 0.4}])
    assert saved == [] and len(record) == 1
    message = str(record[0].message)
    assert "ModelCheckpoint monitors 'val_loss'" in message and "validation_split" in message


def test_verbose_messages(tmp_path, capsys):
    checkpoint = ModelCheckpoint(str(tmp_path / "m.keras"), save_best_only=True, verbose=1)
    run(checkpoint, [{"val_loss": 0.5}, {"val_loss": 0.6}])
    out = capsys.readouterr().out
    assert "Epoch 1: val_loss improved from None to 0.50000, saving model to" in out
    assert "Epoch 2: val_loss did not improve from 0.50000" in out


def test_unknown_placeholder_lists_the_available_keys(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "{val_acc:.2f}.keras"))
    with pytest.raises(LayerfitValueError) as info:
        run(checkpoint, [{"loss": 0.5, "val_accuracy": 0.8}])
    assert "KeyError" in str(info.value) and "['epoch', 'loss', 'val_accuracy']" in str(info.value)


@pytest.mark.parametrize(
    "kwargs, cause",
    [
        (dict(filepath="model.h5x"), "does not end in .keras"),
        (dict(filepath="w.weights.h5"), "does not end in .keras"),
        (dict(filepath="model.keras", save_weights_only=True), "ending in .weights.h5"),
        (dict(filepath="model.keras", save_freq="batch"), "save_freq='batch'"),
        (dict(filepath="model.keras", mode="best"), "mode='best'"),
    ],
)
def test_bad_arguments_fail_at_construction(kwargs, cause):
    with pytest.raises(LayerfitValueError, match=cause):
        ModelCheckpoint(**kwargs)


def test_extensions_agree_with_the_saving_module():
    model_extensions = set(_saving.MODEL_EXTENSIONS) | {".h5"}
    assert set(_checkpoint._MODEL_EXTENSIONS) == model_extensions
    assert set(_checkpoint._WEIGHTS_EXTENSIONS) == set(_saving.WEIGHTS_EXTENSIONS)


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    return (rng.normal(size=(n, 4)) + y[:, None]).astype("float32"), y


def classifier():
    model = keras.Sequential(
        [
            layers.Input(shape=(4,)),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_real_fit_saves_loadable_checkpoints_every_n_batches(tmp_path):
    x, y = data()
    model = classifier()
    every_epoch = ModelCheckpoint(str(tmp_path / "sub" / "e{epoch}.keras"))
    every_batch = ModelCheckpoint(
        str(tmp_path / "b{epoch}-{batch}.weights.h5"),
        save_weights_only=True,
        save_freq=3,
        monitor="loss",
    )
    model.fit(x, y, epochs=2, batch_size=10, verbose=0, callbacks=[every_epoch, every_batch])
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["e1.keras", "e2.keras"]
    assert sorted(p.name for p in tmp_path.glob("b*")) == ["b1-3.weights.h5", "b2-2.weights.h5"]
    restored = keras.models.load_model(tmp_path / "sub" / "e2.keras")
    assert np.array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


# -- BackupAndRestore -------------------------------------------------------------------------------


class Interrupt(Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def train(backup_dir, epochs=4, interrupt_at=None):
    keras.utils.set_random_seed(3)
    model = classifier()
    callbacks = [BackupAndRestore(backup_dir)]
    if interrupt_at is not None:
        callbacks.append(Interrupt(interrupt_at))
    x, y = data()
    history = model.fit(
        x, y, epochs=epochs, batch_size=8, verbose=0, callbacks=callbacks, validation_split=0.2
    )
    return model, history


def test_interrupted_run_resumes_with_the_uninterrupted_result(tmp_path):
    reference, reference_history = train(tmp_path / "reference")
    with pytest.raises(KeyboardInterrupt):
        train(tmp_path / "backup", interrupt_at=2)
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        "epoch-2.keras",
        "training_state.json",
    ]
    resumed, history = train(tmp_path / "backup")
    # The resumed History holds the whole run, the epochs before the interruption too.
    assert history.epoch == [0, 1, 2, 3]
    assert history.history["loss"] == reference_history.history["loss"]
    assert all(np.array_equal(a, b) for a, b in zip(reference.get_weights(), resumed.get_weights()))
    assert not (tmp_path / "backup").exists()  # deleted after the finished run


def test_resume_without_the_rng_state_would_differ(tmp_path, monkeypatch):
    """The test above can fail: restoring everything but the random state changes the result."""
    reference, _ = train(tmp_path / "reference")
    with pytest.raises(KeyboardInterrupt):
        train(tmp_path / "backup", interrupt_at=2)
    monkeypatch.setattr(_backup, "set_rng_state", lambda state: None)
    resumed, _ = train(tmp_path / "backup")
    assert not all(
        np.array_equal(a, b) for a, b in zip(reference.get_weights(), resumed.get_weights())
    )


def test_delete_checkpoint_false_keeps_the_backup_and_foreign_files_survive(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    keras.utils.set_random_seed(3)
    model = classifier()
    x, y = data()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[BackupAndRestore(folder)])
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    model.fit(
        x, y, epochs=2, verbose=0, callbacks=[BackupAndRestore(folder, delete_checkpoint=False)]
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "epoch-2.keras",
        "notes.txt",
        "training_state.json",
    ]


def test_backup_argument_and_state_errors(tmp_path):
    with pytest.raises(LayerfitValueError, match="empty backup_dir"):
        BackupAndRestore("")
    with pytest.raises(LayerfitValueError, match="save_freq=10"):
        BackupAndRestore(tmp_path, save_freq=10)
    (tmp_path / "training_state.json").write_text("{broken")
    model = classifier()
    x, y = data()
    with pytest.raises(LayerfitValueError, match="(?s)is damaged.*delete the folder"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[BackupAndRestore(tmp_path)])


def test_backup_of_an_unbuilt_model_is_refused(tmp_path):
    state = tmp_path / "training_state.json"
    state.write_text('{"epoch": 1, "model_file": "epoch-1.keras", "rng": {}}')
    callback = BackupAndRestore(tmp_path)
    callback.set_model(keras.Sequential([layers.Dense(2)]))
    with pytest.raises(LayerfitValueError, match="(?s)not built.*Input\\(shape=...\\)"):
        callback.on_train_begin()


RESUME_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy as np, torch
    torch.set_num_threads(1)
    import layerfit as keras
    from layerfit import layers

    backup_dir, output, kill_epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])

    class Kill(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == kill_epoch and batch == 2:
                os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no on_train_end
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

    keras.utils.set_random_seed(11)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=64)
    x = (rng.normal(size=(64, 4)) + y[:, None]).astype("float32")
    model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(16, activation="relu"),
                              layers.Dropout(0.3), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0,
                        callbacks=[keras.callbacks.BackupAndRestore(backup_dir), Kill()])
    np.savez(output, *model.get_weights(), epochs=np.array(history.epoch))
""")


def test_killed_process_resumes_to_the_same_weights(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(RESUME_SCRIPT)
    env = {**os.environ, "PYTHONHASHSEED": "0"}

    def launch(backup, output, kill_epoch):
        return subprocess.run(
            [sys.executable, str(script), str(backup), str(output), str(kill_epoch)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    killed = launch(tmp_path / "backup", tmp_path / "never.npz", 3)
    assert killed.returncode == -9, killed.stderr
    assert (tmp_path / "backup" / "epoch-3.keras").exists()  # epochs 0-2 finished
    resumed = launch(tmp_path / "backup", tmp_path / "resumed.npz", -1)
    reference = launch(tmp_path / "fresh", tmp_path / "reference.npz", -1)
    assert resumed.returncode == 0 and reference.returncode == 0, resumed.stderr
    got, want = np.load(tmp_path / "resumed.npz"), np.load(tmp_path / "reference.npz")
    assert got["epochs"].tolist() == want["epochs"].tolist() == [0, 1, 2, 3, 4]
    weights = [key for key in want.files if key != "epochs"]
    assert len(weights) == 4
    assert all(np.array_equal(got[key], want[key]) for key in weights)
