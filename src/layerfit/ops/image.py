"""Keras's ``keras.ops.image``: resizing, cropping, padding, grayscale and patches."""

from layerfit.ops._image import (  # noqa: A004 (Keras's names shadow builtins)
    crop_images,
    extract_patches,
    pad_images,
    resize,
    rgb_to_grayscale,
)
from layerfit.ops._image_more import (
    affine_transform,
    elastic_transform,
    extract_patches_3d,
    gaussian_blur,
    hsv_to_rgb,
    map_coordinates,
    perspective_transform,
    rgb_to_hsv,
    scale_and_translate,
    sobel_edges,
    ssim,
)

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]
