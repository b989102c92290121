"""BayesianOptimizationOracle: a Gaussian process on the unit cube, as KerasTuner's.

Every hyperparameter maps to [0, 1] (``value_to_prob``), so the process sees one cube
whatever the types. After ``num_initial_points`` random trials, a Gaussian process
(scikit-learn's, Matern 5/2 kernel, normalised targets, noise ``alpha``) is fitted to the
scores, and the next point minimises the lower confidence bound ``mu - beta * sigma`` (of the
score turned into a loss), found by L-BFGS-B from 50 random starts. Trials still running
count at their predicted mean plus one deviation, so parallel workers spread out.

scikit-learn and SciPy are imported when the first Gaussian-process step runs.
"""

from __future__ import annotations

import warnings

import numpy as np

from layerfit.tuners._hyperparameters import HyperParameters
from layerfit.tuners._oracle import Oracle
from layerfit.tuners._space import Fixed
from layerfit.tuners._trial import TrialStatus

_RESTARTS = 50


def _require_sklearn():
    try:
        import scipy.optimize
        import sklearn.exceptions
        import sklearn.gaussian_process
    except ImportError as error:
        raise ImportError(
            "BayesianOptimization needs scikit-learn and SciPy, which are not installed.\n"
            "Fix: pip install scikit-learn  (it brings SciPy)."
        ) from error
    return sklearn.gaussian_process, scipy.optimize


class BayesianOptimizationOracle(Oracle):
    """Bayesian optimisation with a Gaussian process, as KerasTuner does it.

    Args:
        objective: as ``Oracle``.
        max_trials: the number of trials. Defaults to 10.
        num_initial_points: random trials before the Gaussian process guides the search.
            Defaults to None (3 per hyperparameter, at least 3).
        alpha: the noise level added to the kernel's diagonal. Defaults to 1e-4.
        beta: how much the search explores: the weight of the deviation in the bound.
            Defaults to 2.6.
        **kwargs: seed, hyperparameters, allow_new_entries, tune_new_entries,
            max_retries_per_trial, max_consecutive_failed_trials, as ``Oracle``.
    """

    def __init__(
        self, objective=None, max_trials=10, num_initial_points=None, alpha=1e-4, beta=2.6, **kwargs
    ):
        super().__init__(objective=objective, max_trials=max_trials, **kwargs)
        self.num_initial_points = num_initial_points
        self.alpha = alpha
        self.beta = beta
        self._random_state = np.random.RandomState(self.seed)
        self.gpr = None

    def _make_gpr(self):
        gaussian_process, _ = _require_sklearn()
        return gaussian_process.GaussianProcessRegressor(
            kernel=gaussian_process.kernels.Matern(nu=2.5),
            n_restarts_optimizer=20,
            normalize_y=True,
            alpha=self.alpha,
            random_state=self.seed,
        )

    def populate_space(self, trial_id: str) -> dict:
        completed = [t for t in self.trials.values() if t.status == TrialStatus.COMPLETED]
        initial = self.num_initial_points or max(3 * len(self.hyperparameters.space), 3)
        if len(completed) < initial or not self._tunable():
            values = self._random_values()
            if values is None:
                return {"status": TrialStatus.STOPPED, "values": None}
            return {"status": TrialStatus.RUNNING, "values": values}
        _, optimize = _require_sklearn()
        if self.gpr is None:
            self.gpr = self._make_gpr()
        x, y = self._observations()
        with warnings.catch_warnings():
            # With few trials the kernel's length scale often ends at a bound; scikit-learn
            # warns each time, which says nothing the user can act on mid-search.
            import sklearn.exceptions

            warnings.simplefilter("ignore", category=sklearn.exceptions.ConvergenceWarning)
            self.gpr.fit(np.nan_to_num(x, posinf=0, neginf=0), np.nan_to_num(y, posinf=0, neginf=0))

        def lower_bound(point):
            mean, deviation = self.gpr.predict(point.reshape(1, -1), return_std=True)
            return mean - self.beta * deviation

        bounds = np.array([[0.0, 1.0]] * len(self._tunable()))
        starts = self._random_state.uniform(
            bounds[:, 0], bounds[:, 1], size=(_RESTARTS, bounds.shape[0])
        )
        best_value, best_point = np.inf, None
        for start in starts:
            result = optimize.minimize(lower_bound, x0=start, bounds=bounds, method="L-BFGS-B")
            value = float(np.ravel(result.fun)[0])
            if value < best_value:
                best_value, best_point = value, result.x
        return {"status": TrialStatus.RUNNING, "values": self._to_values(best_point)}

    def _tunable(self) -> list:
        return [hp for hp in self.hyperparameters.space if not isinstance(hp, Fixed)]

    def _observations(self) -> tuple[np.ndarray, np.ndarray]:
        """Each trial as a point of the cube and a loss (scores to maximise are negated)."""
        running = {t.trial_id for t in self.ongoing_trials.values()}
        points, losses = [], []
        for trial in self.trials.values():
            hps = trial.hyperparameters
            point = [
                hp.value_to_prob(
                    hps.values[hp.name]
                    if hps.is_active(hp) and hp.name in hps.values
                    else hp.default
                )
                for hp in self._tunable()
            ]
            if trial.trial_id in running and hasattr(self.gpr, "X_train_"):
                mean, deviation = self.gpr.predict(np.array([point]), return_std=True)
                loss = float(np.ravel(mean)[0] + np.ravel(deviation)[0])
            elif trial.status == TrialStatus.COMPLETED:
                loss = -trial.score if self.objective.direction == "max" else trial.score
            else:
                continue
            points.append(point)
            losses.append(loss)
        return np.array(points), np.array(losses)

    def _to_values(self, point) -> dict:
        hps, index = HyperParameters(), 0
        for hp in self.hyperparameters.space:
            hps.merge([hp])
            if isinstance(hp, Fixed):
                value = hp.value
            else:
                value = hp.prob_to_value(float(point[index]))
                index += 1
            if hps.is_active(hp):
                hps.values[hp.name] = value
        return hps.values

    def get_state(self) -> dict:
        return {
            **super().get_state(),
            "num_initial_points": self.num_initial_points,
            "alpha": self.alpha,
            "beta": self.beta,
        }
