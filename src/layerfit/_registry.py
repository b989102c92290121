"""Name -> object lookup shared by every family a user names with a string.

Lookups ignore case, '-' and '_' so 'ReLU', 'Sparse-Categorical-Crossentropy' and
'sparse_categorical_crossentropy' all resolve; an unknown name raises an error that lists the
closest valid names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any

from layerfit.errors import LayerfitValueError, explain, warn


def normalize(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "").replace(" ", "")


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Returns up to ``n`` candidates closest to ``name``, compared case and '_'/'-' blind."""
    candidates = list(dict.fromkeys(candidates))
    by_key = {}
    for candidate in candidates:
        by_key.setdefault(normalize(candidate), candidate)
    key = normalize(name)
    matches = difflib.get_close_matches(key, list(by_key), n=max(n, 10), cutoff=0.5)
    # Rank by typing distance (a swapped pair of letters counts once: 'adma' -> 'adam' before
    # 'adamax'), keeping difflib's order among equals.
    distances = {m: edit_distance(key, m) for m in matches}
    ranked = sorted(matches, key=distances.get)
    # Only names about as close as the best: difflib's ratio also likes long names sharing
    # scattered letters ('activaton' and 'quantization_config').
    ranked = [m for m in ranked if distances[m] <= distances[ranked[0]] + 2] if ranked else []
    return [by_key[m] for m in ranked[:n]]


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours turning ``a`` into ``b``."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]


class Registry:
    """A family of named objects ('loss', 'activation', ...) with aliases."""

    def __init__(self, kind: str, keras_exact: bool = False):
        self.kind = kind
        # Keras looks these names up exactly (activations, losses, ...): another case or
        # separator works here but not in Keras, so it warns once naming Keras's spelling.
        self.keras_exact = keras_exact
        self._by_key: dict[str, Any] = {}
        self._public_names: list[str] = []

    def register(self, obj: Any, *names: str) -> Any:
        """Registers ``obj`` under each of ``names`` (the first is the canonical one)."""
        for name in names:
            self._by_key[normalize(name)] = obj
            self._public_names.append(name)
        return obj

    def add(self, *names: str) -> Callable[[Any], Any]:
        """Decorator form of ``register``."""

        def decorate(obj: Any) -> Any:
            return self.register(obj, *(names or (obj.__name__,)))

        return decorate

    def names(self) -> list[str]:
        return list(self._public_names)

    def __contains__(self, name: str) -> bool:
        return isinstance(name, str) and normalize(name) in self._by_key

    def get(self, name: str) -> Any:
        key = normalize(name)
        if key in self._by_key:
            if self.keras_exact and not _keras_spelling(name, self._by_key[key], self):
                self._warn_spelling(name, key)
            return self._by_key[key]
        suggestions = closest(name, self._public_names)
        hint = (
            "Did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
            if suggestions
            else f"Use one of: {', '.join(sorted(set(self._public_names)))}."
        )
        raise LayerfitValueError(
            explain(
                f"Unknown {self.kind} {name!r}.",
                f"one of layerfit's {self.kind} names, or a callable.",
                hint,
            )
        )

    def _warn_spelling(self, name: str, key: str) -> None:
        if (self.kind, name) in _warned_spellings:
            return
        _warned_spellings.add((self.kind, name))
        spelling = next(n for n in self._public_names if normalize(n) == key)
        warn(
            f"{self.kind} {name!r} is spelled {spelling!r} in Keras: layerfit accepts "
            "other cases and separators, Keras raises ValueError for them.",
            f"{spelling!r}.",
            f"write {spelling!r} so the code also runs in Keras.",
        )


def _keras_spelling(name: str, obj: Any, registry: Registry) -> bool:
    """Whether Keras finds ``name`` too: a registered name, or the object's class or function
    name, or its snake_case form (Keras's tables hold all three)."""
    if name in registry._public_names:
        return True
    own = getattr(obj, "__name__", None) or type(obj).__name__
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", own).lower()
    return name in (own, snake)


_warned_spellings: set[tuple[str, str]] = set()  # once per session (clear_session resets it)


def reset_warnings() -> None:
    """Lets each spelling warning show again (called by ``backend.clear_session``)."""
    _warned_spellings.clear()


def parse_config(config, kind: str, example: str) -> tuple[str, dict]:
    """(class name, constructor arguments) from a name or a ``{'class_name', 'config'}`` dict.

    The one reading of what ``serialize`` writes, shared by every family's ``deserialize``.

    Example:
    >>> parse_config({"class_name": "L2", "config": {"l2": 0.5}}, "regularizer", "l2")
    ('L2', {'l2': 0.5})
    """
    if isinstance(config, str):
        return config, {}
    if isinstance(config, dict) and "class_name" in config:
        return config["class_name"], config.get("config") or {}
    raise LayerfitValueError(
        explain(
            f"Could not interpret {kind} config {config!r}.",
            f"a name such as {example!r} or a dict with 'class_name' and 'config'.",
        )
    )
