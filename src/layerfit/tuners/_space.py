"""KerasTuner's hyperparameter types: Int, Float, Choice, Boolean, Fixed.

Each maps a number ``prob`` in [0, 1) to one of its values and back, as KerasTuner does, so a
random draw, a grid and the Gaussian process of Bayesian optimisation all work on the same
unit cube, and a seeded draw gives KerasTuner's value for the same seed.
"""

from __future__ import annotations

import math
import random

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain

_SAMPLINGS = ("linear", "log", "reverse_log")


class Condition:
    """Active when the parent hyperparameter ``name`` holds one of ``values``."""

    def __init__(self, name: str, values):
        self.name = name
        self.values = list(values) if isinstance(values, (list, tuple)) else [values]

    def is_active(self, values: dict) -> bool:
        return self.name in values and values[self.name] in self.values

    def __eq__(self, other):
        return (
            isinstance(other, Condition) and other.name == self.name and other.values == self.values
        )

    def __hash__(self):
        return hash(self.name)

    def get_config(self) -> dict:
        return {"name": self.name, "values": list(self.values)}

    def __repr__(self):
        return f"Parent(name: {self.name!r}, values: {self.values})"


def _index_of(prob: float, count: int) -> int:
    """Which of ``count`` equal slices of [0, 1] holds ``prob``."""
    # prob / (1 / count), not prob * count: the two round differently, and KerasTuner's
    # values for a given prob come from the first.
    return min(int(math.floor(prob / (1 / count))), count - 1)


def _middle_of(index, count: int) -> float:
    return (index + 0.5) * (1 / count)


class HyperParameter:
    """Base class of one tunable value: a name, a default and the conditions it lives under."""

    def __init__(self, name: str, default=None, conditions=None):
        self.name = name
        self._default = default
        self.conditions = list(conditions or [])

    @property
    def default(self):
        return self._default

    @property
    def values(self):
        raise NotImplementedError

    def random_sample(self, seed=None):
        """A value drawn uniformly in probability space (seeded as KerasTuner seeds it)."""
        return self.prob_to_value(float(random.Random(seed).random()))

    def prob_to_value(self, prob: float):
        raise NotImplementedError

    def value_to_prob(self, value) -> float:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "default": self.default,
            "conditions": [c.get_config() for c in self.conditions],
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["conditions"] = [Condition(**c) for c in config.get("conditions", [])]
        return cls(**config)


