"""GridSearch and RandomSearch in this process: ranking, routing, scoring, results, errors.

Trials train 2-4 epochs of a 4-feature MLP on 128 samples; every known answer is a
configuration that learns against one that diverges, or a score recomputed by hand.
"""

import math

import numpy as np
import pytest
from _tuning_models import (
    build_classifier,
    build_plain,
    build_regressor,
    classification_data,
    regression_data,
)

import layerfit as keras
from layerfit.callbacks import EarlyStopping
from layerfit.errors import (
    LayerfitRuntimeError,
    LayerfitTypeError,
    LayerfitValueError,
    LayerfitWarning,
)
from layerfit.tuning import GridSearch, RandomSearch
from layerfit.tuning._trial import fold_indices


@pytest.fixture
def trial_log(tmp_path, monkeypatch):
    """Counts build calls (one per training) through the file the build functions append to."""
    path = tmp_path / "builds.jsonl"
    monkeypatch.setenv("LAYERFIT_TRIAL_LOG", str(path))

    def count():
        return len(path.read_text().splitlines()) if path.exists() else 0

    return count


def test_learning_rate_that_learns_ranks_first_and_the_diverging_one_last(trial_log):
    x, y = regression_data()
    search = GridSearch(
        build_regressor, {"learning_rate": [10.0, 0.01], "units": [4, 8]}, seed=3, verbose=0
    )
    with pytest.warns(LayerfitWarning, match=r"2 of 4 trials failed.*learning_rate': 10\.0"):
        search.fit(x, y, epochs=3, validation_split=0.25)
    assert trial_log() == 4
    assert search.best_params_["learning_rate"] == 0.01
    table = search.results_
    assert list(table["learning_rate"]) == [0.01, 0.01, 10.0, 10.0]
    assert list(table["status"]) == ["ok", "ok", "diverged", "diverged"]
    assert table["error"][2].startswith("loss became nan")
    assert math.isnan(table["score"][3])
    assert table["score"][0] <= table["score"][1]
    assert search.best_score_ == table["score"][0]
    assert list(table.columns) == [
        "learning_rate",
        "units",
        "score",
        "epochs_run",
        "seconds",
        "status",
        "error",
        "trial_id",
    ]


def test_score_is_the_best_epoch_of_the_objective_and_best_model_is_that_trial(trial_log):
    x, y = regression_data()
    search = GridSearch(build_regressor, {"units": [4, 8]}, seed=0, verbose=0)
    search.fit(x, y, epochs=4, validation_split=0.25)
    best = search.best_trial_
    assert best["score"] == min(best["history"]["val_loss"])
    assert best["epochs_run"] == 4 and len(best["history"]["loss"]) == 4
    model = search.best_model_
    assert model is search.best_model_  # kept from the search, no retraining
    assert trial_log() == 2
    x_val, y_val = x[96:], y[96:]
    # The kept model is the final epoch's; its val_loss is the last one logged.
    assert model.evaluate(x_val, y_val, verbose=0) == pytest.approx(
        best["history"]["val_loss"][-1], rel=1e-5
    )


def test_fit_parameters_go_to_fit_and_the_rest_to_the_build_function(trial_log):
    x, y = regression_data()
    search = GridSearch(build_regressor, {"epochs": [1, 3], "batch_size": [16]}, seed=0, verbose=0)
    search.fit(x, y, epochs=10, validation_split=0.25)
    runs = {r["params"]["epochs"]: r["epochs_run"] for r in search.trials_}
    assert runs == {1: 1, 3: 3}  # the grid's epochs win over fit's epochs=10


def test_learning_rate_and_optimizer_go_to_the_compiled_model_when_build_does_not_take_them():
    x, y = regression_data()
    search = GridSearch(build_plain, {"learning_rate": [0.01, 10.0]}, seed=0, verbose=0)
    with pytest.warns(LayerfitWarning, match="1 of 2 trials failed"):
        search.fit(x, y, epochs=3, validation_split=0.25)
    assert search.best_params_ == {"learning_rate": 0.01}
    assert [r["status"] for r in search.trials_] == ["ok", "diverged"]
    assert float(search.best_model_.optimizer.learning_rate) == pytest.approx(0.01)

    search = GridSearch(build_plain, {"optimizer": ["sgd", "adam"]}, seed=0, verbose=0)
    search.fit(x, y, epochs=1, validation_split=0.25)
    search._kept = None  # force the retrain path for whichever wins
    assert type(search.best_model_.optimizer).__name__ == (
        "SGD" if search.best_params_["optimizer"] == "sgd" else "Adam"
    )


