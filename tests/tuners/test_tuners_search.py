"""Tuners end to end on small models: resuming, Hyperband's continued trials, the grid,
executions per trial, and the errors that name their fix."""

import json
from pathlib import Path

import numpy as np
import pytest

import layerfit as keras
import layerfit.keras_tuner as kt
from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 4)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5], [0.0]], dtype="float32")).astype("float32")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def build_model(hp):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(hp.Int("units", 4, 16, step=4), activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    learning_rate = hp.Float("lr", 1e-3, 1e-1, sampling="log")
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    return model


class Trainings(keras.callbacks.Callback):
    """Counts the models trained, across the copies the tuner makes of it."""

    count = 0
    stop_at = None

    def on_train_begin(self, logs=None):
        type(self).count += 1
        if type(self).count == type(self).stop_at:
            raise KeyboardInterrupt  # as if the user pressed Ctrl+C in this trial


def _search(tuner, callbacks=()):
    tuner.search(X, Y, epochs=2, validation_split=0.25, callbacks=list(callbacks), verbose=0)


def test_an_interrupted_search_resumes_without_repeating_finished_trials(capsys):
    def make():
        return kt.RandomSearch(
            build_model, objective="val_loss", max_trials=4, directory="d", project_name="p"
        )

    Trainings.count, Trainings.stop_at = 0, 3
    tuner = make()
    with pytest.raises(KeyboardInterrupt):
        _search(tuner, [Trainings()])
    finished = {
        t.trial_id: (t.score, t.hyperparameters.values)
        for t in tuner.oracle.trials.values()
        if t.status == "COMPLETED"
    }
    assert sorted(finished) == ["0", "1"]
    interrupted = tuner.oracle.trials["2"].hyperparameters.values
    checkpoint = Path(tuner.get_trial_dir("0")) / "checkpoint.weights.safetensors"
    saved_weights = checkpoint.read_bytes()

    Trainings.count, Trainings.stop_at = 0, None
    resumed = make()
    assert "Reloading Tuner from" in capsys.readouterr().out
    _search(resumed, [Trainings()])
    assert Trainings.count == 2  # trial 2 again (it was cut short) and trial 3; not 0 or 1
    trials = resumed.oracle.trials
    assert sorted(trials) == ["0", "1", "2", "3"]
    assert all(t.status == "COMPLETED" for t in trials.values())
    assert {i: (trials[i].score, trials[i].hyperparameters.values) for i in finished} == finished
    assert trials["2"].hyperparameters.values == interrupted
    assert checkpoint.read_bytes() == saved_weights

    # Searching again finds nothing left to do; overwrite=True starts afresh.
    _search(make(), [Trainings()])
    assert Trainings.count == 2
    afresh = kt.RandomSearch(
        build_model, "val_loss", max_trials=1, directory="d", project_name="p", overwrite=True
    )
    _search(afresh, [Trainings()])
    assert sorted(afresh.oracle.trials) == ["0"] and Trainings.count == 3


def test_a_different_search_in_the_same_project_is_refused():
    kt.RandomSearch(build_model, "val_loss", max_trials=1, directory="d", project_name="p")
    with pytest.raises(LayerfitValueError) as caught:
        kt.RandomSearch(build_model, "loss", max_trials=1, directory="d", project_name="p")
    message = str(caught.value)
    assert "different search" in message and "objective" in message
    assert "overwrite=True" in message


class WeightsAtStart(kt.Hyperband):
    """Keeps each trial's weights as its first epoch begins (the tuner's own hook)."""

    def on_epoch_begin(self, trial, model, epoch, logs=None):
        if epoch == trial.hyperparameters.values["tuner/initial_epoch"]:
            self.starts[trial.trial_id] = [w.detach().clone() for w in model.weights]


def test_hyperband_continues_the_best_models_from_their_checkpoints():
    tuner = WeightsAtStart(build_model, objective="val_loss", max_epochs=3, factor=3, seed=3)
    tuner.starts = {}
    histories = {}

    class Epochs(keras.callbacks.Callback):
        def on_train_end(self, logs=None):
            histories.setdefault("runs", []).append(len(self.model.history.epoch))

    _search(tuner, [Epochs()])
    trials = [tuner.oracle.trials[i] for i in tuner.oracle.start_order]
    schedule = [
        (t.hyperparameters.values["tuner/bracket"], t.hyperparameters.values["tuner/epochs"])
        for t in trials
    ]
    # max_epochs=3, factor=3: bracket 1 trains 3 models 1 epoch and the best of them 3;
    # bracket 0 trains 2 models 3 epochs.
    assert schedule == [(1, 1), (1, 1), (1, 1), (1, 3), (0, 3), (0, 3)]
    assert histories["runs"] == [1, 1, 1, 2, 3, 3]  # the continued one runs epochs 2 and 3
    continued = trials[3].hyperparameters.values
    best_first = min(trials[:3], key=lambda t: t.score)
    assert continued["tuner/trial_id"] == best_first.trial_id
    reference = build_model(best_first.hyperparameters)
    reference.load_weights(
        tuner.get_trial_dir(best_first.trial_id) + "/checkpoint.weights.safetensors"
    )
    for started, saved in zip(tuner.starts[trials[3].trial_id], reference.weights):
        np.testing.assert_array_equal(started.numpy(), saved.detach().numpy())


def test_grid_search_runs_every_combination_in_keras_tuner_order():
    def build(hp):
        model = keras.Sequential(
            [keras.Input((4,)), keras.layers.Dense(hp.Choice("units", [8, 4]), "relu")]
        )
        model.add(keras.layers.Dense(1))
        model.compile(keras.optimizers.SGD(hp.Choice("lr", [0.01, 0.1, 0.05])), "mse")
        return model

    tuner = kt.GridSearch(build, objective="val_loss")
    _search(tuner)
    order = [tuner.oracle.trials[i].hyperparameters.values for i in tuner.oracle.start_order]
    assert [(v["units"], v["lr"]) for v in order] == [
        (8, 0.01),
        (8, 0.1),
        (8, 0.05),
        (4, 0.01),
        (4, 0.1),
        (4, 0.05),
    ]


def test_executions_per_trial_average_the_best_epochs():
    tuner = kt.RandomSearch(build_model, "val_loss", max_trials=1, executions_per_trial=3)
    best_epochs = []

    class Best(keras.callbacks.Callback):
        def on_train_end(self, logs=None):
            best_epochs.append(min(self.model.history.history["val_loss"]))

    _search(tuner, [Best()])
    assert len(best_epochs) == 3
    trial = tuner.oracle.trials["0"]
    assert trial.score == pytest.approx(np.mean(best_epochs), rel=1e-6)


def test_distribution_strategies_are_refused_with_what_to_do():
    class MirroredStrategy:  # what tf.distribute.MirroredStrategy() would be
        pass

    with pytest.raises(LayerfitValueError) as caught:
        kt.RandomSearch(build_model, "val_loss", distribution_strategy=MirroredStrategy())
    message = str(caught.value)
    assert "MirroredStrategy" in message and "do not apply" in message
    assert "layerfit.distribution" in message and "n_jobs" in message


def test_logger_is_ignored_with_a_warning():
    with pytest.warns(LayerfitWarning, match="logger= is ignored") as caught:
        kt.RandomSearch(build_model, "val_loss", logger=object())
    assert "Fix: drop logger=" in str(caught[0].message)


def test_keras_tuner_distributed_variables_warn(monkeypatch):
    monkeypatch.setenv("KERASTUNER_ORACLE_IP", "10.0.0.1")
    with pytest.warns(LayerfitWarning, match="chief/worker distributed tuning") as caught:
        kt.RandomSearch(build_model, "val_loss")
    assert "n_jobs=" in str(caught[0].message)


class Square(kt.RandomSearch):
    def run_trial(self, trial, *args, **kwargs):
        x = trial.hyperparameters.Float("x", -1.0, 1.0)
        return x * x + 1


def test_progress_is_printed_as_keras_tuner_prints_it(capsys):
    Square(max_trials=2, seed=1).search()
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "",
        "Search: Running Trial #1",
        "",
        "Value             |Best Value So Far |Hyperparameter",
    ]
    assert "Trial 1 Complete [00h 00m 00s]" in lines
    assert "default_objective: 2.0" in lines  # the first trial runs x at its default, -1.0
    assert "Best default_objective So Far: 2.0" in lines
    # The second trial's table shows its x and the best so far.
    row = lines[lines.index("Search: Running Trial #2") + 3]
    assert row.endswith("|-1                |x")


