"""n_jobs=2: worker processes with their share of the CPU threads, the same results as serial.

The forked search runs once per module; the spawned one (a torch import per worker) once.
"""

import json
import os
import sys
import threading

import pytest
import torch
from _tuning_models import build_dying_in_workers, build_regressor, regression_data

from layerfit.errors import LayerfitValueError, LayerfitWarning
from layerfit.tuning import GridSearch, _parallel
from layerfit.tuning._parallel import cpu_count, start_method

SPACE = {"units": [2, 4, 8], "fail": [False, True]}


@pytest.fixture(scope="module")
def parallel_run(tmp_path_factory):
    log = tmp_path_factory.mktemp("parallel") / "builds.jsonl"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("LAYERFIT_TRIAL_LOG", str(log))
    # This process also runs trials; a worker slow to start under load could leave it none.
    monkeypatch.setenv("LAYERFIT_WAIT_FOR_WORKER", str(os.getpid()))
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


@pytest.mark.skipif(
    sys.platform != "linux" or torch.cuda.is_available(), reason="workers fork on CPU-only Linux"
)
def test_workers_fork_only_with_one_thread_each_and_no_other_python_thread(monkeypatch):
    # A thread left by an earlier test in this process (a data-loading or writer thread) must
    # not decide the first two answers: they are about the thread budget alone.
    with monkeypatch.context() as alone:
        alone.setattr(_parallel.threading, "active_count", lambda: 1)
        assert start_method(threads=1) == "fork"
        assert start_method(threads=2) == "spawn"  # a forked child's OpenMP pool would hang
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert start_method(threads=1) == "spawn"  # a notebook kernel's threads could hold locks
    finally:
        release.set()
        other.join()


def test_spawned_workers_give_the_same_results(monkeypatch):
    monkeypatch.setattr(_parallel, "start_method", lambda threads: "spawn")
    space = {"units": [2, 4, 8]}
    spawned = GridSearch(build_regressor, space, n_jobs=2, seed=4, verbose=0)
    spawned.fit(*regression_data(), epochs=2, validation_split=0.25)
    serial = GridSearch(build_regressor, space, seed=4, verbose=0)
    serial.fit(*regression_data(), epochs=2, validation_split=0.25)
    scores = {r["trial_id"]: r["score"] for r in serial.trials_}
    assert len(spawned.trials_) == 3
    for record in spawned.trials_:
        assert record["score"] == pytest.approx(scores[record["trial_id"]], rel=1e-6)


def test_a_worker_that_dies_fails_its_trial_and_the_others_go_on(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYERFIT_DEATH_MARK", str(tmp_path / "died"))
    search = GridSearch(build_dying_in_workers, {"units": [2, 4, 8]}, n_jobs=2, verbose=0)
    with pytest.warns(LayerfitWarning, match="1 of 3 trials failed"):
        search.fit(*regression_data(), epochs=1, validation_split=0.25)
    statuses = sorted(r["status"] for r in search.trials_)
    assert statuses == ["error", "ok", "ok"]
    (died,) = [r for r in search.trials_ if r["status"] == "error"]
    assert "worker process running this trial stopped (exit code 3)" in died["error"]
