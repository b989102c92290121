"""Keras's ``keras.ops.image``: resizing, cropping, padding, grayscale and patches."""

from layerfit.ops._image import (  # noqa: A004 (Keras's names shadow builtins)
    crop_images,
    extract_patches,
    pad_images,
    resize,
    rgb_to_grayscale,
)

__all__ = [
    "crop_images",
    "extract_patches",
    "pad_images",
    "resize",
    "rgb_to_grayscale",
]
