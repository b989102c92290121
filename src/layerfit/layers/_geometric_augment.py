"""Keras 3's newer geometric augmentations: RandomShear, RandomPerspective,
RandomElasticTransform.

As in ``_color_augment``, each layer draws its parameters (``_draw``) and applies them
(``_apply``) to a (N, C, H, W) batch, so a test can hand Keras and layerfit the same
parameters. Points are read with ``sample_at``, Keras's ``map_coordinates`` rules (pixel
centres at integers, Keras's fill modes). Acting only in training, like the other
augmentation layers.
"""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._color_augment import checked_value_range, keras_factor
from layerfit.layers._mixing_augment import gaussian_blur
from layerfit.layers._preprocessing import (
    AUGMENT_INTERPOLATIONS,
    _choice,
    _RandomAffine,
    _RandomLayer,
    _registry,
    affine_transform,
    sample_at,
)

ELASTIC_FILL_MODES = _registry("fill_mode", "reflect", "wrap", "constant", "nearest", "mirror")


def _unit_pairs(value, arg: str, layer: str) -> tuple:
    """RandomShear's factors: f in [0, 1] -> (-f, f); a pair -> sorted.

    Keras takes pairs in [0, 1] only, so its own get_config, (-f, f), does not load back;
    pairs in [-1, 1] are taken here so the config round-trips.
    """

    def number(v, low):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= 1

    if number(value, 0):
        return (-float(value), float(value))
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(number(v, -1) for v in value):
        lower, upper = sorted(float(v) for v in value)
        return (lower, upper)
    raise LayerfitValueError(
        explain(
            f"{layer} got {arg}={value!r}.",
            "a number in [0, 1] or a pair (lower, upper) of numbers in [-1, 1].",
            f"{arg}=0.2 shears by a random amount in [-0.2, 0.2].",
        )
    )


def _grid(images):
    """Pixel coordinates of an (N, C, H, W) batch: x and y of shape (1, H, W)."""
    height, width = images.shape[2:]
    ys, xs = torch.meshgrid(
        torch.arange(height, device=images.device, dtype=torch.float32),
        torch.arange(width, device=images.device, dtype=torch.float32),
        indexing="ij",
    )
    return xs.unsqueeze(0), ys.unsqueeze(0)


class RandomShear(_RandomAffine):
    """Shears each image along x and y by random amounts during training.

    Output pixel (x, y) reads input pixel (x + s_x * y, s_y * x + y) (about the top-left
    corner, as in Keras); each image's shear changes sign with probability 0.5.

    Args:
        x_factor: f in [0, 1] draws s_x in [-f, f]; a pair (lower, upper) in [0, 1] gives
            the range. Defaults to 0.0.
        y_factor: the same for s_y. Defaults to 0.0.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        fill_mode: 'reflect', 'wrap', 'constant' or 'nearest'. Defaults to 'reflect'.
        fill_value: the fill for fill_mode='constant'. Defaults to 0.0.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').
        seed: Defaults to None (torch's global generator).

    Example:
    >>> RandomShear(x_factor=0.2)(torch.zeros(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.x_factor = _unit_pairs(x_factor, "x_factor", "RandomShear")
        self.y_factor = _unit_pairs(y_factor, "y_factor", "RandomShear")

    def _augment(self, images):
        return self._apply(images, self._draw(images.shape[0]))

    def _draw(self, count: int) -> dict:
        invert = torch.where(self._uniform(count, 0.0, 1.0, "cpu") > 0.5, -1.0, 1.0)
        shear_y = self._uniform(count, *self.y_factor, "cpu")
        shear_x = self._uniform(count, *self.x_factor, "cpu")
        return {"shear_factor": torch.stack([shear_x, shear_y], dim=1) * invert[:, None]}

    def _apply(self, images, params):
        shear = params["shear_factor"].to(torch.float32)
        ones, zeros = torch.ones(len(shear)), torch.zeros(len(shear))
        matrices = torch.stack(
            [
                torch.stack([ones, shear[:, 0], zeros], dim=-1),
                torch.stack([shear[:, 1], ones, zeros], dim=-1),
            ],
            dim=1,
        )
        return affine_transform(
            images, matrices, self.interpolation, self.fill_mode, self.fill_value
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor}


def homography(start_points, end_points):
    """(N, 4, 2) corner pairs -> (N, 8) coefficients mapping end (output) to start (input)."""
    start = start_points.to(torch.float64)
    end = end_points.to(torch.float64)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zeros, ones = torch.zeros_like(ex), torch.ones_like(ex)
    x_rows = torch.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], dim=-1)
    y_rows = torch.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], dim=-1)
    system = torch.cat([x_rows, y_rows], dim=1)  # (N, 8, 8)
    target = torch.cat([sx, sy], dim=-1).unsqueeze(-1)
    return torch.linalg.solve(system, target).squeeze(-1)


class RandomPerspective(_RandomLayer):
    """Moves the corners of images at random and warps them to match, during training.

    Each image is warped with probability drawn in ``factor``; a corner at (x, y) moves to
    (x, y) * (1 + u) with u uniform in [-scale / 2, scale / 2] (the top-left corner stays,
    as in Keras). Points that fall outside the image read ``fill_value``.

    Args:
        factor: the probability of warping an image, a number or a pair in [0, 1].
            Defaults to 1.0.
        scale: the size of the corner moves, in [0, 1]. Defaults to 1.0.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        fill_value: the value outside the warped image. Defaults to 0.0.
        seed: Defaults to None (torch's global generator).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandomPerspective(scale=0.2)(torch.zeros(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", "RandomPerspective", bounds=(0.0, 1.0))
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise LayerfitValueError(
                explain(
                    f"RandomPerspective got scale={scale!r}.",
                    "a number in [0, 1].",
                    "scale=0.2 moves each corner by up to 10% of its position.",
                )
            )
        self.scale = scale
        self.interpolation = _choice(
            AUGMENT_INTERPOLATIONS, interpolation, "interpolation", "RandomPerspective"
        )
        self.fill_value = fill_value

    def _augment(self, images):
        return self._apply(images, self._draw(images.shape[0], *images.shape[2:]))

    def _draw(self, count: int, height: int, width: int) -> dict:
        probability = self._uniform(count, *self.factor, "cpu")
        apply = self._uniform(count, 0.0, 1.0, "cpu") < probability
        moves = self._uniform(count * 8, -0.5 * self.scale, 0.5 * self.scale, "cpu")
        corners = [[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0], [width - 1.0, height - 1.0]]
        start = torch.tensor(corners).expand(count, 4, 2)
        return {
            "apply_perspective": apply,
            "start_points": start,
            "end_points": start + start * moves.view(count, 4, 2),
        }

    def _apply(self, images, params):
        h = homography(params["start_points"], params["end_points"]).to(torch.float32)
        h = h.to(images.device)[:, :, None, None]  # (N, 8, 1, 1)
        x, y = _grid(images)
        denominator = h[:, 6] * x + h[:, 7] * y + 1.0
        x_in = (h[:, 0] * x + h[:, 1] * y + h[:, 2]) / denominator
        y_in = (h[:, 3] * x + h[:, 4] * y + h[:, 5]) / denominator
        warped = sample_at(images, x_in, y_in, self.interpolation, "constant", self.fill_value)
        apply = params["apply_perspective"].to(images.device).view(-1, 1, 1, 1)
        return torch.where(apply, warped, images)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }


