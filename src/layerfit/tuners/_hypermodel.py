"""HyperModel: a model-building function with a ``fit`` step that can be tuned too."""

from __future__ import annotations

from layerfit.errors import LayerfitTypeError, explain


class HyperModel:
    """Defines a search space by building a model from ``hp``; subclass and override ``build``.

    Override ``fit`` to tune training as well (batch size, shuffling, preprocessing) or to
    train with a loop of your own; it returns the History of ``model.fit``, a dict of metric
    values, or one number to minimise.

    Args:
        name: a name for the hypermodel. Defaults to None.
        tunable: whether its hyperparameters are tuned. Defaults to True.

    Example:
    >>> class MyHyperModel(kt.HyperModel):
    ...     def build(self, hp):
    ...         model = keras.Sequential([keras.layers.Dense(hp.Int("units", 8, 64), "relu"),
    ...                                   keras.layers.Dense(1)])
    ...         model.compile("adam", "mse")
    ...         return model
    ...     def fit(self, hp, model, *args, **kwargs):
    ...         return model.fit(*args, batch_size=hp.Choice("batch_size", [16, 32]), **kwargs)
    """

    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable

    def build(self, hp):
        """Builds and compiles a model using the hyperparameters ``hp``."""
        raise NotImplementedError(
            explain(
                f"{type(self).__name__}.build(hp) is not defined.",
                "a build(self, hp) method returning a compiled model.",
            )
        )

    def declare_hyperparameters(self, hp) -> None:
        """Declares hyperparameters before the first build; nothing by default."""

    def fit(self, hp, model, *args, **kwargs):
        """Trains ``model``; by default ``model.fit(*args, **kwargs)``, returning its History."""
        return model.fit(*args, **kwargs)


class _FunctionHyperModel(HyperModel):
    """A plain ``build_model(hp)`` function as a HyperModel."""

    def __init__(self, build):
        super().__init__(name=getattr(build, "__name__", None))
        self.build = build


def get_hypermodel(hypermodel):
    """None, a HyperModel, or a ``build_model(hp)`` function (wrapped)."""
    if hypermodel is None or isinstance(hypermodel, HyperModel):
        return hypermodel
    if callable(hypermodel):
        return _FunctionHyperModel(hypermodel)
    raise LayerfitTypeError(
        explain(
            f"hypermodel={hypermodel!r} of type {type(hypermodel).__name__}.",
            "a function build_model(hp) returning a compiled model, or a kt.HyperModel.",
            "def build_model(hp): ...; kt.RandomSearch(build_model, objective='val_loss').",
        )
    )
