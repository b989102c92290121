"""HyperParameters, objectives and the Hyperband schedule, by hand (no KerasTuner needed)."""

import pytest

import layerfit.keras_tuner as kt


def test_int_values_defaults_and_samplings():
    hp = kt.HyperParameters()
    assert hp.Int("units", min_value=32, max_value=512, step=32) == 32
    units = hp.space[-1]
    assert list(units.values) == list(range(32, 513, 32))
    assert hp.Int("doubling", 2, 256, step=2, sampling="log", default=8) == 8
    assert list(hp.space[-1].values) == [2, 4, 8, 16, 32, 64, 128, 256]
    hp.Int("dense_top", 1, 64, step=2, sampling="reverse_log")
    # reverse_log: dense near the top, 64 + 1 - 2**k.
    assert list(hp.space[-1].values) == [64, 63, 61, 57, 49, 33, 1]
    # Equal slices of [0, 1] map to the values in order.
    assert [units.prob_to_value(p) for p in (0.0, 0.49, 0.5, 0.99, 1.0)] == [32, 256, 288, 512, 512]


def test_float_choice_boolean_fixed():
    hp = kt.HyperParameters()
    assert hp.Float("lr", 1e-4, 1e-2, sampling="log") == 1e-4
    lr = hp.space[-1]
    assert lr.prob_to_value(0.5) == pytest.approx(1e-3, rel=1e-12)  # the geometric middle
    assert hp.Float("dropout", 0.0, 0.5, step=0.1, default=0.2) == 0.2
    assert hp.Choice("activation", ["relu", "tanh"]) == "relu"
    assert hp.space[-1].ordered is False
    assert hp.Choice("batch", [16, 32, 64], default=32) == 32
    assert hp.space[-1].ordered is True
    assert hp.Boolean("shuffle") is False
    assert hp.Fixed("optimizer", "adam") == "adam"
    assert hp.values == {
        "lr": 1e-4,
        "dropout": 0.2,
        "activation": "relu",
        "batch": 32,
        "shuffle": False,
        "optimizer": "adam",
    }
    # Declaring again returns the trial's value, not a new default.
    hp.values["batch"] = 64
    assert hp.Choice("batch", [16, 32, 64], default=32) == 64
    assert hp["batch"] == hp.get("batch") == 64 and "batch" in hp and "nothing" not in hp


def test_conditional_scopes_and_parent_arguments():
    hp = kt.HyperParameters()
    model_type = hp.Choice("model_type", ["mlp", "cnn"])
    with hp.conditional_scope("model_type", "mlp"):
        units = hp.Int("units", 8, 64)
    filters = hp.Int("filters", 4, 16, parent_name="model_type", parent_values=["cnn"])
    assert (model_type, units, filters) == ("mlp", 8, None)  # inactive: None
    assert hp.values == {"model_type": "mlp", "units": 8}
    assert hp.is_active("units") and not hp.is_active("filters")
    with pytest.raises(ValueError, match="'filters' is inactive"):
        hp.get("filters")
    with pytest.raises(KeyError, match="No hyperparameter named 'kernel'"):
        hp.get("kernel")

    hp = kt.HyperParameters()
    hp.values["model_type"] = "cnn"
    hp.Choice("model_type", ["mlp", "cnn"])
    assert hp.Int("filters", 4, 16, parent_name="model_type", parent_values=["cnn"]) == 4
    with hp.name_scope("block1"):
        hp.Boolean("residual")
    assert hp.values == {"model_type": "cnn", "filters": 4, "block1/residual": False}


def test_copy_keeps_space_and_values():
    hp = kt.HyperParameters()
    hp.Int("units", 8, 64, step=8)
    hp.values["units"] = 24
    copied = hp.copy()
    assert copied.values == {"units": 24} and copied.space[0].step == 8
    copied.values["units"] = 8
    assert hp.values["units"] == 24


@pytest.mark.parametrize(
    "name, direction",
    [
        ("val_loss", "min"),
        ("val_accuracy", "max"),
        ("val_mean_absolute_error", "min"),
        ("val_auc", "max"),
        ("loss", "min"),
    ],
)
def test_objective_direction_is_inferred_from_the_name(name, direction):
    assert kt.oracles.RandomSearchOracle(objective=name).objective.direction == direction
    assert str(kt.Objective(name, direction)) == str(kt.oracles.Oracle(name).objective)


def test_random_draws_repeat_with_the_seed():
    def draws(seed):
        oracle = kt.oracles.RandomSearchOracle("score", max_trials=3, seed=seed)
        hp = oracle.get_space()
        hp.Int("units", 8, 512)
        hp.Float("lr", 1e-4, 1e-1, sampling="log")
        oracle.update_space(hp)
        return [oracle._random_values() for _ in range(3)]

    assert draws(5) == draws(5)
    assert draws(5) != draws(6)


def _run_to_end(oracle):
    hp = oracle.get_space()
    hp.Int("units", 1, 100)
    oracle.update_space(hp)
    values = []
    while (trial := oracle.create_trial("tuner0")).status == "RUNNING":
        oracle.update_trial(trial.trial_id, {"score": trial.hyperparameters.values["units"]})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
        values.append(trial.hyperparameters.values)
    return values


def test_hyperband_schedule_by_hand():
    # max_epochs=9, factor=3: brackets 2, 1, 0 of 9/3/1 models at 1/3/9 epochs, 5/2 at 3/9,
    # and 3 at 9: 23 trials, every continued trial naming the one it continues.
    trials = _run_to_end(kt.oracles.HyperbandOracle(kt.Objective("score", "max"), 9, 3, seed=1))
    schedule = [(v["tuner/bracket"], v["tuner/round"], v["tuner/epochs"]) for v in trials]
    counts = {key: schedule.count(key) for key in dict.fromkeys(schedule)}
    assert counts == {
        (2, 0, 1): 9,
        (2, 1, 3): 3,
        (2, 2, 9): 1,
        (1, 0, 3): 5,
        (1, 1, 9): 2,
        (0, 0, 9): 3,
    }
    by_round = {}
    for v in trials:
        by_round.setdefault((v["tuner/bracket"], v["tuner/round"]), []).append(v)
    # Round 1 of bracket 2 continues the 3 best of its 9 first models (score: higher units).
    first = sorted((v["units"] for v in by_round[2, 0]), reverse=True)[:3]
    assert sorted((v["units"] for v in by_round[2, 1]), reverse=True) == first
    assert all(v["tuner/initial_epoch"] == 1 for v in by_round[2, 1])
    assert all(v["tuner/initial_epoch"] == 3 for v in by_round[2, 2])


def test_hyperband_iterations_repeat_the_brackets():
    once = _run_to_end(kt.oracles.HyperbandOracle("score", max_epochs=4, factor=2, seed=1))
    twice = _run_to_end(
        kt.oracles.HyperbandOracle("score", max_epochs=4, factor=2, hyperband_iterations=2, seed=1)
    )
    assert len(twice) == 2 * len(once)
    with pytest.raises(ValueError, match="factor=1"):
        kt.oracles.HyperbandOracle("score", factor=1)
