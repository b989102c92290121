"""Weightless layers that move values: 1D and 3D up-sampling, zero-padding and cropping,
Permute, RepeatVector and Identity (the 2D ones live in ``_reshaping.py``)."""

from __future__ import annotations

import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import (
    check_image_rank,
    pad_spec,
    spatial_axes,
    standardize_data_format,
    standardize_tuple,
)
from layerfit.layers._layer import Layer


def _amounts(value, rank: int, arg: str, layer: str) -> tuple[tuple[int, int], ...]:
    """An int, ``rank`` ints, or ``rank`` (before, after) pairs -> ``rank`` pairs."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * rank
    if rank == 1 and isinstance(value, (tuple, list)) and len(value) == 2:
        value = (tuple(value),)  # Keras's 1D form: (before, after)
    pairs = []
    if isinstance(value, (tuple, list)) and len(value) == rank:
        for item in value:
            pair = (item, item) if isinstance(item, int) else tuple(item)
            pairs.append(pair)
    good = len(pairs) == rank and all(
        len(p) == 2 and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in p)
        for p in pairs
    )
    if not good:
        example = (1, 2) if rank == 1 else tuple((1, 1) for _ in range(rank))
        raise LayerfitValueError(
            explain(
                f"{layer} got {arg}={value!r}.",
                f"a non-negative int, {rank} ints, or {rank} (before, after) pairs.",
                f"{arg}={example}",
            )
        )
    return tuple(pairs)


class _Spatial(Layer):
    """Shared by the layers that change the spatial axes of (batch, *spatial, channels)."""

    rank = 1

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self._axes = spatial_axes(self.data_format, self.rank)

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, self.rank, self.data_format)
        self.compute_output_shape(input_shape)

    def _resize(self, input_shape, change):
        shape = list(input_shape)
        for i, axis in enumerate(self._axes):
            shape[axis] = None if shape[axis] is None else change(shape[axis], i)
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class UpSampling1D(_Spatial):
    """Repeats each step ``size`` times: (batch, steps, c) -> (batch, steps * size, c).

    Args:
        size: Defaults to 2.

    Example:
    >>> UpSampling1D(3)(torch.zeros(1, 4, 2)).shape
    torch.Size([1, 12, 2])
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(None, **kwargs)
        self.size = standardize_tuple(size, 1, "size", "UpSampling1D")[0]
        self._axes = (1,)  # Keras's UpSampling1D has no data_format

    def compute_output_shape(self, input_shape):
        return self._resize(input_shape, lambda d, i: d * self.size)

    def call(self, inputs):
        return inputs.repeat_interleave(self.size, dim=1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return {**config, "size": self.size}


class UpSampling3D(_Spatial):
    """Repeats depth, rows and columns: each spatial axis grows by its factor in ``size``.

    Args:
        size: an int or three factors. Defaults to (2, 2, 2).
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> UpSampling3D()(torch.zeros(1, 2, 2, 2, 3)).shape
    torch.Size([1, 4, 4, 4, 3])
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = standardize_tuple(size, 3, "size", "UpSampling3D")

    def compute_output_shape(self, input_shape):
        return self._resize(input_shape, lambda d, i: d * self.size[i])

    def call(self, inputs):
        for axis, factor in zip(self._axes, self.size):
            inputs = inputs.repeat_interleave(factor, dim=axis)
        return inputs

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}


class _ZeroPadding(_Spatial):
    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.padding = _amounts(padding, self.rank, "padding", type(self).__name__)

    def compute_output_shape(self, input_shape):
        return self._resize(input_shape, lambda d, i: d + sum(self.padding[i]))

    def call(self, inputs):
        pads = [(0, 0)] * inputs.dim()
        for axis, pair in zip(self._axes, self.padding):
            pads[axis] = pair
        return F.pad(inputs, pad_spec(pads[1:]))

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding}


class ZeroPadding1D(_ZeroPadding):
    """Adds zero steps at the start and end: ``padding`` an int or (before, after).

    Example:
    >>> ZeroPadding1D((1, 2))(torch.ones(1, 3, 2)).shape
    torch.Size([1, 6, 2])
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding[0]}


class ZeroPadding3D(_ZeroPadding):
    """Adds zeros around volumes: ``padding`` an int, three ints or three (before, after).

    Example:
    >>> ZeroPadding3D(1)(torch.ones(1, 2, 2, 2, 3)).shape
    torch.Size([1, 4, 4, 4, 3])
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class _Cropping(_Spatial):
    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.cropping = _amounts(cropping, self.rank, "cropping", type(self).__name__)

    def compute_output_shape(self, input_shape):
        shape = self._resize(input_shape, lambda d, i: d - sum(self.cropping[i]))
        if any(shape[a] is not None and shape[a] <= 0 for a in self._axes):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} {self.name!r} with cropping={self.cropping} would "
                    f"leave nothing of inputs of shape {tuple(input_shape)}.",
                    "crops smaller than each spatial size.",
                    "crop less, or check the previous layer's output shape.",
                )
            )
        return shape

    def call(self, inputs):
        index = [slice(None)] * inputs.dim()
        for axis, (before, after) in zip(self._axes, self.cropping):
            index[axis] = slice(before, inputs.shape[axis] - after)
        return inputs[tuple(index)]

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}


class Cropping1D(_Cropping):
    """Removes steps at the start and end: ``cropping`` an int or (before, after).

    Example:
    >>> Cropping1D((1, 2))(torch.ones(1, 6, 2)).shape
    torch.Size([1, 3, 2])
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, None, **kwargs)
        self._axes = (1,)  # Keras's Cropping1D has no data_format

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return {**config, "cropping": self.cropping[0]}


class Cropping3D(_Cropping):
    """Removes borders of volumes: ``cropping`` an int, three ints or three (before, after).

    Example:
    >>> Cropping3D(1)(torch.ones(1, 4, 4, 4, 3)).shape
    torch.Size([1, 2, 2, 2, 3])
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Permute(Layer):
    """Reorders the axes of each sample; ``dims`` counts from 1 (the batch axis stays first).

    Args:
        dims: a permutation of 1..rank, e.g. (2, 1) swaps steps and features.

    Example:
    >>> Permute((2, 1))(torch.zeros(4, 10, 64)).shape
    torch.Size([4, 64, 10])
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise LayerfitValueError(
                explain(
                    f"Permute got dims={dims!r}.",
                    f"a permutation of 1..{len(self.dims)} (axis 0, the batch, stays first).",
                    "Permute((2, 1)) swaps the two axes of each sample.",
                )
            )

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def call(self, inputs):
        return inputs.permute(0, *self.dims)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """Repeats a vector ``n`` times: (batch, features) -> (batch, n, features).

    Args:
        n: number of repetitions.

    Example:
    >>> RepeatVector(3)(torch.zeros(2, 5)).shape
    torch.Size([2, 3, 5])
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise LayerfitValueError(
                explain(f"RepeatVector got n={n!r}.", "a positive integer.", "RepeatVector(3)")
            )
        self.n = n

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) != 2:
            raise LayerfitValueError(
                explain(
                    f"RepeatVector {self.name!r} got input of shape {input_shape}.",
                    "vectors of shape (batch, features).",
                    "Flatten() first, or use the last state of a recurrent layer.",
                )
            )

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs):
        return inputs.unsqueeze(1).expand(-1, self.n, -1)

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}


class Identity(Layer):
    """Returns its inputs unchanged (a placeholder, e.g. an optional block switched off).

    Example:
    >>> Identity()(torch.ones(2))
    tensor([1., 1.])
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
