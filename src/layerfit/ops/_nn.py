"""Keras's neural-network ops: activations as functions, one_hot, top_k, cross-entropies."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import activations, config
from layerfit.ops._core import convert_to_tensor, dtype_of, tensors


def relu(x):
    return activations.relu(convert_to_tensor(x))


def relu6(x):
    return activations.relu6(convert_to_tensor(x))


def sigmoid(x):
    return activations.sigmoid(convert_to_tensor(x))


def softmax(x, axis=-1):
    return activations.softmax(convert_to_tensor(x), axis=axis)


def log_softmax(x, axis=-1):
    return activations.log_softmax(convert_to_tensor(x), axis=axis)


def silu(x):
    return activations.silu(convert_to_tensor(x))


swish = silu


def gelu(x, approximate=True):
    """Keras's ops.gelu approximates by default (the activation does not)."""
    return activations.gelu(convert_to_tensor(x), approximate=approximate)


def elu(x, alpha=1.0):
    return activations.elu(convert_to_tensor(x), alpha=alpha)


def selu(x):
    return activations.selu(convert_to_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return activations.leaky_relu(convert_to_tensor(x), negative_slope=negative_slope)


def softplus(x):
    return activations.softplus(convert_to_tensor(x))


def softsign(x):
    return activations.softsign(convert_to_tensor(x))


def hard_sigmoid(x):
    return activations.hard_sigmoid(convert_to_tensor(x))


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Rows of zeros with a one at each index; index -1 (or out of range) gives all zeros."""
    indices = convert_to_tensor(x).long()
    valid = (indices >= 0) & (indices < num_classes)
    encoded = F.one_hot(torch.where(valid, indices, 0), num_classes) * valid.unsqueeze(-1)
    encoded = encoded.to(dtype_of(dtype) or dtype_of(config.floatx()))
    return encoded if axis == -1 else torch.movedim(encoded, -1, axis)


def top_k(x, k, sorted=True):  # noqa: A002 (Keras's name)
    """(values, indices) of the ``k`` largest entries along the last axis."""
    result = torch.topk(convert_to_tensor(x), k, dim=-1, sorted=sorted)
    return result.values, result.indices.to(torch.int32)


def binary_crossentropy(target, output, from_logits=False):
    target, output = tensors(target, output)
    target = target.to(output.dtype)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    epsilon = config.epsilon()
    output = output.clamp(epsilon, 1 - epsilon)
    return -(target * torch.log(output) + (1 - target) * torch.log(1 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = tensors(target, output)
    target = target.to(output.dtype)
    if from_logits:
        return -(target * torch.log_softmax(output, dim=axis)).sum(dim=axis)
    output = output / output.sum(dim=axis, keepdim=True)
    output = output.clamp(config.epsilon(), 1 - config.epsilon())
    return -(target * torch.log(output)).sum(dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = convert_to_tensor(target).long()
    output = convert_to_tensor(output)
    classes = output.shape[axis]
    return categorical_crossentropy(
        one_hot(target, classes, axis=axis, dtype=output.dtype), output, from_logits, axis
    )
