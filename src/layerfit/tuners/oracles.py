"""The search algorithms, to pair with ``kt.Tuner`` when subclassing it.

Example:
>>> tuner = MyTuner(oracle=kt.oracles.BayesianOptimizationOracle(
...     objective=kt.Objective("score", "max"), max_trials=10), hypermodel=build_model)
"""

from layerfit.tuners._bayesian import BayesianOptimizationOracle
from layerfit.tuners._grid import GridSearchOracle, RandomSearchOracle
from layerfit.tuners._hyperband import HyperbandOracle
from layerfit.tuners._oracle import Oracle

__all__ = [
    "BayesianOptimizationOracle",
    "GridSearchOracle",
    "HyperbandOracle",
    "Oracle",
    "RandomSearchOracle",
]
