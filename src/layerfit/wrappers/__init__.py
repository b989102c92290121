"""Keras's ``keras.wrappers``: layerfit models as scikit-learn estimators.

The classes load on first use, and scikit-learn with them, so ``import layerfit`` (and
``import layerfit.wrappers``) never imports scikit-learn.

Example:
>>> from layerfit.wrappers import SKLearnClassifier
>>> from sklearn.model_selection import cross_val_score
>>> scores = cross_val_score(SKLearnClassifier(build_model, fit_kwargs={"epochs": 5}), x, y)
"""

import importlib

_NAMES = ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer")


def __getattr__(name):
    if name in _NAMES:
        return getattr(importlib.import_module("layerfit.wrappers._sklearn"), name)
    raise AttributeError(f"module 'layerfit.wrappers' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_NAMES])


__all__ = list(_NAMES)
