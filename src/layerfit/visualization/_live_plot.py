"""LivePlot: learning curves that redraw after every epoch while the model trains."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from layerfit.callbacks import Callback
from layerfit.errors import localize
from layerfit.visualization._history import choose_panels, draw_curves, read_curves
from layerfit.visualization._matplotlib import in_notebook, require_matplotlib


class LivePlot(Callback):
    """Redraws the learning curves after each epoch: in place in Jupyter, else into a PNG file.

    The last frame, drawn when training ends, also marks where EarlyStopping stopped and
    which epoch's weights it restored, as ``history.plot()`` does.

    Args:
        metrics: a name or list of names to plot ('loss', 'accuracy', ...); a name and its
            'val_' twin share a panel. Defaults to every logged metric.
        filename: the PNG file rewritten each epoch outside Jupyter. Defaults to
            'learning_curves.png' in the working directory.
        min_interval: the least number of seconds between two redraws, so that epochs
            shorter than a drawing (about 0.1 s) do not spend their time drawing; the last
            epoch is always drawn. Defaults to 0.5.

    Attributes:
        figure: the matplotlib Figure of the last frame, or None before the first epoch.
        frames: how many frames were drawn this fit.

    Example:
    >>> model.fit(x, y, validation_split=0.2, epochs=30,
    ...           callbacks=[EarlyStopping(patience=3), LivePlot()])  # doctest: +SKIP
    """

    def __init__(self, metrics=None, filename="learning_curves.png", min_interval: float = 0.5):
        super().__init__()
        require_matplotlib()
        self.metrics = metrics
        self.filename = Path(filename)
        self.min_interval = float(min_interval)
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.frames = 0
        self.figure = None
        self._display = None
        self._last_draw = -float("inf")

    def on_train_begin(self, logs=None):
        self.history, self.epoch, self.frames = {}, [], 0
        self.figure, self._display = None, None
        self._last_draw = -float("inf")
        if not in_notebook():
            print(
                localize(f"LivePlot: the learning curves are redrawn in {self.filename.resolve()}")
            )

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if time.monotonic() - self._last_draw >= self.min_interval:
            self._redraw(early_stopping=None)

    def on_train_end(self, logs=None):
        if self.epoch:
            history = getattr(self.model, "history", None)
            self._redraw(early_stopping=getattr(history, "early_stopping", None))

    def _redraw(self, early_stopping) -> None:
        curves = read_curves(self, early_stopping)
        panels = choose_panels(curves.series, self.metrics)
        figure = self._figure_for(len(panels))
        figure.clear()
        draw_curves(list(figure.subplots(1, len(panels), squeeze=False)[0]), curves, panels)
        self._show(figure)
        self.frames += 1
        self._last_draw = time.monotonic()

    def _figure_for(self, panel_count: int):
        if self.figure is None:
            from matplotlib.figure import Figure

            # A bare Figure, not pyplot's: nothing global to leak, and no second copy drawn
            # by Jupyter's inline backend at the end of the cell.
            self.figure = Figure(figsize=(4.8 * panel_count, 3.4), layout="constrained")
        return self.figure

    def _show(self, figure) -> None:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        if in_notebook():
            from IPython.display import Image, display

            if self._display is None:
                self._display = display(Image(data=buffer.getvalue()), display_id=True)
            else:
                self._display.update(Image(data=buffer.getvalue()))
            return
        # Write then rename, so an image viewer never reads a half-written file.
        partial = self.filename.with_name(self.filename.name + ".part")
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, self.filename)
