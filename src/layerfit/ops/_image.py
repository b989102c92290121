"""Keras's ``ops.image``: resizing, cropping, padding, grayscale and patches on batches of
images, channels_last unless ``data_format`` says otherwise."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of

# Keras samples at pixel centres: torch's "nearest-exact", not its legacy "nearest".
_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic", "area": "area"}


def _first(images, data_format):
    """(B, H, W, C) or (H, W, C) -> (B, C, H, W) and the function that undoes it."""
    x = convert_to_tensor(images)
    single = x.dim() == 3
    x = x[None] if single else x
    last = (data_format or config.image_data_format()) == "channels_last"
    x = x.permute(0, 3, 1, 2) if last else x

    def back(y):
        y = y.permute(0, 2, 3, 1) if last else y
        return y[0] if single else y

    return x, back


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):  # fmt: skip
    """Resizes images to ``size`` (height, width), as Keras does (half-pixel centers).

    Example:
    >>> resize(torch.zeros(2, 8, 8, 3), (4, 4)).shape
    torch.Size([2, 4, 4, 3])
    """
    mode = _MODES.get(interpolation)
    if mode is None:
        raise LayerfitValueError(
            explain(
                f"ops.image.resize got interpolation={interpolation!r}.",
                f"one of {sorted(_MODES)}.",
                "interpolation='bilinear'",
            )
        )
    x, back = _first(images, data_format)
    dtype = x.dtype
    x = x if x.is_floating_point() else x.to(dtype_of(config.floatx()))
    height, width = int(size[0]), int(size[1])
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _fit_aspect(x, height / width, crop_to_aspect_ratio, fill_value)
    options = {"align_corners": False} if mode in ("bilinear", "bicubic") else {}
    if mode in ("bilinear", "bicubic"):
        options["antialias"] = bool(antialias)
    y = F.interpolate(x, size=(height, width), mode=mode, **options)
    return back(y if dtype.is_floating_point else y.round().to(dtype))


def _fit_aspect(x, ratio: float, crop: bool, fill_value):
    h, w = x.shape[-2:]
    if crop:
        new_h, new_w = min(h, round(w * ratio)), min(w, round(h / ratio))
        top, left = (h - new_h) // 2, (w - new_w) // 2
        return x[..., top : top + new_h, left : left + new_w]
    new_h, new_w = max(h, round(w * ratio)), max(w, round(h / ratio))
    top, left = (new_h - h) // 2, (new_w - w) // 2
    return F.pad(x, (left, new_w - w - left, top, new_h - h - top), value=fill_value)


def rgb_to_grayscale(images, data_format=None):
    """ITU-R 601 luma, one channel kept: (B, H, W, 3) -> (B, H, W, 1)."""
    x, back = _first(images, data_format)
    weights = torch.tensor([0.2989, 0.5870, 0.1140], dtype=x.dtype, device=x.device)
    return back((x * weights.view(1, 3, 1, 1)).sum(1, keepdim=True))


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):  # fmt: skip
    x, back = _first(images, data_format)
    h, w = x.shape[-2:]
    top, left = top_padding or 0, left_padding or 0
    bottom = bottom_padding if bottom_padding is not None else (target_height or h + top) - h - top
    right = right_padding if right_padding is not None else (target_width or w + left) - w - left
    return back(F.pad(x, (left, right, top, bottom)))


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):  # fmt: skip
    x, back = _first(images, data_format)
    h, w = x.shape[-2:]
    top, left = top_cropping or 0, left_cropping or 0
    height = target_height if target_height is not None else h - top - (bottom_cropping or 0)
    width = target_width if target_width is not None else w - left - (right_cropping or 0)
    return back(x[..., top : top + height, left : left + width])


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):  # fmt: skip
    """Patches as channels: (B, H, W, C) -> (B, rows, cols, size_h * size_w * C)."""
    x, back = _first(images, data_format)
    size = (size, size) if isinstance(size, int) else tuple(size)
    strides = size if strides is None else ((strides,) * 2 if isinstance(strides, int) else strides)
    if padding == "same":
        pads = []
        for n, k, s in zip(reversed(x.shape[-2:]), reversed(size), reversed(strides)):
            total = max((-(-n // s) - 1) * s + k - n, 0)
            pads += [total // 2, total - total // 2]
        x = F.pad(x, pads)
    b, c, h, w = x.shape
    if x.is_floating_point():
        patches = F.unfold(x, size, dilation=dilation_rate, stride=strides)  # (B, C*kh*kw, L)
    else:  # unfold has no integer kernel; patches are copies, so float64 and back is exact
        patches = F.unfold(x.double(), size, dilation=dilation_rate, stride=strides).to(x.dtype)
    rows = (h - dilation_rate * (size[0] - 1) - 1) // strides[0] + 1
    cols = (w - dilation_rate * (size[1] - 1) - 1) // strides[1] + 1
    # Keras orders each patch's values (kh, kw, C); unfold gives (C, kh, kw).
    patches = patches.reshape(b, c, size[0] * size[1], rows, cols).permute(0, 3, 4, 2, 1)
    return back(patches.reshape(b, rows, cols, -1).permute(0, 3, 1, 2))
