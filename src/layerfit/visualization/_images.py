"""show_images: a grid of images with their labels, and the wrong predictions marked."""

from __future__ import annotations

import math

import numpy as np

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.visualization._arrays import as_array, class_name, to_labels
from layerfit.visualization._matplotlib import new_figure, save_figure

_COLUMNS = 10
_RIGHT, _WRONG = "tab:green", "crimson"


def show_images(x, y=None, class_names=None, n=10, predictions=None, *, cmap="gray_r", save=None):
    """Shows the first ``n`` images in a grid, titled with their labels.

    Accepts (N, H, W), (N, H, W, 1), (N, H, W, 3) and channels-first (N, 1 or 3, H, W) images,
    and flattened rows such as (N, 784), reshaped back to squares (or to (s, s, 3) when the
    length is three times a square). With ``predictions``, each title shows the predicted
    class, and the wrong ones are framed and titled in red with the true class.

    Args:
        x: the images, as a numpy array, tensor or nested list.
        y: the true labels: class ids, or one-hot rows. Defaults to None (no titles).
        class_names: the name of each class id, e.g. a dataset's ``class_names``.
            Defaults to None (ids are shown as numbers).
        n: how many images to show, from the first. Defaults to 10.
        predictions: predicted class ids, or the probabilities ``model.predict`` returns.
            Defaults to None.
        cmap: matplotlib colormap of one-channel images; 'gray_r' draws ink dark on white.
            Defaults to 'gray_r'.
        save: a file path; the figure is also written there. Defaults to None.

    Returns:
        The matplotlib Figure.

    Example:
    >>> (x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()  # doctest: +SKIP
    >>> show_images(x_train, y_train, class_names=keras.datasets.fashion_mnist.class_names)
    ...  # doctest: +SKIP
    """
    images = to_images(x)
    count = _count(n, len(images))
    true = _labels_for(y, "y", len(images))
    predicted = _labels_for(predictions, "predictions", len(images))
    rows, columns = math.ceil(count / _COLUMNS), min(count, _COLUMNS)
    figure = new_figure(figsize=(1.3 * columns, 1.55 * rows + 0.2), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    low, high = _value_range(images[:count])
    wrong = 0
    for index, axis in enumerate(axes):
        axis.set_xticks([])
        axis.set_yticks([])
        if index >= count:
            axis.set_axis_off()
            continue
        image = images[index]
        if image.ndim == 2:
            axis.imshow(image, cmap=cmap, vmin=low, vmax=high)
        else:
            axis.imshow(np.clip((image - low) / (high - low), 0, 1))
        wrong += _title(axis, index, true, predicted, class_names)
    if true is not None and predicted is not None:
        figure.suptitle(f"{wrong} of {count} predictions wrong", fontsize="medium")
    if save is not None:
        save_figure(figure, save)
    return figure


def to_images(x) -> np.ndarray:
    """(N, H, W) for one channel, (N, H, W, C) for three or four, from any accepted layout."""
    images = as_array(x, "x")
    if images.ndim == 2:
        images = _unflatten(images)
    elif images.ndim == 4 and images.shape[-1] not in (1, 3, 4) and images.shape[1] in (1, 3, 4):
        images = np.moveaxis(images, 1, -1)  # channels first -> channels last
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 3 or (images.ndim == 4 and images.shape[-1] in (3, 4)):
        if len(images) == 0:
            raise LayerfitValueError(
                explain(
                    "show_images got no images (x is empty).",
                    "at least one image.",
                    "pass x[:10], not x[:0].",
                )
            )
        return images.astype(float)
    raise LayerfitValueError(
        explain(
            f"show_images got x of shape {tuple(images.shape)}.",
            "(N, H, W), (N, H, W, 1), (N, H, W, 3) or flattened (N, H*W) images.",
            "for one image use x[None] (or np.expand_dims(x, 0)); "
            "for flattened rows use x.reshape(-1, 28, 28).",
        )
    )


def _unflatten(rows: np.ndarray) -> np.ndarray:
    length = rows.shape[1]
    side = math.isqrt(length)
    if side * side == length:
        return rows.reshape(len(rows), side, side)
    side = math.isqrt(length // 3)
    if length % 3 == 0 and side * side * 3 == length:
        return rows.reshape(len(rows), side, side, 3)
    raise LayerfitValueError(
        explain(
            f"show_images got flattened images of length {length}, which is not a square "
            "(like 784 = 28 x 28) nor three times one.",
            "(N, H, W) images, or flattened rows of square images.",
            "reshape them yourself: show_images(x.reshape(-1, height, width)); "
            "for a single (H, W) image pass x[None].",
        )
    )


def _count(n, available: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise LayerfitTypeError(
            explain(f"show_images got n={n!r}.", "a positive whole number of images.", "n=10")
        )
    return min(int(n), available)


def _labels_for(values, name: str, count: int) -> np.ndarray | None:
    if values is None:
        return None
    labels = to_labels(values, name)
    if len(labels) != count:
        raise LayerfitValueError(
            explain(
                f"show_images got {count} images but {len(labels)} {name}.",
                f"one entry of {name} per image.",
                f"pass matching arrays, e.g. x_test with y_test (or slice both: x[:10], "
                f"{name}[:10]).",
            )
        )
    return labels


def _value_range(images: np.ndarray) -> tuple[float, float]:
    """0-255 for byte images, 0-1 for scaled ones, else the images' own range."""
    low, high = float(np.nanmin(images)), float(np.nanmax(images))
    if low >= 0 and high <= 1:
        return 0.0, 1.0
    if low >= 0 and high <= 255 and np.all(np.mod(images, 1) == 0):
        return 0.0, 255.0
    return low, high if high > low else low + 1.0


def _title(axis, index: int, true, predicted, class_names) -> int:
    """Titles one image; returns 1 when its prediction is wrong."""
    if true is None and predicted is None:
        return 0
    if predicted is None:
        axis.set_title(class_name(class_names, true[index]), fontsize="small")
        return 0
    guess = class_name(class_names, predicted[index])
    if true is None:
        axis.set_title(guess, fontsize="small")
        return 0
    if true[index] == predicted[index]:
        axis.set_title(guess, fontsize="small", color=_RIGHT)
        axis.set_gid("right")
        return 0
    actual = class_name(class_names, true[index])
    axis.set_title(f"{guess}\n(true: {actual})", fontsize="small", color=_WRONG)
    axis.set_gid("wrong")
    for spine in axis.spines.values():
        spine.set_color(_WRONG)
        spine.set_linewidth(2.5)
    return 1