def test_a_model_of_another_library_stops_the_search():
    tuner = kt.RandomSearch(lambda hp: hp.Int("n", 1, 2) and "not a model", "val_loss")
    with pytest.raises(kt.errors.FatalTypeError) as caught:
        _search(tuner)
    assert "returned str" in str(caught.value) and "return model" in str(caught.value)


def test_a_missing_objective_stops_the_search_naming_the_logged_values():
    tuner = kt.RandomSearch(build_model, "val_accuracy", max_trials=2)
    with pytest.raises(kt.errors.FatalValueError) as caught:
        _search(tuner)
    message = str(caught.value)
    assert "'val_accuracy' is not in the logs" in message and "val_loss" in message


def test_failing_trials_are_recorded_and_three_in_a_row_stop_the_search():
    class Broken(kt.HyperModel):
        def build(self, hp):
            return build_model(hp)

        def fit(self, hp, model, *args, **kwargs):
            raise ValueError("a bug in fit")

    tuner = kt.RandomSearch(Broken(), "val_loss", max_trials=5)
    tuner.oracle.verbose = 0
    with pytest.raises(RuntimeError) as caught:
        _search(tuner)
    assert "3 trials in a row failed" in str(caught.value)
    assert "a bug in fit" in str(caught.value)
    assert [t.status for t in tuner.oracle.trials.values()] == ["FAILED"] * 3


