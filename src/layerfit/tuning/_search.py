"""GridSearch and RandomSearch: train one model per configuration and rank them.

The search runs a build function that takes the parameters as keyword arguments and returns
a compiled model; ``fit`` takes Keras's fit arguments, used by every trial.
"""

from __future__ import annotations

import inspect

from layerfit._registry import closest
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, localize, warn
from layerfit.tuning import _results
from layerfit.tuning._parallel import resolve_n_jobs, run_parallel
from layerfit.tuning._space import (
    Routes,
    check_space,
    grid_configs,
    is_json_value,
    random_configs,
    trial_id,
)
from layerfit.tuning._store import TrialStore, describe, describe_callback, fresh_seed
from layerfit.tuning._trial import (
    Plan,
    clean,
    num_rows,
    refit_all,
    require_finished,
    resolve_direction,
    run_trial,
    train,
)


class BaseSearch:
    """What every search shares: running the trials, resuming them, and the results.

    Args:
        build_fn: a function taking the parameters as keyword arguments and returning a
            compiled model. With ``n_jobs > 1`` it must be defined at the top level of a
            ``.py`` file, so worker processes can import it.
        objective: the logged value to optimise, e.g. 'val_loss' or 'val_accuracy'.
            Defaults to 'val_loss'.
        direction: 'min', 'max', or 'auto' (accuracies, AUC, precision, recall rise; the rest
            fall). Defaults to 'auto'.
        cv: a number of folds k to score each configuration by k-fold cross-validation
            instead of a validation split. Defaults to None.
        n_jobs: trials run in this many processes at once, the CPU threads divided between
            them (-1: one per CPU). Defaults to 1.
        directory: a folder keeping every finished trial as JSON; rerunning the same search
            skips them. Defaults to None (nothing on disk).
        overwrite: discard the trials already in ``directory``. Defaults to False.
        seed: seeds every trial's weights and shuffling (all trials start alike) and the
            random draws. Defaults to None (one seed drawn per search, kept in ``directory``).
        verbose: 1 prints a line per trial, 0 is silent. Defaults to 1.

    Example:
    >>> search = GridSearch(build_model, {"units": [16, 64]}, directory="runs/units", n_jobs=2)
    >>> search.fit(x, y, epochs=20, validation_split=0.2, callbacks=[EarlyStopping(patience=3)])
    >>> search.results_.head(), search.best_params_
    """

    def __init__(
        self,
        build_fn,
        *,
        objective="val_loss",
        direction="auto",
        cv=None,
        n_jobs=1,
        directory=None,
        overwrite=False,
        seed=None,
        verbose=1,
    ):
        if not callable(build_fn):
            raise LayerfitTypeError(
                explain(
                    f"build_fn is {build_fn!r}, which cannot be called.",
                    "a function that takes the parameters and returns a compiled model.",
                    "def build_model(units=32): ...; GridSearch(build_model, {...})",
                )
            )
        if cv is not None and (isinstance(cv, bool) or not isinstance(cv, int) or cv < 2):
            raise LayerfitValueError(
                explain(f"cv={cv!r}.", "None, or a number of folds of 2 or more.", "cv=5")
            )
        self.build_fn = build_fn
        self.objective = objective
        self.direction = resolve_direction(objective, direction)
        self.cv = cv
        self.n_jobs = resolve_n_jobs(n_jobs)
        self.directory = directory
        self.overwrite = overwrite
        self.seed = seed
        self.verbose = verbose
        self.trials_: list[dict] = []
        self._kept = None  # (trial_id, model, score): the best model trained in this process

    # -- the search ---------------------------------------------------------------------------

    def _make_plan(self, fit_kwargs: dict, callbacks: list) -> Plan:
        """What every trial runs: the build function, routes, objective, seed and fit arguments."""
        return Plan(
            self.build_fn,
            Routes(self.build_fn, self._param_names),
            self.objective,
            self.direction,
            self.seed_,
            self.cv,
            fit_kwargs,
            callbacks,
        )

    def _configs(self, seed: int) -> list[dict]:
        raise NotImplementedError

    def _space(self) -> dict:
        raise NotImplementedError

    def fit(self, x=None, y=None, **fit_kwargs):
        """Runs every configuration not already finished; returns the search.

        Args:
            x: the inputs, as for ``model.fit``.
            y: the targets, as for ``model.fit``.
            **fit_kwargs: ``model.fit`` arguments shared by every trial (epochs, batch_size,
                validation_split, validation_data, callbacks such as EarlyStopping, ...);
                a parameter of the search with the same name wins.
        """
        callbacks = list(fit_kwargs.pop("callbacks", None) or [])
        self._check_fit_arguments(x, fit_kwargs)
        self._check_resumable()
        store = None
        if self.directory is not None:
            store = TrialStore(
                self.directory,
                self._description(x, y, fit_kwargs, callbacks),
                self.seed,
                self.overwrite,
            )
            self.seed_ = store.seed
        else:
            self.seed_ = fresh_seed() if self.seed is None else self.seed
        configs = _unique(self._configs(self.seed_))
        self._order = {trial_id(c): i for i, c in enumerate(configs)}
        self._param_names = list(dict.fromkeys(n for c in configs for n in c))
        self._plan = self._make_plan(fit_kwargs, callbacks)
        self._data = (x, y)
        done = store.load() if store is not None else {}
        self.trials_ = [done[i] for i in self._order if i in done and done[i]["status"] != "error"]
        todo = [c for c in configs if trial_id(c) not in {r["trial_id"] for r in self.trials_}]
        self._kept = None
        self._announce(len(configs), len(todo))
        self._run(todo, store)
        self._report_failures(len(todo))
        return self

    search = fit  # Keras Tuner's name

    def _run(self, configs: list[dict], store: TrialStore | None) -> None:
        self._done_now = 0
        self._total_now = len(configs)

        def on_record(record, model):
            record = clean(record)
            if store is not None:
                store.save(record)
            self.trials_.append(record)
            self._done_now += 1
            if model is not None and (
                self._kept is None or self._plan.better(record["score"], self._kept[2])
            ):
                self._kept = (record["trial_id"], model, record["score"])
            self._print(record)

        if self.n_jobs > 1 and len(configs) > 1:
            run_parallel(self._plan, self._data, configs, min(self.n_jobs, len(configs)), on_record)
        else:
            for params in configs:
                on_record(*run_trial(self._plan, self._data, params, keep_model=not self.cv))

    # -- checks ---------------------------------------------------------------------------------

    def _check_fit_arguments(self, x, fit_kwargs: dict) -> None:
        from layerfit.models import Model

        allowed = [
            n for n in inspect.signature(Model.fit).parameters if n not in ("self", "x", "y")
        ]
        for name in fit_kwargs:
            if name not in allowed:
                raise LayerfitTypeError(
                    explain(
                        f"search.fit() got an unknown argument {name!r}.",
                        f"arguments of model.fit: {allowed}.",
                        f"did you mean {closest(name, allowed) or allowed}?",
                    )
                )
        validated = fit_kwargs.get("validation_split") or fit_kwargs.get("validation_data")
        if self.cv and validated is not None:
            raise LayerfitValueError(
                explain(
                    "cv= was given together with validation_split/validation_data.",
                    "one way to score: k-fold (cv=k) or a held-out set.",
                    "drop validation_split/validation_data, or drop cv.",
                )
            )
        if self.objective.startswith("val_") and not (validated is not None or self.cv):
            raise LayerfitValueError(
                explain(
                    f"The objective is {self.objective!r}, but fit has no validation data.",
                    "validation_split, validation_data or cv= for a val_ objective.",
                    "search.fit(x, y, validation_split=0.2), or "
                    f"objective={self.objective.removeprefix('val_')!r}.",
                )
            )
        if x is not None and (self.cv or self.n_jobs > 1):
            from layerfit.data._arrays import is_array_like

            if not is_array_like(x):
                raise LayerfitTypeError(
                    explain(
                        f"cv= and n_jobs > 1 need x as arrays; got {type(x).__name__}.",
                        "numpy arrays, tensors or pandas objects.",
                        "pass arrays, or use n_jobs=1 and validation_data.",
                    )
                )
        if self.cv and x is not None and num_rows(x) < self.cv:
            raise LayerfitValueError(
                explain(f"cv={self.cv} with {num_rows(x)} samples.", "at least one per fold.")
            )

    def _check_resumable(self) -> None:
        if self.directory is None:
            return
        for name, spec in self._space().items():
            for value in getattr(spec, "values", []):
                if not is_json_value(value):
                    raise LayerfitTypeError(
                        explain(
                            f"directory= keeps trials as JSON, but {name}={value!r} is of "
                            f"type {type(value).__name__}.",
                            "numbers, strings, booleans, None, or lists of them.",
                            f"use names ('adam', 'relu') for {name!r}, or drop directory=.",
                        )
                    )

    def _description(self, x, y, fit_kwargs: dict, callbacks: list) -> dict:
        build_fn = self.build_fn
        return clean(
            {
                "search": type(self).__name__,
                "build_fn": f"{getattr(build_fn, '__module__', '')}."
                f"{getattr(build_fn, '__qualname__', type(build_fn).__name__)}",
                "objective": self.objective,
                "direction": self.direction,
                "cv": self.cv,
                "fit": {k: describe(v) for k, v in sorted(fit_kwargs.items())},
                "callbacks": [describe_callback(c) for c in callbacks],
                "data": describe((x, y)),
                **self._space_description(),
            }
        )

    def _space_description(self) -> dict:
        return {}

    # -- results --------------------------------------------------------------------------------

    def _ranked(self) -> list[dict]:
        return _results.ranked(self.trials_, self.direction, getattr(self, "_order", {}))

    @property
    def results_(self):
        """Every trial, best first: a pandas DataFrame (a list of dicts without pandas)."""
        return _results.table(self._ranked(), getattr(self, "_param_names", []))

    @property
    def best_trial_(self) -> dict:
        return require_finished(self._ranked())[0]

    @property
    def best_params_(self) -> dict:
        """The parameters of the best trial."""
        return dict(self.best_trial_["params"])

    @property
    def best_score_(self) -> float:
        """The objective of the best trial (mean over folds with ``cv``)."""
        return self.best_trial_["score"]

    @property
    def best_model_(self):
        """The best trial's model; trained again (same seed) if it ran in another process.

        With ``cv``, the best configuration trained on all the data for its mean epochs.
        """
        best = self.best_trial_
        if self._kept is None or self._kept[0] != best["trial_id"]:
            self._kept = (best["trial_id"], self._retrain(best), best["score"])
        return self._kept[1]

    def _retrain(self, best: dict):
        if self.cv:
            return refit_all(self._plan, self._data, best["params"], best["epochs_run"])
        return train(self._plan, self._data, best["params"])[0]

    def plot(self):
        """Plots the score of every finished trial against each parameter; returns the figure.

        Example:
        >>> figure = search.plot()
        >>> figure.savefig("search.png")
        """
        require_finished(self.trials_)
        return _results.plot_scores(self.trials_, self._param_names, self.objective)

    # -- printing -------------------------------------------------------------------------------

    def _announce(self, total: int, todo: int) -> None:
        if self.verbose and todo < total:
            print(
                localize(
                    f"{total - todo} of {total} trials already finished in {self.directory}; "
                    f"running {todo}."
                )
            )

    def _print(self, record: dict) -> None:
        if not self.verbose:
            return
        params = ", ".join(f"{k}={v!r}" for k, v in record["params"].items())
        if record["status"] == "ok":
            outcome = (
                f"{self.objective}={record['score']:.4g} ({record['epochs_run']} epochs, "
                f"{record['seconds']:.1f}s)"
            )
        elif record["status"] == "pruned":
            outcome = f"pruned after {record['epochs_run']} epochs"
        else:
            outcome = f"{record['status']}: {record['error']}"
        print(localize(f"Trial {self._done_now}/{self._total_now} {params}: {outcome}"))

    def _report_failures(self, ran: int) -> None:
        if not self.trials_ or ran == 0:
            return
        recent = self.trials_[-ran:]
        require_finished(self.trials_)
        failed = [r for r in recent if r["status"] in ("diverged", "error")]
        if failed:
            first = failed[0]
            warn(
                f"{len(failed)} of {ran} trials failed; they rank last in results_. "
                f"First: {first['params']}: {first['error']}",
                "trials that train to a finite loss.",
                "see results_['error']; a diverged trial needs a smaller learning rate.",
            )
        messages = sorted({m for r in recent if r["status"] == "ok" for m in r.get("warnings", [])})
        if messages:
            warn(
                f"Trials warned: {' | '.join(messages[:3])}",
                fix="run one configuration with model.fit to see the warning in context.",
            )


