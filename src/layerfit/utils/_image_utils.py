"""Keras's image helpers: load_img, img_to_array, array_to_img, save_img, smart_resize.

Pillow reads and writes the files. It is the optional ``image`` extra, imported on first use
so ``import layerfit`` stays light; without it these functions say how to install it. torch
(for resizing) is imported inside functions too: ``utils`` must not load it at import.
"""

from __future__ import annotations

import io
import pathlib

import numpy as np

from layerfit import config
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn

COLOR_MODES = {"grayscale": 1, "rgb": 3, "rgba": 4}
PIL_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
# Resizes layerfit does with torch (tf.image.resize's names); tf's Lanczos, Gaussian and
# Mitchell kernels have no torch counterpart.
# torch kernels, plus Lanczos (radius 3 or 5) computed here as a separable weight matrix.
TORCH_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")


def pil_image():
    """The ``PIL.Image`` module, or our error saying how to install Pillow."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            explain(
                "Reading and writing images needs Pillow, which is not installed.",
                "the Pillow package (layerfit's 'image' extra).",
                'pip install "layerfit[image]"  (or pip install pillow).',
            )
        ) from None
    return Image


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise LayerfitValueError(
            explain(
                f"data_format={data_format!r}.",
                "'channels_last' or 'channels_first'.",
                "data_format='channels_last'",
            )
        )
    return data_format


def _color_mode(color_mode) -> int:
    if color_mode not in COLOR_MODES:
        raise LayerfitValueError(
            explain(
                f"color_mode={color_mode!r}.",
                "'grayscale', 'rgb' or 'rgba'.",
                "color_mode='rgb' (three channels).",
            )
        )
    return COLOR_MODES[color_mode]


def open_image(path):
    """Opens ``path`` (a str, Path, bytes path or BytesIO) with Pillow, naming the file on error."""
    image_module = pil_image()
    if isinstance(path, io.BytesIO):
        return image_module.open(path)
    if not isinstance(path, (str, bytes, pathlib.Path)):
        raise LayerfitTypeError(
            explain(
                f"path is a {type(path).__name__}.",
                "a file path (str or pathlib.Path) or an io.BytesIO.",
                "load_img('images/cat.jpg')",
            )
        )
    try:
        with open(path, "rb") as file:
            data = file.read()
        image = image_module.open(io.BytesIO(data))
        image.load()
    except OSError as error:  # missing file, or not an image Pillow can decode
        if isinstance(error, image_module.UnidentifiedImageError):
            reason = "not an image format Pillow recognises"
        else:
            reason = error.strerror or str(error)
        raise LayerfitValueError(
            explain(
                f"Could not read the image file {str(path)!r} ({reason}).",
                "a JPEG, PNG, BMP or GIF file that Pillow can open.",
                "check that the file exists and is a complete image; delete or re-save it.",
            )
        ) from None
    return image


def convert_mode(image, channels: int):
    """Pillow image -> grayscale ('L', or 16/32-bit 'I' as it is), 'RGB' or 'RGBA', as Keras."""
    if channels == 1:
        return image if image.mode in ("L", "I;16", "I") else image.convert("L")
    mode = "RGBA" if channels == 4 else "RGB"
    return image if image.mode == mode else image.convert(mode)


def load_img(
    path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False
):
    """Loads an image file into a Pillow image.

    Args:
        path: the file path, or an ``io.BytesIO``.
        color_mode: 'grayscale', 'rgb' or 'rgba'. Defaults to 'rgb'.
        target_size: ``(height, width)`` to resize to, or None for the file's size.
            Defaults to None.
        interpolation: Pillow's resampling: 'nearest', 'bilinear', 'bicubic', 'hamming', 'box'
            or 'lanczos'. Defaults to 'nearest'.
        keep_aspect_ratio: centre-crop to the target aspect ratio before resizing.
            Defaults to False.

    Example:
    >>> image = load_img("cat.jpg", target_size=(180, 180))  # doctest: +SKIP
    >>> img_to_array(image).shape  # doctest: +SKIP
    (180, 180, 3)
    """
    channels = _color_mode(color_mode)
    image = convert_mode(open_image(path), channels)
    if target_size is None:
        return image
    target_height, target_width = target_size
    if image.size == (target_width, target_height):
        return image
    if interpolation not in PIL_INTERPOLATIONS:
        raise LayerfitValueError(
            explain(
                f"load_img got interpolation={interpolation!r}.",
                f"one of {list(PIL_INTERPOLATIONS)}.",
                "interpolation='bilinear'",
            )
        )
    resample = getattr(pil_image().Resampling, interpolation.upper())
    box = None
    if keep_aspect_ratio:
        width, height = image.size
        crop_height = min(height, (width * target_height) // target_width)
        crop_width = min(width, (height * target_width) // target_height)
        top, left = (height - crop_height) // 2, (width - crop_width) // 2
        box = (left, top, left + crop_width, top + crop_height)
    return image.resize((target_width, target_height), resample, box=box)


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image (or array) -> a 3D numpy array ``(height, width, channels)``.

    Args:
        img: a Pillow image.
        data_format: 'channels_last' or 'channels_first'. Defaults to
            ``config.image_data_format()``.
        dtype: Defaults to ``config.floatx()`` ('float32').
    """
    data_format = _data_format(data_format)
    array = np.asarray(img, dtype=dtype or config.floatx())
    if array.ndim == 2:
        array = array[None] if data_format == "channels_first" else array[..., None]
    elif array.ndim == 3:
        if data_format == "channels_first":
            array = array.transpose(2, 0, 1)
    else:
        raise LayerfitValueError(
            explain(
                f"img_to_array got an image of shape {array.shape}.",
                "a 2D (grayscale) or 3D image.",
                "pass one image, not a batch: img_to_array(images[0]).",
            )
        )
    return array


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3D array -> a Pillow image; ``scale`` stretches the values to [0, 255] first.

    Args:
        x: an array of shape ``(height, width, channels)`` with 1, 3 or 4 channels.
        data_format: Defaults to ``config.image_data_format()``.
        scale: rescale min..max to 0..255. Defaults to True.
        dtype: the working dtype. Defaults to ``config.floatx()``.
    """
    pil = pil_image()
    data_format = _data_format(data_format)
    if hasattr(x, "detach"):  # a torch tensor
        x = x.detach().cpu().numpy()
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise LayerfitValueError(
            explain(
                f"array_to_img got an array of shape {x.shape}.",
                "one image: (height, width, channels).",
                "pass one image of a batch: array_to_img(images[0]).",
            )
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x /= peak
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        return pil.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit grayscale, Pillow's mode 'I'
            return pil.fromarray(x[:, :, 0].astype("int32"), "I")
        return pil.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise LayerfitValueError(
        explain(
            f"array_to_img got {channels} channels.",
            "1 (grayscale), 3 (RGB) or 4 (RGBA).",
            "keep the first three channels: x[..., :3].",
        )
    )


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves a 3D array as an image file (format from the extension unless ``file_format``).

    Args:
        path: where to write.
        x: the image array.
        data_format: Defaults to ``config.image_data_format()``.
        file_format: e.g. 'png' or 'jpeg'. Defaults to the path's extension.
        scale: rescale values to [0, 255]. Defaults to True.
        **kwargs: passed to Pillow's ``Image.save`` (e.g. ``quality=90``).
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and file_format == "jpeg":
        warn(
            "JPEG has no alpha channel: the RGBA image is saved as RGB.",
            fix="save as PNG to keep transparency, or pass x[..., :3].",
        )
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


def check_interpolation(interpolation: str) -> str:
    name = str(interpolation).lower()
    if name not in TORCH_INTERPOLATIONS:
        raise LayerfitValueError(
            explain(
                f"interpolation={interpolation!r} is not available in layerfit"
                + (
                    " (PyTorch has no such resize kernel)."
                    if isinstance(interpolation, str)
                    else "."
                ),
                f"one of {list(TORCH_INTERPOLATIONS)}.",
                "interpolation='bilinear' (Keras's default).",
            )
        )
    return name


def resize_chw(images, size, interpolation: str, antialias: bool = False):
    """(N, C, H, W) floats resized as tf.image.resize does (half-pixel centres, no antialias)."""
    import torch.nn.functional as F

    if interpolation.startswith("lanczos"):
        return lanczos_resize(images, size, int(interpolation[-1]), antialias)
    mode = {"nearest": "nearest-exact"}.get(interpolation, interpolation)
    corners = False if mode in ("bilinear", "bicubic") else None
    return F.interpolate(images, size=tuple(size), mode=mode, align_corners=corners)


def lanczos_weights(in_size: int, out_size: int, radius: int, antialias: bool):
    """The (in_size, out_size) float64 matrix of jax.image.scale_and_translate's Lanczos
    resampling (TensorFlow's ``tf.image.resize(method='lanczosN')`` too): half-pixel
    centres, the kernel ``sinc(x) sinc(x / radius)`` widened by the scale when antialiasing
    a shrink, each output's weights normalised to sum to 1, no edge padding."""
    inv_scale = in_size / out_size
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(out_size, dtype="float64") + 0.5) * inv_scale - 0.5
    x = np.abs(sample[None, :] - np.arange(in_size, dtype="float64")[:, None]) / kernel_scale
    with np.errstate(divide="ignore", invalid="ignore"):
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi**2 * x**2)
    weights = np.where(x > 1e-3, y, 1.0)
    weights = np.where(x > radius, 0.0, weights)
    total = weights.sum(axis=0, keepdims=True)
    small = np.abs(total) <= 1000.0 * np.finfo(np.float32).eps
    return np.where(small, 0.0, weights / np.where(total != 0, total, 1.0))


