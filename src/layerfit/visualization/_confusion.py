"""plot_confusion_matrix: counts of (true class, predicted class) pairs as an annotated grid."""

from __future__ import annotations

import numpy as np

from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.visualization._arrays import class_name, to_labels
from layerfit.visualization._matplotlib import new_figure, save_figure

_NORMALIZE = Registry("normalize option")
_NORMALIZE.register("true", "true")
_NORMALIZE.register("pred", "pred")
_NORMALIZE.register("all", "all")
_MAX_ANNOTATED = 30


def plot_confusion_matrix(y_true, y_pred, class_names=None, normalize=False, *, ax=None, save=None):
    """Plots the confusion matrix: rows are true classes, columns predicted ones.

    ``y_true`` and ``y_pred`` may each be class ids, one-hot rows or probabilities (the
    largest one is the class); a single column of probabilities is thresholded at 0.5.

    Args:
        y_true: the true labels.
        y_pred: the predictions, e.g. ``model.predict(x_test)``.
        class_names: the name of each class id. Defaults to None (ids as numbers).
        normalize: False for counts; True or 'true' divides each row by its total (the
            recall of each class), 'pred' each column (the precision), 'all' the whole
            matrix. Defaults to False.
        ax: a matplotlib Axes to draw on. Defaults to a new figure.
        save: a file path; the figure is also written there. Defaults to None.

    Returns:
        The matplotlib Figure.

    Example:
    >>> plot_confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], class_names=["a", "b", "c"])
    ...  # doctest: +SKIP
    """
    true, predicted = to_labels(y_true, "y_true"), to_labels(y_pred, "y_pred")
    if len(true) != len(predicted):
        raise LayerfitValueError(
            explain(
                f"plot_confusion_matrix got {len(true)} y_true labels and {len(predicted)} "
                "y_pred predictions.",
                "one prediction per label.",
                "predict on the same samples: y_pred = model.predict(x_test) with y_test.",
            )
        )
    classes = max(
        len(class_names) if class_names is not None else 0,
        int(true.max(initial=-1)) + 1,
        int(predicted.max(initial=-1)) + 1,
        *(np.shape(v)[1] for v in (y_true, y_pred) if np.ndim(v) == 2 and np.shape(v)[1] > 1),
    )
    names = [class_name(class_names, label) for label in range(classes)]
    matrix = confusion_matrix(true, predicted, classes, normalize)
    figure, axis = _figure_and_axis(ax, classes)
    _draw(axis, matrix, names, normalized=normalize not in (False, None))
    if save is not None:
        save_figure(figure, save)
    return figure


def confusion_matrix(
    true: np.ndarray, predicted: np.ndarray, classes: int, normalize=False
) -> np.ndarray:
    """The (classes, classes) matrix of counts, or of fractions when ``normalize`` is set."""
    counts = np.bincount(true * classes + predicted, minlength=classes * classes)
    counts = counts.reshape(classes, classes).astype(float)
    if normalize is False or normalize is None:
        return counts
    how = "true" if normalize is True else _normalize_option(normalize)
    if how == "all":
        total = counts.sum()
        return counts / total if total else counts
    totals = counts.sum(axis=1 if how == "true" else 0, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def _normalize_option(normalize) -> str:
    if isinstance(normalize, str) and normalize in _NORMALIZE:
        return _NORMALIZE.get(normalize)
    raise LayerfitValueError(
        explain(
            f"plot_confusion_matrix got normalize={normalize!r}.",
            "False (counts), True or 'true' (per true class), 'pred' (per predicted class) "
            "or 'all'.",
            "normalize=True shows each class's share of correct predictions.",
        )
    )


def _figure_and_axis(ax, classes: int):
    if ax is not None:
        return ax.figure, ax
    side = min(max(4.5, 0.45 * classes + 2.5), 16)
    figure = new_figure(figsize=(side + 1, side), layout="constrained")
    return figure, figure.add_subplot()


def _draw(axis, matrix: np.ndarray, names: list[str], normalized: bool) -> None:
    classes = len(names)
    image = axis.imshow(
        matrix, cmap="Blues", vmin=0, vmax=1 if normalized else None, interpolation="nearest"
    )
    axis.figure.colorbar(image, ax=axis, fraction=0.046, pad=0.04)
    axis.set_xticks(range(classes), names)
    axis.set_yticks(range(classes), names)
    if any(len(name) > 3 for name in names):
        axis.tick_params(axis="x", labelrotation=45)
        for label in axis.get_xticklabels():
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    axis.set_xlabel("Predicted label")
    axis.set_ylabel("True label")
    axis.set_title("Confusion matrix" + (" (normalized)" if normalized else ""))
    if classes > _MAX_ANNOTATED:
        return
    threshold = (1.0 if normalized else matrix.max()) / 2  # white text on dark cells
    for row in range(classes):
        for column in range(classes):
            value = matrix[row, column]
            axis.text(
                column,
                row,
                f"{value:.2f}" if normalized else f"{int(value)}",
                ha="center",
                va="center",
                fontsize="small",
                color="white" if value > threshold else "black",
            )