class GridSearch(BaseSearch):
    """Trains every combination of the given parameter values and ranks them.

    Args:
        build_fn: a function taking the parameters as keyword arguments and returning a
            compiled model.
        param_grid: a dict from parameter name to a list of values. Parameters of the build
            function go to it; batch_size, epochs and other fit arguments go to fit;
            'optimizer' and 'learning_rate' not taken by the build function are set on its
            compiled model.
        **kwargs: objective, direction, cv, n_jobs, directory, overwrite, seed, verbose, as
            for every search (see ``BaseSearch``).

    Example:
    >>> def build_model(units=32, learning_rate=1e-3):
    ...     model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(units, "relu"),
    ...                               keras.layers.Dense(1, "sigmoid")])
    ...     model.compile(keras.optimizers.Adam(learning_rate), "binary_crossentropy",
    ...                   metrics=["accuracy"])
    ...     return model
    >>> search = GridSearch(build_model, {"units": [16, 64], "learning_rate": [1e-3, 1e-2]},
    ...                     objective="val_accuracy")
    >>> search.fit(x, y, epochs=20, validation_split=0.2)
    >>> search.best_params_, search.results_
    """

    def __init__(self, build_fn, param_grid: dict, **kwargs):
        super().__init__(build_fn, **kwargs)
        self.param_grid = check_space(param_grid, "param_grid")
        grid_configs(self.param_grid)  # a continuous range is refused now, not at fit

    def _configs(self, seed: int) -> list[dict]:
        return grid_configs(self.param_grid)

    def _space(self) -> dict:
        return self.param_grid


