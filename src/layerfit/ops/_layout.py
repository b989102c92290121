"""Keras's ops that move values between axes: depth/space blocks, sliding blocks (unfold/fold),
einops-style ``rearrange``, complex views, index arithmetic."""

from __future__ import annotations

import math
import re

import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of


def _check_rank4(x, op):
    if x.dim() != 4:
        raise LayerfitValueError(
            explain(
                f"ops.{op} got a tensor of shape {tuple(x.shape)} (rank {x.dim()}).",
                "a batch of images of rank 4: (batch, height, width, channels) for "
                "channels_last, (batch, channels, height, width) for channels_first.",
                "add the batch axis: ops.expand_dims(image, 0).",
            )
        )


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channels into ``block_size`` x ``block_size`` spatial blocks (TensorFlow's order).

    Example:
    >>> depth_to_space(torch.arange(8.0).reshape(1, 1, 2, 4), 2).shape
    torch.Size([1, 2, 4, 1])
    """
    x = convert_to_tensor(x)
    _check_rank4(x, "depth_to_space")
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels % (block_size * block_size):
        raise LayerfitValueError(
            explain(
                f"ops.depth_to_space got {channels} channels with block_size={block_size}.",
                f"a channel count divisible by block_size**2 = {block_size * block_size}.",
                "pick a block_size whose square divides the channels.",
            )
        )
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape  # (N, H, W, b*b*C') -> (N, H*b, W*b, C')
        x = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves ``block_size`` x ``block_size`` spatial blocks into channels (inverse of
    ``depth_to_space``)."""
    x = convert_to_tensor(x)
    _check_rank4(x, "space_to_depth")
    h, w = x.shape[1:3] if data_format == "channels_last" else x.shape[2:]
    if h % block_size or w % block_size:
        raise LayerfitValueError(
            explain(
                f"ops.space_to_depth got height {h} and width {w} with block_size={block_size}.",
                "height and width divisible by block_size.",
                "crop or pad the images first (ops.image.crop_images / pad_images).",
            )
        )
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape  # (N, H, W, C) -> (N, H/b, W/b, b*b*C)
        x = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of a channels_first batch (N, C, H, W) -> (N, C*kH*kW, L), as torch's."""
    x = convert_to_tensor(x)
    if x.dim() != 4:
        raise LayerfitValueError(
            explain(
                f"ops.unfold got a tensor of shape {tuple(x.shape)}.",
                "a channels_first batch of rank 4: (batch, channels, height, width).",
                "ops.transpose(images, (0, 3, 1, 2)) turns channels_last images into it.",
            )
        )
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums sliding blocks (N, C*kH*kW, L) back into images (N, C, oH, oW) (inverse of unfold)."""
    x = convert_to_tensor(x)
    if x.dim() != 3:
        raise LayerfitValueError(
            explain(
                f"ops.fold got a tensor of shape {tuple(x.shape)}.",
                "blocks of rank 3: (batch, channels * kernel height * kernel width, blocks), "
                "as ops.unfold makes.",
                "pass the output of ops.unfold (or reshape to that layout).",
            )
        )
    return F.fold(x, output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)


def dsplit(x, indices_or_sections):
    """Splits along the third axis (depth), as numpy's ``dsplit``."""
    return list(torch.dsplit(convert_to_tensor(x), indices_or_sections))


def view(x, dtype=None):
    """The same bytes read as ``dtype`` (the last axis rescales when item sizes differ)."""
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(dtype_of(dtype))


def view_as_complex(x):
    """A real tensor (..., 2) of (real, imaginary) pairs as a complex64 tensor (...)."""
    x = convert_to_tensor(x)
    if x.dim() < 1 or x.shape[-1] != 2:
        raise LayerfitValueError(
            explain(
                f"ops.view_as_complex got a tensor of shape {tuple(x.shape)}.",
                "a last axis of size 2 holding (real, imaginary).",
                "ops.stack([real, imag], axis=-1)",
            )
        )
    return torch.complex(x[..., 0].to(torch.float32), x[..., 1].to(torch.float32))


def view_as_real(x):
    """A complex tensor (...) as a real tensor (..., 2) of (real, imaginary) pairs."""
    x = convert_to_tensor(x)
    if not x.is_complex():
        return torch.stack([x, torch.zeros_like(x)], dim=-1)
    return torch.stack([x.real, x.imag], dim=-1)


def unravel_index(indices, shape):
    """Flat indices into ``shape`` as a tuple of coordinate tensors, one per axis (int32 for
    int32 indices, as Keras)."""
    indices = convert_to_tensor(indices)
    out_dtype = indices.dtype
    flat = indices.long()
    coordinates = []
    for size in reversed(tuple(shape)):
        coordinates.append((flat % size).to(out_dtype))
        flat = torch.div(flat, size, rounding_mode="floor")
    return tuple(reversed(coordinates))


def argpartition(x, kth, axis=-1):
    """Indices that put the ``kth`` smallest value in place, smaller ones before it, larger
    after (int32). A full stable sort is one valid partition; the order within each side is
    unspecified by numpy and Keras."""
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


# -- einops-style rearrange ------------------------------------------------------------------------


def _groups(side):
    return [re.findall(r"\w+", g) for g in re.findall(r"\([^)]*\)|\w+", side)]


def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, splits and merges axes as the einops ``pattern`` says.

    Args:
        tensor: Input tensor.
        pattern: 'input axes -> output axes', groups in parentheses, e.g. 'b (h p) w -> b h p w'.
        **axes_lengths: the sizes of axes that a group splits, e.g. ``p=2``.

    Example:
    >>> rearrange(torch.zeros(2, 3, 4), "b h w -> b (h w)").shape
    torch.Size([2, 12])
    """
    tensor = convert_to_tensor(tensor)
    left, arrow, right = pattern.partition("->")
    inputs, outputs = _groups(left), _groups(right)
    names = [name for group in inputs for name in group]
    if (
        not arrow
        or len(inputs) != tensor.dim()
        or sorted(names) != sorted(name for group in outputs for name in group)
    ):
        raise LayerfitValueError(
            explain(
                f"ops.rearrange pattern {pattern!r} does not fit a tensor of shape "
                f"{tuple(tensor.shape)}.",
                "'input axes -> output axes' with one input entry per axis and the same axis "
                "names on both sides.",
                "rearrange(x, 'b h w c -> b c h w')",
            )
        )
    sizes = dict(axes_lengths)
    for group, dim in zip(inputs, tensor.shape):
        unknown = [name for name in group if name not in sizes]
        known = math.prod(sizes[name] for name in group if name in sizes)
        for name in unknown:
            sizes[name] = dim // known if len(unknown) == 1 else dim
    split = tensor.reshape([sizes[name] for name in names])
    order = [names.index(name) for group in outputs for name in group]
    moved = split.permute(order)
    return moved.reshape([math.prod(sizes[name] for name in group) for group in outputs])
