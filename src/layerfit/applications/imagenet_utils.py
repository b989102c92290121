"""What every ImageNet application shares: input-shape checks, padding, preprocessing and
decoding predictions into class names, as ``keras.applications.imagenet_utils``."""

from __future__ import annotations

import json

import numpy as np

from layerfit.errors import LayerfitValueError, explain

CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
# Keras's hash of the published class index (md5).
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
_CLASS_INDEX = None

__all__ = ["decode_predictions", "preprocess_input"]


def obtain_input_shape(input_shape, default_size, min_size, require_flatten, weights=None):
    """The input shape (channels last) an application builds, checked as Keras checks it."""
    default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise LayerfitValueError(
                explain(
                    f"input_shape={tuple(input_shape)} with include_top=True and "
                    "weights='imagenet'.",
                    f"input_shape={default_shape}: the classifier's weights fit that size.",
                    "drop input_shape, or pass include_top=False to use another size.",
                )
            )
        return default_shape
    if input_shape is None:
        return default_shape if require_flatten else (None, None, 3)
    input_shape = tuple(input_shape)
    if len(input_shape) != 3:
        raise LayerfitValueError(
            explain(
                f"input_shape={input_shape}.",
                "a tuple of 3 integers (height, width, channels).",
                f"input_shape=({default_size}, {default_size}, 3)",
            )
        )
    if weights == "imagenet" and input_shape[-1] != 3:
        raise LayerfitValueError(
            explain(
                f"input_shape={input_shape} has {input_shape[-1]} channels with "
                "weights='imagenet'.",
                "3 channels (RGB): the pretrained filters expect them.",
                "convert the images to RGB, or pass weights=None.",
            )
        )
    for size in input_shape[:2]:
        if size is not None and size < min_size:
            raise LayerfitValueError(
                explain(
                    f"input_shape={input_shape} is smaller than this model takes.",
                    f"height and width of at least {min_size}.",
                    "resize the images (layers.Resizing) to a bigger size.",
                )
            )
    if require_flatten and None in input_shape:
        raise LayerfitValueError(
            explain(
                f"input_shape={input_shape} has a None size with include_top=True.",
                "a fixed height and width under the classifier (Keras's rule).",
                f"give both sizes, e.g. input_shape=({default_size}, {default_size}, 3), or "
                "pass include_top=False (with pooling='avg') to take any size.",
            )
        )
    return input_shape


def correct_pad(inputs, kernel_size: int):
    """The ZeroPadding2D padding before a stride-2 'valid' convolution, as Keras computes it."""
    size = tuple(inputs.shape[1:3])
    adjust = (1, 1) if None in size else (1 - size[0] % 2, 1 - size[1] % 2)
    half = kernel_size // 2
    return ((half - adjust[0], half), (half - adjust[1], half))


def validate_activation(classifier_activation, weights) -> None:
    if weights is None or classifier_activation in (None, "softmax"):
        return
    raise LayerfitValueError(
        explain(
            f"classifier_activation={classifier_activation!r} with pretrained weights.",
            "'softmax' or None with weights='imagenet'.",
            "pass classifier_activation=None for logits, or weights=None.",
        )
    )


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scales images as each family expects: 'tf' to [-1, 1], 'torch' by ImageNet mean and
    std, 'caffe' to BGR minus the ImageNet mean. Returns a float32 array."""
    if mode not in ("caffe", "tf", "torch"):
        raise LayerfitValueError(
            explain(f"preprocess_input got mode={mode!r}.", "'caffe', 'tf' or 'torch'.")
        )
    x = np.asarray(x)
    x = x.astype("float32") if not np.issubdtype(x.dtype, np.floating) else x.copy()
    axis = 1 if data_format == "channels_first" else -1
    if mode == "tf":
        return x / 127.5 - 1.0
    shape = [1] * x.ndim
    shape[axis] = 3
    if mode == "torch":
        mean = np.array([0.485, 0.456, 0.406], x.dtype).reshape(shape)
        std = np.array([0.229, 0.224, 0.225], x.dtype).reshape(shape)
        return (x / 255.0 - mean) / std
    x = np.flip(x, axis=axis)  # RGB -> BGR
    return x - np.array([103.939, 116.779, 123.68], x.dtype).reshape(shape)


def decode_predictions(preds, top=5):
    """``[[(class id, name, score), ...] per image]`` for the ``top`` classes of 1000-class
    ImageNet predictions; the class index is downloaded once (Keras's file, hash-checked)."""
    global _CLASS_INDEX
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise LayerfitValueError(
            explain(
                f"decode_predictions got predictions of shape {preds.shape}.",
                "a batch of ImageNet predictions, shape (samples, 1000).",
                "pass model.predict(images) of a model with include_top=True and classes=1000.",
            )
        )
    if _CLASS_INDEX is None:
        from layerfit.utils import get_file

        path = get_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            cache_subdir="models",
            file_hash=CLASS_INDEX_HASH,
        )
        with open(path, encoding="utf-8") as file:
            _CLASS_INDEX = json.load(file)
    results = []
    for row in preds:
        best = row.argsort()[-top:][::-1]
        results.append([(*_CLASS_INDEX[str(i)], float(row[i])) for i in best])
    return results