class _Numerical(HyperParameter):
    """Int and Float: a range sampled linearly, on a log scale, or on a reversed log scale."""

    def __init__(self, name, min_value, max_value, step=None, sampling="linear", **kwargs):
        super().__init__(name, **kwargs)
        self.min_value, self.max_value, self.step = min_value, max_value, step
        self.sampling = (sampling or "linear").lower()
        kind = type(self).__name__
        if min_value > max_value:
            raise LayerfitValueError(
                explain(
                    f"hp.{kind}({name!r}): min_value {min_value} is greater than max_value "
                    f"{max_value}.",
                    "min_value <= max_value.",
                    "swap the two bounds.",
                )
            )
        if self.sampling not in _SAMPLINGS:
            raise LayerfitValueError(
                explain(
                    f"hp.{kind}({name!r}): sampling={sampling!r}.",
                    f"one of {list(_SAMPLINGS)}.",
                    "sampling='log' for rates spanning several powers of ten.",
                )
            )
        if self.sampling != "linear" and min_value <= 0:
            raise LayerfitValueError(
                explain(
                    f"hp.{kind}({name!r}): sampling={self.sampling!r} with min_value {min_value}.",
                    "a positive min_value on a log scale.",
                    "raise min_value above 0, or use sampling='linear'.",
                )
            )
        if self.sampling != "linear" and step is not None and step <= 1:
            raise LayerfitValueError(
                explain(
                    f"hp.{kind}({name!r}): step={step} with sampling={self.sampling!r}.",
                    "step > 1: on a log scale each value is the previous one times step.",
                    "step=2 doubles each time; or drop step.",
                )
            )

    @property
    def default(self):
        return self.min_value if self._default is None else self._default

    # The continuous map between [0, 1] and [min_value, top].
    def _continuous(self, prob: float, top=None) -> float:
        low, top = self.min_value, self.max_value if top is None else top
        if self.sampling == "linear":
            return low + prob * (top - low)
        if self.sampling == "log":
            return low * math.pow(top / low, prob)
        return top + low - low * math.pow(top / low, 1 - prob)

    def _continuous_prob(self, value, top=None) -> float:
        low, top = self.min_value, self.max_value if top is None else top
        if top == low:
            return 0.5
        if self.sampling == "linear":
            return (value - low) / (top - low)
        if self.sampling == "log":
            return math.log(value / low) / math.log(top / low)
        return 1.0 - math.log((top + low - value) / low) / math.log(top / low)

    # With a step: a finite ladder of values, each an equal slice of [0, 1].
    def _count(self) -> int:
        if self.sampling == "linear":
            return int((self.max_value - self.min_value) // self.step + 1)
        return int(math.log(self.max_value / self.min_value, self.step) + 1e-8) + 1

    def _rung(self, index: int):
        low, top = self.min_value, self.max_value
        if self.sampling == "linear":
            return low + index * self.step
        if self.sampling == "log":
            return low * math.pow(self.step, index)
        return top + low - low * math.pow(self.step, index)

    def _rung_prob(self, value) -> float:
        low, top = self.min_value, self.max_value
        if self.sampling == "linear":
            index = (value - low) // self.step
        elif self.sampling == "log":
            index = math.log(value / low, self.step)
        else:
            index = math.log((top - value + low) / low, self.step)
        return _middle_of(index, self._count())

    @property
    def values(self):
        if self.step is None:  # ten representative values, as KerasTuner lists them
            return tuple({self.prob_to_value(i * 0.1 + 0.05) for i in range(10)})
        return tuple(self._rung(i) for i in range(self._count()))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            min_value=self.min_value,
            max_value=self.max_value,
            step=self.step,
            sampling=self.sampling,
            default=self._default,
        )
        return config


def _integer(value, name: str, argument: str) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise LayerfitTypeError(
            explain(
                f"hp.Int({name!r}): {argument}={value!r} is not an integer.",
                "whole numbers for min_value, max_value and step.",
                "use hp.Float for fractional values.",
            )
        )
    return int(value)


class Int(_Numerical):
    """An integer range; ``step`` defaults to 1 with linear sampling."""

    def __init__(
        self, name, min_value, max_value, step=None, sampling="linear", default=None, **kwargs
    ):
        if step is not None:
            step = _integer(step, name, "step")
        elif sampling == "linear":
            step = 1
        super().__init__(
            name,
            _integer(min_value, name, "min_value"),
            _integer(max_value, name, "max_value"),
            step=step,
            sampling=sampling,
            default=default,
            **kwargs,
        )

    def prob_to_value(self, prob: float) -> int:
        if self.step is None:
            return int(self._continuous(prob, self.max_value + 1))
        return int(self._rung(_index_of(prob, self._count())))

    def value_to_prob(self, value) -> float:
        if self.step is None:
            return self._continuous_prob(value + 0.5, self.max_value + 1)
        return self._rung_prob(value)

    def __repr__(self):
        return (
            f"Int(name: '{self.name}', min_value: {self.min_value}, max_value: "
            f"{self.max_value}, step: {self.step}, sampling: {self.sampling}, "
            f"default: {self.default})"
        )


class Float(_Numerical):
    """A real range, continuous or with a ``step``."""

    def __init__(
        self, name, min_value, max_value, step=None, sampling="linear", default=None, **kwargs
    ):
        super().__init__(
            name,
            float(min_value),
            float(max_value),
            step=None if step is None else float(step),
            sampling=sampling,
            default=default,
            **kwargs,
        )

    def prob_to_value(self, prob: float) -> float:
        if self.step is None:
            return self._continuous(prob)
        return self._rung(_index_of(prob, self._count()))

    def value_to_prob(self, value) -> float:
        if self.step is None:
            return self._continuous_prob(value)
        return self._rung_prob(value)

    def get_config(self) -> dict:
        config = super().get_config()
        config["default"] = self.default
        return config

    def __repr__(self):
        return (
            f"Float(name: '{self.name}', min_value: '{self.min_value}', max_value: "
            f"'{self.max_value}', step: '{self.step}', sampling: '{self.sampling}', "
            f"default: '{self.default}')"
        )


