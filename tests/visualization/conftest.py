"""Plots render headless; every pyplot figure a test opens is closed after it."""

from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("matplotlib")
os.environ.setdefault("MPLBACKEND", "Agg")  # never open a window, even on a desktop


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def assert_drawn():
    """Checks that a file is a PNG with visible content, not one flat colour."""

    def check(path) -> np.ndarray:
        from matplotlib.image import imread

        assert path.exists() and path.stat().st_size > 0
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        pixels = imread(path)[..., :3]
        assert pixels.std() > 0.02  # a blank canvas has std 0
        assert (pixels < 0.5).mean() > 0.001  # some dark ink (lines, text) was drawn
        return pixels

    return check


class ScriptedModel:
    """Just enough of a model for EarlyStopping: weights to copy and a stop flag."""

    def __init__(self):
        from layerfit.callbacks import History

        self.history = History()
        self.stop_training = False
        self.weights = [np.zeros(2)]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = weights


def run_scripted_fit(logs_per_epoch, *callbacks):
    """Calls the callbacks' hooks over scripted logs, as fit does; returns the History."""
    model = ScriptedModel()
    callbacks = [model.history, *callbacks]
    for callback in callbacks:
        callback.set_model(model)
        callback.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        model.weights = [np.full(2, float(epoch))]
        for callback in callbacks:
            callback.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    for callback in callbacks:
        callback.on_train_end()
    return model.history


@pytest.fixture
def scripted_fit():
    """``scripted_fit(logs_per_epoch, *callbacks)`` runs callbacks as fit would."""
    return run_scripted_fit