class RandomSearch(BaseSearch):
    """Trains ``n_trials`` configurations drawn at random and ranks them.

    Args:
        build_fn: a function taking the parameters as keyword arguments and returning a
            compiled model.
        param_distributions: a dict from parameter name to a list of values (drawn
            uniformly), ``Choice``, ``Int``, ``Float(..., sampling='log')`` or a
            scipy.stats distribution.
        n_trials: how many configurations. Defaults to 10.
        **kwargs: objective, direction, cv, n_jobs, directory, overwrite, seed, verbose, as
            for every search.

    Example:
    >>> search = RandomSearch(build_model, {"units": Int(16, 128, step=16),
    ...                                     "learning_rate": Float(1e-4, 1e-1, sampling="log")},
    ...                       n_trials=20, seed=0)
    >>> search.fit(x, y, epochs=20, validation_split=0.2)
    """

    def __init__(self, build_fn, param_distributions: dict, n_trials: int = 10, **kwargs):
        super().__init__(build_fn, **kwargs)
        self.param_distributions = check_space(param_distributions, "param_distributions")
        if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1:
            raise LayerfitValueError(explain(f"n_trials={n_trials!r}.", "a positive integer."))
        self.n_trials = n_trials

    def _configs(self, seed: int) -> list[dict]:
        return random_configs(self.param_distributions, self.n_trials, seed)

    def _space(self) -> dict:
        return self.param_distributions

    def _space_description(self) -> dict:
        return {"space": {k: repr(v) for k, v in self.param_distributions.items()}}


def _unique(configs: list[dict]) -> list[dict]:
    seen, unique = set(), []
    for config in configs:
        key = trial_id(config)
        if key not in seen:
            seen.add(key)
            unique.append(config)
    return unique


__all__ = ["BaseSearch", "GridSearch", "RandomSearch"]
