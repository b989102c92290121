"""Activation layers with arguments: ReLU, LeakyReLU, PReLU, ELU, Softmax (Keras's formulas)."""

from __future__ import annotations

import torch

from layerfit import activations, initializers, regularizers
from layerfit.errors import LayerfitDeprecationWarning, LayerfitValueError, explain, warn
from layerfit.layers._conv_arguments import warn_unsupported
from layerfit.layers._layer import Layer


def _non_negative(layer: str, arg: str, value, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise LayerfitValueError(
            explain(
                f"{layer} got {arg}={value!r}.",
                "a non-negative number" + (" or None." if allow_none else "."),
                f"{arg}=0.1",
            )
        )
    return value


class _Elementwise(Layer):
    """A layer whose output has its input's shape and which passes masks through."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_output_shape(self, input_shape):
        return input_shape


class ReLU(_Elementwise):
    """Rectified linear unit: ``min(max_value, x)`` above ``threshold``,
    ``negative_slope * (x - threshold)`` below it.

    Args:
        max_value: the largest output. Defaults to None (unbounded).
        negative_slope: slope below the threshold. Defaults to 0.0.
        threshold: where the slope changes. Defaults to 0.0.

    Example:
    >>> ReLU(max_value=6.0)(torch.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = _non_negative("ReLU", "max_value", max_value, allow_none=True)
        self.negative_slope = _non_negative("ReLU", "negative_slope", negative_slope)
        self.threshold = _non_negative("ReLU", "threshold", threshold)

    def call(self, inputs):
        if self.max_value is None and not self.negative_slope and not self.threshold:
            return torch.relu(inputs)
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }


class LeakyReLU(_Elementwise):
    """``x`` for ``x >= 0``, ``negative_slope * x`` below.

    Args:
        negative_slope: slope below zero. Defaults to 0.3 (Keras's default, not torch's 0.01).
            Keras 2's name ``alpha`` is accepted with a deprecation warning, as Keras 3 does.

    Example:
    >>> LeakyReLU(negative_slope=0.5)(torch.tensor([-2.0, 2.0]))
    tensor([-1.,  2.])
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warn(
                "LeakyReLU(alpha=...) is Keras 2's name; Keras 3 calls it negative_slope.",
                "LeakyReLU(negative_slope=...).",
                f"write LeakyReLU(negative_slope={negative_slope!r}).",
                category=LayerfitDeprecationWarning,
            )
        super().__init__(**kwargs)
        self.negative_slope = _non_negative("LeakyReLU", "negative_slope", negative_slope)

    def call(self, inputs):
        return torch.nn.functional.leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(_Elementwise):
    """Parametric ReLU: ``x`` for ``x >= 0``, ``alpha * x`` below, ``alpha`` learned.

    Args:
        alpha_initializer: Defaults to 'Zeros'.
        alpha_regularizer: Defaults to None.
        alpha_constraint: not applied by layerfit (warns). Defaults to None.
        shared_axes: axes (1 = first after the batch) sharing one alpha, e.g. ``[1, 2]`` for
            one alpha per channel of an image. Defaults to None (one per input value).

    Example:
    >>> PReLU()(torch.zeros(2, 3)).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        warn_unsupported("PReLU", alpha_constraint=alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [int(a) for a in shared_axes]
        else:
            self.shared_axes = [int(shared_axes)]

    def build(self, input_shape) -> None:
        shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis <= len(shape):
                raise LayerfitValueError(
                    explain(
                        f"PReLU {self.name!r} got shared_axes={self.shared_axes} for inputs of "
                        f"shape {tuple(input_shape)}.",
                        f"axes between 1 and {len(shape)} (0 is the batch axis).",
                        "shared_axes=[1, 2] shares alpha over height and width of images.",
                    )
                )
            shape[axis - 1] = 1
        self.alpha = self.add_weight(
            shape, self.alpha_initializer, name="alpha", regularizer=self.alpha_regularizer
        )

    def call(self, inputs):
        return torch.relu(inputs) - self.alpha * torch.relu(-inputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": None,
            "shared_axes": self.shared_axes,
        }


class ELU(_Elementwise):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below.

    Args:
        alpha: scale of the negative part. Defaults to 1.0.

    Example:
    >>> ELU()(torch.tensor([0.0, 1.0]))
    tensor([0., 1.])
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return torch.nn.functional.elu(inputs, self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


def _large_negative(dtype: torch.dtype) -> float:
    # Keras's number: masked logits get -1e9 (-3e4 in float16, whose range ends at 65504).
    return -3e4 if dtype == torch.float16 else -1e9


class Softmax(_Elementwise):
    """Softmax along ``axis``; with a mask, masked entries get probability 0.

    Args:
        axis: axis (or list of axes) normalised over. Defaults to -1.

    Call arguments:
        inputs: the logits.
        mask: booleans broadcastable to ``inputs``, True to keep. Defaults to None.

    Example:
    >>> Softmax()(torch.tensor([[1.0, 2.0, 1.0]]))
    tensor([[0.2119, 0.5761, 0.2119]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._checked_mask(inputs, mask)
            inputs = inputs.masked_fill(~mask, _large_negative(inputs.dtype))
        if isinstance(self.axis, (list, tuple)):
            axes = tuple(self.axis)
            outputs = torch.exp(inputs - torch.logsumexp(inputs, dim=axes, keepdim=True))
        else:
            outputs = torch.softmax(inputs, dim=self.axis)
        if mask is not None:
            # A fully masked row would be uniform; Keras zeroes it, and so do we.
            outputs = outputs.masked_fill(~mask, 0.0)
        return outputs

    def _checked_mask(self, inputs, mask):
        mask = torch.as_tensor(mask, device=inputs.device)
        fits = mask.dim() <= inputs.dim() and all(
            m in (1, i) for m, i in zip(reversed(mask.shape), reversed(inputs.shape))
        )
        if not fits:
            raise LayerfitValueError(
                explain(
                    f"Softmax {self.name!r} got a mask of shape {tuple(mask.shape)} for inputs "
                    f"of shape {tuple(inputs.shape)}.",
                    "a mask broadcastable to the inputs: each axis 1 or the input's size, and "
                    "no more axes than the inputs.",
                    "add size-1 axes where the mask is shared, e.g. mask[:, None, :].",
                )
            )
        return mask.bool()

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
