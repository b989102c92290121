"""Build functions for the tuning tests: importable, so n_jobs workers can load them.

Every call appends one JSON line to the file named by $LAYERFIT_TRIAL_LOG (when set), so a
test can count the trainings across processes. ``block_units`` makes the build wait when
$LAYERFIT_BLOCK_UNITS names its units: the killed-search test kills it there. When
$LAYERFIT_WAIT_FOR_WORKER names this process's pid, its builds wait (at most a minute) until a
worker process has logged one, so a parallel test does not depend on who claims trials first.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time

import numpy as np
import torch

import layerfit as keras


def log_call(**params) -> None:
    path = os.environ.get("LAYERFIT_TRIAL_LOG")
    if path:
        entry = {"pid": os.getpid(), "threads": torch.get_num_threads(), **params}
        if os.environ.get("LAYERFIT_WAIT_FOR_WORKER") == str(os.getpid()):
            _wait_for_another_process(path)
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")


def _wait_for_another_process(path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as file:
                if any(json.loads(line)["pid"] != os.getpid() for line in file if line.strip()):
                    return
        time.sleep(0.05)


def build_regressor(units=8, learning_rate=0.01, fail=False):
    """A small MLP regressor on 4 features, SGD at ``learning_rate``."""
    log_call(units=units, learning_rate=learning_rate)
    if os.environ.get("LAYERFIT_BLOCK_UNITS") == str(units):
        time.sleep(120)
    if fail:
        raise ValueError("this configuration is broken on purpose")
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


def build_dying_in_workers(units=8):
    """Kills the worker process that builds it; the calling process waits for that death.

    The worker leaves the file $LAYERFIT_DEATH_MARK behind as it dies, so exactly one trial
    dies, whichever process is quicker to claim a configuration.
    """
    mark = os.environ["LAYERFIT_DEATH_MARK"]
    if multiprocessing.parent_process() is not None:
        open(mark, "w").close()
        os._exit(3)
    deadline = time.monotonic() + 60
    while not os.path.exists(mark) and time.monotonic() < deadline:
        time.sleep(0.01)
    return build_regressor(units)


def build_plain(units=8):
    """Like build_regressor, but takes no learning_rate: the search sets it on the optimizer."""
    log_call(units=units)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    return model


def build_classifier(units=8):
    """A small binary classifier on 4 features (compiled with Adam and accuracy)."""
    log_call(units=units)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def regression_data(n=128, seed=0):
    """y = x @ w + noise with standardised x: SGD learns at 0.01 and diverges at 10."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.standard_normal(n)).astype("float32")
    return x, y.reshape(-1, 1)


def classification_data(n=160, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32").reshape(-1, 1)
    return x, y
