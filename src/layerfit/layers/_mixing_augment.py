"""Augmentations that cut, blur, erase or mix images: MixUp, CutMix, RandomErasing, ...

As in Keras, MixUp and CutMix also mix the labels when called on a dict
``{"images": ..., "labels": ...}`` (one-hot labels), so they run in ``Dataset.map``. The
parameters are drawn (``_draw``) and applied (``_apply``) separately, as in
``_color_augment``. Bounding boxes and segmentation masks are not supported (our error).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._color_augment import _ColorLayer, keras_factor
from layerfit.layers._preprocessing import _RandomLayer


def refuse_boxes(layer, data: dict) -> None:
    extra = sorted(set(data) - {"images", "labels"})
    if extra:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} got a dict with {extra}: bounding boxes and "
                "segmentation masks are not supported by layerfit's augmentation layers.",
                "a dict with 'images' and optionally 'labels', or the images alone.",
                "augment the images and labels only, or transform boxes with your own code.",
            )
        )


class _MixingLayer(_RandomLayer):
    """Layers that may be called on ``{"images", "labels"}`` and mix both with one draw."""

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not isinstance(inputs, dict):
            return super().call(inputs, training=training)
        refuse_boxes(self, inputs)
        if not training:
            return inputs
        images, single = self._as_nchw(self._float(torch.as_tensor(inputs["images"])))
        params = self._draw(images)
        output = dict(inputs)
        output["images"] = self._from_nchw(self._apply(images, params), single)
        if "labels" in inputs:
            output["labels"] = self._apply_labels(torch.as_tensor(inputs["labels"]), params)
        return output

    def check_input_shape(self, input_shape) -> None:
        if isinstance(input_shape, dict) and "images" in input_shape:
            input_shape = input_shape["images"]
        super().check_input_shape(input_shape)

    def _augment(self, images):
        return self._apply(images, self._draw(images))

    def _apply_labels(self, labels, params):
        return labels

    def _permutation(self, count: int, device):
        return torch.randperm(count, generator=self._generator).to(device)

    def _beta(self, count: int, alpha: float, device):
        """Beta(alpha, alpha) draws, seeded from this layer's generator (torch's Beta
        sampler takes no generator, numpy's does)."""
        seed = int(torch.randint(0, 2**31 - 1, (1,), generator=self._generator))
        draws = np.random.default_rng(seed).beta(alpha, alpha, count)
        return torch.as_tensor(draws, dtype=torch.float32).to(device)


class MixUp(_MixingLayer):
    """Blends each image (and its label) with another image of the batch, in training.

    Weights are drawn from Beta(alpha, alpha); called on ``{"images": x, "labels": y}``
    (one-hot labels) the labels are blended with the same weights.

    Args:
        alpha: the Beta distribution's parameter. Defaults to 0.2.
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> out = MixUp()({"images": torch.rand(4, 8, 8, 3), "labels": torch.eye(4)}, training=True)
    >>> out["labels"].sum(-1)
    tensor([1., 1., 1., 1.])
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise LayerfitValueError(
                explain(f"MixUp got alpha={alpha!r}.", "a positive number.", "alpha=0.2")
            )
        self.alpha = alpha

    def _draw(self, images):
        count = images.shape[0]
        return {
            "permutation_order": self._permutation(count, images.device),
            "mix_weight": self._beta(count, self.alpha, images.device),
        }

    def _apply(self, images, params):
        weight = params["mix_weight"].to(images.dtype).view(-1, 1, 1, 1)
        return weight * images + (1.0 - weight) * images[params["permutation_order"]]

    def _apply_labels(self, labels, params):
        weight = params["mix_weight"].to(labels.device).view(-1, 1)
        labels = labels.to(torch.float32)
        return weight * labels + (1.0 - weight) * labels[params["permutation_order"]]

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class CutMix(_MixingLayer):
    """Pastes a random box of another image of the batch into each image, in training.

    Labels given in ``{"images": x, "labels": y}`` are mixed by the pasted area.

    Args:
        factor: the range Beta's parameter is drawn from, in [0, 1]. Defaults to 1.0.
        seed: Defaults to None.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> CutMix(seed=1)(torch.rand(4, 8, 8, 3), training=True).shape
    torch.Size([4, 8, 8, 3])
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "CutMix", (0, 1))

    def _draw(self, images):
        count, _, height, width = images.shape
        alpha = float(self._uniform(1, *self.factor, "cpu")) + 1e-6
        ratio = torch.sqrt(1.0 - self._beta(count, alpha, "cpu"))
        x0, x1 = self._bounds(count, width, ratio)
        y0, y1 = self._bounds(count, height, ratio)
        return {
            "permutation_order": self._permutation(count, images.device),
            "box": (x0, x1, y0, y1),
            "size": (height, width),
        }

    def _bounds(self, count: int, length: int, ratio):
        crop = ratio * length
        start = self._uniform(count, 0.0, 1.0, "cpu") * (length - crop)
        return start, start + crop

    def _mask_and_weight(self, images, box):
        _, _, height, width = images.shape
        x0, x1, y0, y1 = (b.to(images.device, torch.float32).view(-1, 1, 1, 1) for b in box)
        ys = torch.arange(height, device=images.device, dtype=torch.float32).view(1, 1, -1, 1)
        xs = torch.arange(width, device=images.device, dtype=torch.float32).view(1, 1, 1, -1)
        mask = (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1)
        weight = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
        return mask, weight.view(-1, 1)

    def _apply(self, images, params):
        mask, _ = self._mask_and_weight(images, params["box"])
        return torch.where(mask, images[params["permutation_order"]], images)

    def _apply_labels(self, labels, params):
        x0, x1, y0, y1 = params["box"]
        height, width = params["size"]
        weight = (1.0 - (x1 - x0) * (y1 - y0) / (width * height)).view(-1, 1)
        labels = labels.to(torch.float32)
        weight = weight.to(labels.device)
        return weight * labels + (1.0 - weight) * labels[params["permutation_order"]]

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomErasing(_ColorLayer):
    """Replaces a random box of each image with noise or ``fill_value``, in training.

    Args:
        factor: the probability of erasing an image; a pair draws it. Defaults to 1.0.
        scale: the range of the box's side fractions (square-rooted, as Keras). Defaults to
            (0.02, 0.33).
        fill_value: the value written in the box; None writes Gaussian noise times the range's
            top. Defaults to None.
        value_range: the pixel range. Defaults to (0, 255).
        seed: Defaults to None.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> RandomErasing(fill_value=0.0)(torch.ones(2, 8, 8, 3), training=True).min().item()
    0.0
    """

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomErasing", (0, 1))
        self.scale = keras_factor(scale, "scale", "RandomErasing", (0, 1))
        if fill_value is not None and not (
            isinstance(fill_value, (int, float))
            or (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3)
        ):
            raise LayerfitValueError(
                explain(
                    f"RandomErasing got fill_value={fill_value!r}.",
                    "None (noise), a number, or three numbers (one per channel).",
                    "fill_value=0.0",
                )
            )
        self.fill_value = fill_value

    def _augment(self, images):
        return self._apply(images, self._draw_for(images))

    def _draw_for(self, images):
        count, _, height, width = images.shape
        sides = torch.sqrt(self._uniform(2 * count, *self.scale, "cpu").view(count, 2))
        x0, x1 = CutMix._bounds(self, count, width, sides[:, 0])
        y0, y1 = CutMix._bounds(self, count, height, sides[:, 1])
        probability = self._uniform(count, *self.factor, "cpu")
        apply = self._uniform(count, 0.0, 1.0, "cpu") < probability
        if self.fill_value is None:
            noise = torch.randn(images.shape, generator=self._generator) * self.value_range[1]
            fill = noise.to(images.device, images.dtype)
        else:
            fill = torch.as_tensor(self.fill_value, dtype=images.dtype, device=images.device)
            fill = fill.view(1, -1, 1, 1).expand_as(images)
        return {
            "apply_erasing": apply.to(images.device),
            "box": (x0, x1, y0, y1),
            "fill_value": fill.clamp(*self.value_range),
        }

    def _apply(self, images, params):
        mask, _ = CutMix._mask_and_weight(self, images, params["box"])
        erased = torch.where(mask, params["fill_value"], images)
        return torch.where(params["apply_erasing"].view(-1, 1, 1, 1), erased, images)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": self.fill_value,
        }


