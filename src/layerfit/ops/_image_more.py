"""More of Keras's ``ops.image``: colour spaces, filters (Gaussian, Sobel), SSIM, resampling
(``map_coordinates``, ``affine_transform``) and 3-D patches. channels_last unless
``data_format`` says otherwise; a single image (no batch axis) is accepted where Keras does."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F

from layerfit import config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of
from layerfit.ops._image import _first
from layerfit.ops._nn_extra import conv
from layerfit.random._random import normal

_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_ORDERS = {"nearest": 0, "bilinear": 1}


def _float_images(images, data_format):
    x, back = _first(images, data_format)
    return (x if x.is_floating_point() else x.to(dtype_of(config.floatx()))), back


def rgb_to_hsv(images, data_format=None):
    """RGB -> HSV, hue and saturation in [0, 1], as Keras (and TensorFlow).

    Example:
    >>> rgb_to_hsv(torch.tensor([[[1.0, 0.0, 0.0]]]))
    tensor([[[0., 1., 1.]]])
    """
    x, back = _float_images(images, data_format)
    red, green, blue = x.unbind(1)
    value = torch.maximum(torch.maximum(red, green), blue)
    spread = value - torch.minimum(torch.minimum(red, green), blue)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, 1.0))
    hue = torch.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = torch.where(value == red, norm * (green - blue), hue)
    hue = torch.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0).to(hue.dtype)
    return back(torch.stack([hue, saturation, value], dim=1))


def hsv_to_rgb(images, data_format=None):
    """HSV (hue and saturation in [0, 1]) -> RGB, the inverse of ``rgb_to_hsv``."""
    x, back = _float_images(images, data_format)
    hue, saturation, value = x.unbind(1)
    dh = torch.remainder(hue, 1.0) * 6.0
    shares = (
        ((dh - 3.0).abs() - 1.0).clamp(0.0, 1.0),
        (2.0 - (dh - 2.0).abs()).clamp(0.0, 1.0),
        (2.0 - (dh - 4.0).abs()).clamp(0.0, 1.0),
    )
    rgb = [value * (1.0 - saturation + saturation * share) for share in shares]
    return back(torch.stack(rgb, dim=1))


def _gaussian(size, sigma, dtype, device):
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _depthwise_same(x, kernel):
    """(N, C, H, W) filtered channel by channel with a (kh, kw) kernel, TensorFlow's 'same'."""
    kh, kw = kernel.shape
    x = F.pad(x, ((kw - 1) // 2, kw // 2, (kh - 1) // 2, kh // 2))
    weight = kernel.expand(x.shape[1], 1, kh, kw)
    return F.conv2d(x, weight, groups=x.shape[1])


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Gaussian blur with zero padding ('same'), as Keras.

    Keras builds the 2-D kernel as outer(k(kernel_size[1], sigma[1]), k(kernel_size[0],
    sigma[0])): the first entries act along the width.
    """
    x, back = _float_images(images, data_format)
    size = kernel_size if isinstance(kernel_size, (list, tuple)) else (kernel_size,) * 2
    sigma = sigma if isinstance(sigma, (list, tuple)) else (sigma,) * 2
    along_width = _gaussian(size[0], float(sigma[0]), x.dtype, x.device)
    along_height = _gaussian(size[1], float(sigma[1]), x.dtype, x.device)
    return back(_depthwise_same(x, torch.outer(along_height, along_width)))


def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel: (..., 2) holding (dy, dx), zero padding, as Keras."""
    x, back = _float_images(images, data_format)
    sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]],
                         dtype=x.dtype, device=x.device)  # fmt: skip
    dy, dx = _depthwise_same(x, sobel.T), _depthwise_same(x, sobel)
    return torch.stack([back(dy), back(dx)], dim=-1)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):  # fmt: skip
    """Structural similarity of each image pair (mean over pixels and channels), with an
    11x11 Gaussian window over 'valid' positions, as Keras: (batch,), or a scalar for single
    images."""
    a, _ = _float_images(image1, data_format)
    b, _ = _float_images(image2, data_format)
    single = convert_to_tensor(image1).dim() == 3
    if min(a.shape[2:]) < filter_size or a.shape != b.shape:
        raise LayerfitValueError(
            explain(
                f"ssim got images of shapes {tuple(a.shape)} and {tuple(b.shape)} "
                f"(channels first here) with filter_size={filter_size}.",
                "two images of the same shape, each side at least filter_size pixels.",
                "pass a smaller filter_size, e.g. ssim(a, b, filter_size=3).",
            )
        )
    window = _gaussian(filter_size, float(filter_sigma), a.dtype, a.device)
    weight = torch.outer(window, window).expand(a.shape[1], 1, filter_size, filter_size)

    def mean(t):  # local weighted means, channel by channel, 'valid'
        return F.conv2d(t, weight, groups=t.shape[1])

    mu_a, mu_b = mean(a), mean(b)
    var_a, var_b = mean(a * a) - mu_a**2, mean(b * b) - mu_b**2
    covariance = mean(a * b) - mu_a * mu_b
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu_a * mu_b + c1) * (2 * covariance + c2)) / (
        (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    )
    out = ssim_map.mean(dim=(1, 2, 3))
    return out[0] if single else out


def _fix_index(index, size, mode):
    """Integer indices outside [0, size) mapped back per scipy's (and JAX's) fill modes."""
    if mode == "nearest":
        return index.clamp(0, size - 1)
    if mode == "wrap":
        return torch.remainder(index, size)
    if mode == "mirror":  # d c b | a b c d | c b a
        if size == 1:
            return torch.zeros_like(index)
        period = 2 * (size - 1)
        return (torch.remainder(index + size - 1, period) - (size - 1)).abs()
    if mode == "reflect":  # d c b a | a b c d | d c b a
        folded = torch.remainder(index, 2 * size)
        return torch.where(folded < size, folded, 2 * size - 1 - folded)
    return index  # constant: out-of-range corners read fill_value


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Values of ``inputs`` at fractional ``coordinates`` (rank(inputs), ...), by nearest
    (``order=0``) or linear (``order=1``) interpolation, as ``scipy.ndimage.map_coordinates``
    and Keras.

    Example:
    >>> map_coordinates(torch.tensor([0.0, 10.0]), [[0.25]], order=1)
    tensor([2.5000])
    """
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    coordinates = coordinates if coordinates.is_floating_point() else coordinates.float()
    if (
        coordinates.dim() < 2 or coordinates.shape[0] != inputs.dim()
        or order not in (0, 1) or fill_mode not in _FILL_MODES
    ):  # fmt: skip
        raise LayerfitValueError(
            explain(
                f"map_coordinates got inputs of rank {inputs.dim()}, coordinates of shape "
                f"{tuple(coordinates.shape)}, order={order!r} and fill_mode={fill_mode!r}.",
                "coordinates of shape (rank of inputs, ...), order 0 or 1, and fill_mode one "
                f"of {', '.join(repr(m) for m in _FILL_MODES)}.",
                "map_coordinates(image, ops.stack([rows, cols]), order=1)",
            )
        )
    corners_per_axis = []
    for axis, coordinate in enumerate(coordinates):
        size = inputs.shape[axis]
        if order == 0:
            nearest = torch.floor(coordinate + 0.5).long()  # halves round up, as JAX
            candidates = [(nearest, torch.ones_like(coordinate))]
        else:
            lower = torch.floor(coordinate)
            fraction = coordinate - lower
            candidates = [(lower.long(), 1 - fraction), (lower.long() + 1, fraction)]
        corners_per_axis.append(
            [(_fix_index(i, size, fill_mode), w, (i >= 0) & (i < size)) for i, w in candidates]
        )
    out = torch.zeros(coordinates.shape[1:], dtype=torch.promote_types(inputs.dtype,
                      coordinates.dtype), device=inputs.device)  # fmt: skip
    for corner in itertools.product(*corners_per_axis):
        weight = torch.ones_like(out)
        valid = torch.ones_like(out, dtype=torch.bool)
        indices = []
        for index, share, inside in corner:
            weight = weight * share
            valid = valid & inside
            indices.append(index.clamp(0, inputs.shape[len(indices)] - 1))
        values = inputs[tuple(indices)].to(out.dtype)
        if fill_mode == "constant":
            values = torch.where(valid, values, torch.as_tensor(fill_value, dtype=out.dtype))
        out = out + weight * values
    return out.to(inputs.dtype) if inputs.is_floating_point() else out


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):  # fmt: skip
    """Resamples each image: output pixel (x, y) reads the input at
    ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``, with
    ``transform = [a0, a1, a2, b0, b1, b2, c0, c1]`` (one row per image, or one for all).

    Example:
    >>> shift_right = [1.0, 0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> affine_transform(torch.arange(3.0).reshape(1, 3, 1), shift_right)[0, :, 0]
    tensor([0., 0., 1.])
    """
    x, back = _float_images(images, data_format)
    transform = convert_to_tensor(transform).to(x.dtype)
    transform = transform[None] if transform.dim() == 1 else transform
    if interpolation not in _ORDERS or fill_mode not in _FILL_MODES or transform.shape[-1] != 8:
        raise LayerfitValueError(
            explain(
                f"affine_transform got interpolation={interpolation!r}, fill_mode="
                f"{fill_mode!r} and a transform of shape {tuple(transform.shape)}.",
                "interpolation 'nearest' or 'bilinear', fill_mode one of "
                f"{', '.join(repr(m) for m in _FILL_MODES)}, and 8 numbers per transform.",
                "affine_transform(images, [1, 0, dx, 0, 1, dy, 0, 0])",
            )
        )
    n, channels, height, width = x.shape
    rows, cols = torch.meshgrid(torch.arange(height, dtype=x.dtype, device=x.device),
                                torch.arange(width, dtype=x.dtype, device=x.device),
                                indexing="ij")  # fmt: skip
    transform = transform.expand(n, 8)
    outputs = []
    for image, (a0, a1, a2, b0, b1, b2, c0, c1) in zip(x, transform):
        k = c0 * cols + c1 * rows + 1
        source_cols, source_rows = (
            (a0 * cols + a1 * rows + a2) / k,
            (b0 * cols + b1 * rows + b2) / k,
        )
        channel = torch.arange(channels, dtype=x.dtype, device=x.device)
        grid = torch.stack(torch.broadcast_tensors(
            channel[:, None, None], source_rows[None], source_cols[None]))  # fmt: skip
        outputs.append(map_coordinates(image, grid, _ORDERS[interpolation], fill_mode, fill_value))
    return back(torch.stack(outputs))


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):  # fmt: skip
    """Patches of volumes (batch, depth, height, width, channels) -> (batch, d', h', w',
    patch_depth * patch_height * patch_width * channels), Keras's order (channels last)."""
    x = convert_to_tensor(volumes)
    single = x.dim() == 4
    x = x[None] if single else x
    if (data_format or config.image_data_format()) == "channels_first":
        x = x.permute(0, 2, 3, 4, 1)
    size = tuple(size) if isinstance(size, (list, tuple)) else (size,) * 3
    strides = size if strides is None else strides
    strides = tuple(strides) if isinstance(strides, (list, tuple)) else (strides,) * 3
    dilation = dilation_rate if isinstance(dilation_rate, (list, tuple)) else (dilation_rate,) * 3
    channels = x.shape[-1]
    # A conv with an identity kernel gathers each patch in (kd, kh, kw, c) order.
    eye = torch.eye(size[0] * size[1] * size[2] * channels, dtype=x.dtype, device=x.device)
    kernel = eye.reshape(*size, channels, -1)
    out = conv(x, kernel, strides, padding, "channels_last", dilation)
    if (data_format or config.image_data_format()) == "channels_first":
        out = out.permute(0, 4, 1, 2, 3)
    return out[0] if single else out


def _homography(start_points, end_points):
    """(N, 4, 2) point pairs -> (N, 8) transforms mapping each end point to its start point."""
    sx, sy = start_points.unbind(-1)
    ex, ey = end_points.unbind(-1)
    zeros, ones = torch.zeros_like(ex), torch.ones_like(ex)
    x_rows = torch.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], dim=-1)
    y_rows = torch.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], dim=-1)
    system = torch.cat([x_rows, y_rows], dim=1)  # (N, 8, 8)
    return torch.linalg.solve(system, torch.cat([sx, sy], dim=-1)[..., None])[..., 0]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):  # fmt: skip
    """Warps each image so its four ``start_points`` (x, y) land on ``end_points``; pixels
    from outside the image are ``fill_value``. Points (4, 2) or one set per image (N, 4, 2).

    Example:
    >>> corners = [[0, 0], [3, 0], [0, 3], [3, 3]]
    >>> perspective_transform(torch.ones(4, 4, 1), corners, corners).shape
    torch.Size([4, 4, 1])
    """
    start = convert_to_tensor(start_points).to(torch.float64)
    end = convert_to_tensor(end_points).to(torch.float64)
    if start.shape[-2:] != (4, 2) or start.shape != end.shape or start.dim() not in (2, 3):
        raise LayerfitValueError(
            explain(
                f"perspective_transform got start_points of shape {tuple(start.shape)} and "
                f"end_points of shape {tuple(end.shape)}.",
                "two sets of four (x, y) corners of the same shape: (4, 2), or (batch, 4, 2).",
                "start_points=[[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]]",
            )
        )
    start, end = (p[None] if p.dim() == 2 else p for p in (start, end))
    transforms = _homography(start, end).to(torch.float32)
    return affine_transform(images, transforms, interpolation, "constant", fill_value,
                            data_format)  # fmt: skip


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):  # fmt: skip
    """Elastic distortion (Simard et al., 2003): each pixel reads the input displaced by
    ``alpha`` times Gaussian-smoothed (``sigma``) normal noise, one field per image shared by
    its channels. ``seed`` as in ``layerfit.random`` (None, an int or a SeedGenerator).

    Example:
    >>> elastic_transform(torch.rand(2, 8, 8, 3), alpha=2.0, sigma=1.0, seed=1).shape
    torch.Size([2, 8, 8, 3])
    """
    x, back = _float_images(images, data_format)
    if interpolation not in _ORDERS or fill_mode not in _FILL_MODES:
        raise LayerfitValueError(
            explain(
                f"elastic_transform got interpolation={interpolation!r} and "
                f"fill_mode={fill_mode!r}.",
                "interpolation 'nearest' or 'bilinear', fill_mode one of "
                f"{', '.join(repr(m) for m in _FILL_MODES)}.",
                "elastic_transform(images, interpolation='bilinear', fill_mode='reflect')",
            )
        )
    n, channels, height, width = x.shape
    size = int(6 * sigma) | 1  # an odd window of about six standard deviations
    noise = normal((n, 2, height, width), stddev=float(sigma), seed=seed).to(x)
    field = gaussian_blur(noise, (size, size), (sigma, sigma), "channels_first") * alpha
    rows, cols = torch.meshgrid(torch.arange(height, dtype=x.dtype, device=x.device),
                                torch.arange(width, dtype=x.dtype, device=x.device),
                                indexing="ij")  # fmt: skip
    channel = torch.arange(channels, dtype=x.dtype, device=x.device)[:, None, None]
    outputs = []
    for image, (dy, dx) in zip(x, field):
        grid = torch.stack(torch.broadcast_tensors(channel, (rows + dy)[None], (cols + dx)[None]))
        outputs.append(map_coordinates(image, grid, _ORDERS[interpolation], fill_mode, fill_value))
    return back(torch.stack(outputs))


