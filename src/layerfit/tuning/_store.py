"""Finished trials on disk: one JSON file each, written atomically, so a search resumes.

``search.json`` records what the search is (build function, objective, fit arguments, data
shapes, seed); rerunning with a different search in the same folder is refused rather than
mixing results. A trial file appears complete or not at all (temp file + rename), so killing
the search loses only the trials in flight. Nothing is pickled.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path

import numpy as np

from layerfit.errors import LayerfitValueError, explain
from layerfit.utils._atomic import write_json

_META = "search.json"
_JSON = {"indent": 1, "sort_keys": True, "allow_nan": False}  # readable, diffable, strict


def fresh_seed() -> int:
    return secrets.randbelow(2**31)


class TrialStore:
    """The trials of one search in ``directory``."""

    def __init__(self, directory, description: dict, seed: int | None, overwrite: bool = False):
        self.path = Path(directory)
        self.path.mkdir(parents=True, exist_ok=True)
        if overwrite:
            for old in [*self.path.glob("trial_*.json"), self.path / _META]:
                old.unlink(missing_ok=True)
        for stale in self.path.glob(".*.tmp"):  # left by a search killed while writing
            stale.unlink(missing_ok=True)
        meta_path = self.path / _META
        saved = {}
        if meta_path.exists():
            saved = json.loads(meta_path.read_text(encoding="utf-8"))
            self._check_same(saved, description, seed)
        # An unseeded search keeps the seed it drew the first time, so a rerun resumes it.
        self.seed = seed if seed is not None else saved.get("seed", fresh_seed())
        write_json(meta_path, {"search": description, "seed": self.seed}, **_JSON)

    def _check_same(self, saved: dict, description: dict, seed: int | None) -> None:
        old = saved.get("search", {})
        changed = sorted(
            key for key in set(old) | set(description) if old.get(key) != description.get(key)
        )
        if seed is not None and saved.get("seed") not in (None, seed):
            changed.append("seed")
        if changed:
            details = "; ".join(
                f"{key}: {old.get(key, saved.get(key))!r} then, {description.get(key, seed)!r} now"
                for key in changed
            )
            raise LayerfitValueError(
                explain(
                    f"{self.path} holds the trials of a different search ({details}).",
                    "the same build function, objective, fit arguments and data to resume.",
                    "pass a new directory=, or overwrite=True to discard the old trials.",
                )
            )

    def load(self) -> dict[str, dict]:
        """Finished trials by id; an unreadable file (a foreign one) is skipped."""
        trials = {}
        for path in sorted(self.path.glob("trial_*.json")):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(record, dict) and "trial_id" in record:
                trials[record["trial_id"]] = record
        return trials

    def save(self, record: dict) -> None:
        write_json(self.path / f"trial_{record['trial_id']}.json", record, **_JSON)


def describe(value):
    """A short, JSON-able identity of a fit argument or data: arrays by shape and checksum."""
    if isinstance(value, dict):
        return {str(key): describe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [describe(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "shape"):
        array = value.to_numpy() if hasattr(value, "to_numpy") else value
        if hasattr(array, "detach"):
            array = array.detach().cpu().numpy()
        array = np.ascontiguousarray(array)
        digest = hashlib.sha256(array.tobytes()).hexdigest()[:12] if array.nbytes < 2**27 else ""
        return f"{array.dtype}{list(array.shape)}:{digest}"
    return type(value).__name__


def describe_callback(callback) -> str:
    settings = {
        k: v
        for k, v in vars(callback).items()
        if isinstance(v, (bool, int, float, str)) and not k.startswith("_")
    }
    return f"{type(callback).__name__}({settings})"
