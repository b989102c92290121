"""Learning curves: one panel per metric with its ``val_`` twin, and the epochs that matter marked.

The marks come from the EarlyStopping of the fit: the best epoch of its monitored value, the
epoch where it stopped training and the epoch whose weights it restored. Epochs are numbered
from 1 on the x axis, as the progress bar and EarlyStopping's messages count them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from layerfit._registry import Registry, closest
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.visualization._matplotlib import new_figure, require_matplotlib, save_figure

# Same rule as EarlyStopping(mode="auto"): these names rise as the model improves.
_RISING = ("acc", "auc", "precision", "recall", "f1", "iou")
_OLD_NAMES = {"acc": "accuracy", "lr": "learning_rate"}


@dataclass
class Curves:
    """What a learning-curve plot needs: the series, their epoch numbers, the EarlyStopping."""

    series: dict[str, np.ndarray]
    epochs: np.ndarray  # 1-based epoch numbers of the longest series
    early_stopping: object = None


def plot_history(history, metrics=None, ax=None, *, early_stopping=None, save=None):
    """Plots the learning curves of a fit: one panel per metric, with its validation twin.

    The best epoch of the monitored value (EarlyStopping's ``monitor``, else 'val_loss' or
    'loss') is starred; when EarlyStopping stopped the fit or restored weights, those epochs
    get vertical lines on every panel.

    Args:
        history: the ``History`` that ``model.fit`` returns, or its ``history`` dict.
        metrics: a name or list of names ('loss', 'accuracy', ...) to plot; a name and its
            'val_' twin share a panel. Defaults to every logged metric.
        ax: a matplotlib Axes (one panel) or a list of Axes (one per panel) to draw on.
            Defaults to a new figure.
        early_stopping: the EarlyStopping callback of the fit, to mark its epochs when
            ``history`` is a plain dict. Defaults to the one the History recorded.
        save: a file path; the figure is also written there (PNG unless the extension says
            otherwise). Defaults to None (not saved).

    Returns:
        The matplotlib Figure.

    Example:
    >>> history = model.fit(x, y, validation_split=0.2, epochs=20)  # doctest: +SKIP
    >>> fig = plot_history(history, save="curves.png")  # doctest: +SKIP
    """
    curves = read_curves(history, early_stopping)
    panels = choose_panels(curves.series, metrics)
    figure, axes = _axes_for(ax, panels)
    draw_curves(axes, curves, panels)
    if save is not None:
        save_figure(figure, save)
    return figure


def read_curves(history, early_stopping=None) -> Curves:
    """Reads a History object or a ``{name: [value per epoch]}`` dict into Curves."""
    record = getattr(history, "history", history)
    if not isinstance(record, Mapping):
        raise LayerfitTypeError(
            explain(
                f"plot_history got {type(history).__name__}, which holds no learning curves.",
                "the History that model.fit returns, or its .history dict.",
                "history = model.fit(...); then plot_history(history) or history.plot().",
            )
        )
    series = {str(key): _floats(key, values) for key, values in record.items()}
    series = {key: values for key, values in series.items() if values.size}
    if not series:
        raise LayerfitValueError(
            explain(
                "plot_history got a history with no epochs recorded.",
                "the History of a fit that ran at least one epoch.",
                "train first: history = model.fit(x, y, epochs=10), then history.plot().",
            )
        )
    count = max(values.size for values in series.values())
    recorded = list(getattr(history, "epoch", None) or [])
    epochs = (
        np.asarray(recorded, float) + 1 if len(recorded) == count else np.arange(1.0, count + 1)
    )
    if early_stopping is None:
        early_stopping = getattr(history, "early_stopping", None)
    if early_stopping is not None and not hasattr(early_stopping, "monitor"):
        raise LayerfitTypeError(
            explain(
                f"early_stopping is {type(early_stopping).__name__}, not an EarlyStopping.",
                "the EarlyStopping callback passed to model.fit, or None.",
                "pass early_stopping=es where es = EarlyStopping(...) was in callbacks=[es].",
            )
        )
    return Curves(series, epochs, early_stopping)


def _floats(key, values) -> np.ndarray:
    if isinstance(values, int | float) or np.ndim(values) == 0:
        values = [values]
    try:
        return np.array([math.nan if v is None else float(v) for v in values], dtype=float)
    except (TypeError, ValueError) as error:
        raise LayerfitValueError(
            explain(
                f"history[{key!r}] holds a value that is not a number ({error}).",
                "a list with one number per epoch.",
                "pass the History that model.fit returns, unchanged.",
            )
        ) from error


def choose_panels(series: Mapping, metrics=None) -> list[str]:
    """The panel names: every logged metric, or the ``metrics`` asked for (case-blind)."""
    bases = list(dict.fromkeys(key.removeprefix("val_") for key in series))
    if metrics is None:  # the loss first, as Keras logs it, then the metrics in logged order
        return sorted(bases, key=lambda base: base != "loss")
    names = [metrics] if isinstance(metrics, str) else metrics
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise LayerfitTypeError(
            explain(
                f"metrics is {metrics!r}.",
                "a metric name or a list of names, such as ['loss', 'accuracy'].",
                f"use names from this history: {sorted(series)}.",
            )
        )
    registry = Registry("metric")
    for key in series:
        registry.register(key.removeprefix("val_"), key)
    for old, new in _OLD_NAMES.items():
        for prefix in ("", "val_"):
            if prefix + new in series and prefix + old not in registry:
                registry.register(new, prefix + old)
    panels = []
    for name in names:
        if name not in registry:
            suggestions = closest(name, list(series))
            hint = f"did you mean {suggestions[0]!r}?" if suggestions else ""
            raise LayerfitValueError(
                explain(
                    f"plot_history has no metric {name!r} in this history.",
                    f"one of the logged names: {sorted(series)}.",
                    f"{hint} Metrics appear in the history when compile(metrics=[...]) "
                    "lists them; val_ ones need validation data.".strip(),
                )
            )
        panels.append(registry.get(name))
    return list(dict.fromkeys(panels))


def _axes_for(ax, panels: list[str]):
    if ax is None:
        columns = min(len(panels), 3)
        rows = math.ceil(len(panels) / columns)
        figure = new_figure(figsize=(4.8 * columns, 3.4 * rows), layout="constrained")
        grid = figure.subplots(rows, columns, squeeze=False).ravel()
        for extra in grid[len(panels) :]:
            extra.remove()
        return figure, list(grid[: len(panels)])
    from matplotlib.axes import Axes

    axes = [ax] if isinstance(ax, Axes) else list(np.ravel(np.asarray(ax, dtype=object)))
    if not all(isinstance(a, Axes) for a in axes) or len(axes) != len(panels):
        raise LayerfitValueError(
            explain(
                f"ax holds {len(axes)} matplotlib Axes for {len(panels)} panels {panels}.",
                "one Axes per panel.",
                f"pass metrics={panels[0]!r} to draw one panel, or "
                f"fig, axes = plt.subplots(1, {len(panels)}) and ax=axes.",
            )
        )
    return axes[0].figure, axes


def draw_curves(axes, curves: Curves, panels: list[str]) -> None:
    """Draws each panel's curves on its Axes and marks the epochs that matter."""
    require_matplotlib()
    from matplotlib.ticker import MaxNLocator

    for axis, panel in zip(axes, panels):
        for key, style in ((panel, "-"), ("val_" + panel, "--")):
            if key in curves.series:
                values = curves.series[key]
                axis.plot(
                    _epochs_of(values, curves.epochs),
                    values,
                    style,
                    marker="o",
                    markersize=3,
                    label=key,
                    gid=key,
                )
        axis.set_title(panel)
        axis.set_xlabel("epoch")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
    _mark_best(axes, curves, panels)
    _mark_early_stopping(axes, curves.early_stopping)
    for axis in axes:
        axis.legend(fontsize="small")


