"""HyperbandOracle: KerasTuner's bracket schedule of successive halving.

With ``max_epochs`` R and ``factor`` f there are ``s_max + 1`` brackets, s_max + 1 being the
number of times R can be divided by f before it falls below one epoch. Bracket ``b`` (run
from the largest down to 0) has ``b + 1`` rounds; round ``r`` trains
``ceil(ceil(1 + log_f R) / (b + 1) * f ** (b - r))`` models for ``ceil(R / f ** (b - r))``
epochs, each model of a later round being the best not yet promoted of the round before,
continued from its checkpoint (``tuner/initial_epoch`` to ``tuner/epochs``). The whole set of
brackets runs ``hyperband_iterations`` times. Trial values carry KerasTuner's
``tuner/epochs``, ``tuner/initial_epoch``, ``tuner/bracket``, ``tuner/round`` and, for a
continued model, ``tuner/trial_id``.
"""

from __future__ import annotations

import math

from layerfit.errors import LayerfitValueError, explain
from layerfit.tuners._oracle import Oracle
from layerfit.tuners._trial import TrialStatus

_SCHEDULE_KEYS = ("tuner/epochs", "tuner/initial_epoch", "tuner/bracket", "tuner/round")


class HyperbandOracle(Oracle):
    """Hyperband (Li et al., 2018) as KerasTuner schedules it.

    Args:
        objective: as ``Oracle``.
        max_epochs: the most epochs one model trains; also the number of epochs of the last
            round of every bracket. Defaults to 100.
        factor: the reduction factor between rounds. Defaults to 3.
        hyperband_iterations: how many times to run the whole set of brackets. Defaults to 1.
        **kwargs: seed, hyperparameters, allow_new_entries, tune_new_entries,
            max_retries_per_trial, max_consecutive_failed_trials, as ``Oracle``.
    """

    def __init__(self, objective=None, max_epochs=100, factor=3, hyperband_iterations=1, **kwargs):
        super().__init__(objective=objective, max_trials=None, **kwargs)
        if factor < 2:
            raise LayerfitValueError(
                explain(f"factor={factor!r}.", "an integer of 2 or more.", "factor=3")
            )
        self.hyperband_iterations = hyperband_iterations or math.inf
        self.max_epochs = max_epochs
        self.min_epochs = 1
        self.factor = factor
        self._current_iteration = 0
        self._current_bracket = self._num_brackets() - 1
        self._brackets: list[dict] = []
        self._open_bracket()

    # -- the schedule (pure arithmetic) ---------------------------------------------------------

    def _num_brackets(self) -> int:
        count, epochs = 0, self.max_epochs
        while epochs >= self.min_epochs:
            epochs /= self.factor
            count += 1
        return count

    def _size(self, bracket: int, round_number: int) -> int:
        last_round_size = math.ceil(1 + math.log(self.max_epochs, self.factor)) / (bracket + 1)
        return math.ceil(last_round_size * self.factor ** (bracket - round_number))

    def _epochs(self, bracket: int, round_number: int) -> int:
        return math.ceil(self.max_epochs / self.factor ** (bracket - round_number))

    # -- choosing the next trial ----------------------------------------------------------------

    def populate_space(self, trial_id: str) -> dict:
        self._brackets = [b for b in self._brackets if not self._finished(b)]
        for bracket in self._brackets:
            number, rounds = bracket["bracket_num"], bracket["rounds"]
            if len(rounds[0]) < self._size(number, 0):
                return self._new_model(trial_id, bracket)
            for r in range(1, len(rounds)):
                promoted = self._promote(trial_id, bracket, r)
                if promoted is not None:
                    return promoted
        last_bracket = self._current_bracket == 0
        if last_bracket and self._current_iteration + 1 == self.hyperband_iterations:
            if self.ongoing_trials:
                return {"status": TrialStatus.IDLE}
            return {"status": TrialStatus.STOPPED}
        self._next_bracket()
        self._open_bracket()
        return self._new_model(trial_id, self._brackets[-1])

    def _promote(self, trial_id: str, bracket: dict, r: int) -> dict | None:
        """The best model of round r - 1 not yet promoted, when round r has room for it."""
        number, rounds = bracket["bracket_num"], bracket["rounds"]
        taken = {entry["past_id"] for entry in rounds[r]}
        candidates = [
            self.trials[entry["id"]]
            for entry in rounds[r - 1]
            if entry["id"] not in taken and self.trials[entry["id"]].status == "COMPLETED"
        ]
        # Promote only while more finished candidates wait than the round drops.
        if len(candidates) <= self._size(number, r - 1) - self._size(number, r):
            return None
        best = sorted(candidates, key=lambda t: t.score, reverse=self.objective.direction == "max")[
            0
        ]
        values = dict(best.hyperparameters.values)
        values.update(
            {
                "tuner/trial_id": best.trial_id,
                "tuner/epochs": self._epochs(number, r),
                "tuner/initial_epoch": self._epochs(number, r - 1),
                "tuner/bracket": self._current_bracket,
                "tuner/round": r,
            }
        )
        rounds[r].append({"past_id": best.trial_id, "id": trial_id})
        return {"status": TrialStatus.RUNNING, "values": values}

    def _new_model(self, trial_id: str, bracket: dict) -> dict:
        values = self._random_values()
        if values is None:
            status = TrialStatus.IDLE if self.ongoing_trials else TrialStatus.STOPPED
            return {"status": status}
        number = bracket["bracket_num"]
        values.update(
            {
                "tuner/epochs": self._epochs(number, 0),
                "tuner/initial_epoch": 0,
                "tuner/bracket": self._current_bracket,
                "tuner/round": 0,
            }
        )
        bracket["rounds"][0].append({"past_id": None, "id": trial_id})
        return {"status": TrialStatus.RUNNING, "values": values}

    def _finished(self, bracket: dict) -> bool:
        last = len(bracket["rounds"]) - 1
        return len(bracket["rounds"][last]) == self._size(bracket["bracket_num"], last)

    def _open_bracket(self) -> None:
        rounds = [[] for _ in range(self._current_bracket + 1)]
        self._brackets.append({"bracket_num": self._current_bracket, "rounds": rounds})

    def _next_bracket(self) -> None:
        self._current_bracket -= 1
        if self._current_bracket < 0:
            self._current_bracket = self._num_brackets() - 1
            self._current_iteration += 1

    def _compute_values_hash(self, values: dict) -> str:
        # The same point continued in a later round is still the same point.
        point = {k: v for k, v in values.items() if k not in _SCHEDULE_KEYS}
        return super()._compute_values_hash(point)

    # -- saving ---------------------------------------------------------------------------------

    def get_state(self) -> dict:
        state = super().get_state()
        state.update(
            hyperband_iterations=None
            if self.hyperband_iterations == math.inf
            else self.hyperband_iterations,
            brackets=self._brackets,
            current_bracket=self._current_bracket,
            current_iteration=self._current_iteration,
        )
        return state

    def set_state(self, state: dict) -> None:
        super().set_state(state)
        self._brackets = state["brackets"]
        self._current_bracket = state["current_bracket"]
        self._current_iteration = state["current_iteration"]
