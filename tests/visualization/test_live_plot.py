"""LivePlot: the PNG is rewritten each epoch with the curves so far; the last frame is marked."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from layerfit.callbacks import Callback, EarlyStopping
from layerfit.visualization import LivePlot

LOGS = [{"loss": 1.0 / (i + 1), "val_loss": v} for i, v in enumerate([1.0, 0.8, 0.6, 0.7, 0.9])]


def curve(figure, gid):
    (line,) = [line for axis in figure.axes for line in axis.get_lines() if line.get_gid() == gid]
    return line


class FileWatcher(Callback):
    """Records the PNG's digest after each epoch (it runs after LivePlot in the list)."""

    def __init__(self, path):
        super().__init__()
        self.path, self.digests = path, []

    def on_epoch_end(self, epoch, logs=None):
        self.digests.append(hashlib.sha256(self.path.read_bytes()).hexdigest())


def test_the_png_is_rewritten_every_epoch(tmp_path, capsys, scripted_fit, assert_drawn):
    path = tmp_path / "live.png"
    live = LivePlot(filename=path, min_interval=0)
    watcher = FileWatcher(path)
    history = scripted_fit(LOGS, live, watcher)
    assert len(set(watcher.digests)) == len(LOGS)  # a new picture after each epoch
    assert live.frames == len(LOGS) + 1  # and the last frame when training ends
    assert_drawn(path)
    assert str(path) in capsys.readouterr().out
    assert not (tmp_path / "live.png.part").exists()
    np.testing.assert_array_equal(curve(live.figure, "val_loss").get_xdata(), [1, 2, 3, 4, 5])
    np.testing.assert_allclose(curve(live.figure, "loss").get_ydata(), history.history["loss"])


def test_the_last_frame_marks_early_stopping(tmp_path, scripted_fit):
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    live = LivePlot(filename=tmp_path / "live.png", min_interval=0)
    scripted_fit(LOGS, stopper, live)
    assert (stopper.best_epoch, stopper.stopped_epoch) == (2, 4)
    assert list(curve(live.figure, "best").get_xdata()) == [3]
    assert list(curve(live.figure, "stopped").get_xdata()) == [5, 5]
    assert list(curve(live.figure, "restored").get_xdata()) == [3, 3]


def test_listed_before_early_stopping_it_still_marks_the_restored_epoch(tmp_path, scripted_fit):
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    live = LivePlot(filename=tmp_path / "live.png", min_interval=0)
    scripted_fit(LOGS, live, stopper)  # LivePlot's on_train_end runs before the restore
    assert list(curve(live.figure, "restored").get_xdata()) == [3, 3]


def test_min_interval_skips_frames_but_never_the_last(tmp_path, scripted_fit):
    live = LivePlot(filename=tmp_path / "live.png", min_interval=3600)
    scripted_fit(LOGS, live)
    assert live.frames == 2  # the first epoch and the end of training
    assert len(curve(live.figure, "loss").get_xdata()) == len(LOGS)


def test_metrics_choose_the_panels(tmp_path, scripted_fit):
    live = LivePlot(metrics="loss", filename=tmp_path / "live.png", min_interval=0)
    scripted_fit([{"loss": 1.0, "accuracy": 0.5}, {"loss": 0.5, "accuracy": 0.7}], live)
    assert [axis.get_title() for axis in live.figure.axes] == ["loss"]


def test_a_second_fit_starts_a_new_plot(tmp_path, scripted_fit):
    live = LivePlot(filename=tmp_path / "live.png", min_interval=0)
    scripted_fit(LOGS, live)
    scripted_fit(LOGS[:2], live)
    assert len(curve(live.figure, "loss").get_xdata()) == 2


def test_an_unknown_metric_fails_at_the_first_epoch_with_the_names(tmp_path, scripted_fit):
    live = LivePlot(metrics="acc", filename=tmp_path / "live.png", min_interval=0)
    with pytest.raises(ValueError, match="no metric 'acc'"):
        scripted_fit(LOGS, live)