def gaussian_kernel(size: int, sigma: float, dtype=torch.float32):
    x = torch.arange(size, dtype=dtype) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def gaussian_blur(images, kernel_size: tuple, sigma: tuple):
    """(N, C, H, W) blurred with a separable Gaussian, zero "same" padding (Keras's op)."""
    channels = images.shape[1]
    kernel_x = gaussian_kernel(int(kernel_size[0]), float(sigma[0]), images.dtype)
    kernel_y = gaussian_kernel(int(kernel_size[1]), float(sigma[1]), images.dtype)
    kernel = torch.outer(kernel_y, kernel_x).to(images.device)
    kernel = kernel.expand(channels, 1, *kernel.shape)
    padding = (kernel.shape[2] // 2, kernel.shape[3] // 2)
    return F.conv2d(images, kernel, padding=padding, groups=channels)


class RandomGaussianBlur(_ColorLayer):
    """Blurs images with a Gaussian of random width, with probability drawn in ``factor``.

    Args:
        factor: the probability of blurring an image; a pair draws it. Defaults to 1.0.
        kernel_size: an odd kernel size, or a pair (width, height). Defaults to 3.
        sigma: the range the Gaussian's sigma is drawn from (one per axis). Defaults to 1.0.
        value_range: the pixel range (outputs are clipped to it). Defaults to (0, 255).
        data_format: Defaults to ``config.image_data_format()``.
        seed: Defaults to None.

    Example:
    >>> RandomGaussianBlur(sigma=(1.0, 1.0))(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(value_range, seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomGaussianBlur", (0, 1))
        sizes = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * 2
        if len(sizes) != 2 or any(
            isinstance(s, bool) or not isinstance(s, int) or s < 1 or s % 2 == 0 for s in sizes
        ):
            raise LayerfitValueError(
                explain(
                    f"RandomGaussianBlur got kernel_size={kernel_size!r}.",
                    "an odd positive integer, or a pair of them.",
                    "kernel_size=3",
                )
            )
        self.kernel_size = tuple(sizes)
        self.sigma = keras_factor(sigma, "sigma", "RandomGaussianBlur", (0, 1))

    def _draw(self, count, device):
        probability = self._uniform(count, *self.factor, "cpu")
        apply = self._uniform(count, 0.0, 1.0, "cpu") < probability
        return {
            "should_apply_blur": apply.to(device),
            "blur_factor": self._uniform(2, *self.sigma, "cpu") + 1e-6,
        }

    def _apply(self, images, params):
        sigma = params["blur_factor"].tolist()
        blurred = gaussian_blur(images, self.kernel_size, sigma)
        apply = params["should_apply_blur"].view(-1, 1, 1, 1)
        return torch.where(apply, blurred, images).clamp(*self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
        }
