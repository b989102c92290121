"""OptunaSearch: Optuna proposes, layerfit trains; studies shared and resumed through storage.

Skipped when Optuna (the optional 'tune' extra) is not installed.
"""

import json
import os
import sys

import pytest
from _tuning_models import build_regressor, regression_data

optuna = pytest.importorskip("optuna")

from layerfit.errors import (  # noqa: E402
    LayerfitTypeError,
    LayerfitValueError,
    LayerfitWarning,  # noqa: E402
)
from layerfit.tuning import Choice, Float, Int, OptunaSearch  # noqa: E402


@pytest.fixture
def builds(tmp_path, monkeypatch):
    path = tmp_path / "builds.jsonl"
    monkeypatch.setenv("LAYERFIT_TRIAL_LOG", str(path))
    return lambda: (
        [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    )


def test_the_rate_that_learns_wins_and_diverging_ones_fail_in_the_study(builds):
    x, y = regression_data()
    search = OptunaSearch(
        build_regressor,
        {"learning_rate": Float(1e-3, 30.0, sampling="log")},
        n_trials=8,
        seed=0,
        pruner=optuna.pruners.NopPruner(),
        verbose=0,
    )
    with pytest.warns(LayerfitWarning, match="trials failed"):
        search.fit(x, y, epochs=3, validation_split=0.25)
    assert len(builds()) == 8 and len(search.trials_) == 8
    assert search.best_params_["learning_rate"] < 1.0
    states = {t.number: t.state.name for t in search.study_.trials}
    for record in search.trials_:
        diverged = record["status"] == "diverged"
        assert diverged == (states[record["number"]] == "FAIL")
        if record["params"]["learning_rate"] > 5.0:
            assert diverged
    assert search.best_score_ == pytest.approx(search.study_.best_value, rel=1e-12)


def test_searches_sharing_a_storage_share_one_study_and_resume_it(tmp_path, builds):
    x, y = regression_data(n=64)
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    space = {"units": Int(2, 16), "learning_rate": Float(1e-3, 1e-1, sampling="log")}

    def search(n_trials):
        return OptunaSearch(
            build_regressor, space, n_trials=n_trials, storage=storage, seed=1, verbose=0
        )

    search(3).fit(x, y, epochs=1, validation_split=0.25)
    assert len(builds()) == 3
    second = search(5).fit(x, y, epochs=1, validation_split=0.25)
    assert len(builds()) == 5  # only the two missing trials ran
    assert len(second.trials_) == 5
    first_params = [b["learning_rate"] for b in builds()[:3]]
    assert all(b["learning_rate"] not in first_params for b in builds()[3:])  # no replayed draws
    search(5).fit(x, y, epochs=1, validation_split=0.25)
    assert len(builds()) == 5


def test_a_pruner_stops_a_hopeless_trial_early_and_that_is_no_failure():
    x, y = regression_data()
    pruner = optuna.pruners.ThresholdPruner(upper=3.0, n_warmup_steps=1)
    search = OptunaSearch(
        build_regressor,
        {"learning_rate": Choice([1e-4, 0.05])},
        n_trials=4,
        seed=0,
        pruner=pruner,
        sampler=optuna.samplers.GridSampler({"learning_rate": [1e-4, 0.05]}),
        verbose=0,
    )
    search.fit(x, y, epochs=6, validation_split=0.25)  # no warning: pruning is not failing
    slow = [r for r in search.trials_ if r["params"]["learning_rate"] == 1e-4]
    assert slow and all(r["status"] == "pruned" and r["epochs_run"] == 2 for r in slow)
    assert search.best_params_ == {"learning_rate": 0.05}
    assert search.results_["status"].tolist()[-1] == "pruned"


def test_n_jobs_processes_fill_one_study(tmp_path, builds):
    x, y = regression_data(n=64)
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    search = OptunaSearch(
        build_regressor,
        {"units": Int(2, 16)},
        n_trials=6,
        n_jobs=2,
        storage=storage,
        seed=2,
        verbose=0,
    )
    search.fit(x, y, epochs=2, validation_split=0.25)
    entries = builds()
    assert len({e["pid"] for e in entries}) == 2 and any(e["pid"] != os.getpid() for e in entries)
    assert 6 <= len(search.trials_) <= 7  # each process checks the total after its trial
    assert len(entries) == len(search.trials_)


def test_mistakes_name_the_cause_and_the_fix():
    with pytest.raises(LayerfitValueError, match="without storage(.|\n)*sqlite:///"):
        OptunaSearch(build_regressor, {"units": [1, 2]}, n_jobs=2)
    with pytest.raises(LayerfitTypeError, match="directory=(.|\n)*storage="):
        OptunaSearch(build_regressor, {"units": [1, 2]}, directory="runs")
    with pytest.raises(LayerfitTypeError, match=r"\[4, 4\](.|\n)*as a string"):
        OptunaSearch(build_regressor, {"layers": [[4, 4], [8]]})

    class Scipyish:
        def rvs(self, random_state=None):
            return 1.0

    with pytest.raises(LayerfitTypeError, match="Float\\(low, high, sampling='log'\\)"):
        OptunaSearch(build_regressor, {"learning_rate": Scipyish()})


def test_without_optuna_fit_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)
    search = OptunaSearch(build_regressor, {"units": [1, 2]})
    with pytest.raises(ImportError, match="pip install optuna(.|\n)*layerfit\\[tune\\]"):
        search.fit(*regression_data(), epochs=1, validation_split=0.25)
