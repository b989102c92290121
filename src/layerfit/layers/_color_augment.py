"""Colour augmentations of Keras 3: grayscale, invert, solarize, posterize, hue, saturation, ...

Each layer draws its random parameters (``_draw``), then applies them (``_apply``) to a
(N, C, H, W) batch with Keras's arithmetic, so a test can hand both libraries the same
parameters. Like the other augmentation layers they act only in training; AutoContrast acts
always, as in Keras.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._image_crop import RandomBrightness
from layerfit.layers._preprocessing import RandomContrast, _RandomLayer

GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)  # tf.image.rgb_to_grayscale's, as Keras's backends


def keras_factor(value, arg: str, layer: str, bounds=(-1.0, 1.0)) -> tuple:
    """Keras's ``_set_factor``: f -> (max(-f, low), f); a pair -> sorted, overlapping the bounds."""
    low, high = bounds
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and low <= value <= high:
        return (max(-value, low), value)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and not (value[0] > high or value[1] < low)
    ):
        lower, upper = sorted(value)
        return (lower, upper)
    raise LayerfitValueError(
        explain(
            f"{layer} got {arg}={value!r}.",
            f"a number or a pair (lower, upper) of numbers in [{low:g}, {high:g}].",
            f"{arg}=0.5, or {arg}=(0.5, 0.5) for a fixed amount.",
        )
    )


def checked_value_range(value_range, layer: str) -> tuple:
    if (
        isinstance(value_range, (tuple, list))
        and len(value_range) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value_range)
        and value_range[0] < value_range[1]
    ):
        return tuple(value_range)
    raise LayerfitValueError(
        explain(
            f"{layer} got value_range={value_range!r}.",
            "a pair (low, high) with low < high: the range of the pixel values.",
            "value_range=(0, 255) for pixels, (0, 1) after Rescaling(1/255).",
        )
    )


def to_range(images, source: tuple, target: tuple):
    """Keras's ``_transform_value_range``: a linear map from one pixel range to another."""
    if tuple(source) == tuple(target):
        return images
    scaled = (images - source[0]) / (source[1] - source[0])
    return scaled * (target[1] - target[0]) + target[0]


def grayscale(images):
    """(N, 3, H, W) -> (N, 1, H, W) luma with TensorFlow's weights; one channel stays."""
    if images.shape[1] == 1:
        return images
    weights = torch.tensor(GRAY_WEIGHTS, dtype=images.dtype, device=images.device)
    return torch.einsum("nchw,c->nhw", images, weights).unsqueeze(1)


def rgb_to_hsv(images):
    """(N, 3, H, W) RGB -> HSV with hue and saturation in [0, 1] (dm_pix's, as Keras's)."""
    eps = torch.finfo(images.dtype).eps
    images = torch.where(images.abs() < eps, torch.zeros_like(images), images)
    red, green, blue = images.unbind(1)
    value = torch.maximum(torch.maximum(red, green), blue)
    minimum = torch.minimum(torch.minimum(red, green), blue)
    spread = value - minimum
    safe_value = torch.where(value > 0, value, torch.ones_like(value))
    safe_spread = torch.where(spread > 0, spread, torch.ones_like(spread))
    saturation = torch.where(value > 0, spread / safe_value, torch.zeros_like(value))
    norm = 1.0 / (6.0 * safe_spread)
    hue = torch.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = torch.where(value == red, norm * (green - blue), hue)
    hue = torch.where(spread > 0, hue, torch.zeros_like(hue)) + (hue < 0.0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=1)


def hsv_to_rgb(images):
    hue, saturation, value = images.unbind(1)
    dh = torch.remainder(hue, 1.0) * 6.0
    dr = ((dh - 3.0).abs() - 1.0).clamp(0.0, 1.0)
    dg = (2.0 - (dh - 2.0).abs()).clamp(0.0, 1.0)
    db = (2.0 - (dh - 4.0).abs()).clamp(0.0, 1.0)
    rest = 1.0 - saturation
    return torch.stack(
        [value * (rest + saturation * d) for d in (dr, dg, db)],
        dim=1,
    )


class _ColorLayer(_RandomLayer):
    """Draw the parameters of a batch, then apply them: the two halves Keras also has."""

    def __init__(self, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.value_range = checked_value_range(value_range, type(self).__name__)

    def _augment(self, images):
        return self._apply(images, self._draw(images.shape[0], images.device))

    def _draw(self, count: int, device) -> dict:
        raise NotImplementedError

    def _apply(self, images, params: dict):
        raise NotImplementedError

    def _column(self, values, images):
        return values.to(device=images.device, dtype=images.dtype).view(-1, 1, 1, 1)

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range}


