"""RandomSearchOracle and GridSearchOracle."""

from __future__ import annotations

import copy

from layerfit.tuners._oracle import Oracle
from layerfit.tuners._trial import TrialStatus


class RandomSearchOracle(Oracle):
    """Draws every trial's values at random (seeded); stops when no new point is found.

    Args: as ``Oracle``; ``max_trials`` defaults to 10.
    """

    def __init__(self, objective=None, max_trials=10, **kwargs):
        super().__init__(objective=objective, max_trials=max_trials, **kwargs)

    def populate_space(self, trial_id: str) -> dict:
        values = self._random_values()
        if values is None:
            return {"status": TrialStatus.STOPPED, "values": None}
        return {"status": TrialStatus.RUNNING, "values": values}


class GridSearchOracle(Oracle):
    """Tries every combination, in KerasTuner's order: the defaults first, then like an
    odometer whose last hyperparameter turns fastest, each one's default before its other
    values. A float range without ``step`` contributes ten representative values.

    Args: as ``Oracle``; ``max_trials`` defaults to None (the whole grid).
    """

    def __init__(self, objective=None, max_trials=None, **kwargs):
        super().__init__(objective=objective, max_trials=max_trials, **kwargs)
        self._ordered_ids: list[str] = []  # trials in grid order
        self._populate_next: list[str] = []  # finished trials whose successor is not made yet

    def populate_space(self, trial_id: str) -> dict:
        values = None
        if not self.start_order:
            space = self.get_space()
            values = {hp.name: hp.default for hp in space.space if space.is_active(hp)}
            self._ordered_ids.append(trial_id)
            self._populate_next.append(trial_id)
        while self._populate_next and values is None:
            previous = self._populate_next.pop(0)
            candidate = self._next_combination(self.trials[previous].hyperparameters.values)
            if candidate is None:
                continue
            position = self._ordered_ids.index(previous)
            if position + 1 < len(self._ordered_ids):
                following = self.trials[self._ordered_ids[position + 1]].hyperparameters.values
                if self._compare(candidate, following) >= 0:
                    continue  # another trial already covers this stretch of the grid
            self._ordered_ids.insert(position + 1, trial_id)
            values = candidate
        if values is not None:
            return {"status": TrialStatus.RUNNING, "values": values}
        if self.ongoing_trials:
            return {"status": TrialStatus.IDLE, "values": None}
        return {"status": TrialStatus.STOPPED, "values": None}

    def _ladder(self, hp) -> list:
        """The values of ``hp`` in grid order: its default first."""
        values = list(hp.values)
        if hp.default in values:
            values.remove(hp.default)
        return [hp.default, *values]

    def _compare(self, a: dict, b: dict) -> int:
        for hp in self.get_space().space:
            if hp.name not in a or a[hp.name] == b.get(hp.name):
                continue
            ladder = self._ladder(hp)
            return -1 if ladder.index(a[hp.name]) < ladder.index(b[hp.name]) else 1
        return 0

    def _next_combination(self, values: dict) -> dict | None:
        hps = self.get_space()
        hps.values = copy.deepcopy(values)
        for hp in reversed(hps.space):
            ladder = self._ladder(hp)
            value = hps.values.get(hp.name, hp.default)
            if hps.is_active(hp) and value != ladder[-1]:
                hps.values[hp.name] = ladder[ladder.index(value) + 1]
                hps.ensure_active_values()
                return hps.values
            hps.values[hp.name] = hp.default  # this wheel wraps round
        return None

    def end_trial(self, trial) -> None:
        super().end_trial(trial)
        self._populate_next.append(trial.trial_id)

    def get_state(self) -> dict:
        return {
            **super().get_state(),
            "ordered_ids": self._ordered_ids,
            "populate_next": self._populate_next,
        }

    def set_state(self, state: dict) -> None:
        super().set_state(state)
        self._ordered_ids = state["ordered_ids"]
        self._populate_next = state["populate_next"]