class Choice(HyperParameter):
    """One of a list of values of one type (int, float, str or bool)."""

    def __init__(self, name, values, ordered=None, default=None, **kwargs):
        if not values:
            raise LayerfitValueError(
                explain(f"hp.Choice({name!r}) got no values.", "a non-empty list of values.")
            )
        kinds = {type(v) for v in values}
        if len(kinds) > 1:
            raise LayerfitTypeError(
                explain(
                    f"hp.Choice({name!r}) mixes types: {values} "
                    f"({sorted(k.__name__ for k in kinds)}).",
                    "values of one type: all int, all float, all str or all bool.",
                    "write them all as one type, e.g. [0.0, 0.5, 1.0].",
                )
            )
        first = values[0]
        if not isinstance(first, (int, float, str)):
            raise LayerfitTypeError(
                explain(
                    f"hp.Choice({name!r}) holds {type(first).__name__} values.",
                    "int, float, str or bool values (they are saved as JSON).",
                    "choose by name, e.g. hp.Choice('optimizer', ['adam', 'sgd']).",
                )
            )
        if default is not None and default not in values:
            raise LayerfitValueError(
                explain(
                    f"hp.Choice({name!r}): default={default!r} is not one of {list(values)}.",
                    "a default taken from the values.",
                )
            )
        numeric = isinstance(first, (int, float)) and not isinstance(first, bool)
        if ordered and not numeric:
            raise LayerfitValueError(
                explain(
                    f"hp.Choice({name!r}, ordered=True) with non-numeric values.",
                    "ordered=True only for numbers.",
                    "drop ordered=.",
                )
            )
        super().__init__(name, default=default, **kwargs)
        self._values = list(values)
        self.ordered = numeric if ordered is None else ordered

    @property
    def values(self):
        return self._values

    @property
    def default(self):
        return self._values[0] if self._default is None else self._default

    def prob_to_value(self, prob: float):
        return self._values[_index_of(prob, len(self._values))]

    def value_to_prob(self, value) -> float:
        return _middle_of(self._values.index(value), len(self._values))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(values=list(self._values), ordered=self.ordered, default=self._default)
        return config

    def __repr__(self):
        return (
            f"Choice(name: '{self.name}', values: {self._values}, ordered: {self.ordered}, "
            f"default: {self.default})"
        )


class Boolean(HyperParameter):
    """True or False."""

    def __init__(self, name, default=False, **kwargs):
        if default not in (True, False):
            raise LayerfitValueError(
                explain(f"hp.Boolean({name!r}, default={default!r}).", "True or False.")
            )
        super().__init__(name, default=bool(default), **kwargs)

    @property
    def values(self):
        return (True, False)

    def prob_to_value(self, prob: float) -> bool:
        return bool(prob >= 0.5)

    def value_to_prob(self, value) -> float:
        return 0.75 if value else 0.25

    def __repr__(self):
        return f'Boolean(name: "{self.name}", default: {self.default})'


class Fixed(HyperParameter):
    """A value that is recorded with the trial but never tuned."""

    def __init__(self, name, value, default=None, **kwargs):
        if not isinstance(value, (bool, int, float, str)):
            raise LayerfitValueError(
                explain(
                    f"hp.Fixed({name!r}, {value!r}).",
                    "an int, float, str or bool value (it is saved as JSON).",
                )
            )
        super().__init__(name, default=value, **kwargs)
        self.value = value

    @property
    def values(self):
        return (self.value,)

    def prob_to_value(self, prob: float):
        return self.value

    def value_to_prob(self, value) -> float:
        return 0.5

    def get_config(self) -> dict:
        config = super().get_config()
        config["value"] = config.pop("default")
        return config

    def __repr__(self):
        return f"Fixed(name: {self.name}, value: {self.value})"


TYPES = {cls.__name__: cls for cls in (Int, Float, Choice, Boolean, Fixed)}