def lanczos_resize(images, size, radius: int, antialias: bool = False):
    """(N, C, H, W) floats resized with a Lanczos kernel of ``radius`` (3 or 5), one axis at
    a time; an axis that keeps its size is left as it is (as JAX does)."""
    import torch

    height, width = images.shape[-2:]
    out = images
    if size[0] != height:
        rows = torch.as_tensor(lanczos_weights(height, size[0], radius, antialias))
        out = torch.einsum("nchw,hH->ncHw", out, rows.to(out.device, out.dtype))
    if size[1] != width:
        cols = torch.as_tensor(lanczos_weights(width, size[1], radius, antialias))
        out = torch.einsum("nchw,wW->nchW", out, cols.to(out.device, out.dtype))
    return out


def crop_box(height: int, width: int, size) -> tuple[int, int, int, int]:
    """Keras's centre crop to ``size``'s aspect ratio: (top, left, crop_height, crop_width)."""
    target_height, target_width = size
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resizes images to ``size`` without distorting them: centre-crop to the aspect ratio first.

    Args:
        x: one image ``(height, width, channels)`` or a batch of them (numpy or tensor).
        size: ``(height, width)``.
        interpolation: 'bilinear', 'nearest', 'bicubic', 'area', 'lanczos3' or 'lanczos5'.
            Defaults to 'bilinear'.
        data_format: Defaults to 'channels_last'.

    Example:
    >>> smart_resize(np.zeros((40, 60, 3)), (20, 20)).shape
    (20, 20, 3)
    """
    if len(size) != 2:
        raise LayerfitValueError(
            explain(f"smart_resize got size={size!r}.", "(height, width).", "size=(224, 224)")
        )
    import torch

    interpolation = check_interpolation(interpolation)
    tensor = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    if tensor.dim() not in (3, 4):
        raise LayerfitValueError(
            explain(
                f"smart_resize got an array of shape {tuple(tensor.shape)}.",
                "(height, width, channels) or (batch, height, width, channels).",
                "add a channel axis to grayscale images: x[..., None].",
            )
        )
    single = tensor.dim() == 3
    images = tensor.unsqueeze(0) if single else tensor
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    images = images.float() if not images.is_floating_point() else images
    top, left, crop_height, crop_width = crop_box(images.shape[2], images.shape[3], size)
    images = images[:, :, top : top + crop_height, left : left + crop_width]
    images = resize_chw(images, size, interpolation)
    if data_format == "channels_last":
        images = images.permute(0, 2, 3, 1)
    images = images.squeeze(0) if single else images
    return images.numpy() if not isinstance(x, torch.Tensor) else images
