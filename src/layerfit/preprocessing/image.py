"""``keras.preprocessing.image``: the image helpers (as in ``utils``) and Keras 2's generator."""

from layerfit.utils._image_utils import (
    array_to_img,
    img_to_array,
    load_img,
    save_img,
    smart_resize,
)


def __getattr__(name):
    # ImageDataGenerator is data/ machinery (a higher level), found on first use.
    if name == "ImageDataGenerator":
        from layerfit.data._image_generator import ImageDataGenerator

        return ImageDataGenerator
    raise AttributeError(f"module 'layerfit.preprocessing.image' has no attribute {name!r}")


__all__ = [
    "ImageDataGenerator",  # noqa: F822 (served by __getattr__)
    "array_to_img",
    "img_to_array",
    "load_img",
    "save_img",
    "smart_resize",
]
