"""What a search explores: value ranges, grids, random draws, and where each parameter goes.

A parameter goes to the build function when it names one of its arguments, to ``fit`` when it
is a fit argument (batch_size, epochs, ...), and to the compiled model when it is ``optimizer``
or ``learning_rate`` and the build function does not take it.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import math
from collections.abc import Callable

import numpy as np

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn

FIT_PARAMS = (
    "batch_size",
    "epochs",
    "shuffle",
    "class_weight",
    "validation_batch_size",
    "validation_freq",
    "steps_per_epoch",
)
COMPILE_PARAMS = ("optimizer", "learning_rate")
RESULT_COLUMNS = ("score", "epochs_run", "seconds", "status", "error", "trial_id")


class Choice:
    """One of a fixed list of values; a plain list in a search space means the same.

    Args:
        values: the candidates (numbers, strings, booleans or None).

    Example:
    >>> space = {"activation": Choice(["relu", "tanh"])}
    """

    def __init__(self, values):
        self.values = _as_value_list("Choice", values)

    def sample(self, rng: np.random.Generator):
        return self.values[int(rng.integers(len(self.values)))]

    def grid(self) -> list:
        return list(self.values)

    def __repr__(self) -> str:
        return f"Choice({self.values!r})"


class Int:
    """An integer in ``[min_value, max_value]`` (both included), as Keras Tuner's ``hp.Int``.

    Args:
        min_value: the smallest value.
        max_value: the largest value (included).
        step: distance between candidates. Defaults to 1.
        sampling: 'linear' or 'log' (draws evenly in log space). Defaults to 'linear'.

    Example:
    >>> space = {"units": Int(16, 128, step=16)}
    """

    def __init__(self, min_value: int, max_value: int, step: int = 1, sampling: str = "linear"):
        _check_range("Int", min_value, max_value, sampling)
        if int(step) < 1:
            raise LayerfitValueError(explain(f"Int(step={step!r}).", "a step of 1 or more."))
        self.min_value, self.max_value, self.step = int(min_value), int(max_value), int(step)
        self.sampling = sampling

    def sample(self, rng: np.random.Generator) -> int:
        count = (self.max_value - self.min_value) // self.step + 1
        if self.sampling == "log":
            value = math.exp(rng.uniform(math.log(self.min_value), math.log(self.max_value)))
            index = min(round((value - self.min_value) / self.step), count - 1)
        else:
            index = int(rng.integers(count))
        return self.min_value + index * self.step

    def grid(self) -> list[int]:
        return list(range(self.min_value, self.max_value + 1, self.step))

    def __repr__(self) -> str:
        return f"Int({self.min_value}, {self.max_value}, step={self.step})"


class Float:
    """A float in ``[min_value, max_value]``, as Keras Tuner's ``hp.Float``.

    Args:
        min_value: the lower end.
        max_value: the upper end.
        sampling: 'linear', or 'log' for rates and decays spanning decades. Defaults to
            'linear'.

    Example:
    >>> space = {"learning_rate": Float(1e-4, 1e-1, sampling="log")}
    """

    def __init__(self, min_value: float, max_value: float, sampling: str = "linear"):
        _check_range("Float", min_value, max_value, sampling)
        self.min_value, self.max_value = float(min_value), float(max_value)
        self.sampling = sampling

    def sample(self, rng: np.random.Generator) -> float:
        if self.sampling == "log":
            return math.exp(rng.uniform(math.log(self.min_value), math.log(self.max_value)))
        return float(rng.uniform(self.min_value, self.max_value))

    def grid(self) -> list:
        raise LayerfitValueError(
            explain(
                f"GridSearch got {self!r}, a continuous range.",
                "a list of values for every parameter of a grid.",
                "list the values, e.g. [1e-3, 1e-2, 1e-1], or use RandomSearch.",
            )
        )

    def __repr__(self) -> str:
        return f"Float({self.min_value}, {self.max_value}, sampling={self.sampling!r})"


def _check_range(kind: str, low, high, sampling: str) -> None:
    if sampling not in ("linear", "log"):
        raise LayerfitValueError(explain(f"{kind}(sampling={sampling!r}).", "'linear' or 'log'."))
    if not low < high:
        raise LayerfitValueError(
            explain(
                f"{kind}({low!r}, {high!r}): the range is empty.",
                "min_value < max_value.",
                f"{kind}({high!r}, {low!r})?",
            )
        )
    if sampling == "log" and low <= 0:
        raise LayerfitValueError(
            explain(
                f"{kind}({low!r}, {high!r}, sampling='log') starts at {low!r}.",
                "a positive min_value for log sampling.",
                "use e.g. 1e-5 as min_value.",
            )
        )


def _as_value_list(name: str, values) -> list:
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise LayerfitTypeError(
            explain(
                f"{name} got {values!r}, which is not a list of values.",
                "a non-empty list (or tuple, range, array) of candidate values.",
                f"wrap a single value in a list: [{values!r}].",
            )
        )
    values = [to_plain(v) for v in values]
    if not values:
        raise LayerfitValueError(explain(f"{name} got an empty list.", "at least one value."))
    return values


def to_plain(value):
    """numpy scalars become Python numbers, so parameters hash and print the same everywhere."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return tuple(to_plain(v) for v in value)
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


