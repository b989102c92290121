"""Oracle: decides the hyperparameters of each new trial and keeps every trial's result.

Subclasses implement ``populate_space(trial_id)``; the rest (trial ids, duplicate draws,
retries of crashed trials, scoring, ranking, saving and resuming) is shared, with KerasTuner's
rules: a trial's score is the best value its objective reached; a trial interrupted by a
crash or a killed process runs again when the search resumes; finished trials never do.

State lives in the project folder as JSON through ``layerfit.tuning``'s trial store: one
file per trial (written whole or not at all) and ``oracle.json``; nothing is pickled.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from pathlib import Path

from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain
from layerfit.tuners._hyperparameters import HyperParameters
from layerfit.tuners._objective import create_objective
from layerfit.tuners._space import Fixed
from layerfit.tuners._trial import Trial, TrialStatus
from layerfit.tuning._store import write_json
from layerfit.tuning._trial import clean

_STATE_FILE = "oracle.json"


class Oracle:
    """Base class of the search algorithms (KerasTuner's ``kt.Oracle``).

    Args:
        objective: a metric name ('val_accuracy'), a ``kt.Objective``, or None (the value
            ``run_trial`` returns, minimised). Defaults to None.
        max_trials: the number of trials to run. Defaults to None (until the algorithm stops).
        hyperparameters: a ``HyperParameters`` declaring (or overriding) part of the space in
            advance. Defaults to None.
        allow_new_entries: whether the model may declare hyperparameters not in
            ``hyperparameters``. Defaults to True.
        tune_new_entries: whether such new hyperparameters are tuned (else fixed at their
            default). Defaults to True.
        seed: the random seed of the draws. Defaults to None (one drawn and kept).
        max_retries_per_trial: how many times a crashed trial is run again. Defaults to 0.
        max_consecutive_failed_trials: the search stops after this many failed trials in a
            row. Defaults to 3.
    """

    def __init__(
        self,
        objective=None,
        max_trials=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        seed=None,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        self.objective = create_objective(objective)
        self.max_trials = max_trials
        if not hyperparameters and not (tune_new_entries and allow_new_entries):
            raise LayerfitValueError(
                explain(
                    "tune_new_entries=False or allow_new_entries=False without hyperparameters=.",
                    "the search space declared in advance when new entries are refused.",
                    "pass hyperparameters=hp with hp.Int(...)/hp.Choice(...) declared.",
                )
            )
        self.hyperparameters = hyperparameters.copy() if hyperparameters else HyperParameters()
        self.allow_new_entries = allow_new_entries
        self.tune_new_entries = tune_new_entries
        self.seed = seed if seed is not None else random.randint(1, 10000)
        self._seed_state = self.seed
        self.max_retries_per_trial = max_retries_per_trial
        self.max_consecutive_failed_trials = max_consecutive_failed_trials
        self.trials: dict[str, Trial] = {}
        self.ongoing_trials: dict[str, Trial] = {}
        self.start_order: list[str] = []
        self.end_order: list[str] = []
        self._run_times: dict[str, int] = {}
        self._retry_queue: list[str] = []
        self._tried_so_far: set[str] = set()
        self._id_to_hash: dict[str, str] = {}
        self._max_collisions = 20
        self._store = None
        self.verbose = 1

    # -- what subclasses decide -----------------------------------------------------------------

    def populate_space(self, trial_id: str) -> dict:
        """Returns {'status': 'RUNNING', 'values': {...}}, or a status 'IDLE' or 'STOPPED'."""
        raise NotImplementedError

    def score_trial(self, trial: Trial) -> None:
        name = self.objective.name
        trial.score = trial.metrics.get_best_value(name)
        trial.best_step = trial.metrics.get_best_step(name) or 0

    # -- the life of a trial --------------------------------------------------------------------

    def create_trial(self, tuner_id: str) -> Trial:
        """The next trial for ``tuner_id``: a retried one, a new one, or one saying STOPPED."""
        if tuner_id in self.ongoing_trials:
            return self.ongoing_trials[tuner_id]
        if self._retry_queue:
            trial = self.trials[self._retry_queue.pop()]
            trial.status = TrialStatus.RUNNING
            self.ongoing_trials[tuner_id] = trial
            self.save()
            return trial
        trial_id = f"{len(self.trials):0{len(str(self.max_trials))}d}"
        if self.max_trials and len(self.trials) >= self.max_trials:
            response = {"status": TrialStatus.STOPPED}
        else:
            response = self.populate_space(trial_id)
        hyperparameters = self.hyperparameters.copy()
        hyperparameters.values = response.get("values") or {}
        trial = Trial(hyperparameters, trial_id, response["status"])
        if trial.status == TrialStatus.RUNNING:
            self._record_values(trial)
            self.ongoing_trials[tuner_id] = trial
            self.trials[trial_id] = trial
            self.start_order.append(trial_id)
            self._save_trial(trial)
            self.save()
        return trial

    def update_trial(self, trial_id: str, metrics: dict, step: int = 0) -> Trial:
        """Records ``metrics`` (name -> value) of ``trial_id`` at ``step``."""
        trial = self.trials[trial_id]
        if self.objective.name not in metrics:
            raise LayerfitValueError(
                explain(
                    f"The objective {self.objective.name!r} is missing from the metrics "
                    f"reported: {sorted(metrics)}.",
                    "the objective among the logged or returned values.",
                    f"objective= one of {sorted(metrics)}, or return {{"
                    f"{self.objective.name!r}: value}} from run_trial.",
                )
            )
        for name, value in metrics.items():
            if not trial.metrics.exists(name):
                direction = self.objective.direction if name == self.objective.name else None
                trial.metrics.register(name, direction)
            trial.metrics.update(name, float(value), step=step)
        self._save_trial(trial)
        return trial

    def end_trial(self, trial: Trial) -> None:
        """Scores a finished trial, queues a retry if it crashed, and saves everything."""
        stored = self.trials[trial.trial_id]
        stored.hyperparameters, stored.status = trial.hyperparameters, trial.status
        stored.message = trial.message
        trial = stored
        self.update_space(trial.hyperparameters)
        if trial.status == TrialStatus.COMPLETED:
            self.score_trial(trial)
            if trial.score is None or math.isnan(trial.score):
                trial.status = TrialStatus.INVALID
        self._record_values(trial)
        self._run_times[trial.trial_id] = self._run_times.get(trial.trial_id, 0) + 1
        if not self._retry(trial):
            self.end_order.append(trial.trial_id)
        for tuner_id, ongoing in list(self.ongoing_trials.items()):
            if ongoing.trial_id == trial.trial_id:
                del self.ongoing_trials[tuner_id]
        self._save_trial(trial)
        self.save()
        self._check_consecutive_failures()

    def _retry(self, trial: Trial) -> bool:
        if trial.status != TrialStatus.INVALID:
            return False
        runs, allowed = self._run_times[trial.trial_id], self.max_retries_per_trial + 1
        if runs >= allowed:
            trial.status = TrialStatus.FAILED
            return False
        print(f"Trial {trial.trial_id} failed {runs} times. {allowed - runs} retries left.")
        self._retry_queue.append(trial.trial_id)
        return True

    def _check_consecutive_failures(self) -> None:
        in_a_row = 0
        for trial_id in self.end_order:
            trial = self.trials[trial_id]
            in_a_row = in_a_row + 1 if trial.status == TrialStatus.FAILED else 0
            if in_a_row == self.max_consecutive_failed_trials:
                raise LayerfitRuntimeError(
                    explain(
                        f"{in_a_row} trials in a row failed; the last one with:\n"
                        f"{trial.message or ''}",
                        "trials that build, train and report the objective.",
                        "run build_model(kt.HyperParameters()) and fit it once by hand to see "
                        "the error; raise max_consecutive_failed_trials to go on regardless.",
                    )
                )

    # -- the space ------------------------------------------------------------------------------

    def get_space(self) -> HyperParameters:
        """A copy of the search space, every value at its default."""
        return self.hyperparameters.copy()

    def update_space(self, hyperparameters: HyperParameters) -> None:
        """Adds the hyperparameters a model declared that the space lacks."""
        new = [
            hp
            for hp in hyperparameters.space
            if not self.hyperparameters._exists(hp.name, hp.conditions)
        ]
        if new and not self.allow_new_entries:
            raise LayerfitRuntimeError(
                explain(
                    f"The model declared {[hp.name for hp in new]}, not in hyperparameters=, "
                    "with allow_new_entries=False.",
                    "only the hyperparameters declared in advance.",
                    "declare them in hyperparameters=, or allow_new_entries=True.",
                )
            )
        if not self.tune_new_entries:
            new = [Fixed(hp.name, hp.default, conditions=hp.conditions) for hp in new]
        self.hyperparameters.merge(new)

    def _random_values(self) -> dict | None:
        """A random point of the space not tried yet (None after too many repeats)."""
        for _ in range(self._max_collisions + 1):
            hps = HyperParameters()
            for hp in self.hyperparameters.space:
                hps.merge([hp])
                if hps.is_active(hp):
                    hps.values[hp.name] = hp.random_sample(self._seed_state)
                    self._seed_state += 1
            if self._compute_values_hash(hps.values) not in self._tried_so_far:
                return hps.values
        return None

    def _compute_values_hash(self, values: dict) -> str:
        text = "".join(f"{key}={values[key]}" for key in sorted(values))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def _record_values(self, trial: Trial) -> None:
        trial.hyperparameters.ensure_active_values()
        new_hash = self._compute_values_hash(trial.hyperparameters.values)
        self._tried_so_far.add(new_hash)
        old_hash = self._id_to_hash.get(trial.trial_id)
        if old_hash != new_hash:
            self._id_to_hash[trial.trial_id] = new_hash
            self._tried_so_far.discard(old_hash)

    # -- results --------------------------------------------------------------------------------

    def get_trial(self, trial_id: str) -> Trial:
        return self.trials[trial_id]

    def get_best_trials(self, num_trials: int = 1) -> list[Trial]:
        """The ``num_trials`` best completed trials, best first (unfinished ones after them)."""
        done = [t for t in self.trials.values() if t.status == TrialStatus.COMPLETED]
        ranked = sorted(done, key=lambda t: t.score, reverse=self.objective.direction == "max")
        if len(ranked) < num_trials:
            ranked += [t for t in self.trials.values() if t.status != TrialStatus.COMPLETED]
        return ranked[:num_trials]

    def remaining_trials(self):
        return None if self.max_trials is None else self.max_trials - len(self.trials)

    # -- saving and resuming --------------------------------------------------------------------

    def _save_trial(self, trial: Trial) -> None:
        if self._store is not None:
            self._store.save(trial.to_record())

    def get_state(self) -> dict:
        return {
            "ongoing_trials": {k: t.trial_id for k, t in self.ongoing_trials.items()},
            "start_order": self.start_order,
            "end_order": self.end_order,
            "run_times": self._run_times,
            "retry_queue": self._retry_queue,
            "seed": self.seed,
            "seed_state": self._seed_state,
            "tried_so_far": sorted(self._tried_so_far),
            "id_to_hash": self._id_to_hash,
            "hyperparameters": self.hyperparameters.get_config(),
        }

    def set_state(self, state: dict) -> None:
        self.ongoing_trials = {k: self.trials[v] for k, v in state["ongoing_trials"].items()}
        self.start_order, self.end_order = state["start_order"], state["end_order"]
        self._run_times, self._retry_queue = state["run_times"], state["retry_queue"]
        self.seed, self._seed_state = state["seed"], state["seed_state"]
        self._tried_so_far, self._id_to_hash = set(state["tried_so_far"]), state["id_to_hash"]
        self.hyperparameters = HyperParameters.from_config(state["hyperparameters"])

    def save(self) -> None:
        if self._store is not None:
            write_json(self._store.path / _STATE_FILE, clean(self.get_state()))

    def has_saved_state(self) -> bool:
        return self._store is not None and (self._store.path / _STATE_FILE).exists()

    def reload(self) -> None:
        """Loads the saved trials and state; trials cut short run again, finished ones never."""
        self.trials = {
            trial_id: Trial.from_record(record) for trial_id, record in self._store.load().items()
        }
        state = json.loads(Path(self._store.path / _STATE_FILE).read_text(encoding="utf-8"))
        self.set_state(state)
        for trial in self.ongoing_trials.values():
            self._retry_queue.append(trial.trial_id)
        self.ongoing_trials = {}