def test_hyperparameter_mistakes_name_the_fix():
    hp = kt.HyperParameters()
    with pytest.raises(LayerfitValueError, match="min_value 5 is greater"):
        hp.Int("a", 5, 1)
    with pytest.raises(LayerfitValueError, match="Fix: raise min_value above 0"):
        hp.Float("b", 0.0, 1.0, sampling="log")
    with pytest.raises(LayerfitValueError, match="step > 1"):
        hp.Int("c", 1, 64, step=1, sampling="log")
    with pytest.raises(LayerfitTypeError, match="mixes types"):
        hp.Choice("d", [1, "two"])
    with pytest.raises(LayerfitTypeError, match="use hp.Float"):
        hp.Int("e", 0.5, 2)
    with pytest.raises(LayerfitValueError, match="no hyperparameter named 'f'"):
        with hp.conditional_scope("f", ["x"]):
            pass
    with pytest.raises(LayerfitTypeError, match="several objectives"):
        kt.RandomSearch(build_model, objective=["val_loss", "val_mae"])
    with pytest.raises(LayerfitTypeError, match="Unknown arguments"):
        kt.RandomSearch(build_model, "val_loss", max_trails=3)


def test_project_files_are_json_and_safetensors():
    tuner = kt.RandomSearch(build_model, "val_loss", max_trials=1, directory="d", project_name="p")
    _search(tuner)
    files = sorted(p.relative_to("d/p").as_posix() for p in Path("d/p").rglob("*"))
    assert files == [
        "oracle.json",
        "search.json",
        "trial_0",
        "trial_0.json",
        "trial_0/build_config.json",
        "trial_0/checkpoint.weights.safetensors",
        "tuner0.json",
    ]
    record = json.loads(Path("d/p/trial_0.json").read_text())
    assert record["status"] == "COMPLETED"
    assert record["params"] == tuner.oracle.trials["0"].hyperparameters.values


class SquareBayes(kt.BayesianOptimization):
    def run_trial(self, trial, *args, **kwargs):
        x = trial.hyperparameters.Float("x", -1.0, 1.0)
        return (x - 0.3) ** 2


def test_bayesian_optimization_runs_its_gaussian_process_steps():
    tuner = SquareBayes(max_trials=6, num_initial_points=3, seed=4, directory="d")
    tuner.oracle.verbose = 0
    tuner.search()
    trials = [tuner.oracle.trials[i] for i in tuner.oracle.start_order]
    assert len(trials) == 6 and all(t.status == "COMPLETED" for t in trials)
    assert tuner.oracle.gpr is not None  # trials 4 to 6 came from the Gaussian process
    # Each score is the function at the trial's x, and the best is ranked first.
    for trial in trials:
        assert trial.score == pytest.approx((trial.hyperparameters.values["x"] - 0.3) ** 2)
    assert tuner.oracle.get_best_trials()[0].score == min(t.score for t in trials)


def build_branches(hp):
    # KerasTuner's idiom: both scopes are entered; the inactive one declares nothing new.
    model = keras.Sequential([keras.Input((4,))])
    model_type = hp.Choice("model_type", ["mlp", "wide"])
    with hp.conditional_scope("model_type", "mlp"):
        if model_type == "mlp":
            model.add(keras.layers.Dense(hp.Int("mlp_units", 2, 8), activation="relu"))
    with hp.conditional_scope("model_type", "wide"):
        if model_type == "wide":
            model.add(keras.layers.Dense(hp.Int("wide_units", 16, 64), activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile("sgd", "mse")
    return model


def test_the_initial_builds_declare_every_conditional_branch():
    tuner = kt.RandomSearch(build_branches, "val_loss", max_trials=4, seed=0)
    space = tuner.oracle.get_space()  # the 'wide' branch was built once to find wide_units
    assert [hp.name for hp in space.space] == ["model_type", "mlp_units", "wide_units"]
    _search(tuner)
    for trial in tuner.oracle.trials.values():
        values = trial.hyperparameters.values
        branch = "mlp_units" if values["model_type"] == "mlp" else "wide_units"
        assert set(values) == {"model_type", branch}  # only the active branch has a value