class RandomElasticTransform(_RandomLayer):
    """Displaces pixels by a smooth random field (an elastic distortion), during training.

    Each image is distorted with probability drawn in ``factor``. One strength ``d`` per
    batch is drawn in ``scale``; the displacement is Gaussian noise blurred with
    sigma = 0.05 * d * min(height, width) and scaled by alpha = 0.1 * d * max(height, width),
    as in Keras. Outputs are clipped to ``value_range``.

    Args:
        factor: the probability of distorting an image, a number or a pair in [0, 1].
            Defaults to 1.0.
        scale: the distortion strength, a number or a pair in [0, 1]. Defaults to 1.0.
        interpolation: 'bilinear' or 'nearest'. Defaults to 'bilinear'.
        fill_mode: 'reflect', 'wrap', 'constant', 'nearest' or 'mirror'. Defaults to 'reflect'.
        fill_value: the fill for fill_mode='constant'. Defaults to 0.0.
        value_range: the range of the pixel values. Defaults to (0, 255).
        seed: Defaults to None (torch's global generator).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> RandomElasticTransform()(torch.rand(2, 16, 16, 3) * 255, training=True).shape
    torch.Size([2, 16, 16, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        layer = "RandomElasticTransform"
        self.factor = keras_factor(factor, "factor", layer, bounds=(0.0, 1.0))
        self.scale = keras_factor(scale, "scale", layer, bounds=(0.0, 1.0))
        self.interpolation = _choice(AUGMENT_INTERPOLATIONS, interpolation, "interpolation", layer)
        self.fill_mode = _choice(ELASTIC_FILL_MODES, fill_mode, "fill_mode", layer)
        self.fill_value = fill_value
        self.value_range = checked_value_range(value_range, layer)

    def _augment(self, images):
        if self.scale[1] == 0 or self.factor[1] == 0:
            return images  # Keras draws nothing and leaves the images as they are
        return self._apply(images, self._draw(images))

    def _draw(self, images) -> dict:
        count, _, height, width = images.shape
        probability = self._uniform(count, *self.factor, "cpu")
        apply = self._uniform(count, 0.0, 1.0, "cpu") < probability
        strength = float(self._uniform(1, *self.scale, "cpu"))
        alpha = max(height, width) * 0.1 * strength
        sigma = min(height, width) * 0.05 * strength
        noise = torch.randn((count, 2, height, width), generator=self._generator)
        if sigma > 0:
            size = int(6 * sigma) | 1
            field = gaussian_blur(noise * sigma, (size, size), (sigma, sigma))
        else:
            field = torch.zeros_like(noise)
        return {"apply_transform": apply, "displacement": alpha * field}

    def _apply(self, images, params):
        field = params["displacement"].to(device=images.device, dtype=torch.float32)
        x, y = _grid(images)
        x_in, y_in = x + field[:, 0], y + field[:, 1]
        fill_mode = self.fill_mode
        if fill_mode == "mirror":  # d c b | a b c d | c b a: fold here, then read inside
            height, width = images.shape[2:]
            x_in, y_in = _mirror(x_in, width), _mirror(y_in, height)
            fill_mode = "nearest"
        moved = sample_at(images, x_in, y_in, self.interpolation, fill_mode, self.fill_value)
        apply = params["apply_transform"].to(images.device).view(-1, 1, 1, 1)
        return torch.where(apply, moved, images).clamp(*self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
        }


def _mirror(coords, size: int):
    if size == 1:
        return torch.zeros_like(coords)
    period = 2.0 * (size - 1)
    t = torch.remainder(coords, period)
    return torch.where(t > size - 1, period - t, t)
