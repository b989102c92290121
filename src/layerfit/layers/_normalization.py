"""BatchNormalization and LayerNormalization with Keras's defaults and statistics.

BatchNormalization keeps Keras's moving statistics: ``moving = moving * momentum + batch *
(1 - momentum)`` with the *biased* batch variance (torch's own running_var uses the unbiased
one), stored as non-trainable weights in the order gamma, beta, moving_mean, moving_variance.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import constraints, initializers, regularizers
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn
from layerfit.layers._layer import Layer


def _check_axis(layer: Layer, axis: int, input_shape) -> int:
    """Returns ``axis`` as a non-negative index into ``input_shape``, or raises our error."""
    rank = len(input_shape)
    if not -rank <= axis < rank:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got axis={axis} for input of shape "
                f"{input_shape}.",
                f"an axis in [-{rank}, {rank}).",
                "axis=-1 normalises over the last (channels/features) axis.",
            )
        )
    axis %= rank
    if input_shape[axis] is None:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape} "
                f"whose axis {axis} is unknown.",
                "a known size on the normalised axis.",
                "give the first layer an input_shape with that size.",
            )
        )
    return axis


class BatchNormalization(Layer):
    """Normalises each channel with batch statistics in training, moving ones at inference.

    Setting ``layer.trainable = False`` runs the layer in inference mode, as in Keras 3.

    Args:
        axis: the channels axis. Defaults to -1.
        momentum: momentum of the moving statistics. Defaults to 0.99.
        epsilon: added to the variance. Defaults to 1e-3.
        center: learn an offset ``beta``. Defaults to True.
        scale: learn a factor ``gamma``. Defaults to True.
        beta_initializer: Defaults to 'zeros'.
        gamma_initializer: Defaults to 'ones'.
        moving_mean_initializer: Defaults to 'zeros'.
        moving_variance_initializer: Defaults to 'ones'.
        beta_regularizer, gamma_regularizer: Defaults to None.

    Example:
    >>> layer = BatchNormalization()
    >>> layer(torch.randn(8, 4, 4, 3)).shape
    torch.Size([8, 4, 4, 3])
    >>> [tuple(w.shape) for w in layer.get_weights()]
    [(3,), (3,), (3,), (3,)]
    """

    supports_masking = True  # masks pass through, as in Keras

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if renorm:
            warn(
                "BatchNormalization(renorm=True) is not implemented in layerfit: the layer "
                "normalises with plain batch statistics (renorm_clipping and renorm_momentum "
                "are unused).",
                fix="drop renorm=True, or use larger batches, the usual remedy batch "
                "renormalization replaces.",
            )
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise LayerfitTypeError(
                explain(
                    f"BatchNormalization got axis={axis!r}.",
                    "one integer axis.",
                    "axis=-1 (channels_last) or axis=1 (channels_first).",
                )
            )
        if not 0.0 <= float(momentum) <= 1.0:
            raise LayerfitValueError(
                explain(
                    f"BatchNormalization got momentum={momentum!r}.",
                    "a number in [0, 1]; Keras's default is 0.99.",
                    "momentum=0.99 (PyTorch's momentum=0.1 is Keras's 0.9).",
                )
            )
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.synchronized = bool(synchronized)
        self.renorm = bool(renorm)
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = float(renorm_momentum)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) < 2:
            raise LayerfitValueError(
                explain(
                    f"BatchNormalization layer {self.name!r} got input of shape {input_shape}.",
                    "at least 2 axes (batch, ..., channels).",
                )
            )
        _check_axis(self, self.axis, input_shape)

    def build(self, input_shape) -> None:
        self._channel_axis = _check_axis(self, self.axis, input_shape)
        shape = (input_shape[self._channel_axis],)
        self.gamma = (
            self.add_weight(
                shape,
                self.gamma_initializer,
                name="gamma",
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                shape,
                self.beta_initializer,
                name="beta",
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self.moving_mean = self.add_weight(
            shape, self.moving_mean_initializer, name="moving_mean", trainable=False
        )
        self.moving_variance = self.add_weight(
            shape, self.moving_variance_initializer, name="moving_variance", trainable=False
        )
        # torch writes the batch statistics here (momentum=1); we then apply Keras's update.
        device = self.moving_mean.device
        self.register_buffer("_batch_mean", torch.zeros(shape, device=device), persistent=False)
        self.register_buffer("_batch_var", torch.ones(shape, device=device), persistent=False)
        self._move_axis = self._channel_axis != 1

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        x = inputs.movedim(self._channel_axis, 1) if self._move_axis else inputs
        if training and self._trainable:
            y = self._normalize_training(x)
        else:
            y = F.batch_norm(
                x,
                self.moving_mean,
                self.moving_variance,
                self.gamma,
                self.beta,
                False,
                0.0,
                self.epsilon,
            )
        return y.movedim(1, self._channel_axis) if self._move_axis else y

    def _normalize_training(self, x):
        count = x.numel() // x.shape[1]
        if count < 2:  # torch refuses one value per channel; Keras gives variance 0
            mean = x.mean(dim=[d for d in range(x.dim()) if d != 1])
            variance = torch.zeros_like(mean)
            shape = [1, -1] + [1] * (x.dim() - 2)
            y = (x - mean.view(shape)) * torch.rsqrt(variance + self.epsilon).view(shape)
            y = y * self.gamma.view(shape) if self.gamma is not None else y
            y = y + self.beta.view(shape) if self.beta is not None else y
            self._update_moving(mean.detach(), variance)
            return y
        y = F.batch_norm(
            x, self._batch_mean, self._batch_var, self.gamma, self.beta, True, 1.0, self.epsilon
        )
        # torch stored the unbiased variance; Keras moves the biased one.
        self._update_moving(self._batch_mean, self._batch_var * ((count - 1) / count))
        return y

    @torch.no_grad()
    def _update_moving(self, mean, variance) -> None:
        self.moving_mean.mul_(self.momentum).add_(mean, alpha=1.0 - self.momentum)
        self.moving_variance.mul_(self.momentum).add_(variance, alpha=1.0 - self.momentum)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
            "synchronized": self.synchronized,
        }


class LayerNormalization(Layer):
    """Normalises each sample over ``axis`` (the features), then scales and shifts.

    Args:
        axis: an int or a list of ints to normalise over. Defaults to -1.
        epsilon: added to the variance. Defaults to 1e-3.
        center: learn an offset ``beta``. Defaults to True.
        scale: learn a factor ``gamma``. Defaults to True.
        rms_scaling: scale by ``gamma / sqrt(variance + epsilon)`` only, without centering
            (Keras's formula). Defaults to False.
        beta_initializer: Defaults to 'zeros'.
        gamma_initializer: Defaults to 'ones'.
        beta_regularizer, gamma_regularizer: Defaults to None.

    Example:
    >>> LayerNormalization()(torch.randn(2, 5, 8)).shape
    torch.Size([2, 5, 8])
    """

    supports_masking = True  # masks pass through, as in Keras

    def __init__(
        self,
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
        # Keras 3.15 takes rms_scaling through **kwargs only (deprecated there for
        # RMSNormalization); positional calls must bind beta_initializer after scale.
        rms_scaling = kwargs.pop("rms_scaling", False)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(
            isinstance(a, int) and not isinstance(a, bool) for a in axis
        ):
            axis = list(axis)
        elif isinstance(axis, bool) or not isinstance(axis, int):
            raise LayerfitTypeError(
                explain(
                    f"LayerNormalization got axis={axis!r}.", "an int or a list of ints.", "axis=-1"
                )
            )
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _axes(self, input_shape) -> list[int]:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        return sorted(_check_axis(self, a, input_shape) for a in axes)

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple):
            raise LayerfitValueError(
                explain(
                    f"LayerNormalization layer {self.name!r} got {input_shape!r}.", "one tensor."
                )
            )
        self._axes(input_shape)

    def build(self, input_shape) -> None:
        axes = self._axes(input_shape)
        rank = len(input_shape)
        shape = tuple(input_shape[a] for a in axes)
        self.gamma = (
            self.add_weight(
                shape,
                self.gamma_initializer,
                name="gamma",
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale or self.rms_scaling
            else None
        )
        self.beta = (
            self.add_weight(
                shape,
                self.beta_initializer,
                name="beta",
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center and not self.rms_scaling
            else None
        )
        self._reduce = tuple(axes)
        # Trailing axes use torch's fused layer_norm; others broadcast gamma/beta by hand.
        self._trailing = axes == list(range(rank - len(axes), rank))
        self._normalized_shape = shape
        self._broadcast = [input_shape[d] if d in axes else 1 for d in range(rank)]

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs):
        if self.rms_scaling:
            variance = inputs.var(dim=self._reduce, keepdim=True, unbiased=False)
            return inputs * torch.rsqrt(variance + self.epsilon) * self._shaped(self.gamma)
        if self._trailing:
            return F.layer_norm(inputs, self._normalized_shape, self.gamma, self.beta, self.epsilon)
        variance, mean = torch.var_mean(inputs, dim=self._reduce, keepdim=True, unbiased=False)
        outputs = (inputs - mean) * torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            outputs = outputs * self._shaped(self.gamma)
        if self.beta is not None:
            outputs = outputs + self._shaped(self.beta)
        return outputs

    def _shaped(self, weight):
        return weight if self._trailing else weight.reshape(self._broadcast)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
