"""CenterCrop, RandomCrop and RandomBrightness, with Keras 3's rules for small inputs."""

from __future__ import annotations

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._preprocessing import _factor_range, _ImageLayer, _RandomLayer
from layerfit.utils._image_utils import crop_box, resize_chw


def _size(layer: str, height, width) -> None:
    for arg, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise LayerfitValueError(
                explain(
                    f"{layer} got {arg}={value!r}.", "a positive integer.", f"{layer}(224, 224)"
                )
            )


def _smart_resize(images, height: int, width: int):
    """(N, C, H, W): centre-crop to the target aspect ratio, then resize (bilinear)."""
    top, left, crop_height, crop_width = crop_box(images.shape[2], images.shape[3], (height, width))
    cropped = images[:, :, top : top + crop_height, left : left + crop_width]
    return resize_chw(cropped, (height, width), "bilinear")


class _CropLayer(_ImageLayer):
    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = len(shape) - 3 + (0 if self._channels_last else 1)
        shape[first], shape[first + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width}


class CenterCrop(_CropLayer):
    """Crops the centre ``height x width`` of each image (smaller images are resized up).

    Args:
        height, width: the output size.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> CenterCrop(4, 4)(torch.zeros(2, 6, 8, 3)).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        _size("CenterCrop", height, width)
        self.height, self.width = height, width

    def call(self, inputs):
        images, single = self._as_nchw(self._float(inputs))
        height, width = images.shape[2:]
        if height >= self.height and width >= self.width:
            top, left = (height - self.height) // 2, (width - self.width) // 2
            images = images[:, :, top : top + self.height, left : left + self.width]
        else:  # Keras 3: an image smaller than the crop is smart-resized to it
            images = _smart_resize(images, self.height, self.width)
        return self._from_nchw(images, single)


class RandomCrop(_CropLayer, _RandomLayer):
    """Crops a random ``height x width`` window (one per batch, as Keras) during training.

    Outside training the images pass through unchanged, as in Keras 3. An image not larger
    than the crop in both directions is centre-cropped to the aspect ratio and resized.

    Args:
        height, width: the crop size.
        seed: Defaults to None (torch's global generator).
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> RandomCrop(4, 4)(torch.zeros(2, 6, 8, 3), training=True).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(
            seed, data_format, name=name, **kwargs
        )  # _RandomLayer's, through _CropLayer
        _size("RandomCrop", height, width)
        self.height, self.width = height, width

    def _augment(self, images):
        height, width = images.shape[2:]
        if height > self.height and width > self.width:
            top = int(self._uniform(1, 0, height - self.height + 1, "cpu").floor())
            left = int(self._uniform(1, 0, width - self.width + 1, "cpu").floor())
            return images[:, :, top : top + self.height, left : left + self.width]
        return _smart_resize(images, self.height, self.width)


class RandomBrightness(_RandomLayer):
    """Adds a random brightness shift to each image during training, clipped to ``value_range``.

    Args:
        factor: f draws the shift in [-f, f]; a pair (lower, upper) in [lower, upper]; values
            in [-1, 1], as a fraction of the value range.
        value_range: the pixel range. Defaults to (0, 255).
        seed: Defaults to None (torch's global generator).

    Example:
    >>> RandomBrightness(0.2)(torch.zeros(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed, kwargs.pop("data_format", None), **kwargs)
        self.factor = _factor_range(factor, "factor", "RandomBrightness")
        if not (
            isinstance(value_range, (tuple, list))
            and len(value_range) == 2
            and value_range[0] < value_range[1]
        ):
            raise LayerfitValueError(
                explain(
                    f"RandomBrightness got value_range={value_range!r}.",
                    "a pair (low, high) with low < high.",
                    "value_range=(0, 255) for pixels, (0, 1) after Rescaling(1/255).",
                )
            )
        self.value_range = tuple(value_range)

    def _augment(self, images):
        low, high = self.value_range
        shifts = self._uniform(images.shape[0], *self.factor, images.device) * (high - low)
        return (images + shifts.view(-1, 1, 1, 1).to(images.dtype)).clamp(low, high)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return {**config, "factor": self.factor, "value_range": self.value_range}