def _space_entry(name: str, spec):
    if isinstance(spec, (Choice, Int, Float)) or hasattr(spec, "rvs"):
        return spec
    return Choice(_as_value_list(f"the search space's {name!r}", spec))


def check_space(space, argument: str) -> dict:
    if not isinstance(space, dict) or not space:
        raise LayerfitTypeError(
            explain(
                f"{argument} is {space!r}.",
                "a non-empty dict from parameter name to a list of values.",
                f"{argument}={{'units': [16, 32], 'learning_rate': [1e-3, 1e-2]}}",
            )
        )
    for name in space:
        if name in RESULT_COLUMNS:
            raise LayerfitValueError(
                explain(
                    f"{argument} has a parameter named {name!r}, a column of the results.",
                    f"names other than {list(RESULT_COLUMNS)}.",
                    "rename that argument of the build function.",
                )
            )
    return {name: _space_entry(name, spec) for name, spec in space.items()}


def grid_configs(space: dict) -> list[dict]:
    """Every combination, the first parameter varying slowest (as nested for-loops)."""
    names = list(space)
    grids = []
    for name in names:
        spec = space[name]
        if hasattr(spec, "rvs") and not hasattr(spec, "grid"):
            raise LayerfitValueError(
                explain(
                    f"GridSearch got a distribution for {name!r}.",
                    "a list of values for every parameter of a grid.",
                    "list the values, or use RandomSearch for distributions.",
                )
            )
        grids.append(spec.grid())
    return [dict(zip(names, values)) for values in itertools.product(*grids)]


def random_configs(space: dict, n_trials: int, seed: int) -> list[dict]:
    """``n_trials`` draws; without repeats when every parameter is a list (as scikit-learn)."""
    rng = np.random.default_rng(seed)
    if all(isinstance(spec, (Choice, Int)) for spec in space.values()):
        grid = grid_configs(space)
        if n_trials > len(grid):
            warn(
                f"RandomSearch(n_trials={n_trials}) over a space of only {len(grid)} "
                f"combinations; it runs each of the {len(grid)} once.",
                "n_trials at most the number of combinations.",
                "lower n_trials, or use GridSearch to try every combination.",
            )
            n_trials = len(grid)
        order = rng.permutation(len(grid))[:n_trials]
        return [grid[i] for i in order]
    configs = []
    for _ in range(n_trials):
        configs.append({name: to_plain(_draw(spec, rng)) for name, spec in space.items()})
    return configs


def _draw(spec, rng: np.random.Generator):
    if hasattr(spec, "sample"):
        return spec.sample(rng)
    return spec.rvs(random_state=rng)  # scipy.stats distributions


def trial_id(params: dict) -> str:
    """A stable hash of the parameters: the same on every machine and Python version."""
    text = json.dumps(params, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Routes:
    """Splits a configuration into build, compile and fit arguments."""

    def __init__(self, build_fn: Callable, names: list[str]):
        self.build_fn = build_fn
        accepted, takes_any = _accepted_arguments(build_fn)
        self.build, self.compile, self.fit = [], [], []
        for name in names:
            if name in accepted:
                self.build.append(name)
            elif name in FIT_PARAMS:
                self.fit.append(name)
            elif takes_any:
                self.build.append(name)
            elif name in COMPILE_PARAMS:
                self.compile.append(name)
            else:
                raise LayerfitValueError(
                    explain(
                        f"The search space has {name!r}, which {_name(build_fn)}() does not take "
                        "and which is not a fit() argument.",
                        f"arguments of {_name(build_fn)} {sorted(accepted)}, fit arguments "
                        f"{list(FIT_PARAMS)}, 'optimizer' or 'learning_rate'.",
                        f"add {name}=... to the signature of {_name(build_fn)}, or fix the "
                        "spelling.",
                    )
                )

    def split(self, params: dict) -> tuple[dict, dict, dict]:
        pick = lambda names: {n: params[n] for n in names if n in params}  # noqa: E731
        return pick(self.build), pick(self.compile), pick(self.fit)


def _accepted_arguments(build_fn: Callable) -> tuple[set, bool]:
    try:
        signature = inspect.signature(build_fn)
    except (TypeError, ValueError):
        return set(), True
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    accepted = {p.name for p in signature.parameters.values() if p.kind in kinds}
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())
    return accepted, takes_any


def _name(function) -> str:
    return getattr(function, "__name__", type(function).__name__)


def is_json_value(value) -> bool:
    """True for what a trial file can hold and give back: numbers, strings, lists of them."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(is_json_value(v) for v in value)
    return False