def _triangle(x):
    return (1 - x).clamp_min(0)


def _keys_cubic(x):
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return torch.where(x >= 2, 0.0, torch.where(x >= 1, far, near))


def _lanczos(radius):
    def kernel(x):
        y = radius * torch.sin(torch.pi * x) * torch.sin(torch.pi * x / radius)
        out = torch.where(x > 1e-3, y / torch.where(x != 0, torch.pi**2 * x**2, 1.0), 1.0)
        return torch.where(x > radius, 0.0, out)

    return kernel


_KERNELS = {
    **dict.fromkeys(("linear", "bilinear", "trilinear", "triangle"), _triangle),
    **dict.fromkeys(("cubic", "bicubic", "tricubic", "keyscubic"), _keys_cubic),
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias, dtype, device):
    """(in_size, out_size) resampling weights along one axis, as jax.image's."""
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    samples = (torch.arange(out_size, dtype=dtype, device=device) + 0.5) * inv_scale
    samples = samples - translation * inv_scale - 0.5
    source = torch.arange(in_size, dtype=dtype, device=device)
    weights = kernel((samples[None] - source[:, None]).abs() / kernel_scale)
    total = weights.sum(0, keepdim=True)
    weights = torch.where(
        total.abs() > 1000 * torch.finfo(torch.float32).eps,
        weights / torch.where(total != 0, total, 1.0),
        0.0,
    )
    inside = (samples >= -0.5) & (samples <= in_size - 0.5)
    return torch.where(inside[None], weights, 0.0)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):  # fmt: skip
    """Resamples ``images`` along ``spatial_dims`` to ``output_shape``: output pixel centre
    ``o`` reads input position ``(o + 0.5 - translation) / scale - 0.5`` through ``method``'s
    kernel ('linear', 'cubic', 'lanczos3', 'lanczos5' and their aliases), widened when
    shrinking if ``antialias``; as ``jax.image.scale_and_translate`` and Keras.

    Example:
    >>> scale_and_translate(torch.ones(4, 4), (8, 8), [2.0, 2.0], [0.0, 0.0], (0, 1),
    ...                     "linear").shape
    torch.Size([8, 8])
    """
    x = convert_to_tensor(images)
    x = x if x.is_floating_point() else x.to(dtype_of(config.floatx()))
    kernel = _KERNELS.get(method)
    if kernel is None or len(tuple(output_shape)) != x.dim():
        raise LayerfitValueError(
            explain(
                f"scale_and_translate got method={method!r} and output_shape={output_shape!r} "
                f"for images of shape {tuple(x.shape)}.",
                f"method one of {', '.join(repr(m) for m in _KERNELS)}, and an output_shape "
                "with one size per axis of images.",
                "scale_and_translate(images, (2, 64, 64, 3), [2.0, 2.0], [0.0, 0.0], (1, 2), "
                "'linear')",
            )
        )
    scale = convert_to_tensor(scale).reshape(-1).tolist()
    translation = convert_to_tensor(translation).reshape(-1).tolist()
    for axis, factor, shift in zip(spatial_dims, scale, translation):
        axis = axis % x.dim()
        weights = _weight_matrix(x.shape[axis], int(output_shape[axis]), factor, shift, kernel,
                                 antialias, x.dtype, x.device)  # fmt: skip
        x = torch.tensordot(x.movedim(axis, -1), weights, dims=1).movedim(-1, axis)
    return x
