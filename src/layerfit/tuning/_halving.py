"""Successive halving: a few epochs for every configuration, then more for the best fraction.

Survivors continue training (same weights, optimizer state and random stream), so a
configuration that reaches the last rung has trained exactly as one long run would have.
"""

from __future__ import annotations

import math
import time
import warnings

import torch

from layerfit.errors import LayerfitValueError, explain, localize
from layerfit.tuning._search import BaseSearch
from layerfit.tuning._space import Routes, check_space, grid_configs, random_configs, trial_id
from layerfit.tuning._store import fresh_seed
from layerfit.tuning._trial import (
    ObjectiveMissing,
    Plan,
    _Diverged,
    build,
    check_finite,
    clean,
    fit_arguments,
    score_history,
    train,
)


class _Member:
    """One configuration in the race: its model, history and random state between rungs."""

    def __init__(self, params: dict):
        self.params = params
        self.model = None
        self.history: dict[str, list[float]] = {}
        self.rng = None
        self.stopped = False
        self.record = {
            "trial_id": trial_id(params),
            "params": params,
            "score": None,
            "epochs_run": 0,
            "seconds": 0.0,
            "status": "ok",
            "error": None,
            "rung": 0,
            "warnings": [],
        }


class HalvingSearch(BaseSearch):
    """Successive halving: every configuration gets ``min_epochs``, the best 1/``factor``
    continue for ``factor`` times more epochs, and so on up to ``max_epochs``.

    It runs in this process (survivors keep their models in memory to continue them).

    Args:
        build_fn: a function taking the parameters as keyword arguments and returning a
            compiled model.
        params: a dict from parameter name to a list of values (every combination), or to
            ``Choice``/``Int``/``Float`` with ``n_trials`` (random draws).
        n_trials: how many configurations to draw; None tries the whole grid.
            Defaults to None.
        factor: keep the best 1/factor at each rung and multiply the epochs by factor.
            Defaults to 3.
        min_epochs: epochs of the first rung. Defaults to 1.
        max_epochs: epochs of the last rung. Defaults to None (enough rungs to reach one
            configuration).
        objective: the logged value to optimise. Defaults to 'val_loss'.
        direction: 'min', 'max' or 'auto'. Defaults to 'auto'.
        seed: seeds the draws and every model. Defaults to None.
        verbose: 1 prints a line per rung. Defaults to 1.

    Example:
    >>> search = HalvingSearch(build_model, {"units": [16, 32, 64],
    ...                                      "learning_rate": [1e-3, 1e-2, 1e-1]},
    ...                        factor=3, min_epochs=2)
    >>> search.fit(x, y, validation_split=0.2)
    """

    def __init__(
        self,
        build_fn,
        params: dict,
        n_trials: int | None = None,
        factor: int = 3,
        min_epochs: int = 1,
        max_epochs: int | None = None,
        *,
        objective="val_loss",
        direction="auto",
        seed=None,
        verbose=1,
    ):
        super().__init__(
            build_fn, objective=objective, direction=direction, seed=seed, verbose=verbose
        )
        self.params = check_space(params, "params")
        if "epochs" in self.params:
            raise LayerfitValueError(
                explain(
                    "HalvingSearch got 'epochs' as a parameter; the rungs set the epochs.",
                    "min_epochs and max_epochs for the budget.",
                    "drop 'epochs'.",
                )
            )
        for name, value, low in (("factor", factor, 2), ("min_epochs", min_epochs, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise LayerfitValueError(
                    explain(f"{name}={value!r}.", f"an integer of {low} or more.")
                )
        self.n_trials, self.factor = n_trials, factor
        self.min_epochs, self.max_epochs = min_epochs, max_epochs

    def _space(self) -> dict:
        return self.params

    def _configs(self, seed: int) -> list[dict]:
        if self.n_trials is None:
            return grid_configs(self.params)
        return random_configs(self.params, self.n_trials, seed)

    def fit(self, x=None, y=None, **fit_kwargs):
        """Runs the rungs; returns the search. ``fit_kwargs`` as ``model.fit`` (not epochs)."""
        callbacks = list(fit_kwargs.pop("callbacks", None) or [])
        if "epochs" in fit_kwargs:
            raise LayerfitValueError(
                explain(
                    "HalvingSearch.fit got epochs=; the rungs set the epochs.",
                    "min_epochs= and max_epochs= on HalvingSearch.",
                    f"HalvingSearch(..., max_epochs={fit_kwargs['epochs']})",
                )
            )
        self._check_fit_arguments(x, fit_kwargs)
        self.seed_ = fresh_seed() if self.seed is None else self.seed
        configs = self._configs(self.seed_)
        self._order = {trial_id(c): i for i, c in enumerate(configs)}
        self._param_names = list(self.params)
        self._plan = Plan(
            self.build_fn,
            Routes(self.build_fn, self._param_names),
            self.objective,
            self.direction,
            self.seed_,
            None,
            fit_kwargs,
            callbacks,
        )
        self._data = (x, y)
        members = [_Member(c) for c in configs]
        self.trials_ = [m.record for m in members]
        self._kept = None
        self._race(members)
        self._report_failures(len(members))
        return self

    def _budgets(self, count: int) -> list[int]:
        rungs = math.ceil(math.log(count, self.factor) - 1e-9) + 1 if count > 1 else 1
        last = self.max_epochs or self.min_epochs * self.factor ** (rungs - 1)
        budgets = []
        epochs = self.min_epochs
        while epochs < last:
            budgets.append(epochs)
            epochs *= self.factor
        return [*budgets, last]

    def _race(self, members: list[_Member]) -> None:
        alive, done, ranked = members, 0, []
        budgets = self._budgets(len(members))
        for rung, epochs in enumerate(budgets):
            for member in alive:
                if not member.stopped:
                    self._advance(member, done, epochs, rung)
            ranked = sorted(
                (m for m in alive if m.record["status"] == "ok"),
                key=lambda m: self._sign(m.record["score"]),
            )
            keep = (
                ranked
                if rung == len(budgets) - 1
                else ranked[: math.ceil(len(alive) / self.factor)]
            )
            if self.verbose:
                best = ranked[0].record["score"] if ranked else float("nan")
                after = "" if rung == len(budgets) - 1 else f"; {len(keep)} go on"
                print(
                    localize(
                        f"Rung {rung + 1}/{len(budgets)}: {len(alive)} configurations, {epochs} "
                        f"epochs; best {self.objective}={best:.4g}{after}."
                    )
                )
            for member in alive:
                if member not in keep:
                    member.model = None  # eliminated: free its memory now
            alive, done = keep, epochs
            if not alive:
                break
        for member in ranked[1:]:
            member.model = None
        if ranked:
            best = ranked[0]
            self._kept = (best.record["trial_id"], best.model, best.record["score"])
        self.trials_ = [clean(m.record) for m in members]

    def _sign(self, score) -> float:
        if score is None:
            return math.inf
        return score if self.direction == "min" else -score

    def _advance(self, member: _Member, start: int, end: int, rung: int) -> None:
        """Trains ``member`` from epoch ``start`` to ``end``, continuing where it stopped."""
        began = time.perf_counter()
        record = member.record
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                if member.model is None:
                    member.model = build(self._plan, member.params)
                else:
                    _set_rng(member.rng)
                kwargs = fit_arguments(self._plan, member.params)
                kwargs.update(initial_epoch=start, epochs=end)
                history = member.model.fit(*self._data, **kwargs).history
                member.rng = _get_rng()
                member.stopped = bool(member.model.stop_training)
                for key, values in history.items():
                    member.history.setdefault(key, []).extend(float(v) for v in values)
                check_finite(member.history)
                record["score"] = score_history(self._plan, member.history)
            except ObjectiveMissing:
                raise
            except _Diverged as error:
                record.update(status="diverged", error=str(error))
                member.model = None
            except Exception as error:
                record.update(status="error", error=f"{type(error).__name__}: {error}")
                member.model = None
        record["warnings"] = sorted(
            {*record["warnings"], *(str(w.message).splitlines()[0] for w in caught)}
        )
        record["epochs_run"] = len(member.history.get("loss", []))
        record["seconds"] = round(record["seconds"] + time.perf_counter() - began, 4)
        record["rung"] = rung
        record["history"] = member.history

    def _retrain(self, best: dict):
        return train(self._plan, self._data, best["params"], epochs=best["epochs_run"])[0]

    @property
    def results_(self):
        """Every configuration, best first, with the rung it reached."""
        from layerfit.tuning import _results

        table = _results.table(self._ranked(), getattr(self, "_param_names", []))
        rungs = [r.get("rung", 0) for r in self._ranked()]
        if isinstance(table, list):
            for row, rung in zip(table, rungs):
                row["rung"] = rung
        else:
            table["rung"] = rungs
        return table


def _get_rng():
    cuda = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
    return torch.get_rng_state(), cuda


def _set_rng(state) -> None:
    cpu, cuda = state
    torch.set_rng_state(cpu)
    if cuda is not None:
        torch.cuda.set_rng_state_all(cuda)
