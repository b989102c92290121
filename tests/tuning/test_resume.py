"""directory=: one JSON file per finished trial; a rerun (even after SIGKILL) skips them.

Trainings are counted through the build function's log file, across processes.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from _tuning_models import build_regressor, regression_data

from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning
from layerfit.tuning import GridSearch

HERE = Path(__file__).resolve().parent


@pytest.fixture
def trial_log(tmp_path, monkeypatch):
    path = tmp_path / "builds.jsonl"
    monkeypatch.setenv("LAYERFIT_TRIAL_LOG", str(path))

    def entries():
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return entries


def grid_search(directory, units=(2, 4, 8), **kwargs):
    return GridSearch(
        build_regressor, {"units": list(units)}, directory=directory, verbose=0, **kwargs
    )


def test_rerunning_the_same_search_skips_every_finished_trial(tmp_path, trial_log):
    x, y = regression_data()
    first = grid_search(tmp_path / "search", seed=0).fit(x, y, epochs=2, validation_split=0.25)
    assert len(trial_log()) == 3
    files = sorted((tmp_path / "search").glob("trial_*.json"))
    assert len(files) == 3
    again = grid_search(tmp_path / "search", seed=0).fit(x, y, epochs=2, validation_split=0.25)
    assert len(trial_log()) == 3  # nothing trained again
    assert again.results_.to_dict("list") == first.results_.to_dict("list")
    bigger = grid_search(tmp_path / "search", units=(2, 4, 8, 16), seed=0)
    bigger.fit(x, y, epochs=2, validation_split=0.25)
    assert [e["units"] for e in trial_log()] == [2, 4, 8, 16]  # only the new value trained
    assert len(bigger.trials_) == 4


def test_a_trial_file_is_plain_json_with_params_score_epochs_seconds_status(tmp_path):
    x, y = regression_data()
    search = grid_search(tmp_path, units=(4,), seed=0).fit(x, y, epochs=2, validation_split=0.25)
    record = search.trials_[0]
    text = (tmp_path / f"trial_{record['trial_id']}.json").read_text()
    saved = json.loads(text)  # JSON, no pickle; NaN is never written (allow_nan=False)
    assert saved["params"] == {"units": 4}
    assert saved["score"] == record["score"] == min(saved["history"]["val_loss"])
    assert saved["epochs_run"] == 2 and saved["status"] == "ok" and saved["seconds"] > 0
    meta = json.loads((tmp_path / "search.json").read_text())
    assert meta["seed"] == 0 and meta["search"]["objective"] == "val_loss"
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_unseeded_search_keeps_its_seed_so_the_rerun_matches(tmp_path, trial_log):
    x, y = regression_data()
    first = grid_search(tmp_path).fit(x, y, epochs=1, validation_split=0.25)
    again = grid_search(tmp_path).fit(x, y, epochs=1, validation_split=0.25)
    assert again.seed_ == first.seed_
    assert len(trial_log()) == 3


def test_best_model_after_a_resume_is_retrained_to_the_same_weights(tmp_path, trial_log):
    x, y = regression_data()
    first = grid_search(tmp_path, seed=2).fit(x, y, epochs=2, validation_split=0.25)
    weights = first.best_model_.get_weights()
    resumed = grid_search(tmp_path, seed=2).fit(x, y, epochs=2, validation_split=0.25)
    assert len(trial_log()) == 3
    retrained = resumed.best_model_.get_weights()
    assert len(trial_log()) == 4  # one training, for the best configuration only
    for a, b in zip(weights, retrained):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_a_different_search_in_the_same_directory_is_refused(tmp_path, trial_log):
    x, y = regression_data()
    grid_search(tmp_path, seed=0).fit(x, y, epochs=1, validation_split=0.25)
    with pytest.raises(
        LayerfitValueError,
        match=r"different search \(fit: (.|\n)*"
        r"Fix: pass a new directory=, or overwrite=True",
    ):
        grid_search(tmp_path, seed=0).fit(x, y, epochs=2, validation_split=0.25)
    with pytest.raises(LayerfitValueError, match=r"different search \(seed: 0 then, 1 now"):
        grid_search(tmp_path, seed=1).fit(x, y, epochs=1, validation_split=0.25)
    grid_search(tmp_path, seed=0, overwrite=True).fit(x, y, epochs=2, validation_split=0.25)
    assert len(trial_log()) == 6


def test_trials_that_raised_are_retried_on_resume(tmp_path, trial_log):
    x, y = regression_data()
    search = GridSearch(
        build_regressor, {"fail": [False, True]}, directory=tmp_path, seed=0, verbose=0
    )
    with pytest.warns(LayerfitWarning, match="1 of 2 trials failed"):
        search.fit(x, y, epochs=1, validation_split=0.25)
    with pytest.warns(LayerfitWarning, match="1 of 1 trials failed"):
        search.fit(x, y, epochs=1, validation_split=0.25)
    assert len(trial_log()) == 3  # the error trial ran again, the finished one did not


def test_parameters_that_json_cannot_hold_are_refused_with_directory(tmp_path):
    search = GridSearch(build_regressor, {"units": [np.zeros(2)]}, directory=tmp_path)
    with pytest.raises(LayerfitTypeError, match="keeps trials as JSON(.|\n)*drop directory="):
        search.fit(*regression_data(), epochs=1, validation_split=0.25)


SCRIPT = """
import sys
sys.path.insert(0, {here!r})
from _tuning_models import build_regressor, regression_data
from layerfit.tuning import GridSearch

if __name__ == "__main__":
    x, y = regression_data()
    GridSearch(build_regressor, {{"units": [2, 3, 4, 5]}}, directory=sys.argv[1], seed=0,
               verbose=0).fit(x, y, epochs=1, validation_split=0.25)
"""


def test_a_killed_search_resumes_losing_only_the_trial_in_flight(tmp_path, trial_log):
    script = tmp_path / "search_script.py"
    script.write_text(SCRIPT.format(here=str(HERE)))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "LAYERFIT_BLOCK_UNITS": "4"}
    process = subprocess.Popen([sys.executable, str(script), str(tmp_path / "search")], env=env)
    try:
        deadline = time.monotonic() + 60
        while not any(e["units"] == 4 for e in trial_log()):  # trial 3 is in flight
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert len(list((tmp_path / "search").glob("trial_*.json"))) == 2
    del env["LAYERFIT_BLOCK_UNITS"]
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "search")], env=env, check=True, timeout=120
    )
    assert [e["units"] for e in trial_log()] == [2, 3, 4, 4, 5]  # 2 and 3 were not retrained
    done = grid_search(tmp_path / "search", units=(2, 3, 4, 5), seed=0)
    done.fit(*regression_data(), epochs=1, validation_split=0.25)
    assert len(trial_log()) == 5 and len(done.trials_) == 4
