"""OptunaSearch: trials proposed by an Optuna study, shared through Optuna's storage.

Processes on one machine or many run the same script with the same ``storage`` and
``study_name``; each asks the study for the next configuration and records its result there.
Optuna is optional (``pip install 'layerfit[tune]'``) and imported inside functions only.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import torch

from layerfit.callbacks import Callback
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.tuning._parallel import ThreadBudget, check_importable
from layerfit.tuning._search import BaseSearch
from layerfit.tuning._space import Choice, Float, Int, check_space, trial_id
from layerfit.tuning._store import fresh_seed
from layerfit.tuning._trial import clean, run_trial

_FINISHED = ("COMPLETE", "PRUNED", "FAIL")


def require_optuna():
    try:
        import optuna
    except ImportError as error:
        raise ImportError(
            explain(
                "OptunaSearch needs Optuna, which is not installed.",
                "optuna 3 or newer.",
                "pip install optuna  (or pip install 'layerfit[tune]').",
            )
        ) from error
    return optuna


class OptunaSearch(BaseSearch):
    """Lets an Optuna study (TPE by default) choose the configurations, pruning bad ones early.

    Trials from many processes or machines share one study when they use the same
    ``storage`` (e.g. 'sqlite:///search.db', or a database URL reachable by every machine)
    and ``study_name``. Rerunning a search resumes its study: ``n_trials`` is the total the
    study should reach.

    Args:
        build_fn: a function taking the parameters as keyword arguments and returning a
            compiled model; importable (top level of a .py file) for ``n_jobs > 1``.
        param_distributions: a dict from parameter name to a list of values, ``Choice``,
            ``Int`` or ``Float`` (with ``sampling='log'`` for rates).
        n_trials: the number of finished trials the study should hold. Defaults to 10.
        storage: an Optuna storage URL or object shared by the processes. Defaults to None
            (in memory, this process only).
        study_name: the study's name in ``storage``. Defaults to None (from the build
            function's name and the objective, so a rerun finds it).
        sampler: an Optuna sampler. Defaults to None (TPESampler seeded by ``seed``).
        pruner: an Optuna pruner fed the objective after every epoch, e.g.
            ``optuna.pruners.MedianPruner()``. Defaults to None (Optuna's default, MedianPruner).
        **kwargs: objective, direction, cv, n_jobs, seed, verbose, as for every search.

    Example:
    >>> search = OptunaSearch(build_model, {"units": Int(16, 128),
    ...                                     "learning_rate": Float(1e-4, 1e-1, sampling="log")},
    ...                       n_trials=30, storage="sqlite:///search.db")
    >>> search.fit(x, y, epochs=20, validation_split=0.2)
    """

    def __init__(
        self,
        build_fn,
        param_distributions: dict,
        n_trials: int = 10,
        *,
        storage=None,
        study_name=None,
        sampler=None,
        pruner=None,
        **kwargs,
    ):
        if "directory" in kwargs:
            raise LayerfitTypeError(
                explain(
                    "OptunaSearch got directory=; its trials live in Optuna's storage.",
                    "storage='sqlite:///search.db' to keep and share trials.",
                    "replace directory=... by storage=...",
                )
            )
        super().__init__(build_fn, **kwargs)
        self.param_distributions = check_space(param_distributions, "param_distributions")
        for name, spec in self.param_distributions.items():
            _check_for_optuna(name, spec)
        if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1:
            raise LayerfitValueError(explain(f"n_trials={n_trials!r}.", "a positive integer."))
        if self.n_jobs > 1 and storage is None:
            raise LayerfitValueError(
                explain(
                    "OptunaSearch(n_jobs>1) without storage: processes cannot share a study "
                    "kept in memory.",
                    "a storage every process can open.",
                    "storage='sqlite:///search.db'",
                )
            )
        self.n_trials, self.storage, self.study_name = n_trials, storage, study_name
        self.sampler, self.pruner = sampler, pruner

    def fit(self, x=None, y=None, **fit_kwargs):
        """Runs trials until the study holds ``n_trials`` finished ones; returns the search."""
        optuna = require_optuna()
        callbacks = list(fit_kwargs.pop("callbacks", None) or [])
        self._check_fit_arguments(x, fit_kwargs)
        self.seed_ = fresh_seed() if self.seed is None else self.seed
        self._param_names = list(self.param_distributions)
        self._plan = self._make_plan(fit_kwargs, callbacks)
        self._data = (x, y)
        self._kept, self._done_now, self._total_now = None, 0, self.n_trials
        verbosity = optuna.logging.get_verbosity()
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        try:
            self.study_ = self._study(optuna)
            before = len(_finished(optuna, self.study_))
            if self.sampler is None:  # a resumed study must not replay the same random draws
                self.study_.sampler = optuna.samplers.TPESampler(seed=self.seed_ + before)
            self._optimize(optuna)
        finally:
            optuna.logging.set_verbosity(verbosity)
        self.trials_ = study_records(optuna, self.study_)
        self._order = {}
        self._report_failures(max(0, len(self.trials_) - before))
        return self

    def _study(self, optuna):
        name = self.study_name
        if name is None and self.storage is not None:
            name = f"{getattr(self.build_fn, '__qualname__', 'search')}-{self.objective}"
        direction = "minimize" if self.direction == "min" else "maximize"
        return optuna.create_study(
            storage=self.storage,
            study_name=name,
            sampler=self.sampler,
            pruner=self.pruner,
            direction=direction,
            load_if_exists=True,
        )

    def _optimize(self, optuna) -> None:
        done = len(_finished(optuna, self.study_))
        remaining = self.n_trials - done
        if remaining <= 0:
            return
        stop = optuna.study.MaxTrialsCallback(self.n_trials, states=_states(optuna))
        objective = _Objective(self._plan, self._data, self.param_distributions, self)
        if self.n_jobs == 1:
            self.study_.optimize(objective, n_trials=remaining, callbacks=[stop])
            return
        check_importable(self.build_fn)
        context = multiprocessing.get_context("spawn")
        budget = ThreadBudget(self.n_jobs)
        with ProcessPoolExecutor(self.n_jobs - 1, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _worker,
                    self.storage,
                    self.study_.study_name,
                    self.sampler,
                    self.pruner,
                    self.seed_ + 7919 * worker + done,
                    self._plan,
                    self._data,
                    self.param_distributions,
                    self.n_trials,
                    remaining,
                    budget.threads,
                )
                for worker in range(1, self.n_jobs)
            ]
            with budget:
                self.study_.optimize(objective, n_trials=remaining, callbacks=[stop])
            for future in futures:
                future.result()


class _Objective:
    """Optuna's objective: suggest a configuration, run the trial, return its score."""

    def __init__(self, plan, data, space: dict, search=None):
        self.plan, self.data, self.space, self.search = plan, data, space, search

    def __call__(self, trial):
        optuna = require_optuna()
        params = {name: _suggest(trial, name, spec) for name, spec in self.space.items()}
        pruning = _PruningCallback(trial, self.plan.objective) if not self.plan.cv else None
        keep = self.search is not None and not self.plan.cv
        record, model = run_trial(
            self.plan,
            self.data,
            params,
            keep_model=keep,
            extra_callbacks=(pruning,) if pruning else (),
        )
        record = clean(record)
        record["number"] = trial.number
        if pruning is not None and pruning.pruned and record["status"] == "ok":
            record["status"] = "pruned"
        for key in ("epochs_run", "seconds", "status", "error"):
            trial.set_user_attr(key, record[key])
        if self.search is not None:
            self._keep(record, model)
        if record["status"] == "pruned":
            raise optuna.TrialPruned()
        return float("nan") if record["score"] is None else record["score"]

    def _keep(self, record: dict, model) -> None:
        search = self.search
        search._done_now = record["number"] + 1
        kept = search._kept
        if (
            model is not None
            and record["status"] == "ok"
            and (kept is None or search._plan.better(record["score"], kept[2]))
        ):
            search._kept = (record["trial_id"], model, record["score"])
        search._print(record)


class _PruningCallback(Callback):
    """Reports the objective to the trial after each epoch; stops training if Optuna prunes."""

    def __init__(self, trial, objective: str):
        super().__init__()
        self.trial, self.objective, self.pruned = trial, objective, False

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.objective)
        if value is None:
            return
        self.trial.report(float(value), step=epoch)
        if self.trial.should_prune():
            self.pruned = True
            self.model.stop_training = True


