"""What a search optimises: a logged value and a direction, named or inferred as KerasTuner does."""

from __future__ import annotations

from layerfit.errors import LayerfitTypeError, explain
from layerfit.tuning._trial import resolve_direction


class Objective:
    """The value to optimise and whether lower or higher is better.

    Args:
        name: a value logged by fit (e.g. 'val_loss') or returned by ``run_trial``.
        direction: 'min' or 'max'.

    Example:
    >>> objective = Objective("val_mean_absolute_error", direction="min")
    """

    def __init__(self, name: str, direction: str):
        self.name = name
        self.direction = resolve_direction(name, direction)

    def has_value(self, logs) -> bool:
        return bool(logs) and self.name in logs

    def get_value(self, logs):
        return logs[self.name]

    def better_than(self, a, b) -> bool:
        return a > b if self.direction == "max" else a < b

    def __eq__(self, other):
        return (
            isinstance(other, Objective)
            and self.name == other.name
            and self.direction == other.direction
        )

    def __hash__(self):
        return hash((self.name, self.direction))

    def __str__(self):
        return f'Objective(name="{self.name}", direction="{self.direction}")'

    __repr__ = __str__


class DefaultObjective(Objective):
    """The objective when none is given: the number ``run_trial`` or ``HyperModel.fit`` returns."""

    def __init__(self):
        super().__init__("default_objective", "min")


def create_objective(objective) -> Objective:
    """A name ('val_accuracy': max, 'val_loss': min), an Objective, or None (the default)."""
    if objective is None:
        return DefaultObjective()
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        return Objective(objective, "auto")
    if isinstance(objective, (list, tuple)):
        raise LayerfitTypeError(
            explain(
                f"objective={objective!r}: several objectives at once are not supported.",
                "one objective name or kt.Objective.",
                "optimise one value, e.g. objective='val_loss'; or return a single float "
                "combining them from HyperModel.fit.",
            )
        )
    raise LayerfitTypeError(
        explain(
            f"objective={objective!r} of type {type(objective).__name__}.",
            "a metric name such as 'val_accuracy', or kt.Objective(name, direction).",
        )
    )
