"""GroupNormalization (Wu & He 2018) and UnitNormalization, with Keras's formulas and weights."""

from __future__ import annotations

import torch

from layerfit import initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._conv_arguments import warn_unsupported
from layerfit.layers._layer import Layer


class GroupNormalization(Layer):
    """Normalizes each sample over groups of channels: mean 0 and variance 1 per group.

    ``groups=-1`` is instance normalization, ``groups=1`` layer normalization over all axes.

    Args:
        groups: number of channel groups; divides the channel count. Defaults to 32.
        axis: the channel axis. Defaults to -1.
        epsilon: Defaults to 1e-3.
        center: learn an offset ``beta``. Defaults to True.
        scale: learn a scale ``gamma``. Defaults to True.
        beta_initializer, gamma_initializer: Default to 'zeros' and 'ones'.
        beta_regularizer, gamma_regularizer: Default to None.

    Example:
    >>> GroupNormalization(groups=2)(torch.randn(4, 5, 6)).shape
    torch.Size([4, 5, 6])
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = int(groups)
        self.axis = int(axis)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        warn_unsupported(
            "GroupNormalization", beta_constraint=beta_constraint, gamma_constraint=gamma_constraint
        )

    def build(self, input_shape) -> None:
        channels = input_shape[self.axis]
        groups = channels if self.groups == -1 else self.groups
        if channels is None or groups <= 0 or channels % groups:
            raise LayerfitValueError(
                explain(
                    f"GroupNormalization {self.name!r} got groups={self.groups} for "
                    f"{channels} channels (inputs of shape {tuple(input_shape)}).",
                    "a known channel count that groups divides (groups=-1: one per channel).",
                    "choose groups among the divisors of the channel count.",
                )
            )
        self._group_count = groups
        self.gamma = (
            self.add_weight((channels,), self.gamma_initializer, name="gamma",
                            regularizer=self.gamma_regularizer)
            if self.scale else None
        )  # fmt: skip
        self.beta = (
            self.add_weight((channels,), self.beta_initializer, name="beta",
                            regularizer=self.beta_regularizer)
            if self.center else None
        )  # fmt: skip

    def call(self, inputs):
        axis = self.axis % inputs.dim()
        channels = inputs.shape[axis]
        # (..., C, ...) -> (..., groups, C // groups, ...): statistics over everything but the
        # batch and the group axis.
        grouped = inputs.reshape(
            *inputs.shape[:axis],
            self._group_count,
            channels // self._group_count,
            *inputs.shape[axis + 1 :],
        ).float()
        reduce = [d for d in range(1, grouped.dim()) if d != axis]
        variance, mean = torch.var_mean(grouped, dim=reduce, keepdim=True, correction=0)
        normalized = ((grouped - mean) * torch.rsqrt(variance + self.epsilon)).reshape(inputs.shape)
        shape = [1] * inputs.dim()
        shape[axis] = channels
        if self.gamma is not None:
            normalized = normalized * self.gamma.reshape(shape)
        if self.beta is not None:
            normalized = normalized + self.beta.reshape(shape)
        return normalized.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": None,
            "gamma_constraint": None,
        }


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm along ``axis``: ``x / sqrt(max(sum(x ** 2), 1e-12))``.

    Args:
        axis: axis or axes normalized over. Defaults to -1.

    Example:
    >>> UnitNormalization()(torch.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.supports_masking = True

    def call(self, inputs):
        dims = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        squares = inputs.square().sum(dim=dims, keepdim=True)
        return inputs * torch.rsqrt(squares.clamp_min(1e-12))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class RMSNormalization(Layer):
    """Root-mean-square normalization: ``x * rsqrt(mean(x ** 2) + epsilon) * scale``.

    Args:
        axis: axis (or axes) normalized over and scaled. Defaults to -1.
        epsilon: Defaults to 1e-6.

    Example:
    >>> RMSNormalization()(torch.ones(2, 4)).shape
    torch.Size([2, 4])
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = float(epsilon)

    def build(self, input_shape) -> None:
        axes = sorted(self.axis) if isinstance(self.axis, (list, tuple)) else [self.axis]
        self._axes = tuple(axes)
        shape = tuple(input_shape[a] for a in axes)
        self.scale = self.add_weight(shape, "ones", name="scale")

    def call(self, inputs):
        mean_square = inputs.square().mean(dim=self._axes, keepdim=True)
        normalized = inputs * torch.rsqrt(mean_square + self.epsilon)
        # The scale spans the normalized axes; broadcast it over the others.
        rank = inputs.dim()
        shape = [inputs.shape[a] if a % rank in [x % rank for x in self._axes] else 1
                 for a in range(rank)]  # fmt: skip
        return normalized * self.scale.reshape(shape)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