def test_val_accuracy_is_maximised():
    x, y = classification_data()
    search = GridSearch(
        build_classifier, {"units": [2, 16]}, objective="val_accuracy", seed=0, verbose=0
    )
    search.fit(x, y, epochs=3, validation_split=0.25)
    assert search.direction == "max"
    scores = [r["score"] for r in search.trials_]
    assert search.best_score_ == max(scores)
    assert list(search.results_["score"]) == sorted(scores, reverse=True)


def test_cv_score_is_the_mean_of_folds_trained_by_hand_with_the_same_seed():
    x, y = regression_data(n=60)
    search = GridSearch(build_regressor, {"units": [4]}, cv=3, seed=5, verbose=0)
    search.fit(x, y, epochs=2, batch_size=16)
    record = search.trials_[0]
    by_hand = []
    for train, held in fold_indices(60, 3, seed=5):
        keras.backend.clear_session()
        keras.utils.set_random_seed(5)
        model = build_regressor(units=4)
        history = model.fit(
            x[train],
            y[train],
            epochs=2,
            batch_size=16,
            verbose=0,
            validation_data=(x[held], y[held]),
        )
        by_hand.append(min(history.history["val_loss"]))
    assert record["fold_scores"] == pytest.approx(by_hand, rel=1e-6)
    assert record["score"] == pytest.approx(np.mean(by_hand), rel=1e-6)
    assert sorted(np.concatenate([h for _, h in fold_indices(60, 3, 5)])) == list(range(60))
    model = search.best_model_  # refit on all the data for the mean epochs
    assert model.built


def test_each_trial_gets_its_own_early_stopping_copy():
    x, y = regression_data()
    stopper = EarlyStopping(monitor="val_loss", patience=0)
    search = GridSearch(build_regressor, {"learning_rate": [0.3, 0.001]}, seed=1, verbose=0)
    search.fit(x, y, epochs=30, validation_split=0.25, callbacks=[stopper])
    runs = [r["epochs_run"] for r in search.trials_]
    assert min(runs) < 30  # stopped early
    assert stopper.model is None  # the user's instance was never attached


def test_random_search_draws_the_same_configurations_for_the_same_seed():
    x, y = regression_data(n=40)
    space = {
        "units": keras.tuning.Int(2, 32),
        "learning_rate": keras.tuning.Float(1e-3, 1e-1, sampling="log"),
    }
    first = RandomSearch(build_regressor, space, n_trials=3, seed=7, verbose=0)
    first.fit(x, y, epochs=1, validation_split=0.25)
    second = RandomSearch(build_regressor, space, n_trials=3, seed=7, verbose=0)
    second.fit(x, y, epochs=1, validation_split=0.25)
    assert [r["params"] for r in first.trials_] == [r["params"] for r in second.trials_]
    assert [r["score"] for r in first.trials_] == [r["score"] for r in second.trials_]
    for record in first.trials_:
        assert 2 <= record["params"]["units"] <= 32
        assert 1e-3 <= record["params"]["learning_rate"] <= 1e-1


def test_a_trial_that_raises_is_recorded_and_the_search_goes_on(trial_log):
    x, y = regression_data()
    search = GridSearch(build_regressor, {"fail": [True, False]}, seed=0, verbose=0)
    with pytest.warns(LayerfitWarning, match="1 of 2 trials failed.*broken on purpose"):
        search.fit(x, y, epochs=1, validation_split=0.25)
    failed = search.trials_[0]
    assert failed["status"] == "error"
    assert failed["error"] == "ValueError: this configuration is broken on purpose"
    assert "Traceback" in failed["traceback"]
    assert search.best_params_ == {"fail": False}
    assert list(search.results_["status"]) == ["ok", "error"]


def test_when_every_trial_fails_fit_raises_with_the_first_error():
    x, y = regression_data()
    search = GridSearch(build_regressor, {"fail": [True]}, seed=0, verbose=0)
    with pytest.raises(LayerfitRuntimeError, match="No trial finished.*broken on purpose"):
        search.fit(x, y, epochs=1, validation_split=0.25)


def test_results_are_a_list_of_dicts_without_pandas(monkeypatch):
    x, y = regression_data(n=40)
    search = GridSearch(build_regressor, {"units": [2, 4]}, seed=0, verbose=0)
    search.fit(x, y, epochs=1, validation_split=0.25)
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    rows = search.results_
    assert isinstance(rows, list) and len(rows) == 2
    assert rows[0]["score"] <= rows[1]["score"]
    assert set(rows[0]) == {
        "units",
        "score",
        "epochs_run",
        "seconds",
        "status",
        "error",
        "trial_id",
    }


