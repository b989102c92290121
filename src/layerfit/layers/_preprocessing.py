"""Image preprocessing layers: Rescaling, Resizing, and augmentations active only in training.

The augmentation layers (RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
RandomContrast) change images when ``training`` is true (during ``fit``, or a direct call on
a layer in train mode) and return them unchanged in ``evaluate`` and ``predict``. Geometric
ones map each output pixel to an input position with Keras's matrices and sample it with
``grid_sample``; the fill modes follow Keras ('reflect' is TensorFlow's d c b a | a b c d).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from layerfit import backend
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import standardize_data_format
from layerfit.layers._layer import Layer
from layerfit.utils._image_utils import lanczos_resize


def _registry(kind: str, *names: str) -> Registry:
    registry = Registry(kind)
    for name in names:
        registry.register(name, name)
    return registry


RESIZE_INTERPOLATIONS = _registry(
    "interpolation", "bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"
)
AUGMENT_INTERPOLATIONS = _registry("interpolation", "bilinear", "nearest")
FILL_MODES = _registry("fill_mode", "reflect", "wrap", "constant", "nearest")
FLIP_MODES = _registry("mode", "horizontal", "vertical", "horizontal_and_vertical")


def _choice(registry: Registry, value, arg: str, layer: str) -> str:
    if not isinstance(value, str):
        raise LayerfitValueError(
            explain(f"{layer} got {arg}={value!r}.", f"one of {registry.names()}.")
        )
    return registry.get(value)


def _factor_range(value, arg: str, layer: str, low: float = -1.0, high: float = 1.0):
    """A number f -> (-f, f) (or (f, f) when ``low`` is 0); a pair -> sorted, within bounds."""

    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if number(value) and low <= value <= high:
        return (float(value), float(value)) if low == 0 else (-abs(value), abs(value))
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(number(v) and low <= v <= high for v in value)
    ):
        lower, upper = sorted(float(v) for v in value)
        return lower, upper
    raise LayerfitValueError(
        explain(
            f"{layer} got {arg}={value!r}.",
            f"a number or a pair (lower, upper) of numbers in [{low:g}, {high:g}].",
            f"{arg}=0.1 (or {arg}=({low:g}, 0.1) for an asymmetric range)."
            if low == 0
            else f"{arg}=0.1 means a random amount in [-0.1, 0.1].",
        )
    )


class _ImageLayer(Layer):
    """Shared handling of batched (4D) and single (3D) images in either data format."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self._channels_last = self.data_format == "channels_last"

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) not in (3, 4):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} layer {self.name!r} got input of shape {input_shape}.",
                    "images of shape (batch, height, width, channels), or one image "
                    "(height, width, channels).",
                    "add a channel axis to grayscale images: x = x[..., None].",
                )
            )

    def compute_output_shape(self, input_shape):
        return input_shape

    def _float(self, inputs):
        if inputs.is_floating_point():
            return inputs
        return inputs.to(backend.torch_dtype(self.dtype_name))

    def _as_nchw(self, images):
        """(N, H, W, C) or one (H, W, C) image -> a (N, C, H, W) view, and whether unbatched."""
        single = images.dim() == 3
        if single:
            images = images.unsqueeze(0)
        return (images.permute(0, 3, 1, 2) if self._channels_last else images), single

    def _from_nchw(self, images, single: bool):
        images = images.permute(0, 2, 3, 1) if self._channels_last else images
        return images.squeeze(0) if single else images

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class Rescaling(Layer):
    """Multiplies inputs by ``scale`` and adds ``offset`` (e.g. 1/255 for pixels to [0, 1]).

    Args:
        scale: a number, or one per channel.
        offset: a number, or one per channel. Defaults to 0.0.

    Example:
    >>> Rescaling(1 / 255)(torch.full((1, 2, 2, 1), 255.0)).max().item()
    1.0
    """

    supports_masking = True  # masks pass through, as in Keras

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs):
        dtype = backend.torch_dtype(self.dtype_name)
        scale, offset = self.scale, self.offset
        if not isinstance(scale, (int, float)):
            scale = torch.as_tensor(scale, dtype=dtype, device=inputs.device)
        if not isinstance(offset, (int, float)):
            offset = torch.as_tensor(offset, dtype=dtype, device=inputs.device)
        return inputs.to(dtype) * scale + offset

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Resizing(_ImageLayer):
    """Resizes images to ``(height, width)``.

    Integer images come back rounded in their own dtype, as in Keras.

    Args:
        height, width: the output size.
        interpolation: 'bilinear', 'nearest', 'bicubic', 'area', 'lanczos3' or 'lanczos5'.
            Defaults to 'bilinear'.
        crop_to_aspect_ratio: centre-crop to the target aspect ratio first. Defaults to False.
        pad_to_aspect_ratio: pad evenly to the target aspect ratio first. Defaults to False.
        fill_mode: how padding is filled; only 'constant'. Defaults to 'constant'.
        fill_value: the padding value. Defaults to 0.0.
        antialias: low-pass filter when shrinking with 'bilinear', 'bicubic' or 'lanczos*'
            (no effect on the others, as in Keras). Defaults to False.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> Resizing(14, 14)(torch.zeros(2, 28, 28, 1)).shape
    torch.Size([2, 14, 14, 1])
    """

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format, **kwargs)
        self.antialias = bool(antialias)
        for arg, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise LayerfitValueError(
                    explain(
                        f"Resizing got {arg}={value!r}.",
                        "a positive integer.",
                        "Resizing(224, 224)",
                    )
                )
        self.height, self.width = height, width
        self.interpolation = _choice(
            RESIZE_INTERPOLATIONS, interpolation, "interpolation", "Resizing"
        )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise LayerfitValueError(
                explain(
                    "Resizing got crop_to_aspect_ratio=True and pad_to_aspect_ratio=True.",
                    "at most one of them.",
                    "keep one of the two.",
                )
            )
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = _choice(
            _registry("fill_mode", "constant"), fill_mode, "fill_mode", "Resizing"
        )
        self.fill_value = fill_value

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        offset = len(shape) - 3  # 1 with a batch axis
        first = offset + (0 if self._channels_last else 1)
        shape[first], shape[first + 1] = self.height, self.width
        return tuple(shape)

    def call(self, inputs):
        dtype = inputs.dtype
        x, single = self._as_nchw(self._float(inputs))
        height, width = x.shape[2:]
        if self.crop_to_aspect_ratio:
            crop_h = min(height, int(width * self.height / self.width))
            crop_w = min(width, int(height * self.width / self.height))
            top, left = (height - crop_h) // 2, (width - crop_w) // 2
            x = x[:, :, top : top + crop_h, left : left + crop_w]
        elif self.pad_to_aspect_ratio:
            pad_h = max(height, int(width * self.height / self.width))
            pad_w = max(width, int(height * self.width / self.height))
            top, left = (pad_h - height) // 2, (pad_w - width) // 2
            x = F.pad(
                x,
                (left, pad_w - width - left, top, pad_h - height - top),
                value=float(self.fill_value),
            )
        mode = {"nearest": "nearest-exact"}.get(self.interpolation, self.interpolation)
        smooth = mode in ("bilinear", "bicubic")
        if mode.startswith("lanczos"):  # a separable weight matrix, as jax.image.resize
            y = lanczos_resize(x, (self.height, self.width), int(mode[-1]), self.antialias)
        else:
            y = F.interpolate(
                x,
                size=(self.height, self.width),
                mode=mode,
                align_corners=False if smooth else None,
                antialias=self.antialias and smooth,
            )
        if not dtype.is_floating_point:
            info = torch.iinfo(dtype)
            y = y.round().clamp(info.min, info.max).to(dtype)
        return self._from_nchw(y, single)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }


class _RandomLayer(_ImageLayer):
    """An augmentation: identity unless training; random draws from ``seed`` when given."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got seed={seed!r}.", "an integer or None.", "seed=42"
                )
            )
        self.seed = seed
        self._generator = None if seed is None else torch.Generator().manual_seed(seed)

    def _uniform(self, count: int, low: float, high: float, device) -> torch.Tensor:
        """``count`` draws in [low, high), made on the CPU (tiny) and moved to ``device``."""
        draws = torch.rand(count, generator=self._generator, dtype=torch.float32)
        return (draws * (high - low) + low).to(device)

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training:
            return inputs
        images, single = self._as_nchw(self._float(inputs))
        return self._from_nchw(self._augment(images), single)

    def _augment(self, images):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}


class RandomFlip(_RandomLayer):
    """Flips each image at random (probability 0.5) during training.

    With 'horizontal_and_vertical' one draw decides both flips, as in Keras 3.

    Args:
        mode: 'horizontal' (left-right), 'vertical' (top-bottom) or
            'horizontal_and_vertical'. Defaults to 'horizontal_and_vertical'.
        seed: Defaults to None (torch's global generator).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandomFlip("horizontal")(torch.zeros(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.mode = _choice(FLIP_MODES, mode, "mode", "RandomFlip")
        self._dims = {"horizontal": (3,), "vertical": (2,), "horizontal_and_vertical": (2, 3)}[
            self.mode
        ]

    def _augment(self, images):
        flips = self._uniform(images.shape[0], 0.0, 1.0, images.device) <= 0.5
        return torch.where(flips.view(-1, 1, 1, 1), images.flip(self._dims), images)

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode}


