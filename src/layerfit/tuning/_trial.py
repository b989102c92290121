"""One trial: build, compile, fit (once or per fold) and score one configuration.

Everything a trial needs travels in a ``Plan`` (picklable, so a worker process can hold it)
and its result is a ``record``: plain JSON values only, the same on disk and in memory.
"""

from __future__ import annotations

import copy
import math
import time
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch

from layerfit import backend
from layerfit._tree import flatten, map_structure
from layerfit.callbacks._monitor import _RISING
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain
from layerfit.tuning._space import Routes, to_plain, trial_id


class ObjectiveMissing(LayerfitValueError):
    """The objective is not in the logs: a mistake in the search, not in one trial."""


def resolve_direction(objective: str, direction: str) -> str:
    if direction not in ("auto", "min", "max"):
        raise LayerfitValueError(
            explain(
                f"direction={direction!r}.",
                "'auto', 'min' or 'max'.",
                "direction='max' for accuracies, 'min' for losses and errors.",
            )
        )
    if direction != "auto":
        return direction
    name = objective.removeprefix("val_")
    return "max" if any(part in name for part in _RISING) else "min"


@dataclass
class Plan:
    """What every trial of one search shares; the configuration is the only thing that varies."""

    build_fn: object
    routes: Routes
    objective: str
    direction: str
    seed: int
    cv: int | None = None
    fit_kwargs: dict = field(default_factory=dict)
    callbacks: list = field(default_factory=list)

    def better(self, score: float, than: float | None) -> bool:
        if than is None:
            return True
        return score < than if self.direction == "min" else score > than


def run_trial(
    plan: Plan, data: tuple, params: dict, keep_model: bool = False, extra_callbacks: tuple = ()
):
    """Trains one configuration; returns (record, model or None). Errors become records.

    ``extra_callbacks`` join the search's callbacks without being copied (a pruning hook).
    """
    start = time.perf_counter()
    record = {
        "trial_id": trial_id(params),
        "params": params,
        "score": None,
        "epochs_run": 0,
        "seconds": 0.0,
        "status": "ok",
        "error": None,
    }
    model = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if plan.cv:
                scores, epochs, histories = _cross_validate(plan, data, params)
                record["fold_scores"] = scores
                record["history"] = histories
                score, epochs_run = float(np.mean(scores)), int(round(np.mean(epochs)))
            else:
                model, history = train(plan, data, params, extra_callbacks=extra_callbacks)
                score, epochs_run = score_history(plan, history), len(history.get("loss", []))
                record["history"] = history
            record["score"], record["epochs_run"] = score, epochs_run
        except ObjectiveMissing:
            raise
        except _Diverged as error:
            record.update(status="diverged", error=str(error))
            record["history"] = error.history
        except Exception as error:  # a failing trial is recorded and the search goes on
            record.update(
                status="error",
                error=f"{type(error).__name__}: {error}",
                traceback=traceback.format_exc(limit=8),
            )
    record["warnings"] = sorted({str(w.message).splitlines()[0] for w in caught})
    record["seconds"] = round(time.perf_counter() - start, 4)
    record["history"] = clean(record.get("history"))
    return record, (model if keep_model and record["status"] == "ok" else None)


class _Diverged(Exception):
    def __init__(self, message: str, history):
        super().__init__(message)
        self.history = history


def build(plan: Plan, params: dict):
    """A fresh, seeded, compiled model for ``params``."""
    if backend.default_device().type == "cuda":
        # Give the last trial's GPU memory back. On the CPU the full garbage collection
        # (about 0.1 s) is not worth it between short trials.
        backend.clear_session()
    backend.set_random_seed(plan.seed)
    build_args, compile_args, _ = plan.routes.split(params)
    model = plan.build_fn(**build_args)
    if not callable(getattr(model, "fit", None)) or getattr(model, "compiled", None) is None:
        name = getattr(plan.build_fn, "__name__", "the build function")
        raise LayerfitValueError(
            explain(
                f"{name}() returned {type(model).__name__}, not a compiled model.",
                "a model on which compile() has been called.",
                f"end {name} with model.compile(...) and return model.",
            )
        )
    apply_compile_params(model, compile_args)
    return model


def apply_compile_params(model, compile_args: dict) -> None:
    """``optimizer`` recompiles with the same loss and metrics; ``learning_rate`` sets the rate."""
    if "optimizer" in compile_args:
        model.compile(optimizer=compile_args["optimizer"], **model.compiled.raw)
    if "learning_rate" in compile_args:
        model.optimizer.learning_rate = compile_args["learning_rate"]


