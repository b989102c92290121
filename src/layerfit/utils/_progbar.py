"""Keras's ``utils.Progbar``: a progress bar for your own loops, averaging the values shown."""

from __future__ import annotations

import sys
import time


class Progbar:
    """Displays a progress bar; values not in ``stateful_metrics`` are averaged over steps.

    Args:
        target: the total number of steps, or None if unknown.
        width: the bar's width in characters. Defaults to 20.
        verbose: 0 silent, 1 a bar redrawn in place, 2 one line at the end. Defaults to 1.
        interval: the least seconds between redraws. Defaults to 0.05.
        stateful_metrics: names whose values are shown as given, not averaged.
            Defaults to None.
        stateless_metrics: the other way round: only these names are averaged, the rest
            shown as given. Give one of the two at most. Defaults to None.
        unit_name: the unit shown per step. Defaults to 'step'.

    Example:
    >>> bar = Progbar(100)
    >>> for step in range(100):
    ...     bar.update(step + 1, values=[("loss", 0.5)])
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            from layerfit.errors import LayerfitValueError, explain

            raise LayerfitValueError(
                explain(
                    "Progbar got both stateful_metrics and stateless_metrics.",
                    "one of them: the names shown as given, or the names averaged.",
                    "Progbar(target, stateful_metrics=['lr'])",
                )
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self.unit_name = unit_name
        self._values: dict[str, list[float]] = {}  # name -> [weighted sum, steps] or [value]
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0

    def update(self, current, values=None, finalize=None) -> None:
        """Moves the bar to step ``current``; ``values`` is a list of (name, value) pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            value = float(value)
            averaged = (
                name in self.stateless_metrics
                if self.stateless_metrics is not None
                else name not in self.stateful_metrics
            )
            if not averaged:
                self._values[name] = [value]
                continue
            steps = max(current - self._seen_so_far, 1)
            total, count = self._values.get(name, [0.0, 0])
            self._values[name] = [total + value * steps, count + steps]
        self._seen_so_far = current
        now = time.time()
        if self.verbose == 1 and (finalize or now - self._last_update >= self.interval):
            sys.stdout.write("\r" + self._line(current, now) + ("\n" if finalize else ""))
            sys.stdout.flush()
            self._last_update = now
        elif self.verbose == 2 and finalize:
            sys.stdout.write(self._line(current, now, bar=False) + "\n")
            sys.stdout.flush()

    def add(self, n, values=None) -> None:
        """Advances the bar by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    def value(self, name: str) -> float:
        """The value shown for ``name``: its step-weighted mean, or the last stateful value."""
        entry = self._values[name]
        return entry[0] if len(entry) == 1 else entry[0] / max(entry[1], 1)

    def _line(self, current: int, now: float, bar: bool = True) -> str:
        parts = []
        if self.target is not None:
            if bar:
                done = int(self.width * min(current / max(self.target, 1), 1))
                arrow = ">" if done < self.width else ""
                bar_text = "━" * done + arrow + " " * (self.width - done - len(arrow))
                parts.append(f"{current}/{self.target} {bar_text}")
            else:
                parts.append(f"{current}/{self.target}")
        else:
            parts.append(f"{current}")
        elapsed = now - self._start
        per_step = elapsed / max(current, 1)
        parts.append(f"{elapsed:.0f}s {per_step * 1000:.0f}ms/{self.unit_name}")
        parts += [f"{name}: {self.value(name):.4f}" for name in self._values]
        return " - ".join(parts)
