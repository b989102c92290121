"""Keras 3's progress bar: a live line in terminals and notebooks, plain lines in log files."""

from __future__ import annotations

import sys
import time

import numpy as np

from layerfit.callbacks._callback import Callback

_REDRAW_SECONDS = 0.2


def _dynamic_display(stream) -> bool:
    """True in a terminal or a notebook, where the line can redraw in place."""
    isatty = getattr(stream, "isatty", None)
    return bool((isatty and isatty()) or _in_notebook())


def _in_notebook() -> bool:
    # Only a running Jupyter kernel counts: ipykernel merely imported (by a test) does not.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def format_value(value: float) -> str:
    return f"{value:.4f}" if abs(value) > 1e-3 or value == 0 else f"{value:.4e}"


def format_logs(logs: dict) -> str:
    """' - accuracy: 0.9512 - loss: 0.1623 - val_...' in Keras 3's order."""
    keys = sorted(k for k in logs if not k.startswith("val_")) + sorted(
        k for k in logs if k.startswith("val_")
    )
    # A per-class metric (F1Score(average=None)) shows its mean, as Keras's progress bar does.
    return "".join(f" - {key}: {format_value(float(np.mean(logs[key])))}" for key in keys)


def _format_step_time(seconds_per_step: float) -> str:
    if seconds_per_step >= 1:
        return f"{seconds_per_step:.0f}s/step"
    if seconds_per_step >= 1e-3:
        return f"{seconds_per_step * 1e3:.0f}ms/step"
    return f"{seconds_per_step * 1e6:.0f}us/step"


class Progbar:
    """One progress line of ``target`` steps; ``verbose`` 1 is the live bar, 2 one line at the end."""

    def __init__(self, target: int | None, verbose: int = 1, stream=None, width: int = 20):
        self.target = target
        self.verbose = verbose
        self.stream = stream or sys.stdout
        self.width = width
        self.dynamic = _dynamic_display(self.stream)
        self.start = time.perf_counter()
        self._last_draw = 0.0
        self.current = 0

    def update(self, current: int, logs_fn=None, finalize: bool = False) -> None:
        """Redraws at most a few times a second; ``logs_fn`` is only called to draw."""
        self.current = current
        now = time.perf_counter()
        if not finalize and (self.verbose != 1 or not self.dynamic):
            return
        if not finalize and now - self._last_draw < _REDRAW_SECONDS:
            return
        self._last_draw = now
        logs = logs_fn() if logs_fn is not None else {}
        elapsed = now - self.start
        per_step = elapsed / max(current, 1)
        target = self.target or current
        count = f"{current}/{target}".rjust(2 * len(str(target)) + 1)
        if self.verbose == 2:
            line = f"{count} - {elapsed:.0f}s - {_format_step_time(per_step)}{format_logs(logs)}"
            self.stream.write(line + "\n")
        else:
            done = min(self.width, int(self.width * current / max(target, 1)))
            if self.dynamic:
                bar = f"\x1b[32m{'━' * done}\x1b[0m\x1b[37m{'━' * (self.width - done)}\x1b[0m"
            else:
                bar = "━" * self.width
            seconds = elapsed if finalize else per_step * (target - current)
            line = f"{count} {bar} {seconds:.0f}s {_format_step_time(per_step)}{format_logs(logs)}"
            if self.dynamic:
                self.stream.write("\r" + line + "\x1b[K" + ("\n" if finalize else ""))
            else:
                self.stream.write(line + "\n")
        self.stream.flush()


class ProgbarLogger(Callback):
    """Prints 'Epoch i/n' and the progress line; added by ``fit`` when verbose is 1 or 2."""

    _chief_hooks = "all"  # data parallelism: process 0 draws

    def __init__(self, verbose: int = 1):
        super().__init__()
        self.verbose = verbose
        self.bar: Progbar | None = None

    def on_epoch_begin(self, epoch, logs=None):
        epochs = self.params.get("epochs")
        if epochs is None or epochs > 1:  # Keras prints no 'Epoch 1/1' for a single epoch
            sys.stdout.write(f"Epoch {epoch + 1}/{epochs}\n")
        self.bar = Progbar(self.params.get("steps"), self.verbose)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            self.bar.update(self.bar.current, lambda: logs or {}, finalize=True)
