"""The argument checks, input, top and weight download every application shares."""

from __future__ import annotations

import os

from layerfit.errors import LayerfitValueError, explain, warn


def check_weights(weights, include_top, classes) -> None:
    if not (weights in ("imagenet", None) or _is_path(weights)):
        raise LayerfitValueError(
            explain(
                f"weights={weights!r} is neither 'imagenet', None nor an existing file.",
                "'imagenet' (pretrained), None (random) or the path of a weights file.",
                "check the path, or pass weights='imagenet'.",
            )
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise LayerfitValueError(
            explain(
                f"classes={classes} with weights='imagenet' and include_top=True.",
                "classes=1000: the pretrained classifier has 1000 ImageNet classes.",
                "pass include_top=False and add your own head (transfer learning), or "
                "weights=None to train from scratch.",
            )
        )


def _is_path(value) -> bool:
    try:
        return os.path.isfile(os.fspath(value))
    except TypeError:
        return False


def check_choice(name, value, allowed) -> None:
    if value not in allowed:
        raise LayerfitValueError(
            explain(
                f"{name}={value!r} with weights='imagenet'.",
                f"one of {list(allowed)}: Keras published weights for those only.",
                f"pick one of them, or pass weights=None to train with {name}={value!r}.",
            )
        )


def default_size(input_shape, input_tensor, sizes, fallback):
    """The weights' image size the given shape (or tensor) asks for, as Keras chooses it."""
    shape = tuple(input_tensor.shape[1:]) if input_tensor is not None else input_shape
    if shape is not None and shape[0] == shape[1] and shape[0] in sizes:
        return shape[0]
    return fallback


def default_rows_warning(rows):
    warn(
        "input_shape is undefined or non-square, or its size is not one the weights were "
        f"published for; the weights for {rows}x{rows} inputs are loaded.",
        "a square input_shape of a size the weights exist for.",
        "nothing to do if this is what you want (the convolutions work at any size).",
    )
    return rows


def input_for(input_shape, input_tensor):
    from layerfit import layers

    if input_tensor is not None:
        return input_tensor
    return layers.Input(shape=input_shape)


def top(x, include_top, pooling, classes, classifier_activation):
    from layerfit import layers

    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    if pooling is not None:
        raise LayerfitValueError(
            explain(f"pooling={pooling!r}.", "None, 'avg' or 'max'.", "pooling='avg'")
        )
    return x


def model(inputs, outputs, input_tensor, name):
    from layerfit.models import Model

    return Model(inputs, outputs, name=name)


def download(base, file, file_hash=None):
    """Keras's published weights file, through get_file (cached, verified when Keras
    publishes a hash)."""
    from layerfit.utils import get_file

    return get_file(file, base + file, cache_subdir="models", file_hash=file_hash)
