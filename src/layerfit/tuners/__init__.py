"""KerasTuner's API on layerfit: ``import layerfit.keras_tuner as kt`` and tuning code runs.

``build_model(hp)`` declares its search space with ``hp.Int``/``hp.Float``/``hp.Choice``/
``hp.Boolean``; a tuner (RandomSearch, GridSearch, Hyperband, BayesianOptimization) trains
the trials its oracle proposes, keeps each trial's best weights in the project folder
(safetensors) and resumes an interrupted search from there.

Example:
>>> import layerfit as keras
>>> import layerfit.keras_tuner as kt
>>> def build_model(hp):
...     model = keras.Sequential([keras.layers.Flatten(),
...         keras.layers.Dense(hp.Int("units", 32, 512, step=32), activation="relu"),
...         keras.layers.Dense(10, activation="softmax")])
...     model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
...     return model
>>> tuner = kt.RandomSearch(build_model, objective="val_accuracy", max_trials=5)
>>> tuner.search(x_train, y_train, epochs=3, validation_split=0.2)
>>> tuner.get_best_hyperparameters()[0].values
"""

from layerfit.tuners import errors, oracles
from layerfit.tuners._hypermodel import HyperModel
from layerfit.tuners._hyperparameters import HyperParameters
from layerfit.tuners._objective import Objective
from layerfit.tuners._oracle import Oracle
from layerfit.tuners._space import HyperParameter
from layerfit.tuners._tuner import Tuner
from layerfit.tuners._tuners import BayesianOptimization, GridSearch, Hyperband, RandomSearch


def __getattr__(name):
    if name == "applications":
        # An AttributeError, so hasattr(kt, "applications") stays False.
        raise AttributeError(
            "layerfit.keras_tuner has no 'applications' (HyperResNet, HyperXception, "
            "HyperEfficientNet).\nFix: write the architecture in a build_model(hp) function, "
            "tuning what you need, e.g. depth = hp.Int('depth', 1, 3) blocks of "
            "keras.layers.Conv2D(hp.Choice('filters', [32, 64]), 3, activation='relu')."
        )
    raise AttributeError(f"module 'layerfit.keras_tuner' has no attribute {name!r}")


__all__ = [
    "BayesianOptimization",
    "GridSearch",
    "HyperModel",
    "HyperParameter",
    "HyperParameters",
    "Hyperband",
    "Objective",
    "Oracle",
    "RandomSearch",
    "Tuner",
    "errors",
    "oracles",
]
