"""What EarlyStopping and ModelCheckpoint share: reading a monitored value from the logs."""

from __future__ import annotations

import math

from layerfit._registry import closest
from layerfit.errors import LayerfitValueError, explain, warn

_RISING = ("acc", "auc", "precision", "recall", "f1", "iou")
_OLD_NAMES = {"acc": "accuracy", "val_acc": "val_accuracy"}


class MonitorMixin:
    """Resolves ``mode`` and finds ``monitor`` in the logs, warning once when it is missing."""

    def init_monitor(self, monitor: str, mode: str) -> None:
        if mode not in ("auto", "min", "max"):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got mode={mode!r}.",
                    "'auto', 'min' or 'max'.",
                    "use mode='min' for losses and errors, mode='max' for accuracies.",
                )
            )
        self.monitor = monitor
        self.mode = mode
        self._warned_missing = False

    @property
    def resolved_mode(self) -> str:
        if self.mode != "auto":
            return self.mode
        name = self.monitor.removeprefix("val_")
        return "max" if any(part in name for part in _RISING) else "min"

    def is_improvement(self, current: float, reference, min_delta: float) -> bool:
        if reference is None:
            return True
        if self.resolved_mode == "min":
            return current + min_delta < reference
        return current - min_delta > reference

    def reset_monitor_warning(self) -> None:
        self._warned_missing = False

    def monitor_value(self, logs) -> float | None:
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            if not self._warned_missing:
                self._warned_missing = True
                warn(*self._missing_message(logs))
            return None
        value = float(value)
        return None if math.isnan(value) else value

    def _missing_message(self, logs: dict):
        keys = sorted(logs)
        what = (
            f"{type(self).__name__} monitors {self.monitor!r}, which is not in the logs; "
            f"it does nothing this run. Logged keys: {keys}."
        )
        if self.monitor in _OLD_NAMES:
            fix = f"use monitor={_OLD_NAMES[self.monitor]!r} (the Keras 3 name)."
        elif self.monitor.startswith("val_") and not any(k.startswith("val_") for k in keys):
            fix = (
                "val_ values need validation data: pass validation_split=0.2 or "
                "validation_data=(x_val, y_val) to fit, or monitor "
                f"{self.monitor.removeprefix('val_')!r}."
            )
        else:
            suggestions = closest(self.monitor, keys)
            fix = f"use one of {suggestions or keys}."
        return what, "a key that fit logs every epoch.", fix
