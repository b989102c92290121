"""History: the per-epoch record that ``fit`` returns."""

from __future__ import annotations

from layerfit.callbacks._callback import Callback


class History(Callback):
    """Records each epoch's logs: ``history.history['val_loss']`` is a list of floats.

    Attributes:
        history: dict from each logged name to its per-epoch values.
        epoch: the epoch indices recorded.
        params: fit's parameters (epochs, steps, verbose).
        early_stopping: the EarlyStopping callback of that fit, or None.
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.early_stopping = None

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}
        self._resume()

    def _resume_state(self) -> dict:
        history = {key: [_plain(v) for v in values] for key, values in self.history.items()}
        return {"epoch": list(self.epoch), "history": history}

    def _load_resume_state(self, state: dict) -> None:
        self.epoch = [int(e) for e in state["epoch"]]
        self.history = {str(k): list(v) for k, v in state["history"].items()}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def plot(self, **kwargs):
        """Plots the learning curves: see ``layerfit.visualization.plot_history``."""
        from layerfit.visualization import plot_history

        return plot_history(self, **kwargs)

    def __repr__(self) -> str:
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"


def _plain(value):
    """A logged value as JSON-ready data: floats stay floats, anything else its float()."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value