def _fold(coords, size: int, fill_mode: str):
    """Maps pixel coordinates outside [0, size-1] back inside, per Keras's fill modes."""
    if fill_mode == "reflect":  # d c b a | a b c d | d c b a
        period = 2.0 * size
        t = torch.remainder(coords + 0.5, period)
        return torch.where(t >= size, period - t, t) - 0.5
    if fill_mode == "wrap":  # a b c d | a b c d
        return torch.remainder(coords + 0.5, float(size)) - 0.5
    return coords  # 'nearest' clamps at sampling, 'constant' fills outside


def affine_transform(
    images, matrices, interpolation="bilinear", fill_mode="reflect", fill_value=0.0
):
    """Resamples (N, C, H, W) images: output pixel (x, y) reads input ``matrices @ (x, y, 1)``.

    ``matrices`` is (N, 2, 3) in pixel units (x to the right, y down).
    """
    n, _, height, width = images.shape
    device = images.device
    ys, xs = torch.meshgrid(
        torch.arange(height, device=device, dtype=torch.float32),
        torch.arange(width, device=device, dtype=torch.float32),
        indexing="ij",
    )
    points = torch.stack([xs, ys, torch.ones_like(xs)], dim=-1).view(1, -1, 3)
    coords = points @ matrices.to(device=device, dtype=torch.float32).transpose(1, 2)
    x = coords[..., 0].view(n, height, width)
    y = coords[..., 1].view(n, height, width)
    return sample_at(images, x, y, interpolation, fill_mode, fill_value)


def sample_at(images, x, y, interpolation="bilinear", fill_mode="reflect", fill_value=0.0):
    """Reads (N, C, H, W) images at pixel coordinates ``x``, ``y`` of shape (N, H', W'),
    filling outside points per Keras's fill modes (scipy's ``map_coordinates``)."""
    _, _, height, width = images.shape
    if interpolation == "nearest":  # jax's map_coordinates rounds halves away from zero
        x = torch.sign(x) * torch.floor(x.abs() + 0.5)
        y = torch.sign(y) * torch.floor(y.abs() + 0.5)
    x = _fold(x, width, fill_mode)
    y = _fold(y, height, fill_mode)
    # align_corners=True: -1 and 1 are the centres of the first and last pixels.
    gx = x * (2.0 / (width - 1)) - 1.0 if width > 1 else torch.zeros_like(x)
    gy = y * (2.0 / (height - 1)) - 1.0 if height > 1 else torch.zeros_like(y)
    grid = torch.stack([gx, gy], dim=-1).to(images.dtype)
    padding_mode = "zeros" if fill_mode == "constant" else "border"
    out = F.grid_sample(
        images, grid, mode=interpolation, padding_mode=padding_mode, align_corners=True
    )
    if fill_mode == "constant" and fill_value != 0:
        inside = F.grid_sample(
            torch.ones_like(images[:, :1]),
            grid,
            mode=interpolation,
            padding_mode="zeros",
            align_corners=True,
        )
        out = out + float(fill_value) * (1.0 - inside)
    return out


class _RandomAffine(_RandomLayer):
    """Shared fill_mode / interpolation / fill_value arguments of the geometric layers."""

    def __init__(
        self,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        layer = type(self).__name__
        self.fill_mode = _choice(FILL_MODES, fill_mode, "fill_mode", layer)
        self.interpolation = _choice(AUGMENT_INTERPOLATIONS, interpolation, "interpolation", layer)
        self.fill_value = fill_value

    def _augment(self, images):
        matrices = self._matrices(images.shape[0], *images.shape[2:])
        return affine_transform(
            images, matrices, self.interpolation, self.fill_mode, self.fill_value
        )

    def _matrices(self, count: int, height: int, width: int) -> torch.Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }


