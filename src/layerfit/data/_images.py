"""``image_dataset_from_directory``: a folder of class subfolders -> batches of images and labels.

Files are listed, shuffled and split exactly as Keras does (see ``_directory``); each epoch
then shuffles through a buffer (``batch_size * 8`` elements, as Keras) and decodes in threads
with Pillow, resizing with torch as ``tf.image.resize`` and Keras 3's backend resize do
(half-pixel centres, no antialiasing), so bilinear and nearest pixel values match Keras's.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from layerfit.data._dataset import AUTOTUNE, Dataset
from layerfit.data._directory import (
    check_split_arguments,
    encode_labels,
    index_directory,
    split_files,
)
from layerfit.errors import LayerfitValueError, explain
from layerfit.utils import _image_utils as images

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def decode_and_resize(path, size, channels, interpolation, data_format, crop, pad):
    """One file -> a float32 array (H, W, C) or (C, H, W) of ``size``."""
    image = images.convert_mode(images.open_image(path), channels)
    pixels = np.array(image)  # a writable copy: torch warns on read-only buffers
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    x = torch.from_numpy(np.ascontiguousarray(pixels)).permute(2, 0, 1)[None].float()
    height, width = x.shape[2:]  # x: (1, C, H, W)
    if crop:
        top, left, crop_height, crop_width = images.crop_box(height, width, size)
        x = images.resize_chw(
            x[:, :, top : top + crop_height, left : left + crop_width], size, interpolation
        )
    elif pad:
        x = _resize_with_pad(x, size, interpolation)
    elif (height, width) != tuple(size):
        x = images.resize_chw(x, size, interpolation)
    x = x[0]
    return (x if data_format == "channels_first" else x.permute(1, 2, 0)).numpy()


def _resize_with_pad(x, size, interpolation):
    """Keras 3's pad_to_aspect_ratio (its backend resize): pad evenly with zeros, then resize."""
    height, width = x.shape[2:]
    target_height, target_width = size
    padded_height = max(height, int(float(width * target_height) / target_width))
    padded_width = max(width, int(float(height * target_width) / target_height))
    # The same band on both sides, as Keras pads (one row short when the difference is odd).
    top, left = (padded_height - height) // 2, (padded_width - width) // 2
    x = F.pad(x, (left, left, top, top))
    return images.resize_chw(x, size, interpolation)


def check_labels_and_format(labels, label_mode, format) -> None:
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise LayerfitValueError(
            explain(
                f"labels={labels!r}.",
                "'inferred' (from subfolder names), a list of integer labels (one per file in "
                "sorted order), or None (inputs only).",
                "labels='inferred'",
            )
        )
    if label_mode not in ("int", "categorical", "binary", None):
        raise LayerfitValueError(
            explain(
                f"label_mode={label_mode!r}.",
                "'int', 'categorical', 'binary' or None.",
                "label_mode='int' for sparse_categorical_crossentropy, 'categorical' for "
                "categorical_crossentropy, 'binary' for binary_crossentropy.",
            )
        )
    if format not in ("tf", "grain"):
        raise LayerfitValueError(
            explain(
                f"format={format!r}.",
                "'tf' or 'grain' (Keras's choices; layerfit returns its own Dataset for both).",
                "leave format out.",
            )
        )


