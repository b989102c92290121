"""Adaptive pooling: any input size to a fixed ``output_size``, as ``keras.ops``.

Keras's bins (``backend/jax/nn.py``: windows from ``floor(i * n / out)`` to
``ceil((i + 1) * n / out)``) are torch's adaptive-pooling bins, so torch's kernels give Keras's
numbers (checked against Keras in ``tests/layers/test_layers_rest.py``).
"""

from __future__ import annotations

import torch.nn.functional as F

from layerfit import config
from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor

_AVERAGE = (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d, F.adaptive_avg_pool3d)
_MAX = (F.adaptive_max_pool1d, F.adaptive_max_pool2d, F.adaptive_max_pool3d)


def _sizes(output_size, rank: int, what: str) -> tuple[int, ...]:
    sizes = (output_size,) * rank if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != rank or not all(isinstance(s, int) and s > 0 for s in sizes):
        raise LayerfitValueError(
            explain(
                f"{what} got output_size={output_size!r} for an input with {rank} spatial axes.",
                f"a positive integer or a tuple of {rank} positive integers.",
                f"output_size={(4,) * rank if rank > 1 else 4}",
            )
        )
    return sizes


def adaptive_pool(kind: str, inputs, output_size, data_format=None, what=None):
    """Pools ``inputs`` (batch, *spatial, channels) to ``output_size`` bins per spatial axis."""
    x = convert_to_tensor(inputs)
    rank = x.dim() - 2
    what = what or f"adaptive_{kind}_pool"
    if rank not in (1, 2, 3):
        raise LayerfitValueError(
            explain(
                f"{what} got an input of shape {tuple(x.shape)}.",
                "3 to 5 axes: (batch, 1 to 3 spatial axes, channels).",
                "add the batch and channel axes, e.g. x[None, ..., None].",
            )
        )
    sizes = _sizes(output_size, rank, what)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    if channels_last:
        x = x.movedim(-1, 1)  # (N, C, *spatial)
    pool = (_AVERAGE if kind == "average" else _MAX)[rank - 1]
    y = pool(x, sizes)
    return y.movedim(1, -1) if channels_last else y


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Mean over adaptive bins so the spatial axes become ``output_size``.

    Args:
        inputs: (batch, *spatial, channels) ('channels_last') or (batch, channels, *spatial).
        output_size: an int or a tuple with one int per spatial axis.
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> adaptive_average_pool(np.ones((1, 6, 2)), 3).shape
    torch.Size([1, 3, 2])
    """
    return adaptive_pool("average", inputs, output_size, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max over adaptive bins so the spatial axes become ``output_size``.

    Args: as ``adaptive_average_pool``.

    Example:
    >>> adaptive_max_pool(np.ones((1, 6, 6, 2)), (2, 3)).shape
    torch.Size([1, 2, 3, 2])
    """
    return adaptive_pool("max", inputs, output_size, data_format)
