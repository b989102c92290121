"""HalvingSearch: every configuration gets a few epochs, the best third goes on, continued.

Continuation is checked exactly: the last survivor's curve equals one uninterrupted fit.
"""

import json
from collections import Counter

import pytest
from _tuning_models import build_regressor, regression_data

from layerfit.errors import LayerfitValueError, LayerfitWarning
from layerfit.tuning import GridSearch, HalvingSearch

SPACE = {"units": [2, 4, 8], "learning_rate": [0.001, 0.01, 0.05]}


@pytest.fixture
def build_count(tmp_path, monkeypatch):
    path = tmp_path / "builds.jsonl"
    monkeypatch.setenv("LAYERFIT_TRIAL_LOG", str(path))
    return lambda: len(path.read_text().splitlines()) if path.exists() else 0


def test_rungs_keep_the_best_third_and_multiply_the_epochs(build_count):
    x, y = regression_data()
    search = HalvingSearch(build_regressor, SPACE, factor=3, min_epochs=1, seed=1, verbose=0)
    search.fit(x, y, validation_split=0.25, batch_size=16)
    assert search._budgets(9) == [1, 3, 9]
    assert Counter(r["epochs_run"] for r in search.trials_) == {1: 6, 3: 2, 9: 1}
    assert Counter(r["rung"] for r in search.trials_) == {0: 6, 1: 2, 2: 1}
    assert build_count() == 9  # survivors continue: each configuration is built once
    table = search.results_
    assert table["rung"][0] == 2 and table["epochs_run"][0] == 9
    # Each survivor beat every configuration it left behind at that rung.
    rung0 = {r["trial_id"]: r for r in search.trials_}
    survivors = [r for r in search.trials_ if r["rung"] >= 1]
    dropped = [r for r in search.trials_ if r["rung"] == 0]
    for survivor in survivors:
        first_epoch = rung0[survivor["trial_id"]]["history"]["val_loss"][0]
        assert all(first_epoch <= d["score"] for d in dropped)


def test_a_survivor_trains_exactly_as_one_uninterrupted_fit(build_count):
    x, y = regression_data()
    search = HalvingSearch(build_regressor, SPACE, seed=1, verbose=0)
    search.fit(x, y, validation_split=0.25, batch_size=16)
    best = search.best_trial_
    straight = GridSearch(
        build_regressor, {k: [v] for k, v in best["params"].items()}, seed=1, verbose=0
    )
    straight.fit(x, y, validation_split=0.25, batch_size=16, epochs=best["epochs_run"])
    assert best["history"]["val_loss"] == pytest.approx(
        straight.trials_[0]["history"]["val_loss"], rel=1e-6
    )
    builds = build_count()
    assert search.best_model_ is search.best_model_ and build_count() == builds  # kept


def test_a_diverging_configuration_is_dropped_at_the_first_rung():
    x, y = regression_data()
    search = HalvingSearch(
        build_regressor, {"learning_rate": [0.01, 10.0, 0.02]}, seed=0, verbose=0
    )
    with pytest.warns(LayerfitWarning, match="1 of 3 trials failed"):
        search.fit(x, y, validation_split=0.25)
    diverged = [r for r in search.trials_ if r["params"]["learning_rate"] == 10.0][0]
    assert diverged["status"] == "diverged" and diverged["rung"] == 0
    assert search.best_params_["learning_rate"] in (0.01, 0.02)
    assert search.results_["status"].tolist()[-1] == "diverged"


def test_max_epochs_caps_the_last_rung(capsys):
    x, y = regression_data(n=40)
    search = HalvingSearch(
        build_regressor, {"units": [2, 4, 8]}, min_epochs=1, max_epochs=2, seed=0
    )
    search.fit(x, y, validation_split=0.25)
    assert search._budgets(3) == [1, 2]
    assert max(r["epochs_run"] for r in search.trials_) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Rung 1/2: 3 configurations, 1 epochs; best val_loss=")
    assert lines[0].endswith("; 1 go on.") and lines[1].endswith(".")


def test_random_draws_with_n_trials():
    from layerfit.tuning import Float

    x, y = regression_data(n=40)
    search = HalvingSearch(
        build_regressor,
        {"learning_rate": Float(1e-3, 1e-1, sampling="log")},
        n_trials=4,
        factor=2,
        seed=3,
        verbose=0,
    )
    search.fit(x, y, validation_split=0.25)
    assert len(search.trials_) == 4
    assert json.dumps(search.trials_)  # plain JSON values


def test_the_rungs_own_the_epochs():
    with pytest.raises(LayerfitValueError, match="'epochs' as a parameter(.|\n)*max_epochs"):
        HalvingSearch(build_regressor, {"epochs": [1, 2]})
    search = HalvingSearch(build_regressor, {"units": [1, 2]})
    with pytest.raises(LayerfitValueError, match="epochs=(.|\n)*max_epochs=5"):
        search.fit(*regression_data(), epochs=5, validation_split=0.2)
    with pytest.raises(LayerfitValueError, match="factor=1(.|\n)*2 or more"):
        HalvingSearch(build_regressor, {"units": [1]}, factor=1)
