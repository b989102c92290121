"""The same configuration gives KerasTuner's values and trials: checked against KerasTuner.

KerasTuner (``pip install --no-deps keras-tuner kt-legacy``) runs on the installed Keras with
the JAX backend; without it these tests skip. Each oracle is driven by hand with the same
scores, so the comparison covers the algorithm alone: random draws, the grid's order,
Hyperband's brackets and epochs, and the Gaussian process's proposals.
"""

import math
import os

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
ref = pytest.importorskip("keras_tuner", exc_type=ImportError)  # any reason it cannot load

import layerfit.keras_tuner as kt  # noqa: E402

# KerasTuner itself calls threading.currentThread().getName(), deprecated since Python 3.10.
# Its Gaussian process lets scikit-learn warn when a length scale reaches its bound; ours
# keeps that to itself (see BayesianOptimizationOracle).
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner.*"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]


def _declare(hp):
    hp.Int("units", 32, 512, step=32)
    hp.Float("lr", 1e-4, 1e-2, sampling="log")
    hp.Choice("activation", ["relu", "tanh"])
    hp.Boolean("dropout")


def _declare_conditional(hp):
    model = hp.Choice("model", ["mlp", "cnn"])
    with hp.conditional_scope("model", "mlp"):
        hp.Int("units", 8, 24, step=8)
    with hp.conditional_scope("model", "cnn"):
        hp.Choice("filters", [4, 8])
    hp.Boolean("batchnorm")
    return model


def _score(values):
    score = values.get("units", 16) / 512 + (0.1 if values.get("activation") == "relu" else 0)
    return score - abs(values.get("lr", 3e-3) - 3e-3) * 10 + 0.01 * values.get("filters", 0)


def _drive(oracle, declare, project=None, limit=200):
    """Runs an oracle to its end with ``_score``; returns [(trial_id, values), ..., status]."""
    if project is not None:
        oracle._set_project_dir(str(project), "p")
    oracle.verbose = 0 if project is not None else oracle.verbose
    hp = oracle.get_space()
    declare(hp)
    oracle.update_space(hp)
    steps = []
    for _ in range(limit):
        trial = oracle.create_trial("tuner0")
        if trial.status != "RUNNING":
            steps.append(trial.status)
            break
        values = dict(trial.hyperparameters.values)
        oracle.update_trial(trial.trial_id, {"score": _score(values)})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
        steps.append((trial.trial_id, values))
    return steps


@pytest.fixture(autouse=True)
def quiet_reference(capsys):
    yield  # KerasTuner prints a table per trial; the fixture keeps the output readable


@pytest.mark.parametrize(
    "name, arguments, declare",
    [
        ("RandomSearchOracle", {"max_trials": 6}, _declare),
        ("RandomSearchOracle", {"max_trials": 5}, _declare_conditional),
        ("GridSearchOracle", {}, _declare_conditional),
        ("GridSearchOracle", {"max_trials": 7}, lambda hp: hp.Int("n", 1, 4) + hp.Int("m", 0, 2)),
        ("HyperbandOracle", {"max_epochs": 9, "factor": 3}, _declare),
        ("HyperbandOracle", {"max_epochs": 8, "factor": 2, "hyperband_iterations": 2}, _declare),
        # One Gaussian-process step on one dimension: 50 L-BFGS-B runs on each side are
        # the slow part, and the same code proposes in more dimensions.
        (
            "BayesianOptimizationOracle",
            {"max_trials": 3, "num_initial_points": 2},
            lambda hp: hp.Float("lr", 1e-4, 1e-2, sampling="log"),
        ),
    ],
)
def test_oracle_proposes_the_trials_keras_tuner_proposes(name, arguments, declare, tmp_path):
    objective = ("score", "max")
    theirs = getattr(ref.oracles, name)(objective=ref.Objective(*objective), seed=7, **arguments)
    ours = getattr(kt.oracles, name)(objective=kt.Objective(*objective), seed=7, **arguments)
    expected = _drive(theirs, declare, project=tmp_path)
    assert _drive(ours, declare) == expected  # ids, values (exact floats) and the end status
    assert expected[-1] == "STOPPED"


_SPACES = [
    ("Int", {"min_value": 32, "max_value": 512, "step": 32}),
    ("Int", {"min_value": 1, "max_value": 10}),
    ("Int", {"min_value": 2, "max_value": 256, "step": 2, "sampling": "log"}),
    ("Int", {"min_value": 1, "max_value": 100, "sampling": "log"}),
    ("Int", {"min_value": 1, "max_value": 64, "step": 2, "sampling": "reverse_log"}),
    ("Float", {"min_value": 1e-4, "max_value": 1e-1, "sampling": "log"}),
    ("Float", {"min_value": 0.0, "max_value": 0.5, "step": 0.1}),
    ("Float", {"min_value": 0.1, "max_value": 0.9, "sampling": "reverse_log"}),
    ("Choice", {"values": [16, 32, 64], "default": 32}),
    ("Choice", {"values": ["adam", "sgd", "rmsprop"]}),
    ("Boolean", {"default": True}),
    ("Fixed", {"value": 0.25}),
]


@pytest.mark.parametrize("kind, arguments", _SPACES)
def test_each_hyperparameter_maps_values_as_keras_tuner(kind, arguments):
    theirs = getattr(ref.HyperParameters(), kind)
    ours = getattr(kt.HyperParameters(), kind)
    assert ours("x", **arguments) == theirs("x", **arguments)  # the default value
    their_hp = getattr(ref.engine.hyperparameters, kind)("x", **arguments)
    our_hp = ours.__self__.space[0]
    assert sorted(map(str, our_hp.values)) == sorted(map(str, their_hp.values))
    for step in range(21):
        prob = step / 20
        assert our_hp.prob_to_value(prob) == their_hp.prob_to_value(prob)
    for value in their_hp.values:
        assert math.isclose(our_hp.value_to_prob(value), their_hp.value_to_prob(value))
    assert [our_hp.random_sample(s) for s in range(5)] == [
        their_hp.random_sample(s) for s in range(5)
    ]


def test_conditional_values_and_inactive_lookups_as_keras_tuner():
    results = []
    for module in (ref, kt):
        hp = module.HyperParameters()
        hp.values["model"] = "cnn"
        _declare_conditional(hp)
        with pytest.raises(ValueError):
            hp.get("units")  # inactive while model is 'cnn'
        with pytest.raises(KeyError):
            hp.get("nothing")
        results.append((dict(hp.values), "units" in hp, "filters" in hp, len(hp.space)))
    assert results[0] == results[1]