def _check_image_arguments(image_size, batch_size, crop, pad):
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise LayerfitValueError(
            explain(f"image_size={image_size!r}.", "(height, width).", "image_size=(180, 180)")
        )
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise LayerfitValueError(
            explain(
                f"batch_size={batch_size!r}.",
                "a positive integer, or None for single images.",
                "batch_size=32",
            )
        )
    if crop and pad:
        raise LayerfitValueError(
            explain(
                "crop_to_aspect_ratio=True and pad_to_aspect_ratio=True.",
                "at most one of them.",
                "keep one of the two.",
            )
        )
    return tuple(int(v) for v in image_size)


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    format="tf",
    verbose=True,
):
    """Generates a dataset of images (and labels) from a folder of image files.

    With ``labels="inferred"`` the folder holds one subfolder per class::

        main_directory/
            class_a/  a_image_1.jpg  a_image_2.jpg ...
            class_b/  b_image_1.jpg  b_image_2.jpg ...

    JPEG, PNG, BMP and GIF (first frame) files are read. Batches are ``(images, labels)``:
    images float32 of shape ``(batch_size, *image_size, channels)``, labels as ``label_mode``.

    Args:
        directory: the folder.
        labels: 'inferred' (subfolder names, sorted), a list of integer labels (one per file in
            sorted file order), or None (images only). Defaults to 'inferred'.
        label_mode: 'int', 'categorical' (one-hot), 'binary' (float 0/1 of shape (N, 1)) or
            None. Defaults to 'int'.
        class_names: subfolders to use, in the order that numbers them. Defaults to None (all).
        color_mode: 'grayscale', 'rgb' or 'rgba'. Defaults to 'rgb'.
        batch_size: images per batch, or None for single images. Defaults to 32.
        image_size: ``(height, width)`` every image is resized to. Defaults to (256, 256).
        shuffle: shuffle the files (and every epoch's order). Defaults to True.
        seed: seed for shuffling and the split. Defaults to None.
        validation_split: fraction kept for validation. Defaults to None.
        subset: 'training', 'validation' or 'both' (returns both). Defaults to None.
        interpolation: 'bilinear', 'nearest', 'bicubic', 'area', 'lanczos3' or 'lanczos5'.
            Defaults to 'bilinear'.
        follow_links: follow symbolic links to folders. Defaults to False.
        crop_to_aspect_ratio: centre-crop to the target aspect ratio before resizing.
            Defaults to False.
        pad_to_aspect_ratio: resize to fit and pad with zeros instead. Defaults to False.
        data_format: Defaults to ``config.image_data_format()``.
        format: Keras's 'tf' or 'grain'; layerfit returns its own ``Dataset`` for both (it
            needs neither TensorFlow nor grain). Defaults to 'tf'.
        verbose: print how many files were found. Defaults to True.

    Returns:
        A ``layerfit.data.Dataset`` with ``class_names`` and ``file_paths``, or a pair
        ``(train, validation)`` for ``subset="both"``.

    Example:
    >>> train, val = image_dataset_from_directory(  # doctest: +SKIP
    ...     "pets", validation_split=0.2, subset="both", seed=1337, image_size=(180, 180))
    >>> model.fit(train, validation_data=val, epochs=10)  # doctest: +SKIP
    """
    check_labels_and_format(labels, label_mode, format)
    image_size = _check_image_arguments(
        image_size, batch_size, crop_to_aspect_ratio, pad_to_aspect_ratio
    )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    channels = images._color_mode(color_mode)
    interpolation = images.check_interpolation(interpolation)
    data_format = images._data_format(data_format)
    images.pil_image()  # say now, not in a worker thread, when Pillow is missing
    check_split_arguments(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, class_names = index_directory(
        directory,
        labels,
        IMAGE_FORMATS,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise LayerfitValueError(
            explain(
                f"label_mode='binary' with {len(class_names)} classes {class_names}.",
                "exactly 2 classes for binary labels.",
                "label_mode='int' (or 'categorical') for more than two classes.",
            )
        )
    settings = dict(
        size=image_size,
        channels=channels,
        interpolation=interpolation,
        data_format=data_format,
        crop=bool(crop_to_aspect_ratio),
        pad=bool(pad_to_aspect_ratio),
    )
    num_classes = len(class_names) if class_names else 0
    buffer = batch_size * 8 if batch_size is not None else 1024

    def make(part, part_shuffle):
        part_paths, part_labels = split_files(paths, label_array, validation_split, part)
        if not part_paths:
            raise LayerfitValueError(
                explain(
                    f"No {part + ' ' if part else ''}images found in directory {directory!r}.",
                    f"image files with one of the extensions {IMAGE_FORMATS}"
                    + (" inside class subfolders." if labels == "inferred" else "."),
                    "check the path; with labels='inferred' images must sit in subfolders.",
                )
            )
        return _dataset(
            part_paths,
            None if part_labels is None else encode_labels(part_labels, label_mode, num_classes),
            settings,
            batch_size,
            buffer if part_shuffle else 0,
            seed,
            class_names,
        )

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle)


def _dataset(paths, labels, settings, batch_size, buffer, seed, class_names):
    def load(path, *label):
        return (
            (decode_and_resize(path, **settings), *label)
            if label
            else decode_and_resize(path, **settings)
        )

    elements = list(paths) if labels is None else list(zip(paths, labels))
    dataset = Dataset(lambda: iter(elements), len(elements))
    if buffer:
        dataset = dataset.shuffle(buffer, seed=seed)
    dataset = dataset.map(load, num_parallel_calls=AUTOTUNE)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    dataset = dataset.prefetch(AUTOTUNE)
    dataset.class_names = class_names
    dataset.file_paths = list(paths)
    return dataset
