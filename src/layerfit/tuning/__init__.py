"""Hyperparameter search without the drudgery: grids, random draws, halving, Optuna, LR finder.

Write a function that builds and compiles a model from keyword arguments, give the values to
try, and ``fit``: every trial is trained, scored on validation data (or k folds) and ranked.

Example:
>>> search = layerfit.tuning.GridSearch(build_model, {"units": [16, 64],
...                                                   "learning_rate": [1e-3, 1e-2]})
>>> search.fit(x, y, epochs=20, validation_split=0.2)
>>> search.results_          # every trial, best first
>>> search.best_params_, search.best_score_, search.best_model_
"""

from layerfit.tuning._halving import HalvingSearch
from layerfit.tuning._lr_finder import LearningRateFinder, find_learning_rate
from layerfit.tuning._optuna import OptunaSearch
from layerfit.tuning._search import BaseSearch, GridSearch, RandomSearch
from layerfit.tuning._space import Choice, Float, Int

__all__ = [
    "BaseSearch",
    "Choice",
    "Float",
    "GridSearch",
    "HalvingSearch",
    "Int",
    "LearningRateFinder",
    "OptunaSearch",
    "RandomSearch",
    "find_learning_rate",
]
