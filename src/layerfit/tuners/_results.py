"""What a trial's training returned (History, dict, number, or a list of them) as metrics."""

from __future__ import annotations

import math
import statistics

import numpy as np

from layerfit.errors import explain
from layerfit.tuners._objective import DefaultObjective
from layerfit.tuners.errors import FatalTypeError, FatalValueError


def _is_history(results) -> bool:
    return isinstance(getattr(results, "history", None), dict)


def _best_epoch(history: dict, objective) -> tuple[dict, int]:
    if objective.name not in history:
        raise FatalValueError(
            explain(
                f"The objective {objective.name!r} is not in the logs of fit; logged: "
                f"{sorted(history)}.",
                "an objective that fit logs every epoch.",
                f"objective= one of {sorted(history)}; a 'val_' objective needs "
                "validation_split= or validation_data= in search().",
            )
        )
    epochs = len(history[objective.name])
    per_epoch = [{k: v[i] for k, v in history.items() if i < len(v)} for i in range(epochs)]
    best = 0
    for epoch, logs in enumerate(per_epoch):
        value = logs[objective.name]
        if not math.isnan(value) and (
            math.isnan(per_epoch[best][objective.name])
            or objective.better_than(value, per_epoch[best][objective.name])
        ):
            best = epoch
    return per_epoch[best], best


def validate(results, objective, where: str) -> None:
    """Refuses, with the fix, a return value the search cannot score."""
    if isinstance(results, list):
        for element in results:
            validate(element, objective, where)
        return
    if isinstance(results, (int, float, np.floating)) and not isinstance(results, bool):
        return
    if results is None:
        raise FatalTypeError(
            explain(
                f"{where} returned None.",
                "the History of model.fit, a dict of metrics, or a number to minimise.",
                "end it with `return model.fit(...)` (did you forget the return?).",
            )
        )
    if isinstance(results, dict):
        if objective.name not in results:
            raise FatalValueError(
                explain(
                    f"{where} returned {sorted(results)}, without the objective "
                    f"{objective.name!r}.",
                    "the objective among the keys of the returned dict.",
                    f"add {objective.name!r} to the dict, or set objective= to one of its keys.",
                )
            )
        return
    if _is_history(results):
        if isinstance(objective, DefaultObjective):
            raise FatalTypeError(
                explain(
                    f"{where} returned a History but the tuner has no objective.",
                    "objective= naming the logged value to optimise.",
                    "pass objective='val_loss' (or 'val_accuracy', ...) to the tuner.",
                )
            )
        return
    raise FatalTypeError(
        explain(
            f"{where} returned {type(results).__name__}.",
            "a History, a dict of metrics, a number, or a list of them.",
        )
    )


def to_metrics(results, objective) -> dict:
    """The metrics at the best epoch (averaged over a list, e.g. several executions)."""
    if isinstance(results, list):
        dicts = [to_metrics(element, objective) for element in results]
        names = dict.fromkeys(name for d in dicts for name in d)
        return {n: float(np.mean([d[n] for d in dicts if n in d])) for n in names}
    if isinstance(results, dict):
        return {k: float(v) for k, v in results.items()}
    if _is_history(results):
        return {k: float(v) for k, v in _best_epoch(results.history, objective)[0].items()}
    return {objective.name: float(results)}


def best_step(results, objective) -> int:
    if isinstance(results, list):
        return int(statistics.mean(best_step(element, objective) for element in results))
    if _is_history(results):
        return _best_epoch(results.history, objective)[1]
    return 0
