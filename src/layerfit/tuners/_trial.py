"""One trial: its hyperparameters, status, metrics by step and score, as JSON on disk."""

from __future__ import annotations

import math

from layerfit.tuners._hyperparameters import HyperParameters
from layerfit.tuning._trial import clean, resolve_direction


class TrialStatus:
    """The states of a trial, KerasTuner's names."""

    RUNNING = "RUNNING"
    IDLE = "IDLE"
    INVALID = "INVALID"
    STOPPED = "STOPPED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class MetricsTracker:
    """Every metric a trial reported, by step, and its best value in its direction."""

    def __init__(self, directions: dict | None = None, history: dict | None = None):
        self.directions = dict(directions or {})
        self.history: dict[str, list] = {
            k: [list(p) for p in v] for k, v in (history or {}).items()
        }

    def exists(self, name: str) -> bool:
        return name in self.history

    def register(self, name: str, direction: str | None = None) -> None:
        self.directions[name] = direction or resolve_direction(name, "auto")
        self.history.setdefault(name, [])

    def update(self, name: str, value, step: int = 0) -> None:
        if name not in self.history:
            self.register(name)
        self.history[name].append([int(step), float(value)])

    def get_history(self, name: str) -> list:
        return [value for _, value in self.history.get(name, [])]

    def get_last_value(self, name: str):
        values = self.get_history(name)
        return values[-1] if values else None

    def _best(self, name: str):
        points = [p for p in self.history.get(name, []) if not math.isnan(p[1])]
        if not points:
            return None
        pick = max if self.directions.get(name) == "max" else min
        return pick(points, key=lambda p: p[1])

    def get_best_value(self, name: str):
        best = self._best(name)
        return math.nan if best is None else best[1]

    def get_best_step(self, name: str):
        best = self._best(name)
        return None if best is None else best[0]

    def get_config(self) -> dict:
        return {"directions": self.directions, "history": self.history}


class Trial:
    """A point of the search space being (or having been) evaluated."""

    def __init__(self, hyperparameters: HyperParameters, trial_id: str, status: str = "RUNNING"):
        self.hyperparameters = hyperparameters
        self.trial_id = trial_id
        self.status = status
        self.metrics = MetricsTracker()
        self.score = None
        self.best_step = 0
        self.message = None

    def summary(self) -> None:
        """Prints the trial's hyperparameters and score."""
        print(f"Trial {self.trial_id} summary")
        print("Hyperparameters:")
        self.display_hyperparameters()
        if self.score is not None:
            print(f"Score: {self.score}")
        if self.message is not None:
            print(self.message)

    def display_hyperparameters(self) -> None:
        if not self.hyperparameters.values:
            print("default configuration")
        for name, value in self.hyperparameters.values.items():
            print(f"{name}:", value)

    def to_record(self) -> dict:
        """The trial as a JSON record of the trial store (params: the values)."""
        return clean(
            {
                "trial_id": self.trial_id,
                "params": self.hyperparameters.values,
                "hyperparameters": self.hyperparameters.get_config(),
                "status": self.status,
                "score": self.score,
                "best_step": self.best_step,
                "metrics": self.metrics.get_config(),
                "message": self.message,
            }
        )

    @classmethod
    def from_record(cls, record: dict) -> Trial:
        trial = cls(
            HyperParameters.from_config(record["hyperparameters"]),
            record["trial_id"],
            record["status"],
        )
        trial.score = record.get("score")
        trial.best_step = record.get("best_step") or 0
        trial.metrics = MetricsTracker(**record.get("metrics", {}))
        trial.message = record.get("message")
        return trial

    def __repr__(self):
        return f"Trial(trial_id={self.trial_id!r}, status={self.status!r}, score={self.score})"