def _worker(
    storage, study_name, sampler, pruner, seed, plan, data, space, n_trials, remaining, threads
) -> None:
    optuna = require_optuna()
    torch.set_num_threads(threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(
        study_name=study_name,
        storage=storage,
        sampler=sampler or optuna.samplers.TPESampler(seed=seed),
        pruner=pruner,
    )
    stop = optuna.study.MaxTrialsCallback(n_trials, states=_states(optuna))
    study.optimize(_Objective(plan, data, space), n_trials=remaining, callbacks=[stop])


def _suggest(trial, name: str, spec):
    if isinstance(spec, Choice):
        return trial.suggest_categorical(name, spec.values)
    if isinstance(spec, Int):
        return trial.suggest_int(
            name, spec.min_value, spec.max_value, step=spec.step, log=spec.sampling == "log"
        )
    return trial.suggest_float(name, spec.min_value, spec.max_value, log=spec.sampling == "log")


def _check_for_optuna(name: str, spec) -> None:
    if isinstance(spec, Choice):
        bad = [v for v in spec.values if not (v is None or isinstance(v, (bool, int, float, str)))]
        if bad:
            raise LayerfitTypeError(
                explain(
                    f"OptunaSearch: {name!r} has the value {bad[0]!r}; Optuna's choices "
                    "must be None, booleans, numbers or strings.",
                    "simple values.",
                    "encode it as a string (e.g. '64-32') and decode it in the build function.",
                )
            )
    elif isinstance(spec, Int):
        if spec.sampling == "log" and spec.step != 1:
            raise LayerfitValueError(
                explain(
                    f"OptunaSearch: {name!r} is {spec!r} with log sampling.",
                    "step=1 with sampling='log' (an Optuna rule).",
                )
            )
    elif not isinstance(spec, Float):
        raise LayerfitTypeError(
            explain(
                f"OptunaSearch: {name!r} is {spec!r}.",
                "a list of values, Choice, Int or Float.",
                "replace a scipy.stats distribution by Float(low, high, sampling='log').",
            )
        )


def _states(optuna):
    return tuple(getattr(optuna.trial.TrialState, state) for state in _FINISHED)


def _finished(optuna, study) -> list:
    return study.get_trials(deepcopy=False, states=_states(optuna))


def study_records(optuna, study) -> list[dict]:
    """The study's finished trials as layerfit records (including other processes' trials)."""
    status_of = {"COMPLETE": "ok", "PRUNED": "pruned", "FAIL": "error"}
    records = []
    for trial in _finished(optuna, study):
        attrs = trial.user_attrs
        status = attrs.get("status") or status_of[trial.state.name]
        if trial.state.name == "FAIL" and status == "ok":
            status = "error"
        records.append(
            clean(
                {
                    "trial_id": trial_id(trial.params),
                    "params": dict(trial.params),
                    "score": trial.value if status == "ok" else None,
                    "epochs_run": attrs.get("epochs_run", 0),
                    "seconds": attrs.get("seconds", 0.0),
                    "status": status,
                    "error": attrs.get("error"),
                    "number": trial.number,
                    "warnings": [],
                }
            )
        )
    return records
