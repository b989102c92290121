"""n_jobs=2: trials in worker processes give the serial search's trials and scores."""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # workers import the build function from here
from _tuner_models import Where, build_model  # noqa: E402

import layerfit.keras_tuner as kt  # noqa: E402
from layerfit.errors import LayerfitValueError  # noqa: E402

RNG = np.random.default_rng(1)
X = RNG.normal(size=(64, 4)).astype("float32")
Y = X[:, :1] - X[:, 1:2]


def _search(n_jobs, directory, where):
    tuner = kt.RandomSearch(
        build_model, "val_loss", max_trials=4, seed=2, n_jobs=n_jobs, directory=directory
    )
    tuner.search(X, Y, epochs=2, validation_split=0.25, callbacks=[Where(where)], verbose=0)
    return tuner


def test_parallel_trials_match_the_serial_ones(tmp_path):
    (tmp_path / "serial").mkdir()
    (tmp_path / "parallel").mkdir()
    serial = _search(1, tmp_path / "a", tmp_path / "serial")
    parallel = _search(2, tmp_path / "b", tmp_path / "parallel")
    ours = {i: (t.hyperparameters.values, t.status) for i, t in parallel.oracle.trials.items()}
    assert ours == {
        i: (t.hyperparameters.values, t.status) for i, t in serial.oracle.trials.items()
    }
    for trial_id, trial in serial.oracle.trials.items():
        assert parallel.oracle.trials[trial_id].score == pytest.approx(trial.score, rel=1e-5)
    pids = [p.read_text() for p in (tmp_path / "parallel").iterdir()]
    # Two waves of two trials: one of each here, the other in a worker process.
    assert len(pids) == 4 and pids.count(str(os.getpid())) == 2 and len(set(pids)) == 3
    # The best model comes from a checkpoint, whichever process wrote it.
    best = parallel.get_best_models()[0]
    assert best.evaluate(X[48:], Y[48:], verbose=0) == pytest.approx(
        parallel.oracle.get_best_trials()[0].score, rel=1e-5
    )


def test_a_lambda_cannot_go_to_worker_processes(tmp_path):
    tuner = kt.RandomSearch(
        lambda hp: build_model(hp), "val_loss", max_trials=2, n_jobs=2, directory=tmp_path
    )
    with pytest.raises(LayerfitValueError, match="lambda or is defined inside another function"):
        tuner.search(X, Y, epochs=1, validation_split=0.25, verbose=0)
