"""ContrastLimitedAdaptiveHistogramEqualization (CLAHE) and MaxNumBoundingBoxes: Keras 3
preprocessing layers that act the same in training and inference."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._color_augment import checked_value_range, to_range
from layerfit.layers._layer import Layer
from layerfit.layers._preprocessing import _ImageLayer


def _symmetric_pad_index(size: int, padding: int, device) -> torch.Tensor:
    """Indexes of numpy's 'symmetric' padding at the end: a b c d | d c b a | a b ..."""
    index = torch.arange(size + padding, device=device)
    t = torch.remainder(index, 2 * size)
    return torch.where(t < size, t, 2 * size - 1 - t)


class ContrastLimitedAdaptiveHistogramEqualization(_ImageLayer):
    """Equalizes the histogram of each tile of each channel, with clipped histograms (CLAHE).

    The image is cut into ``tile_grid_size`` tiles (padded symmetrically to a whole number
    of tiles); each tile's 256-bin histogram is clipped at ``clip_limit`` times its mean
    count, the excess spread evenly, and pixels are mapped through the bilinear blend of
    the four nearest tiles' equalization curves, as in Keras. Active in training and
    inference. Integer images come back in their dtype (truncated, as Keras casts).

    Args:
        value_range: the pixel range. Defaults to (0, 255).
        clip_limit: the histogram clip, in multiples of the mean bin count; 0 or less for
            none. Defaults to 4.0.
        tile_grid_size: (rows, columns) of tiles. Defaults to (8, 8).
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> ContrastLimitedAdaptiveHistogramEqualization()(torch.rand(1, 32, 32, 3) * 255).shape
    torch.Size([1, 32, 32, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        clip_limit=4.0,
        tile_grid_size=(8, 8),
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format, **kwargs)
        name = "ContrastLimitedAdaptiveHistogramEqualization"
        self.value_range = checked_value_range(value_range, name)
        if isinstance(clip_limit, bool) or not isinstance(clip_limit, (int, float)):
            raise LayerfitValueError(
                explain(f"{name} got clip_limit={clip_limit!r}.", "a number.", "clip_limit=4.0")
            )
        self.clip_limit = clip_limit
        if not (
            isinstance(tile_grid_size, (tuple, list))
            and len(tile_grid_size) == 2
            and all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in tile_grid_size
            )
        ):
            raise LayerfitValueError(
                explain(
                    f"{name} got tile_grid_size={tile_grid_size!r}.",
                    "a pair (rows, columns) of positive integers.",
                    "tile_grid_size=(8, 8)",
                )
            )
        self.tile_grid_size = tuple(tile_grid_size)

    def call(self, inputs, training=None):
        dtype = inputs.dtype
        images, single = self._as_nchw(self._float(inputs))
        images = to_range(images.to(torch.float32), self.value_range, (0, 255))
        images = to_range(self._clahe(images), (0, 255), self.value_range)
        return self._from_nchw(images.to(dtype), single)

    def _clahe(self, images):
        n, c, height, width = images.shape
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        rows = _symmetric_pad_index(height, tile_h * grid_h - height, images.device)
        cols = _symmetric_pad_index(width, tile_w * grid_w - width, images.device)
        padded = images[:, :, rows][:, :, :, cols]  # (N, C, Hp, Wp)
        pixels = padded.to(torch.int32).clamp(0, 255).long()  # truncation, as Keras's cast
        tiles = pixels.view(n, c, grid_h, tile_h, grid_w, tile_w).permute(0, 1, 2, 4, 3, 5)
        tiles = tiles.reshape(n, c, grid_h, grid_w, tile_h * tile_w)
        hists = torch.zeros(n, c, grid_h, grid_w, 256, device=images.device)
        hists.scatter_add_(-1, tiles, torch.ones_like(tiles, dtype=hists.dtype))
        area = tile_h * tile_w
        if self.clip_limit > 0:
            clipped = hists.clamp(0, self.clip_limit * area / 256.0)
            hists = clipped + (hists - clipped).sum(-1, keepdim=True) / 256.0
        cdf = hists.cumsum(-1)
        cdf_min = cdf.amin(-1, keepdim=True)
        denominator = area - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        curves = ((cdf - cdf_min) * 255.0 / denominator).clamp(0, 255)
        # Edge tiles repeated once on each side: (N, C, grid_h + 2, grid_w + 2, 256).
        curves = torch.cat([curves[:, :, :1], curves, curves[:, :, -1:]], dim=2)
        curves = torch.cat([curves[:, :, :, :1], curves, curves[:, :, :, -1:]], dim=3)
        y0, wy = self._neighbours(tile_h * grid_h, tile_h, grid_h, images.device)
        x0, wx = self._neighbours(tile_w * grid_w, tile_w, grid_w, images.device)
        batch = torch.arange(n, device=images.device).view(n, 1, 1, 1)
        channel = torch.arange(c, device=images.device).view(1, c, 1, 1)

        def read(y, x):
            return curves[batch, channel, y.view(1, 1, -1, 1), x.view(1, 1, 1, -1), pixels]

        y1, x1 = (y0 + 1).clamp(max=grid_h + 1), (x0 + 1).clamp(max=grid_w + 1)
        wy, wx = wy.view(1, 1, -1, 1), wx.view(1, 1, 1, -1)
        top = read(y0, x0) * (1.0 - wx) + read(y0, x1) * wx
        bottom = read(y1, x0) * (1.0 - wx) + read(y1, x1) * wx
        result = top * (1.0 - wy) + bottom * wy
        return result[:, :, :height, :width]

    @staticmethod
    def _neighbours(size: int, tile: int, grid: int, device):
        """For each padded row (or column): the upper tile index and the weight of the next."""
        position = (torch.arange(size, dtype=torch.float32, device=device) - tile / 2.0) / tile
        position = position + 1.0
        lower = torch.floor(position)
        return lower.clamp(0, grid + 1).long(), position - lower

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }


class MaxNumBoundingBoxes(Layer):
    """Pads or truncates the bounding boxes of each image to exactly ``max_number``.

    Called on ``{"images": ..., "bounding_boxes": {"boxes": (N, M, 4), "labels": (N, M)}}``
    (with ``bounding_box_format`` given, as Keras requires); images pass unchanged, and
    missing boxes and labels are filled with ``fill_value``.

    Args:
        max_number: the number of boxes per image.
        fill_value: the value of padded boxes and labels. Defaults to -1.
        bounding_box_format: the box format, e.g. 'xyxy' (required with boxes).

    Example:
    >>> boxes = {"boxes": torch.ones(1, 2, 4), "labels": torch.ones(1, 2)}
    >>> layer = MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
    >>> layer({"images": torch.zeros(1, 8, 8, 3), "bounding_boxes": boxes})["bounding_boxes"][
    ...     "labels"
    ... ].tolist()
    [[1.0, 1.0, -1.0]]
    """

    def __init__(self, max_number, fill_value=-1, **kwargs):
        self.bounding_box_format = kwargs.pop("bounding_box_format", None)
        self.data_format = kwargs.pop("data_format", None) or "channels_last"
        super().__init__(**kwargs)
        for arg, value in (("max_number", max_number), ("fill_value", fill_value)):
            try:
                int(value)
            except (TypeError, ValueError):
                raise LayerfitValueError(
                    explain(
                        f"MaxNumBoundingBoxes got {arg}={value!r}.",
                        "an integer.",
                        "MaxNumBoundingBoxes(max_number=10, fill_value=-1)",
                    )
                ) from None
        if int(max_number) < 1:
            raise LayerfitValueError(
                explain(
                    f"MaxNumBoundingBoxes got max_number={max_number!r}.",
                    "a positive integer.",
                    "MaxNumBoundingBoxes(max_number=10)",
                )
            )
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def check_input_shape(self, input_shape) -> None:
        return None  # images, or a dict of images and boxes: checked in call

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            boxes = dict(input_shape["bounding_boxes"])
            boxes["boxes"] = (boxes["boxes"][0], self.max_number, *boxes["boxes"][2:])
            boxes["labels"] = (boxes["labels"][0], self.max_number)
            return {**input_shape, "bounding_boxes": boxes}
        return input_shape

    def call(self, inputs, training=None):
        if not isinstance(inputs, dict) or "bounding_boxes" not in inputs:
            return inputs
        if self.bounding_box_format is None:
            raise LayerfitValueError(
                explain(
                    "MaxNumBoundingBoxes got a 'bounding_boxes' input but no bounding_box_format.",
                    "the format of the boxes, as Keras requires.",
                    "MaxNumBoundingBoxes(10, bounding_box_format='xyxy')",
                )
            )
        boxes = dict(inputs["bounding_boxes"])
        extra = sorted(set(boxes) - {"boxes", "labels"})
        if extra or "boxes" not in boxes or "labels" not in boxes:
            raise LayerfitValueError(
                explain(
                    f"MaxNumBoundingBoxes got bounding_boxes with keys {sorted(boxes)}.",
                    "exactly 'boxes' (N, M, 4) and 'labels' (N, M).",
                    "drop the other keys before this layer.",
                )
            )
        boxes["boxes"] = self._fit(torch.as_tensor(boxes["boxes"]))
        boxes["labels"] = self._fit(torch.as_tensor(boxes["labels"]))
        return {**inputs, "bounding_boxes": boxes}

    def _fit(self, values):
        """Keeps the first ``max_number`` entries of axis 1, padding with ``fill_value``."""
        values = values[:, : self.max_number]
        missing = self.max_number - values.shape[1]
        if missing > 0:
            shape = (values.shape[0], missing, *values.shape[2:])
            padding = torch.full(shape, self.fill_value, dtype=values.dtype, device=values.device)
            values = torch.cat([values, padding], dim=1)
        return values

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "data_format": self.data_format,
            "bounding_box_format": self.bounding_box_format,
            "max_number": self.max_number,
            "fill_value": self.fill_value,
        }
