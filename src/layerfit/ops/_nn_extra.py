"""More of Keras's ``ops.nn``: activations, normalization statistics, attention, convolution
and pooling as functions on channels_last tensors with Keras's kernel layouts."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from layerfit import config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor, dtype_of


def _float(x):
    x = convert_to_tensor(x)
    return x if x.is_floating_point() else x.to(dtype_of(config.floatx()))


# -- activations --------------------------------------------------------------------------------


def log_sigmoid(x):
    return F.logsigmoid(_float(x))


def celu(x, alpha=1.0):
    return F.celu(_float(x), alpha)


def glu(x, axis=-1):
    return F.glu(_float(x), dim=axis)


def hard_tanh(x):
    return F.hardtanh(_float(x))


def hard_silu(x):
    return F.hardswish(_float(x))


hard_swish = hard_silu


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(_float(x), threshold)


def soft_shrink(x, threshold=0.5):
    return F.softshrink(_float(x), threshold)


def tanh_shrink(x):
    return F.tanhshrink(_float(x))


def threshold(x, threshold, default_value):
    x = _float(x)
    return torch.where(x > threshold, x, torch.as_tensor(default_value, dtype=x.dtype))


def sparse_plus(x):
    x = _float(x)
    return torch.where(x <= -1, 0.0, torch.where(x >= 1, x, (x + 1) ** 2 / 4))


def squareplus(x, b=4):
    x = _float(x)
    return (x + torch.sqrt(x * x + b)) / 2


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    dims = tuple(range(x.dim())) if axis is None else axis
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


# -- statistics and normalization ---------------------------------------------------------------


def moments(x, axes, keepdims=False, synchronized=False):
    """(mean, variance) over ``axes``, the variance without Bessel's correction."""
    x = _float(x)
    variance, mean = torch.var_mean(x, dim=tuple(axes), keepdim=keepdims, correction=0)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _float(x)
    shape = [1] * x.dim()
    shape[axis] = x.shape[axis]

    def view(t):
        return None if t is None else convert_to_tensor(t).reshape(shape)

    inv = torch.rsqrt(view(variance) + epsilon)
    if scale is not None:
        inv = inv * view(scale)
    out = (x - view(mean)) * inv
    return out if offset is None else out + view(offset)


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm along ``axis`` (Keras's epsilon: 1e-7 default)."""
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        return x * torch.rsqrt(x.square().sum(dim=axis, keepdim=True).clamp_min(epsilon))
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / norm.clamp_min(epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    variance, mean = torch.var_mean(x, dim=axis, keepdim=True, correction=0)
    out = (x - mean) * torch.rsqrt(variance + epsilon)
    if gamma is not None:
        out = out * convert_to_tensor(gamma)
    return out if beta is None else out + convert_to_tensor(beta)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    out = x * torch.rsqrt(x.square().mean(dim=axis, keepdim=True) + epsilon)
    return out if scale is None else out * convert_to_tensor(scale)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding of integer ids: (batch, ids) -> (batch, num_classes) of 0/1."""
    ids = convert_to_tensor(inputs).long()
    num_classes = num_classes or kwargs.get("num_tokens")
    batched = ids.dim() > 1
    rows = ids if batched else ids[None]
    out = torch.zeros(rows.shape[0], num_classes, dtype=dtype_of(dtype) or dtype_of(config.floatx()),
                      device=ids.device)  # fmt: skip
    out.scatter_(1, rows, 1.0)
    out = out if batched else out[0]
    return out if axis == -1 else out.movedim(-1, axis)


def in_top_k(targets, predictions, k):
    targets, predictions = convert_to_tensor(targets).long(), convert_to_tensor(predictions)
    target_scores = predictions.gather(1, targets[:, None])
    return (predictions > target_scores).sum(1) < k


def psnr(x1, x2, max_val):
    mse = (_float(x1) - _float(x2)).square().mean()
    return 20 * math.log10(max_val) - 10 * torch.log10(mse)


# -- attention, convolution and pooling ---------------------------------------------------------


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):  # fmt: skip
    """Keras's layout (batch, steps, heads, head_dim) on ``F.scaled_dot_product_attention``."""
    q, k, v = (convert_to_tensor(t).transpose(1, 2) for t in (query, key, value))
    attn_mask = None
    if mask is not None:
        attn_mask = convert_to_tensor(mask).bool()
    if bias is not None:
        bias = convert_to_tensor(bias).to(q.dtype)
        attn_mask = bias if attn_mask is None else bias.masked_fill(~attn_mask, -math.inf)
    if attn_logits_soft_cap is not None:
        raise LayerfitValueError(
            explain(
                "ops.dot_product_attention got attn_logits_soft_cap, which layerfit does not "
                "apply yet.",
                "attn_logits_soft_cap=None.",
                "cap the logits yourself: compute scores with ops.einsum, then tanh.",
            )
        )
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal,
                                         scale=scale)  # fmt: skip
    return out.transpose(1, 2)


def _same_pads(sizes, kernel, strides, dilation):
    spec = []
    for size, k, s, d in reversed(list(zip(sizes, kernel, strides, dilation))):
        effective = (k - 1) * d + 1
        total = max((math.ceil(size / s) - 1) * s + effective - size, 0)
        spec += [total // 2, total - total // 2]
    return spec


def _tuple(value, n):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n


def _channels_first(x, data_format):
    data_format = data_format or config.image_data_format()
    if data_format == "channels_last":
        return x.movedim(-1, 1), lambda y: y.movedim(1, -1)
    return x, lambda y: y


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-d convolution; ``kernel`` in Keras's layout (k..., in_channels, out_channels)."""
    x, back = _channels_first(_float(inputs), data_format)
    kernel = convert_to_tensor(kernel).to(x.dtype)
    rank = kernel.dim() - 2
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    weight = kernel.permute(rank + 1, rank, *range(rank))  # (out, in/groups, k...)
    if padding == "same":
        x = F.pad(x, _same_pads(x.shape[2:], kernel.shape[:rank], strides, dilation))
    groups = x.shape[1] // kernel.shape[rank]
    function = (F.conv1d, F.conv2d, F.conv3d)[rank - 1]
    return back(function(x, weight, None, strides, 0, dilation, groups))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution; ``kernel`` (k..., in_channels, multiplier)."""
    kernel = convert_to_tensor(kernel)
    rank = kernel.dim() - 2
    channels, multiplier = kernel.shape[rank], kernel.shape[rank + 1]
    grouped = kernel.reshape(*kernel.shape[:rank], 1, channels * multiplier)
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def _pool(kind, inputs, pool_size, strides, padding, data_format):
    x, back = _channels_first(_float(inputs), data_format)
    rank = x.dim() - 2
    size = _tuple(pool_size, rank)
    strides = size if strides is None else _tuple(strides, rank)
    if padding == "same":
        spec = _same_pads(x.shape[2:], size, strides, (1,) * rank)
        if kind == "max":
            x = F.pad(x, spec, value=-math.inf)
        else:  # average real values only: divide by the window's share of them
            ones = F.pad(torch.ones_like(x[:1, :1]), spec)
            pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[rank - 1]
            total = pool(F.pad(x, spec), size, strides)
            return back(total / pool(ones, size, strides))
    if kind == "max":
        return back((F.max_pool1d, F.max_pool2d, F.max_pool3d)[rank - 1](x, size, strides))
    return back((F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[rank - 1](x, size, strides))


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool("max", inputs, pool_size, strides, padding, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool("average", inputs, pool_size, strides, padding, data_format)
