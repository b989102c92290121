"""HyperParameters: the space a ``build_model(hp)`` declares, and the values of one trial.

Calling ``hp.Int("units", 32, 512, step=32)`` registers the hyperparameter the first time and
returns its value in this trial (its default when nothing chose one yet). Hyperparameters
declared inside ``hp.conditional_scope(parent, values)`` exist only while the parent holds one
of those values; an inactive one returns None and has no entry in ``values``.
"""

from __future__ import annotations

import contextlib
import copy
from collections import defaultdict

from layerfit.errors import LayerfitValueError, explain
from layerfit.tuners import _space
from layerfit.tuners._space import Condition


class HyperParameters:
    """A search space and the values of one point in it.

    Example:
    >>> hp = HyperParameters()
    >>> hp.Int("units", min_value=32, max_value=512, step=32)
    32
    >>> hp.values
    {'units': 32}
    """

    def __init__(self):
        self._name_scopes: list[str] = []
        self._conditions: list[Condition] = []
        self._hps: dict[str, list] = defaultdict(list)
        self._space: list = []
        self.values: dict = {}
        self.active_scopes: list = []
        self.inactive_scopes: list = []

    # -- scopes ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def name_scope(self, name: str):
        """Prefixes the names declared inside with ``name/``."""
        self._name_scopes.append(name)
        try:
            yield
        finally:
            self._name_scopes.pop()

    @contextlib.contextmanager
    def conditional_scope(self, parent_name: str, parent_values):
        """Hyperparameters declared inside exist only while ``parent_name`` is in ``parent_values``.

        Example:
        >>> model_type = hp.Choice("model_type", ["mlp", "cnn"])
        >>> with hp.conditional_scope("model_type", "mlp"):
        ...     units = hp.Int("units", 32, 128)   # None while model_type is 'cnn'
        """
        parent_name = self._full_name(parent_name)
        if parent_name not in self._hps:
            raise LayerfitValueError(
                explain(
                    f"conditional_scope({parent_name!r}, ...): no hyperparameter named "
                    f"{parent_name!r} is declared yet.",
                    "the parent declared before the scope that depends on it.",
                    f"call hp.Choice({parent_name!r}, [...]) (or Boolean, Int) first.",
                )
            )
        condition = Condition(parent_name, parent_values)
        self._conditions.append(condition)
        scopes = self.active_scopes if condition.is_active(self.values) else self.inactive_scopes
        scopes.append(copy.deepcopy(self._conditions))
        try:
            yield
        finally:
            self._conditions.pop()

    @contextlib.contextmanager
    def _maybe_scope(self, parent_name, parent_values):
        if parent_name:
            with self.conditional_scope(parent_name, parent_values):
                yield
        else:
            yield

    def _full_name(self, name) -> str:
        return "/".join([*self._name_scopes, str(name)])

    # -- activity -------------------------------------------------------------------------------

    def is_active(self, hyperparameter) -> bool:
        """Whether a hyperparameter (or any declared under that name) has its conditions met."""
        if isinstance(hyperparameter, _space.HyperParameter):
            return self._met(hyperparameter.conditions)
        return any(self._met(hp.conditions) for hp in self._hps[str(hyperparameter)])

    def _met(self, conditions) -> bool:
        return all(condition.is_active(self.values) for condition in conditions)

    def _exists(self, name: str, conditions) -> bool:
        return any(hp.conditions == conditions for hp in self._hps.get(name, []))

    # -- declaring ------------------------------------------------------------------------------

    def _retrieve(self, hp):
        if self._exists(hp.name, hp.conditions):
            return self.values[hp.name] if self.is_active(hp) else None
        return self._register(hp)

    def _register(self, hp, overwrite: bool = False):
        for condition in self._conditions:
            if condition.name == hp.name:
                raise LayerfitValueError(
                    explain(
                        f"The conditional hyperparameter {hp.name!r} has the name of its parent.",
                        "a name of its own.",
                        f"rename it, e.g. {hp.name + '_inner'!r}.",
                    )
                )
        hp = type(hp).from_config(hp.get_config())  # a private copy
        self._hps[hp.name].append(hp)
        self._space.append(hp)
        if not self.is_active(hp):
            return None
        if overwrite or hp.name not in self.values:
            self.values[hp.name] = hp.default
        return self.values[hp.name]

    def _declare(self, kind, parent_name, parent_values, name, **arguments):
        with self._maybe_scope(parent_name, parent_values):
            hp = kind(self._full_name(name), conditions=list(self._conditions), **arguments)
            return self._retrieve(hp)

    def Int(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """An integer from ``min_value`` to ``max_value`` (both included) by ``step``.

        Args:
            name: the hyperparameter's name, unique in the search.
            min_value: the lowest value.
            max_value: the highest value (included).
            step: the distance between values (linear) or their ratio (log). Defaults to
                None (1 for linear sampling).
            sampling: 'linear', 'log' or 'reverse_log'. Defaults to 'linear'.
            default: the value before any search chooses one. Defaults to None (min_value).
            parent_name: declare it in a conditional scope of this parent. Defaults to None.
            parent_values: the parent's values that make it active. Defaults to None.
        """
        return self._declare(
            _space.Int,
            parent_name,
            parent_values,
            name,
            min_value=min_value,
            max_value=max_value,
            step=step,
            sampling=sampling,
            default=default,
        )

    def Float(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """A real number from ``min_value`` to ``max_value``; continuous unless ``step`` is given.

        Args: as ``Int``; ``sampling='log'`` suits learning rates.
        """
        return self._declare(
            _space.Float,
            parent_name,
            parent_values,
            name,
            min_value=min_value,
            max_value=max_value,
            step=step,
            sampling=sampling,
            default=default,
        )

    def Choice(
        self, name, values, ordered=None, default=None, parent_name=None, parent_values=None
    ):
        """One of ``values`` (all int, all float, all str or all bool).

        Args:
            name: the hyperparameter's name.
            values: the list of values.
            ordered: whether the values are ordered. Defaults to None (True for numbers).
            default: the value before any search chooses one. Defaults to None (the first).
            parent_name: declare it in a conditional scope of this parent. Defaults to None.
            parent_values: the parent's values that make it active. Defaults to None.
        """
        return self._declare(
            _space.Choice,
            parent_name,
            parent_values,
            name,
            values=values,
            ordered=ordered,
            default=default,
        )

    def Boolean(self, name, default=False, parent_name=None, parent_values=None):
        """True or False. ``default`` defaults to False."""
        return self._declare(_space.Boolean, parent_name, parent_values, name, default=default)

    def Fixed(self, name, value, parent_name=None, parent_values=None):
        """A value recorded with every trial and never tuned."""
        return self._declare(_space.Fixed, parent_name, parent_values, name, value=value)

    # -- reading --------------------------------------------------------------------------------

    def get(self, name: str):
        """The value of ``name`` in this trial."""
        name = self._full_name(name)
        if name in self.values:
            return self.values[name]
        if name in self._hps:
            raise LayerfitValueError(
                explain(
                    f"The hyperparameter {name!r} is inactive: its conditional scope's parent "
                    "holds another value.",
                    "get() of an active hyperparameter.",
                    f"check hp.is_active({name!r}) first.",
                )
            )
        raise KeyError(
            explain(
                f"No hyperparameter named {name!r}; declared: {sorted(self._hps)}.",
                "a name declared with hp.Int/Float/Choice/Boolean/Fixed.",
            )
        )

    def __getitem__(self, name: str):
        return self.get(name)

    def __contains__(self, name: str) -> bool:
        try:
            self.get(name)
        except (KeyError, ValueError):
            return False
        return True

    @property
    def space(self) -> list:
        """Every hyperparameter declared, in the order of declaration."""
        return self._space

    # -- copying and saving ---------------------------------------------------------------------

    def get_config(self) -> dict:
        return {
            "space": [
                {"class_name": type(hp).__name__, "config": hp.get_config()} for hp in self._space
            ],
            "values": dict(self.values),
        }

    @classmethod
    def from_config(cls, config: dict) -> HyperParameters:
        hps = cls()
        for entry in config["space"]:
            hp = _space.TYPES[entry["class_name"]].from_config(entry["config"])
            hps._hps[hp.name].append(hp)
            hps._space.append(hp)
        hps.values = dict(config["values"])
        return hps

    def copy(self) -> HyperParameters:
        return HyperParameters.from_config(self.get_config())

    def merge(self, hps, overwrite: bool = True) -> None:
        """Adds the hyperparameters of ``hps`` (HyperParameters or a list) to this space."""
        space = hps.space if isinstance(hps, HyperParameters) else hps
        if not overwrite:
            space = [hp for hp in space if not self._exists(hp.name, hp.conditions)]
        for hp in space:
            self._register(hp, overwrite)

    def ensure_active_values(self) -> None:
        """Gives every active hyperparameter a value (a random one) and drops inactive ones."""
        for hp in self._space:
            if self.is_active(hp):
                if hp.name not in self.values:
                    self.values[hp.name] = hp.random_sample()
            else:
                self.values.pop(hp.name, None)

    def __repr__(self):
        return f"HyperParameters(values={self.values})"