def _epochs_of(values: np.ndarray, epochs: np.ndarray) -> np.ndarray:
    """Epoch numbers of a series; a shorter val_ series was logged every k-th epoch."""
    if values.size >= epochs.size:
        return np.arange(1.0, values.size + 1) if values.size > epochs.size else epochs
    step = epochs.size // values.size  # validation_freq=k logs val_ at epochs k, 2k, ...
    return epochs[step - 1 :: step][: values.size]


def monitored(curves: Curves) -> tuple[str | None, str]:
    """The monitored name and its direction ('min' or 'max')."""
    stopper = curves.early_stopping
    if stopper is not None:
        mode = getattr(stopper, "resolved_mode", None) or getattr(stopper, "mode", "auto")
        if mode in ("min", "max"):
            return stopper.monitor, mode
        name = stopper.monitor
    else:
        name = next((key for key in ("val_loss", "loss") if key in curves.series), None)
    rising = name is not None and any(part in name.removeprefix("val_") for part in _RISING)
    return name, "max" if rising else "min"


def best_epoch(curves: Curves) -> tuple[str, float, float] | None:
    """(monitored name, epoch number, value) of the best epoch, or None when not logged."""
    name, mode = monitored(curves)
    if name not in curves.series or np.all(np.isnan(curves.series[name])):
        return None
    values = curves.series[name]
    epochs = _epochs_of(values, curves.epochs)
    stopper = curves.early_stopping
    if stopper is not None and getattr(stopper, "best", None) is not None:
        matches = np.flatnonzero(epochs == stopper.best_epoch + 1)
        if matches.size:
            return name, float(epochs[matches[0]]), float(values[matches[0]])
    index = int(np.nanargmin(values) if mode == "min" else np.nanargmax(values))
    return name, float(epochs[index]), float(values[index])


def _mark_best(axes, curves: Curves, panels: list[str]) -> None:
    best = best_epoch(curves)
    if best is None or best[0].removeprefix("val_") not in panels:
        return
    name, epoch, value = best
    axis = axes[panels.index(name.removeprefix("val_"))]
    axis.plot(
        [epoch],
        [value],
        linestyle="none",
        marker="*",
        markersize=14,
        color="crimson",
        zorder=5,
        gid="best",
        label=f"best {name} {_number(value)} (epoch {epoch:g})",
    )


def _mark_early_stopping(axes, stopper) -> None:
    if stopper is None:
        return
    stopped = getattr(stopper, "stopped_epoch", 0) or 0
    restored = restored_epoch(stopper)
    for axis in axes:
        if stopped > 0:
            axis.axvline(
                stopped + 1,
                color="0.35",
                linestyle=":",
                linewidth=1.5,
                gid="stopped",
                label=f"early stop (epoch {stopped + 1})",
            )
        if restored is not None:
            axis.axvline(
                restored + 1,
                color="tab:green",
                linestyle="-.",
                linewidth=1.5,
                gid="restored",
                label=f"weights restored (epoch {restored + 1})",
            )


def restored_epoch(stopper) -> int | None:
    """The 0-based epoch whose weights EarlyStopping restored, or is about to restore.

    EarlyStopping restores in ``on_train_end``; a LivePlot listed before it in ``callbacks``
    draws its last frame first, so it reads the epoch that is about to be restored.
    """
    restored = getattr(stopper, "restored_epoch", None)
    if restored is None and getattr(stopper, "restore_best_weights", False):
        if getattr(stopper, "best_weights", None) is not None:
            restored = getattr(stopper, "best_epoch", None)
    return restored


def _number(value: float) -> str:
    """4 significant digits, without an exponent for values a loss commonly takes."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"
