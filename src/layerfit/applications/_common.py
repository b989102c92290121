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


_DOC = """{title}, as ``keras.applications.{module}.{title}``, for images, channels last.

    Args:
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once and checked against
            Keras's hash), None (random) or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        input_shape: (height, width, 3), at least {smallest}x{smallest}; None is {size}x{size}
            (or any size without the top). Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        name: the model's name. Defaults to "{lower}".

    Example:
    >>> base = {title}(include_top=False, weights="imagenet", input_shape=(160, 160, 3))
    >>> base.trainable = False
    """


def document(functions, module, smallest=32, size=224):
    """Gives each model function of a family the docstring of the standard arguments."""
    for function in functions:
        title = function.__name__
        function.__doc__ = _DOC.format(
            title=title, module=module, lower=title.lower(), smallest=smallest, size=size
        )


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


def pool(x, pooling, avg_name="avg_pool", max_name="max_pool"):
    """Without the top: None keeps the 4D features, 'avg'/'max' pool them (Keras's names)."""
    from layerfit import layers

    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
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


def split_url(url):
    """``(base, file name)`` of a weights URL, for ``download``."""
    base, _, file = url.rpartition("/")
    return base + "/", file


def load_weights(model, path):
    """``model.load_weights(path)``; a Keras 2 file (the layout of Keras's published files) is
    matched in order of the layers with weights, as Keras's own loading of these files does,
    so layers Keras names by a session counter (``conv2d_3``, ``normalization_1``) load
    whatever their number in this session."""
    renamed = _align_counter_names(model, path)
    try:
        model.load_weights(path)
    finally:
        for layer, name in renamed:
            layer.name = name


def _align_counter_names(model, path):
    """Temporarily gives each layer with weights the name of the file's layer at the same
    position, when the two lists pair up (same count, same name up to a counter suffix)."""
    import h5py

    try:
        file = h5py.File(path, "r")
    except OSError:
        return []  # not HDF5: the loader says what it is
    with file:
        root = file["model_weights"] if "model_weights" in file else file
        if "layer_names" not in root.attrs:
            return []
        saved = [_text(n) for n in root.attrs["layer_names"]]
        saved = [n for n in saved if n in root and len(root[n].attrs.get("weight_names", []))]
    ours = [layer for layer in model.layers if layer.weights]
    if len(ours) != len(saved) or any(
        _stem(layer.name) != _stem(name) for layer, name in zip(ours, saved)
    ):
        return []  # the loader (by name) names the mismatch
    renamed = [(layer, layer.name) for layer, name in zip(ours, saved) if layer.name != name]
    for layer, name in zip(ours, saved):
        layer.name = name
    return renamed


def _stem(name: str) -> str:
    """``normalization_3`` -> ``normalization``: the class part of a counter name."""
    head, _, tail = name.rpartition("_")
    return head if head and tail.isdigit() else name


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
