"""The rest of Keras's ``ops.nn``: sparse activations, transposed and separable convolution."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor
from layerfit.ops._nn_extra import _channels_first, _float, _tuple, conv, depthwise_conv


def sparse_sigmoid(x):
    """0 below -1, 1 above 1, and ``(x + 1) / 2`` between: a sigmoid with exact zeros and ones.

    Example:
    >>> sparse_sigmoid([-2.0, 0.0, 0.5, 2.0])
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return ((_float(x) + 1) / 2).clamp(0.0, 1.0)


def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` onto the probability simplex along ``axis``: like
    softmax, sums to one, but exact zeros for low scores (Martins & Astudillo, 2016).

    Example:
    >>> sparsemax([0.0, 1.0, 3.0])
    tensor([0., 0., 1.])
    """
    x = _float(x)
    ordered = torch.sort(x, dim=axis, descending=True).values
    running = ordered.cumsum(axis)
    shape = [1] * x.dim()
    shape[axis] = -1
    rank = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    support = ordered - (running - 1) / rank > 0  # the k largest stay in the support
    count = support.sum(axis, keepdim=True)
    tau = (running.gather(axis, count - 1) - 1) / count.to(x.dtype)
    return (x - tau).clamp_min(0.0)


def _transpose_crops(kernel, stride, padding, extra):
    """Rows to crop (negative: add) at each end of torch's full transposed output, Keras's rule."""
    if padding == "valid":
        extra = max(kernel, stride) - kernel if extra is None else extra
        before, after = kernel - 1, kernel - 1 + extra
    else:
        total = stride + kernel - 2 if extra is None else kernel + kernel % 2 - 2 + extra
        before = min(total // 2 + total % 2, kernel - 1)
        after = total - before
    return kernel - 1 - before, kernel - 1 - after


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):  # fmt: skip
    """Transposed convolution; ``kernel`` in Keras's layout (k..., out_channels, in_channels).

    Example:
    >>> conv_transpose(torch.ones(1, 2, 2, 1), torch.ones(2, 2, 1, 1), strides=2).shape
    torch.Size([1, 4, 4, 1])
    """
    x, back = _channels_first(_float(inputs), data_format)
    kernel = convert_to_tensor(kernel).to(x.dtype)
    rank = kernel.dim() - 2
    if x.dim() != rank + 2 or x.shape[1] != kernel.shape[-1] or padding not in ("valid", "same"):
        raise LayerfitValueError(
            explain(
                f"ops.conv_transpose got inputs of shape {tuple(inputs.shape)}, a kernel of "
                f"shape {tuple(kernel.shape)} and padding={padding!r}.",
                "inputs (batch, *spatial, in_channels) (channels_last), a kernel "
                "(*kernel_size, out_channels, in_channels) with one axis per spatial axis, "
                "and padding 'valid' or 'same'.",
                "kernel = ops.ones((3, 3, filters, channels)) for 2-D images.",
            )
        )
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    extras = _tuple(output_padding, rank)
    weight = kernel.permute(rank + 1, rank, *range(rank))  # (in, out, k...)
    transpose = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[rank - 1]
    y = transpose(x, weight, None, strides, 0, 0, 1, dilation)
    crops = [
        _transpose_crops((k - 1) * d + 1, s, padding, e)
        for k, s, d, e in zip(kernel.shape[:rank], strides, dilation, extras)
    ]
    return back(F.pad(y, [-c for pair in reversed(crops) for c in pair]))  # negative pads crop


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):  # fmt: skip
    """A depthwise convolution followed by a 1x1 (pointwise) convolution, as Keras's."""
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format,
                               dilation_rate)  # fmt: skip
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)
