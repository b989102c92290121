"""n_jobs=2: 'spawn' workers with their share of the CPU threads, the same results as serial.

The parallel search runs once per module (starting a worker costs a torch import).
"""

import json

import pytest
import torch
from _tuning_models import build_regressor, regression_data

from layerfit.errors import LayerfitValueError, LayerfitWarning
from layerfit.tuning import GridSearch
from layerfit.tuning._parallel import cpu_count

SPACE = {"units": [2, 4, 8], "fail": [False, True]}


@pytest.fixture(scope="module")
def parallel_run(tmp_path_factory):
    log = tmp_path_factory.mktemp("parallel") / "builds.jsonl"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("LAYERFIT_TRIAL_LOG", str(log))
    threads_before = torch.get_num_threads()
    try:
        search = GridSearch(build_regressor, SPACE, n_jobs=2, seed=4, verbose=0)
        with pytest.warns(LayerfitWarning, match="3 of 6 trials failed"):
            search.fit(*regression_data(), epochs=2, validation_split=0.25)
    finally:
        monkeypatch.undo()
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    return search, entries, threads_before


def test_parallel_trials_match_the_serial_ones(parallel_run):
    search, _, _ = parallel_run
    serial = GridSearch(build_regressor, SPACE, seed=4, verbose=0)
    with pytest.warns(LayerfitWarning, match="3 of 6 trials failed"):
        serial.fit(*regression_data(), epochs=2, validation_split=0.25)
    by_id = {r["trial_id"]: r for r in serial.trials_}
    assert len(search.trials_) == 6
    for record in search.trials_:
        assert record["status"] == by_id[record["trial_id"]]["status"]
        if record["status"] == "ok":
            assert record["score"] == pytest.approx(by_id[record["trial_id"]]["score"], rel=1e-6)
    assert search.best_params_ == serial.best_params_
    assert search.results_["trial_id"].tolist() == serial.results_["trial_id"].tolist()


def test_workers_are_other_processes_with_their_share_of_threads(parallel_run, monkeypatch):
    import os

    _, entries, threads_before = parallel_run
    assert len(entries) == 6  # every configuration built exactly once
    assert len({e["pid"] for e in entries}) == 2 and any(e["pid"] != os.getpid() for e in entries)
    assert {e["threads"] for e in entries} == {max(1, cpu_count() // 2)}
    assert torch.get_num_threads() == threads_before  # this process got its threads back


def test_a_failing_trial_in_a_worker_is_recorded(parallel_run):
    search, _, _ = parallel_run
    failed = [r for r in search.trials_ if r["params"]["fail"]]
    assert [r["status"] for r in failed] == ["error"] * 3
    assert all(r["error"] == "ValueError: this configuration is broken on purpose" for r in failed)


def test_best_model_of_a_trial_run_in_a_worker_is_retrained_here(parallel_run):
    search, _, _ = parallel_run
    model = search.best_model_
    history = search.best_trial_["history"]
    x, y = regression_data()
    assert model.evaluate(x[96:], y[96:], verbose=0) == pytest.approx(
        history["val_loss"][-1], rel=1e-5
    )


def test_a_lambda_cannot_go_to_worker_processes():
    search = GridSearch(
        lambda units: build_regressor(units), {"units": [1, 2]}, n_jobs=2, verbose=0
    )
    with pytest.raises(LayerfitValueError, match="lambda(.|\n)*Fix: move it into a file"):
        search.fit(*regression_data(), epochs=1, validation_split=0.25)


def test_n_jobs_must_be_a_positive_count():
    with pytest.raises(LayerfitValueError, match="n_jobs=0(.|\n)*-1 for one per CPU"):
        GridSearch(build_regressor, {"units": [1]}, n_jobs=0)