def fit_arguments(plan: Plan, params: dict, extra_callbacks=()) -> dict:
    _, _, fit_params = plan.routes.split(params)
    kwargs = {"verbose": 0, **plan.fit_kwargs, **fit_params}
    kwargs["callbacks"] = [*copy.deepcopy(plan.callbacks), *extra_callbacks]
    return kwargs


def train(plan: Plan, data: tuple, params: dict, extra_callbacks=(), **overrides):
    """Builds and fits once; returns (model, history dict); raises _Diverged on a NaN loss."""
    x, y = data
    model = build(plan, params)
    kwargs = {**fit_arguments(plan, params, extra_callbacks), **overrides}
    history = model.fit(x, y, **kwargs).history
    history = {key: [float(v) for v in values] for key, values in history.items()}
    check_finite(history)
    return model, history


def check_finite(history: dict) -> None:
    for key in ("loss", "val_loss"):
        values = history.get(key, [])
        bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
        if bad:
            raise _Diverged(f"{key} became {values[bad[0]]} at epoch {bad[0] + 1}.", history)


def score_history(plan: Plan, history: dict) -> float:
    """The best value of the objective over the epochs, as Keras Tuner scores a trial."""
    values = history.get(plan.objective)
    if values is None:
        keys = sorted(history)
        fix = (
            f"use one of {keys}."
            if not plan.objective.startswith("val_") or any(k.startswith("val_") for k in keys)
            else "val_ values need validation data: pass validation_split=0.2, "
            "validation_data=(x_val, y_val) or cv=5."
        )
        raise ObjectiveMissing(
            explain(
                f"The objective {plan.objective!r} is not in the logs of fit; logged: {keys}.",
                "an objective that fit logs every epoch, such as 'val_loss'.",
                fix,
            )
        )
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        raise _Diverged(f"{plan.objective} was never finite: {values}.", history)
    return float(min(finite) if plan.direction == "min" else max(finite))


# -- k-fold ------------------------------------------------------------------------------


def fold_indices(n: int, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled k-fold splits; the first ``n % k`` folds hold one sample more (as scikit-learn)."""
    order = np.random.default_rng(seed).permutation(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    folds, start = [], 0
    for size in sizes:
        held = order[start : start + size]
        folds.append((np.sort(np.setdiff1d(order, held)), np.sort(held)))
        start += size
    return folds


def take(structure, index: np.ndarray):
    """Rows ``index`` of arrays, tensors, pandas objects, or lists/dicts of them."""

    def rows(leaf):
        if hasattr(leaf, "iloc"):
            return leaf.iloc[index]
        if isinstance(leaf, torch.Tensor):
            return leaf[torch.as_tensor(index, device=leaf.device)]
        return np.asarray(leaf)[index]

    return map_structure(rows, structure)


def num_rows(structure) -> int:
    first = flatten(structure)[0]
    return int(first.shape[0]) if hasattr(first, "shape") else len(first)


def _cross_validate(plan: Plan, data: tuple, params: dict):
    x, y = data
    weights = plan.fit_kwargs.get("sample_weight")
    scores, epochs, histories = [], [], []
    for train_index, held_index in fold_indices(num_rows(x), plan.cv, plan.seed):
        overrides = {"validation_data": (take(x, held_index), take(y, held_index))}
        if weights is not None:
            overrides["sample_weight"] = take(weights, train_index)
        _, history = train(plan, (take(x, train_index), take(y, train_index)), params, **overrides)
        scores.append(score_history(plan, history))
        epochs.append(len(history.get("loss", [])))
        histories.append(history)
    return scores, epochs, histories


def refit_all(plan: Plan, data: tuple, params: dict, epochs: int):
    """After cross-validation: the best configuration trained on all the data."""
    model = build(plan, params)
    kwargs = fit_arguments(plan, params)
    kwargs.update(epochs=max(1, epochs), callbacks=[])
    model.fit(*data, **kwargs)
    return model


def clean(value):
    """JSON-safe copy: NaN and infinities become None, numpy values become Python ones."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    value = to_plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def require_finished(records: list[dict]) -> list[dict]:
    ok = [r for r in records if r["status"] == "ok"]
    if not ok:
        first = records[0] if records else None
        raise LayerfitRuntimeError(
            explain(
                "No trial finished"
                + (
                    f"; the first one ended with: {first['error']}"
                    if first
                    else "; the search has not run yet."
                ),
                "at least one trial that trains and logs the objective.",
                "call search.fit(x, y, ...) first; if trials fail, run the build function "
                "once by hand with one configuration to see the error.",
            )
        )
    return ok
