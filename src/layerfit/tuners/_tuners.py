"""The four tuners: an oracle with its arguments, and the Tuner that runs it."""

from __future__ import annotations

from layerfit.tuners._bayesian import BayesianOptimizationOracle
from layerfit.tuners._grid import GridSearchOracle, RandomSearchOracle
from layerfit.tuners._hyperband import HyperbandOracle
from layerfit.tuners._tuner import Tuner

_ORACLE_ARGS = (
    "seed",
    "hyperparameters",
    "tune_new_entries",
    "allow_new_entries",
    "max_retries_per_trial",
    "max_consecutive_failed_trials",
)


def _split(kwargs: dict) -> dict:
    return {name: kwargs.pop(name) for name in _ORACLE_ARGS if name in kwargs}


class RandomSearch(Tuner):
    """Tries ``max_trials`` points of the search space drawn at random.

    Args:
        hypermodel: a function ``build_model(hp)`` returning a compiled model, or a
            ``kt.HyperModel``. Defaults to None (with ``run_trial`` overridden).
        objective: a logged metric name ('val_accuracy' is maximised, 'val_loss'
            minimised) or ``kt.Objective(name, direction)``. Defaults to None (the number
            returned by ``run_trial``/``HyperModel.fit``).
        max_trials: the number of trials. Defaults to 10.
        seed, hyperparameters, tune_new_entries, allow_new_entries, max_retries_per_trial,
            max_consecutive_failed_trials: as ``kt.Oracle``.
        **kwargs: directory, project_name, overwrite, executions_per_trial, ... as
            ``kt.Tuner``.

    Example:
    >>> tuner = kt.RandomSearch(build_model, objective="val_accuracy", max_trials=5,
    ...                         directory="my_dir", project_name="helloworld")
    >>> tuner.search(x_train, y_train, epochs=2, validation_data=(x_val, y_val))
    >>> best_hp = tuner.get_best_hyperparameters()[0]
    """

    def __init__(self, hypermodel=None, objective=None, max_trials=10, **kwargs):
        oracle = RandomSearchOracle(objective=objective, max_trials=max_trials, **_split(kwargs))
        super().__init__(oracle, hypermodel, **kwargs)


class GridSearch(Tuner):
    """Tries every combination of the hyperparameters' values, in KerasTuner's order.

    Args: as ``RandomSearch``; ``max_trials`` defaults to None (the whole grid).
    """

    def __init__(self, hypermodel=None, objective=None, max_trials=None, **kwargs):
        oracle = GridSearchOracle(objective=objective, max_trials=max_trials, **_split(kwargs))
        super().__init__(oracle, hypermodel, **kwargs)


class Hyperband(Tuner):
    """Hyperband: many models for a few epochs, the best continued for more, in brackets.

    Each trial trains from ``tuner/initial_epoch`` to ``tuner/epochs``; a continued trial
    starts from the best checkpoint of the trial it continues (weights only, as KerasTuner).

    Args:
        hypermodel: as ``RandomSearch``.
        objective: as ``RandomSearch``.
        max_epochs: the most epochs one model trains; set it a little above the epochs
            you expect to need. Defaults to 100.
        factor: the reduction factor between rounds. Defaults to 3.
        hyperband_iterations: how many times to run the whole schedule. Defaults to 1.
        **kwargs: as ``RandomSearch``.

    Example:
    >>> tuner = kt.Hyperband(build_model, objective="val_accuracy", max_epochs=10, factor=3)
    >>> tuner.search(x, y, validation_split=0.2, callbacks=[keras.callbacks.EarlyStopping()])
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        **kwargs,
    ):
        oracle = HyperbandOracle(
            objective=objective,
            max_epochs=max_epochs,
            factor=factor,
            hyperband_iterations=hyperband_iterations,
            **_split(kwargs),
        )
        super().__init__(oracle, hypermodel, **kwargs)

    def run_trial(self, trial, *fit_args, **fit_kwargs):
        values = trial.hyperparameters.values
        if "tuner/epochs" in values:
            fit_kwargs["epochs"] = values["tuner/epochs"]
            fit_kwargs["initial_epoch"] = values["tuner/initial_epoch"]
        return super().run_trial(trial, *fit_args, **fit_kwargs)

    def _build_hypermodel(self, hp):
        model = super()._build_hypermodel(hp)
        if "tuner/trial_id" in hp.values:
            self._load_checkpoint(model, hp.values["tuner/trial_id"])
        return model


class BayesianOptimization(Tuner):
    """Bayesian optimisation with a Gaussian process, as KerasTuner's (scikit-learn's GP).

    Args:
        hypermodel: as ``RandomSearch``.
        objective: as ``RandomSearch``.
        max_trials: the number of trials. Defaults to 10.
        num_initial_points: random trials first. Defaults to None (3 per hyperparameter).
        alpha: the noise added to the kernel's diagonal. Defaults to 1e-4.
        beta: the exploration weight. Defaults to 2.6.
        **kwargs: as ``RandomSearch``.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-4,
        beta=2.6,
        **kwargs,
    ):
        oracle = BayesianOptimizationOracle(
            objective=objective,
            max_trials=max_trials,
            num_initial_points=num_initial_points,
            alpha=alpha,
            beta=beta,
            **_split(kwargs),
        )
        super().__init__(oracle, hypermodel, **kwargs)