def test_plot_has_one_panel_per_parameter_with_every_finished_trial():
    x, y = regression_data(n=40)
    search = GridSearch(
        build_regressor, {"units": [2, 4, 8], "learning_rate": [0.01, 0.02]}, seed=0, verbose=0
    )
    search.fit(x, y, epochs=1, validation_split=0.25)
    figure = search.plot()
    panels = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_xlabel() for ax in panels] == ["units", "learning_rate"]
    for ax in panels:
        assert ax.get_ylabel() == "val_loss"
        assert len(ax.collections[0].get_offsets()) == 6
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_verbose_prints_one_line_per_trial(capsys):
    x, y = regression_data(n=40)
    GridSearch(build_regressor, {"units": [2, 4]}, seed=0).fit(
        x, y, epochs=1, validation_split=0.25
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Trial 1/2 units=2: val_loss=") and "1 epochs" in lines[0]


# -- mistakes, each with its cause and fix -------------------------------------------------------


def test_a_parameter_nobody_takes_names_itself_and_the_fix():
    with pytest.raises(
        LayerfitValueError,
        match=r"'unitz'.*build_regressor\(\) does not take"
        r"(.|\n)*Fix: add unitz=\.\.\. to the signature",
    ):
        GridSearch(build_regressor, {"unitz": [1, 2]}).fit(
            *regression_data(), epochs=1, validation_split=0.2
        )


def test_a_val_objective_without_validation_data_says_how_to_add_it():
    with pytest.raises(LayerfitValueError, match="no validation data(.|\n)*validation_split=0.2"):
        GridSearch(build_regressor, {"units": [1]}).fit(*regression_data(), epochs=1)


def test_an_objective_that_is_never_logged_stops_the_search():
    search = GridSearch(build_regressor, {"units": [1, 2]}, objective="val_mae", verbose=0)
    with pytest.raises(LayerfitValueError, match=r"'val_mae' is not in the logs.*'val_loss'"):
        search.fit(*regression_data(), epochs=1, validation_split=0.2)


def test_unknown_fit_argument_suggests_the_right_one():
    search = GridSearch(build_regressor, {"units": [1]})
    with pytest.raises(LayerfitTypeError, match="'epoch'(.|\n)*did you mean.*'epochs'"):
        search.fit(*regression_data(), epoch=1, validation_split=0.2)


def test_space_mistakes_are_caught_when_the_search_is_made():
    with pytest.raises(LayerfitTypeError, match=r"'relu'.*not a list(.|\n)*\['relu'\]"):
        GridSearch(build_regressor, {"activation": "relu"})
    with pytest.raises(LayerfitValueError, match="continuous range(.|\n)*RandomSearch"):
        GridSearch(build_regressor, {"learning_rate": keras.tuning.Float(1e-4, 1e-1)})
    with pytest.raises(LayerfitValueError, match="a column of the results"):
        GridSearch(build_regressor, {"score": [1]})
    with pytest.raises(LayerfitValueError, match="cv=1(.|\n)*cv=5"):
        GridSearch(build_regressor, {"units": [1]}, cv=1)
    with pytest.raises(LayerfitValueError, match="direction='up'"):
        GridSearch(build_regressor, {"units": [1]}, direction="up")
    with pytest.raises(LayerfitTypeError, match="cannot be called"):
        GridSearch("build_regressor", {"units": [1]})


def test_cv_with_a_validation_split_is_refused():
    search = GridSearch(build_regressor, {"units": [1]}, cv=3)
    with pytest.raises(LayerfitValueError, match="cv= was given together(.|\n)*drop"):
        search.fit(*regression_data(), epochs=1, validation_split=0.2)


def test_best_params_before_fit_says_to_fit_first():
    with pytest.raises(LayerfitRuntimeError, match="not run yet(.|\n)*search.fit"):
        GridSearch(build_regressor, {"units": [1]}).best_params_  # noqa: B018


def test_warnings_inside_trials_are_kept_and_reported_once():
    x, y = regression_data(n=40)
    search = GridSearch(build_regressor, {"units": [2, 4]}, seed=0, verbose=0)
    with pytest.warns(LayerfitWarning, match=r"^Trials warned: x looks unscaled") as caught:
        search.fit(x * 1000.0, y, epochs=1, validation_split=0.25)
    assert len(caught) == 1
    assert all(r["warnings"][0].startswith("x looks unscaled") for r in search.trials_)
