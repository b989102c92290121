"""CSVLogger, TerminateOnNaN and TensorBoard, each read back from what it wrote or did."""

import csv

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.callbacks import CSVLogger, TensorBoard, TerminateOnNaN
from layerfit.errors import LayerfitRuntimeError, LayerfitWarning


def small_model(learning_rate=0.1):
    torch.manual_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse", metrics=["mae"])
    return model


X = np.random.default_rng(0).standard_normal((32, 2)).astype("float32")
Y = X.sum(axis=1, keepdims=True)


def test_csv_logger_writes_one_row_per_epoch_with_keras_columns(tmp_path):
    path = tmp_path / "log.csv"
    history = small_model().fit(
        X, Y, epochs=3, validation_split=0.25, verbose=0, callbacks=[CSVLogger(path)]
    )
    with path.open() as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    for key in ("loss", "val_mae"):
        assert [float(r[key]) for r in rows] == pytest.approx(history.history[key], rel=1e-6)


def test_csv_logger_appends_without_a_second_header_and_leaves_room_for_val(tmp_path):
    path = tmp_path / "log.csv"
    small_model().fit(X, Y, epochs=1, verbose=0, callbacks=[CSVLogger(path)])
    small_model().fit(X, Y, epochs=2, verbose=0, callbacks=[CSVLogger(path, append=True)])
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae" and len(lines) == 4
    assert lines[1].endswith(",NA,NA")  # Keras keeps val_ columns, marked NA without validation


def test_terminate_on_nan_stops_at_the_first_bad_batch(capsys):
    model = small_model(learning_rate=1e12)  # overflows to inf, then NaN, within a few batches
    with pytest.warns(LayerfitWarning, match="The loss became"):  # the loop explains it too
        history = model.fit(X, Y, epochs=5, batch_size=4, verbose=0, callbacks=[TerminateOnNaN()])
    assert "Invalid loss, terminating training" in capsys.readouterr().out
    assert len(history.history["loss"]) == 1  # stopped inside the first epoch
    with pytest.raises(LayerfitRuntimeError, match="NaN or Inf loss encountered at batch"):
        small_model(1e12).fit(X, Y, batch_size=4, verbose=0, callbacks=[TerminateOnNaN(True)])


def test_tensorboard_writes_keras_tags_for_train_and_validation(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    history = small_model().fit(
        X,
        Y,
        epochs=2,
        batch_size=8,
        validation_split=0.25,
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=1, update_freq=2)],
    )
    train = EventAccumulator(str(tmp_path / "train")).Reload()
    validation = EventAccumulator(str(tmp_path / "validation")).Reload()
    assert {"epoch_loss", "epoch_mae", "batch_loss"} <= set(train.Tags()["scalars"])
    assert [e.value for e in train.Scalars("epoch_loss")] == pytest.approx(
        history.history["loss"], rel=1e-6
    )
    assert [e.value for e in validation.Scalars("epoch_mae")] == pytest.approx(
        history.history["val_mae"], rel=1e-6
    )
    assert [e.step for e in train.Scalars("batch_loss")] == [2, 4, 6]  # 3 batches an epoch
    assert len(train.Tags()["histograms"]) == 2  # kernel and bias


def test_tensorboard_refuses_an_unknown_update_freq(tmp_path):
    pytest.importorskip("tensorboard")
    with pytest.raises(keras.errors.LayerfitValueError, match="update_freq='often'"):
        TensorBoard(tmp_path, update_freq="often")


def test_tensorboard_without_the_package_names_the_install(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "torch.utils.tensorboard", None)
    with pytest.raises(keras.errors.LayerfitValueError, match="Fix: pip install tensorboard"):
        TensorBoard("logs")