class RandomGrayscale(_RandomLayer):
    """Turns each image to grayscale with probability ``factor`` during training (3 channels kept).

    Args:
        factor: the probability of turning an image gray, in [0, 1]. Defaults to 0.5.
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None (torch's global generator).

    Example:
    >>> RandomGrayscale(1.0)(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        if not isinstance(factor, (int, float)) or isinstance(factor, bool) or not 0 <= factor <= 1:
            raise LayerfitValueError(
                explain(
                    f"RandomGrayscale got factor={factor!r}.",
                    "a probability between 0 and 1.",
                    "factor=0.5",
                )
            )
        self.factor = factor

    def _augment(self, images):
        apply = self._uniform(images.shape[0], 0.0, 1.0, images.device) < self.factor
        return self._apply(images, {"apply": apply})

    def _apply(self, images, params):
        return torch.where(params["apply"].view(-1, 1, 1, 1), grayscale(images), images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomInvert(_ColorLayer):
    """Inverts images (``high - x``) with a random probability drawn in ``factor``, in training.

    Args:
        factor: the probability of inverting an image; a pair draws it per image. Defaults to 1.0.
        value_range: the pixel range. Defaults to (0, 255).
        seed: Defaults to None.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> RandomInvert()(torch.zeros(1, 2, 2, 3), training=True).max().item()
    255.0
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomInvert", (0, 1))

    def _draw(self, count, device):
        probability = self._uniform(count, *self.factor, device)
        return {"apply_inversion": self._uniform(count, 0.0, 1.0, device) < probability}

    def _apply(self, images, params):
        apply = params["apply_inversion"].view(-1, 1, 1, 1)
        return torch.where(apply, self.value_range[1] - images, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class Solarization(_ColorLayer):
    """Inverts the pixels above a random threshold after adding a random amount, in training.

    Args:
        addition_factor: the amount added, as a fraction of 255: f draws it in [0, f*255].
            Defaults to 0.0.
        threshold_factor: the threshold, as a fraction of 255, drawn the same way; pixels at
            or above it are inverted. Defaults to 0.0 (every pixel).
        value_range: the pixel range. Defaults to (0, 255).
        seed: Defaults to None.

    Example:
    >>> Solarization(threshold_factor=(0.5, 0.5))(torch.full((1, 1, 1, 3), 200.0),
    ...                                             training=True).flatten().tolist()
    [55.0, 55.0, 55.0]
    """

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ):
        super().__init__(value_range, seed, kwargs.pop("data_format", None), **kwargs)
        self.addition_factor = keras_factor(
            addition_factor, "addition_factor", "Solarization", (0, 1)
        )
        self.threshold_factor = keras_factor(
            threshold_factor, "threshold_factor", "Solarization", (0, 1)
        )

    def _draw(self, count, device):
        low, high = self.addition_factor
        t_low, t_high = self.threshold_factor
        # Keras draws in [lower, upper * 255] (the lower bound is not scaled).
        return {
            "additions": self._uniform(count, low, high * 255, device),
            "thresholds": self._uniform(count, t_low, t_high * 255, device),
        }

    def _apply(self, images, params):
        images = to_range(images, self.value_range, (0, 255))
        results = (images + self._column(params["additions"], images)).clamp(0, 255)
        thresholds = self._column(params["thresholds"], images)
        results = torch.where(results < thresholds, results, 255 - results)
        return to_range(results, (0, 255), self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return {
            **config,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
        }


class AutoContrast(_ColorLayer):
    """Stretches each image's channels to the full value range; active in training and inference.

    Args:
        value_range: the pixel range. Defaults to (0, 255).

    Example:
    >>> AutoContrast()(torch.tensor([[[[50.0], [150.0]]]])).flatten().tolist()
    [0.0, 255.0]
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(value_range, None, kwargs.pop("data_format", None), **kwargs)

    def call(self, inputs, training=None):
        images, single = self._as_nchw(self._float(inputs))
        return self._from_nchw(self._apply(images, {}), single)

    def _apply(self, images, params):
        original = images
        images = to_range(images, self.value_range, (0, 255))
        low = images.amin(dim=(2, 3), keepdim=True)
        high = images.amax(dim=(2, 3), keepdim=True)
        scale = 255.0 / (high - low)
        results = (images * scale - low * scale).clamp(0.0, 255.0)
        results = to_range(results, (0, 255), self.value_range)
        return torch.where(torch.isnan(results), original, results)  # flat channels stay

    def get_config(self) -> dict:
        config = super().get_config()
        for name in ("data_format", "seed"):
            config.pop(name)
        return config


class RandomPosterization(_ColorLayer):
    """Keeps only the top ``bits`` bits of each 8-bit pixel, ``bits`` drawn in ``factor``.

    Args:
        factor: the number of bits kept, in [1, 8]; a pair draws it per image (upper bound
            excluded, as Keras's randint). Defaults to Keras's required value.
        value_range: the pixel range. Defaults to (0, 255).
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> RandomPosterization((2, 2))(torch.full((1, 1, 1, 1), 200.0), training=True).item()
    192.0
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomPosterization", (1, 8))

    def _draw(self, count, device):
        low, high = int(self.factor[0]), int(self.factor[1])
        if low != high:
            bits = torch.randint(low, high, (count,), generator=self._generator)
        else:
            bits = torch.full((count,), low)
        return {"shift_factor": (8 - bits).to(device)}

    def _apply(self, images, params):
        shift = params["shift_factor"].to(torch.uint8).view(-1, 1, 1, 1)
        pixels = to_range(images, self.value_range, (0, 255)).to(torch.uint8)  # truncates
        pixels = torch.bitwise_left_shift(torch.bitwise_right_shift(pixels, shift), shift)
        return to_range(pixels.to(images.dtype), (0, 255), self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomColorDegeneration(_ColorLayer):
    """Blends each image towards its grayscale version by a random amount, in training.

    Args:
        factor: the blend (0 keeps the image, 1 makes it gray): a number f draws it in
            [-f, f] (Keras's rule; negative blends add colour); a pair (lower, upper) in it.
        value_range: the pixel range (outputs are clipped to it). Defaults to (0, 255).
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> RandomColorDegeneration((1, 1))(torch.rand(1, 4, 4, 3), training=True).std(-1).max() < 1e-6
    tensor(True)
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomColorDegeneration")

    def _draw(self, count, device):
        return {"factor": self._uniform(count, *self.factor, device)}

    def _apply(self, images, params):
        factor = self._column(params["factor"], images)
        images = images + factor * (grayscale(images) - images)
        return images.clamp(*self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomSaturation(_ColorLayer):
    """Scales each image's saturation by a random amount, in training.

    Args:
        factor: the drawn f scales saturation by f / (1 - f): 0.5 keeps it, 0 removes it,
            1 saturates fully. A number f draws in [-f, f] (Keras's rule; negatives give gray),
            a pair (lower, upper) in that range.
        value_range: the pixel range. Defaults to (0, 255).
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> RandomSaturation((0.0, 0.0))(torch.rand(1, 4, 4, 3), training=True).std(-1).max() < 1e-5
    tensor(True)
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomSaturation")

    def _draw(self, count, device):
        factor = self._uniform(count, *self.factor, device)
        return {"factor": factor / (1 - factor + 1e-7)}  # Keras's epsilon()

    def _apply(self, images, params):
        hsv = rgb_to_hsv(images)
        scale = params["factor"].to(device=images.device, dtype=images.dtype).view(-1, 1, 1)
        saturation = (hsv[:, 1] * scale).clamp(*self.value_range)
        return hsv_to_rgb(torch.stack([hsv[:, 0], saturation, hsv[:, 2]], dim=1))

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomHue(_ColorLayer):
    """Shifts each image's hue by a random amount (up to half a turn at factor 1), in training.

    Args:
        factor: in [0, 1]; the shift is drawn in the range and given a random sign.
        value_range: the pixel range. Defaults to (0, 255).
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> RandomHue(0.5)(torch.rand(2, 4, 4, 3), training=True).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomHue", (0, 1))

    def _draw(self, count, device):
        sign = torch.where(self._uniform(count, 0.0, 1.0, device) > 0.5, -1.0, 1.0)
        return {"factor": sign * self._uniform(count, *self.factor, device) * 0.5}

    def _apply(self, images, params):
        hsv = rgb_to_hsv(to_range(images, self.value_range, (0, 1)))
        shift = params["factor"].to(device=images.device, dtype=images.dtype).view(-1, 1, 1)
        hue = hsv[:, 0] + shift
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        rgb = hsv_to_rgb(torch.stack([hue, hsv[:, 1], hsv[:, 2]], dim=1)).clamp(0, 1)
        return to_range(rgb, (0, 1), self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomSharpness(_ColorLayer):
    """Sharpens or blurs each image by a random amount (PIL's ImageEnhance.Sharpness), in training.

    Args:
        factor: in [0, 1]; 0.5 keeps the image, lower blurs, higher sharpens; a pair draws it.
        value_range: the pixel range (outputs are clipped to it). Defaults to (0, 255).
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> image = torch.rand(1, 5, 5, 3)
    >>> torch.allclose(RandomSharpness((0.5, 0.5), (0, 1))(image, training=True), image)
    True
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomSharpness", (0, 1))

    def _draw(self, count, device):
        return {"factor": self._uniform(count, *self.factor, device)}

    def _apply(self, images, params):
        channels = images.shape[1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = torch.tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=images.dtype)
        kernel = kernel.to(images.device).expand(channels, 1, 3, 3)
        smoothed = F.conv2d(images, kernel, padding=1, groups=channels)  # Keras's "same"
        sharpness = self._column(params["factor"] * 2, images)
        return (images + (1.0 - sharpness) * (smoothed - images)).clamp(*self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class Equalization(_ColorLayer):
    """Equalizes the histogram of each channel (over the batch, as Keras), in training.

    Args:
        value_range: the pixel range. Defaults to (0, 255).
        bins: histogram bins. Defaults to 256.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> Equalization()(torch.tensor([[[[10.0], [20.0]]]]), training=True).flatten().tolist()
    [0.0, 255.0]
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(value_range, None, data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise LayerfitValueError(
                explain(f"Equalization got bins={bins!r}.", "a positive integer.", "bins=256")
            )
        self.bins = bins

    def _draw(self, count, device):
        return {}

    def _apply(self, images, params):
        channels = [self._equalize(images[:, c]) for c in range(images.shape[1])]
        return torch.stack(channels, dim=1)

    def _equalize(self, channel):
        channel = to_range(channel, self.value_range, (0, 255))
        scaled = channel.float() * (self.bins - 1) / 255.0
        indices = scaled.to(torch.int32).clamp(0, self.bins - 1).reshape(-1).long()
        histogram = torch.bincount(indices, minlength=self.bins)
        if int((histogram > 0).sum()) <= 1:
            equalized = channel
        else:
            cdf = histogram.cumsum(0).to(channel.dtype)
            cdf_min = cdf[torch.nonzero(cdf)[0, 0]]
            denominator = cdf[-1] - cdf_min
            denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
            table = torch.round((cdf - cdf_min) * 255 / denominator).clamp(0, 255)
            lookup = ((channel / 255.0) * (self.bins - 1)).clamp(0, self.bins - 1).to(torch.int32)
            equalized = table[lookup.long()]
        return to_range(equalized, (0, 255), self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        return {**config, "bins": self.bins}


class RandomColorJitter(_ColorLayer):
    """Random brightness, contrast, saturation and hue, in that order, each when its factor is set.

    Args:
        value_range: the pixel range. Defaults to (0, 255).
        brightness_factor: as RandomBrightness's ``factor``. Defaults to None (unchanged).
        contrast_factor: as RandomContrast's ``factor``. Defaults to None.
        saturation_factor: as RandomSaturation's ``factor``. Defaults to None.
        hue_factor: as RandomHue's ``factor``. Defaults to None.
        seed: Defaults to None.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> RandomColorJitter(brightness_factor=0.2, hue_factor=0.1)(torch.rand(2, 4, 4, 3) * 255,
    ...                                                          training=True).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        steps = []
        for factor, kind in (
            (brightness_factor, RandomBrightness),
            (contrast_factor, RandomContrast),
            (saturation_factor, RandomSaturation),
            (hue_factor, RandomHue),
        ):
            if factor is not None:
                step = kind(factor, value_range=value_range, seed=seed)
                step._generator = self._generator  # one random stream for the whole jitter
                steps.append(step)
        self._jitters = steps

    def _augment(self, images):
        for step in self._jitters:  # NCHW already: each step's own _augment
            images = step._augment(images)
        return images

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "brightness_factor": self.brightness_factor,
            "contrast_factor": self.contrast_factor,
            "saturation_factor": self.saturation_factor,
            "hue_factor": self.hue_factor,
        }
