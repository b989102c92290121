"""Tuner: runs the trials an oracle proposes, trains each model, keeps the best checkpoints.

A trial builds a model from its hyperparameters, trains it ``executions_per_trial`` times,
reports the metrics of its best epoch to the oracle and keeps the weights of that epoch in
the project folder (safetensors, our safe format). The oracle's state and every trial are
saved as they change, so a search rerun with the same ``directory``/``project_name`` resumes
where it stopped: finished trials are not run again, an interrupted one is.
"""

from __future__ import annotations

import copy
import json
import os
import time
import traceback
from pathlib import Path

from layerfit import backend
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn
from layerfit.tuners import _results
from layerfit.tuners._callbacks import (
    SaveBestEpoch,
    TunerCallback,
    build_from_shape,
    plain_shape,
    tuple_shape,
)
from layerfit.tuners._hypermodel import get_hypermodel
from layerfit.tuners._oracle import Oracle
from layerfit.tuners._trial import TrialStatus
from layerfit.tuners.errors import FailedTrialError, FatalError, FatalTypeError, FatalValueError
from layerfit.tuning._parallel import resolve_n_jobs
from layerfit.tuning._store import TrialStore, write_json

_CHECKPOINT = "checkpoint.weights.safetensors"
_BUILD_CONFIG = "build_config.json"
_STATE_FILES = ("oracle.json", "search.json")