def _about_centre(linear: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """(N, 2, 2) maps about the image centre -> (N, 2, 3) affine matrices in pixel units."""
    centre = torch.tensor([(width - 1) / 2.0, (height - 1) / 2.0])
    offset = centre - linear @ centre
    return torch.cat([linear, offset.unsqueeze(-1)], dim=-1)


class RandomRotation(_RandomAffine):
    """Rotates each image by a random angle during training.

    Args:
        factor: fraction of a full turn: 0.1 rotates by a random angle in [-36, 36] degrees;
            a pair (lower, upper) gives the range. Positive angles turn counter-clockwise.
        fill_mode: 'reflect', 'wrap', 'constant' or 'nearest'. Defaults to 'reflect'.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        seed: Defaults to None (torch's global generator).
        fill_value: the fill for fill_mode='constant'. Defaults to 0.0.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandomRotation(0.1)(torch.zeros(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = _factor_range(factor, "factor", "RandomRotation")

    def _matrices(self, count, height, width):
        angles = self._uniform(count, *self.factor, "cpu") * (2.0 * math.pi)
        cos, sin = torch.cos(angles), torch.sin(angles)
        linear = torch.stack([torch.stack([cos, -sin], -1), torch.stack([sin, cos], -1)], 1)
        return _about_centre(linear, height, width)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomTranslation(_RandomAffine):
    """Shifts each image by a random fraction of its height and width during training.

    Args:
        height_factor: 0.2 shifts by a random fraction in [-0.2, 0.2] of the height
            (positive is down); a pair (lower, upper) gives the range.
        width_factor: the same for the width (positive is right).
        fill_mode: 'reflect', 'wrap', 'constant' or 'nearest'. Defaults to 'reflect'.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        seed: Defaults to None (torch's global generator).
        fill_value: the fill for fill_mode='constant'. Defaults to 0.0.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandomTranslation(0.1, 0.1)(torch.zeros(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = _factor_range(height_factor, "height_factor", "RandomTranslation")
        self.width_factor = _factor_range(width_factor, "width_factor", "RandomTranslation")

    def _matrices(self, count, height, width):
        dy = self._uniform(count, *self.height_factor, "cpu") * height
        dx = self._uniform(count, *self.width_factor, "cpu") * width
        linear = torch.eye(2).expand(count, 2, 2)
        return torch.cat([linear, torch.stack([-dx, -dy], -1).unsqueeze(-1)], dim=-1)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }


class RandomZoom(_RandomAffine):
    """Zooms each image in or out by a random amount during training.

    Args:
        height_factor: 0.2 zooms by a random amount in [-20%, +20%] vertically; positive
            values zoom out, negative values zoom in; a pair (lower, upper) gives the range.
        width_factor: the same horizontally. Defaults to None (same zoom as the height,
            keeping the aspect ratio).
        fill_mode: 'reflect', 'wrap', 'constant' or 'nearest'. Defaults to 'reflect'.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        seed: Defaults to None (torch's global generator).
        fill_value: the fill for fill_mode='constant'. Defaults to 0.0.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandomZoom(0.2)(torch.zeros(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = _factor_range(height_factor, "height_factor", "RandomZoom")
        self.width_factor = (
            None
            if width_factor is None
            else _factor_range(width_factor, "width_factor", "RandomZoom")
        )

    def _matrices(self, count, height, width):
        zoom_y = 1.0 + self._uniform(count, *self.height_factor, "cpu")
        zoom_x = (
            zoom_y
            if self.width_factor is None
            else (1.0 + self._uniform(count, *self.width_factor, "cpu"))
        )
        linear = torch.diag_embed(torch.stack([zoom_x, zoom_y], dim=-1))
        return _about_centre(linear, height, width)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }


class RandomContrast(_RandomLayer):
    """Scales each image's contrast about its per-channel mean by a random factor in training.

    Args:
        factor: f draws the contrast factor in [1 - f, 1 + f]; a pair (lower, upper) draws it
            in [1 - lower, 1 + upper]. Values in [0, 1].
        value_range: the range outputs are clipped to. Defaults to (0, 255).
        seed: Defaults to None (torch's global generator).

    Example:
    >>> RandomContrast(0.2)(torch.zeros(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed, kwargs.pop("data_format", None), **kwargs)
        self.factor = _factor_range(factor, "factor", "RandomContrast", low=0.0)
        if not (
            isinstance(value_range, (tuple, list))
            and len(value_range) == 2
            and value_range[0] < value_range[1]
        ):
            raise LayerfitValueError(
                explain(
                    f"RandomContrast got value_range={value_range!r}.",
                    "a pair (low, high) with low < high.",
                    "value_range=(0, 255) for pixels, (0, 1) after Rescaling(1/255).",
                )
            )
        self.value_range = tuple(value_range)

    def _augment(self, images):
        lower, upper = self.factor
        factors = self._uniform(images.shape[0], 1.0 - lower, 1.0 + upper, images.device)
        mean = images.mean(dim=(2, 3), keepdim=True)
        outputs = (images - mean) * factors.view(-1, 1, 1, 1).to(images.dtype) + mean
        return outputs.clamp(*self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return {**config, "factor": self.factor, "value_range": self.value_range}
