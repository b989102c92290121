"""SKLearnClassifier, SKLearnRegressor, SKLearnTransformer: Keras 3's scikit-learn wrappers.

This module is loaded only when a wrapper class is first used (see ``wrappers/__init__.py``),
so importing scikit-learn here, at the top, never slows ``import layerfit``.
"""

from __future__ import annotations

import copy

import numpy as np

from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import check_is_fitted
except ImportError as error:  # pragma: no cover - exercised only without scikit-learn
    raise ImportError(
        explain(
            "layerfit.wrappers needs scikit-learn, which is not installed.",
            "scikit-learn 1.2 or newer.",
            "pip install scikit-learn",
        )
    ) from error


def _validate_data(estimator, *args, **kwargs):
    try:  # scikit-learn >= 1.6
        from sklearn.utils.validation import validate_data
    except ImportError:  # pragma: no cover
        return estimator._validate_data(*args, **kwargs)
    return validate_data(estimator, *args, **kwargs)


class SKLBase(BaseEstimator):
    """What the three wrappers share: building, fitting and predicting with the model.

    Args:
        model: a compiled model, or a callable ``model(X, y, **model_kwargs)`` returning one
            (``y`` as the model will see it: one-hot for classifiers). A model instance is
            copied before each fit unless ``warm_start=True``.
        warm_start: reuse the weights of the previous fit instead of starting again.
            Defaults to False.
        model_kwargs: keyword arguments for ``model`` when it is callable. Defaults to None.
        fit_kwargs: keyword arguments for ``model.fit`` (epochs, batch_size, verbose, ...);
            those given to ``fit`` directly win. Defaults to None.

    Attributes:
        model_: the fitted model.
        history_: the History that ``model.fit`` returned.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    @property
    def epoch_(self) -> int:
        """The number of epochs the last fit ran (0 before any fit)."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    def _get_model(self, X, y):
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        from layerfit.models import Model

        if isinstance(self.model, Model):
            return self.model if self.warm_start else copy.deepcopy(self.model)
        if not callable(self.model):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__}(model={self.model!r}).",
                    "a compiled model, or a function model(X, y, **model_kwargs) that returns one.",
                    f"{type(self).__name__}(model=build_model, model_kwargs={{...}})",
                )
            )
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Fits the model on ``X`` and ``y``; ``kwargs`` go to ``model.fit``.

        Args:
            X: array-like of shape (n_samples, n_features).
            y: array-like of shape (n_samples,) or (n_samples, n_outputs).
            **kwargs: ``model.fit`` arguments; they override ``fit_kwargs``.
        """
        X, y = _validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        _check_model(model, type(self).__name__)
        self.history_ = model.fit(X, y, **{**(self.fit_kwargs or {}), **kwargs})
        self.model_ = model
        return self

    def predict(self, X):
        """The model's predictions for ``X``, in the form of the targets given to fit."""
        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X, verbose=0))

    def _process_target(self, y, reset=False):
        """Regressors: 1-D targets become one column (and come back 1-D from predict)."""
        _check_target_type(y)
        if reset:
            self._target_ndim = y.ndim
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def _reverse_process_target(self, y):
        if self._target_ndim == 1 and y.ndim == 2 and y.shape[1] == 1:
            return y[:, 0]
        return y


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a layerfit model (Keras 3's ``SKLearnClassifier``).

    Targets are one-hot encoded for the model (one column per class, in the order of
    ``classes_``), so the model should end in ``Dense(n_classes, activation="softmax")``
    with ``categorical_crossentropy``; ``predict`` returns the class labels.

    Args:
        model: a compiled model, or a callable ``model(X, y, **model_kwargs)`` returning one.
        warm_start: reuse the previous fit's weights. Defaults to False.
        model_kwargs: keyword arguments for ``model`` when callable. Defaults to None.
        fit_kwargs: keyword arguments for ``model.fit``. Defaults to None.

    Attributes:
        model_: the fitted model.
        history_: the History of the fit.
        classes_: the class labels, sorted.

    Example:
    >>> def build_model(X, y, units=32):
    ...     model = keras.Sequential([keras.Input((X.shape[1],)),
    ...                               keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(y.shape[1], activation="softmax")])
    ...     model.compile(optimizer="adam", loss="categorical_crossentropy")
    ...     return model
    >>> clf = SKLearnClassifier(build_model, model_kwargs={"units": 16},
    ...                         fit_kwargs={"epochs": 20, "verbose": 0})
    >>> clf.fit(X, y).score(X, y)
    """

    def predict_proba(self, X):
        """The model's outputs for ``X``: one probability column per class of ``classes_``."""
        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def _process_target(self, y, reset=False):
        kind = _check_target_type(y)
        if kind not in ("binary", "multiclass"):
            raise LayerfitValueError(
                explain(
                    f"SKLearnClassifier got targets of type {kind!r}.",
                    "binary or multiclass labels, one per sample.",
                    "use SKLearnRegressor for continuous targets.",
                )
            )
        labels = y.reshape(-1)
        if reset:
            self._target_ndim = y.ndim
            self.classes_ = np.unique(labels)
            if len(self.classes_) == 1:
                raise LayerfitValueError(
                    explain(
                        "SKLearnClassifier can't train on one class: every label in y is "
                        f"{self.classes_[0].item()!r}.",
                        "at least two classes in y.",
                        "check the labels (and the split) passed to fit.",
                    )
                )
        index = np.searchsorted(self.classes_, labels)
        one_hot = np.zeros((len(labels), len(self.classes_)), dtype=np.float32)
        one_hot[np.arange(len(labels)), index] = 1.0
        return one_hot

    def _reverse_process_target(self, y):
        if y.ndim != 2 or y.shape[1] != len(self.classes_):
            raise LayerfitValueError(
                explain(
                    f"The model outputs shape {tuple(y.shape)} for {len(self.classes_)} classes.",
                    f"one column per class: (n_samples, {len(self.classes_)}).",
                    f"end the model with Dense({len(self.classes_)}, activation='softmax') "
                    "and compile it with loss='categorical_crossentropy'.",
                )
            )
        labels = self.classes_[np.argmax(y, axis=1)]
        return labels.reshape(-1, 1) if self._target_ndim == 2 else labels

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a layerfit model (Keras 3's ``SKLearnRegressor``).

    Args:
        model: a compiled model, or a callable ``model(X, y, **model_kwargs)`` returning one
            (``y`` has shape (n_samples, n_outputs)).
        warm_start: reuse the previous fit's weights. Defaults to False.
        model_kwargs: keyword arguments for ``model`` when callable. Defaults to None.
        fit_kwargs: keyword arguments for ``model.fit``. Defaults to None.

    Attributes:
        model_: the fitted model.
        history_: the History of the fit.

    Example:
    >>> reg = SKLearnRegressor(build_model, fit_kwargs={"epochs": 50, "verbose": 0})
    >>> cross_val_score(make_pipeline(MinMaxScaler(), reg), X, y, cv=5)
    """

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer whose ``transform`` is the model's prediction (an embedding).

    Args:
        model: a compiled model, or a callable ``model(X, y, **model_kwargs)`` returning one.
        warm_start: reuse the previous fit's weights. Defaults to False.
        model_kwargs: keyword arguments for ``model`` when callable. Defaults to None.
        fit_kwargs: keyword arguments for ``model.fit``. Defaults to None.

    Example:
    >>> embed = SKLearnTransformer(build_autoencoder, fit_kwargs={"epochs": 10})
    >>> features = embed.fit(X, X).transform(X)
    """

    def transform(self, X):
        """The model's outputs for ``X``."""
        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags


def _check_target_type(y) -> str:
    kind = type_of_target(y)
    if kind == "unknown":
        raise LayerfitValueError(
            explain(
                f"Unknown label type for y: {y!r}.",
                "numeric targets, or class labels (numbers or strings).",
            )
        )
    return kind


def _check_model(model, owner: str) -> None:
    compiled = getattr(model, "compiled", None)
    if compiled is None or not compiled.has_loss or getattr(model, "optimizer", None) is None:
        raise LayerfitRuntimeError(
            explain(
                f"{owner} got a model that is not compiled with a loss and an optimizer.",
                "a compiled model (Keras 3 requires it too).",
                "call model.compile(optimizer='adam', loss=...) before returning it.",
            )
        )


__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