class Tuner:
    """Runs a search: the oracle proposes, the tuner trains and reports (``kt.Tuner``).

    Subclass it and override ``run_trial(self, trial, *args, **kwargs)`` to evaluate a trial
    your own way: return a number (minimised), a dict of metrics, or a History.

    Args:
        oracle: the ``kt.Oracle`` choosing the hyperparameters.
        hypermodel: a function ``build_model(hp)`` returning a compiled model, or a
            ``kt.HyperModel``. Defaults to None (only when ``run_trial`` is overridden).
        max_model_size: trials whose model has more trainable parameters fail. Defaults to
            None.
        optimizer: compiles every model with this optimizer instead. Defaults to None.
        loss: compiles every model with this loss instead. Defaults to None.
        metrics: compiles every model with these metrics instead. Defaults to None.
        distribution_strategy: TensorFlow's strategies do not apply here; must be None.
        directory: the folder of the project folders. Defaults to None ('.').
        project_name: the folder of this search's trials and checkpoints. Defaults to None
            ('untitled_project').
        logger: unused, as in KerasTuner (deprecated there). Defaults to None.
        tuner_id: the name of this tuner in the saved state. Defaults to None ('tuner0').
        overwrite: start afresh instead of resuming the project. Defaults to False.
        executions_per_trial: models trained per trial, their metrics averaged. Defaults to 1.
        n_jobs: trials trained side by side in this many processes (layerfit's addition;
            -1: one per CPU), the CPU threads divided between them. The build function must
            then be defined at the top level of a .py file. Defaults to 1.
    """

    def __init__(
        self,
        oracle,
        hypermodel=None,
        max_model_size=None,
        optimizer=None,
        loss=None,
        metrics=None,
        distribution_strategy=None,
        directory=None,
        project_name=None,
        logger=None,
        tuner_id=None,
        overwrite=False,
        executions_per_trial=1,
        n_jobs=1,
        **kwargs,
    ):
        if not isinstance(oracle, Oracle):
            raise LayerfitTypeError(
                explain(
                    f"oracle={oracle!r} is not a kt.Oracle.",
                    "an oracle such as kt.oracles.BayesianOptimizationOracle(...).",
                )
            )
        if hypermodel is None and type(self).run_trial is Tuner.run_trial:
            raise LayerfitValueError(
                explain(
                    "hypermodel=None, and run_trial is not overridden.",
                    "a build_model(hp) function or a kt.HyperModel, unless a subclass defines "
                    "run_trial.",
                    "kt.RandomSearch(build_model, objective='val_loss', max_trials=10).",
                )
            )
        if distribution_strategy is not None:
            raise LayerfitValueError(
                explain(
                    f"distribution_strategy={type(distribution_strategy).__name__}: "
                    "TensorFlow's distribution strategies do not apply to layerfit, which "
                    "trains with PyTorch.",
                    "distribution_strategy=None.",
                    "drop the argument; to train one model on several GPUs use "
                    "layerfit.distribution (torchrun), and to run trials side by side use "
                    "layerfit.tuning's searches with n_jobs=.",
                )
            )
        if kwargs:
            raise LayerfitTypeError(
                explain(
                    f"Unknown arguments for {type(self).__name__}: {sorted(kwargs)}.",
                    "the arguments of kt.Tuner and of this tuner's oracle.",
                )
            )
        if logger is not None:
            warn(
                "logger= is ignored: KerasTuner no longer supports it either.",
                fix="drop logger=; the search prints its progress (verbose=) and keeps every "
                "trial as JSON in the project folder.",
            )
        if os.environ.get("KERASTUNER_ORACLE_IP"):
            warn(
                "KERASTUNER_ORACLE_IP is set, but KerasTuner's chief/worker distributed "
                "tuning is not supported: this process runs the whole search on its own.",
                fix="unset the KERASTUNER_* variables; to run trials side by side on this "
                "machine pass n_jobs= to the tuner.",
            )
        self.oracle = oracle
        self.hypermodel = get_hypermodel(hypermodel)
        self.max_model_size = max_model_size
        self.optimizer, self.loss, self.metrics = optimizer, loss, metrics
        self.distribution_strategy = None
        self.executions_per_trial = executions_per_trial
        self.n_jobs = resolve_n_jobs(n_jobs)
        self.directory = directory or "."
        self.project_name = project_name or "untitled_project"
        self.tuner_id = tuner_id or "tuner0"
        self.logger = logger
        if overwrite:
            self._clear_project()
        oracle._store = TrialStore(self.project_dir, self._description(), None)
        if not overwrite and oracle.has_saved_state():
            print(f"Reloading Tuner from {Path(self.project_dir) / f'{self.tuner_id}.json'}")
            oracle.reload()
        else:
            self._populate_initial_space()
        self._search_start = None

    # -- folders --------------------------------------------------------------------------------

    @property
    def project_dir(self) -> str:
        path = Path(str(self.directory)) / self.project_name
        path.mkdir(parents=True, exist_ok=True)
        return str(path)

    def get_trial_dir(self, trial_id: str) -> str:
        path = Path(self.project_dir) / f"trial_{trial_id}"
        path.mkdir(parents=True, exist_ok=True)
        return str(path)

    def _clear_project(self) -> None:
        """Deletes this project's own files only (trials, checkpoints, state), nothing else."""
        project = Path(str(self.directory)) / self.project_name
        if not project.exists():
            return
        for path in project.glob("trial_*"):
            if path.is_dir():
                for child in path.iterdir():
                    if child.name in (_CHECKPOINT, _BUILD_CONFIG):
                        child.unlink()
                if not any(path.iterdir()):
                    path.rmdir()
            elif path.suffix == ".json":
                path.unlink()
        for name in (*_STATE_FILES, f"{self.tuner_id}.json"):
            (project / name).unlink(missing_ok=True)

    def _description(self) -> dict:
        """What must match for a project folder to be resumed (not the number of trials)."""
        oracle = self.oracle
        settings = {
            k: v
            for k, v in vars(oracle).items()
            if not k.startswith("_") and isinstance(v, (int, float, str, bool)) and k != "verbose"
        }
        settings.pop("max_trials", None)
        settings.pop("seed", None)
        hypermodel = self.hypermodel
        build = getattr(hypermodel, "build", None)
        return {
            "tuner": type(self).__name__,
            "oracle": type(oracle).__name__,
            "objective": str(oracle.objective),
            "hypermodel": getattr(build, "__qualname__", type(hypermodel).__name__),
            "settings": {k: (None if v == float("inf") else v) for k, v in settings.items()},
        }

    # -- the space ------------------------------------------------------------------------------

    def _populate_initial_space(self) -> None:
        """Builds the model once per branch of its conditional scopes to learn the space."""
        if self.hypermodel is None:
            return
        hp = self.oracle.get_space()
        self.hypermodel.declare_hyperparameters(hp)
        self.oracle.update_space(hp)
        once_active, never_active = [], []
        hp = self.oracle.get_space()
        while True:
            self.hypermodel.build(hp)
            self.oracle.update_space(hp)
            for scope in hp.active_scopes:
                if scope not in once_active:
                    once_active.append(copy.deepcopy(scope))
                if scope in never_active:
                    never_active.remove(scope)
            for scope in hp.inactive_scopes:
                if scope not in once_active and scope not in never_active:
                    never_active.append(copy.deepcopy(scope))
            if not never_active:
                break
            hp = self.oracle.get_space()  # a build where the first unseen branch is active
            for condition in never_active[0]:
                hp.values[condition.name] = condition.values[0]
            hp.ensure_active_values()
        backend.clear_session()

    # -- the search -----------------------------------------------------------------------------

    def search(self, *fit_args, **fit_kwargs):
        """Runs trials until the oracle stops; arguments go to ``model.fit`` (or ``run_trial``).

        Args:
            *fit_args: as for ``model.fit`` (x, y, ...).
            **fit_kwargs: as for ``model.fit`` (epochs, validation_split, validation_data,
                callbacks, ...); callbacks are copied for every model.
        """
        if "verbose" in fit_kwargs:
            self.oracle.verbose = 1 if fit_kwargs["verbose"] == "auto" else fit_kwargs["verbose"]
        self._search_start = time.perf_counter()
        self.on_search_begin()
        if self.n_jobs > 1:
            from layerfit.tuners._parallel import search_in_parallel

            search_in_parallel(self, self.n_jobs, fit_args, fit_kwargs)
            self.on_search_end()
            return
        while True:
            self.pre_create_trial()
            trial = self.oracle.create_trial(self.tuner_id)
            if trial.status == TrialStatus.STOPPED:
                break
            if trial.status == TrialStatus.IDLE:
                continue
            self.on_trial_begin(trial)
            self._run_and_report(trial, *fit_args, **fit_kwargs)
            self.on_trial_end(trial)
        self.on_search_end()

    def _run_and_report(self, trial, *fit_args, **fit_kwargs) -> None:
        started = time.perf_counter()
        try:
            results = self.run_trial(trial, *fit_args, **fit_kwargs)
            _results.validate(results, self.oracle.objective, f"{type(self).__name__}.run_trial()")
            self.oracle.update_trial(
                trial.trial_id,
                _results.to_metrics(results, self.oracle.objective),
                step=_results.best_step(results, self.oracle.objective),
            )
            trial.status = TrialStatus.COMPLETED
        except FatalError:
            raise
        except Exception as error:  # a failing trial is recorded and the search goes on
            trial.status = (
                TrialStatus.FAILED if isinstance(error, FailedTrialError) else TrialStatus.INVALID
            )
            trial.message = traceback.format_exc(limit=8)
            if self.oracle.verbose:
                print(f"Trial {trial.trial_id} failed: {type(error).__name__}: {error}")
        self._elapsed = time.perf_counter() - started

    def run_trial(self, trial, *args, **kwargs):
        """Builds and trains the trial's model(s); returns their Histories.

        Override it to evaluate a trial your own way; return a number (minimised), a dict of
        metrics or a History.
        """
        checkpoint = SaveBestEpoch(self, trial.trial_id)
        callbacks = kwargs.pop("callbacks", None) or []
        histories = []
        for execution in range(self.executions_per_trial):
            # Each model starts from its own seed (from the oracle's seed, the trial and the
            # execution), so a search repeats, and a trial run in a worker process trains
            # as it would have here.
            backend.set_random_seed(
                (self.oracle.seed * 7919 + _number(trial.trial_id) * 101 + execution) % 2**31
            )
            run_kwargs = dict(kwargs)
            run_kwargs["callbacks"] = [
                *self._copy_callbacks(callbacks),
                TunerCallback(self, trial),
                checkpoint,
            ]
            histories.append(self._build_and_fit_model(trial, *args, **run_kwargs))
        return histories

    def _build_and_fit_model(self, trial, *args, **kwargs):
        hp = trial.hyperparameters
        model = self._try_build(hp)
        results = self.hypermodel.fit(hp, model, *args, **kwargs)
        _results.validate(results, self.oracle.objective, "HyperModel.fit()")
        return results

    def _copy_callbacks(self, callbacks: list) -> list:
        try:
            return copy.deepcopy(list(callbacks))
        except Exception as error:
            raise FatalValueError(
                explain(
                    f"The callbacks {callbacks} cannot be copied ({error}).",
                    "callbacks that copy.deepcopy can copy: every model gets fresh ones.",
                    "create the callback without references to open files or models.",
                )
            ) from error

    # -- models ---------------------------------------------------------------------------------

    def _build_hypermodel(self, hp):
        model = self.hypermodel.build(hp)
        self._override_compile_args(model)
        return model

    def _try_build(self, hp):
        from layerfit.models import Model

        backend.clear_session()
        model = self._build_hypermodel(hp)
        if not isinstance(model, Model):
            raise FatalTypeError(
                explain(
                    f"The model-building function returned {type(model).__name__}.",
                    "a layerfit model (keras.Sequential, keras.Model) compiled and returned.",
                    "end build_model(hp) with model.compile(...) and `return model`.",
                )
            )
        size = sum(int(w.numel()) for w in model.trainable_weights)
        if self.max_model_size and size > self.max_model_size:
            raise FailedTrialError(f"Oversized model: {size} parameters. Skip model.")
        return model

    def _override_compile_args(self, model) -> None:
        if not (self.optimizer or self.loss or self.metrics):
            return
        compiled = getattr(model, "compiled", None)
        arguments = dict(compiled.raw) if compiled is not None else {}
        if compiled is not None:
            arguments["optimizer"] = model.optimizer
        if self.optimizer:
            arguments["optimizer"] = copy.deepcopy(self.optimizer)
        if self.loss:
            arguments["loss"] = self.loss
        if self.metrics:
            arguments["metrics"] = self.metrics
        model.compile(**arguments)

    def save_model(self, trial_id: str, model, step: int = 0) -> None:
        """Keeps ``model``'s weights as the checkpoint of ``trial_id`` (safetensors)."""
        directory = Path(self.get_trial_dir(trial_id))
        model.save_weights(str(directory / _CHECKPOINT))
        shape = getattr(model, "input_shape", None)
        write_json(directory / _BUILD_CONFIG, {"input_shape": plain_shape(shape)})

    def load_model(self, trial):
        """The model of ``trial`` rebuilt with the weights of its best epoch."""
        model = self._try_build(trial.hyperparameters)
        self._load_checkpoint(model, trial.trial_id)
        return model

    def _load_checkpoint(self, model, trial_id: str) -> None:
        directory = Path(self.project_dir) / f"trial_{trial_id}"
        if not (directory / _CHECKPOINT).exists():
            raise FileNotFoundError(
                explain(
                    f"Trial {trial_id} has no checkpoint in {directory}.",
                    "a trial that finished at least one epoch.",
                    "get_best_models() after search(); a run_trial of your own must call "
                    "self.save_model(trial.trial_id, model).",
                )
            )
        if not model.weights and (directory / _BUILD_CONFIG).exists():
            shape = json.loads((directory / _BUILD_CONFIG).read_text())["input_shape"]
            if shape is not None:
                build_from_shape(model, tuple_shape(shape))
        model.load_weights(str(directory / _CHECKPOINT))

    # -- hooks ----------------------------------------------------------------------------------

    def on_search_begin(self):
        pass

    def on_search_end(self):
        pass

    def pre_create_trial(self):
        pass

    def on_trial_begin(self, trial):
        if self.oracle.verbose:
            print(f"\nSearch: Running Trial #{len(self.oracle.start_order)}\n")
            best = self.oracle.get_best_trials(1)
            best = best[0].hyperparameters.values if best and best[0].score is not None else {}
            print(f"{'Value':<18}|{'Best Value So Far':<18}|Hyperparameter")
            for name, value in trial.hyperparameters.values.items():
                print(f"{_shown(value):<18}|{_shown(best.get(name, '?')):<18}|{name}")
            print()

    def on_trial_end(self, trial):
        self.oracle.end_trial(trial)
        write_json(Path(self.project_dir) / f"{self.tuner_id}.json", {})
        if self.oracle.verbose:
            self._report(trial)

    def on_epoch_begin(self, trial, model, epoch, logs=None):
        pass

    def on_epoch_end(self, trial, model, epoch, logs=None):
        pass

    def on_batch_begin(self, trial, model, batch, logs):
        pass

    def on_batch_end(self, trial, model, batch, logs=None):
        pass

    def _report(self, trial) -> None:
        trial = self.oracle.trials[trial.trial_id]
        name = self.oracle.objective.name
        print(
            f"\nTrial {len(self.oracle.start_order)} "
            f"{'Complete' if trial.status == TrialStatus.COMPLETED else trial.status.capitalize()} "
            f"[{_clock(getattr(self, '_elapsed', 0.0))}]"
        )
        if trial.score is not None:
            print(f"{name}: {trial.score}")
        best = self.oracle.get_best_trials(1)
        if best and best[0].score is not None:
            print(f"\nBest {name} So Far: {best[0].score}")
        print(f"Total elapsed time: {_clock(time.perf_counter() - self._search_start)}")

    # -- results --------------------------------------------------------------------------------

    def get_best_models(self, num_models: int = 1) -> list:
        """The models of the best trials, best first, with the weights of their best epoch."""
        return [self.load_model(trial) for trial in self.oracle.get_best_trials(num_models)]

    def get_best_hyperparameters(self, num_trials: int = 1) -> list:
        """The HyperParameters of the best trials, best first."""
        return [trial.hyperparameters for trial in self.oracle.get_best_trials(num_trials)]

    def search_space_summary(self, extended: bool = False) -> None:
        """Prints every hyperparameter of the search space and its settings."""
        hp = self.oracle.get_space()
        print("Search space summary")
        print(f"Default search space size: {len(hp.space)}")
        for item in hp.space:
            config = item.get_config()
            name = config.pop("name")
            print(f"{name} ({type(item).__name__})")
            print(config)

    def results_summary(self, num_trials: int = 10) -> None:
        """Prints the best ``num_trials`` trials, best first."""
        print("Results summary")
        print(f"Results in {self.project_dir}")
        print(f"Showing {num_trials} best trials")
        print(f"{self.oracle.objective}")
        for trial in self.oracle.get_best_trials(num_trials):
            print()
            trial.summary()

    @property
    def remaining_trials(self):
        return self.oracle.remaining_trials()


def _number(trial_id: str) -> int:
    return int(trial_id) if str(trial_id).isdigit() else sum(map(ord, str(trial_id)))


def _shown(value) -> str:
    return f"{value:.5g}" if isinstance(value, float) else str(value)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}h {seconds // 60 % 60:02d}m {seconds % 60:02d}s"
