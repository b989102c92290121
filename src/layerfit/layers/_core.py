"""The core layers of the seed notes: Dense, Dropout, Flatten, Activation, Reshape."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from layerfit import activations, constraints, initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer, warn_lora


def _positive_int(layer: str, arg: str, value, example: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise LayerfitValueError(
            explain(f"{layer} got {arg}={value!r}.", "a positive integer.", example)
        )
    return value


class Dense(Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)``.

    Args:
        units: number of output units.
        activation: activation name or function. Defaults to None (linear).
        use_bias: whether to add a bias vector. Defaults to True.
        kernel_initializer: Defaults to 'glorot_uniform'.
        bias_initializer: Defaults to 'zeros'.
        kernel_regularizer, bias_regularizer: penalties added to the loss. Defaults to None.
        activity_regularizer: a penalty on the output. Defaults to None.
        kernel_constraint, bias_constraint: projections applied after each optimizer step
            (``keras.constraints``). Defaults to None.

    Example:
    >>> layer = Dense(10, activation="softmax")
    >>> layer(torch.zeros(2, 784)).shape
    torch.Size([2, 10])
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = _positive_int("Dense", "units", units, "Dense(10) for 10 output units.")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        warn_lora("Dense", lora_rank)

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) < 2 or input_shape[-1] is None:
            raise LayerfitValueError(
                explain(
                    f"Dense layer {self.name!r} got input of shape {input_shape}.",
                    "at least 2 axes (batch, features) with a known last axis.",
                    "give the first layer input_shape=(features,), or Input(shape=(features,)).",
                )
            )

    def build(self, input_shape) -> None:
        self.kernel = self.add_weight(
            (input_shape[-1], self.units),
            self.kernel_initializer,
            name="kernel",
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            self.add_weight(
                (self.units,),
                self.bias_initializer,
                name="bias",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )

    def call(self, inputs):
        return self.activation(self.call_linear(inputs))

    def call_linear(self, inputs):
        """``inputs @ kernel + bias``, before the activation (the fused-loss path uses it)."""
        if inputs.dim() == 2 and self.bias is not None:
            return torch.addmm(self.bias, inputs, self.kernel)
        outputs = inputs @ self.kernel
        return outputs if self.bias is None else outputs + self.bias

    def compute_output_shape(self, input_shape):
        if self.built and input_shape[-1] != self.kernel.shape[0]:
            raise LayerfitValueError(
                explain(
                    f"Dense layer {self.name!r} was built for {self.kernel.shape[0]} input features "
                    f"but got input of shape {input_shape}.",
                    f"inputs whose last axis is {self.kernel.shape[0]}.",
                    "check the previous layer, or use a new Dense layer for this input.",
                )
            )
        return (*input_shape[:-1], self.units)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


class Dropout(Layer):
    """Sets a fraction ``rate`` of inputs to 0 during training, scaling the rest by 1/(1-rate).

    Args:
        rate: fraction of the inputs to drop, in [0, 1).
        noise_shape: Keras's broadcast shape for the mask: (batch, 1, features) drops whole
            features for every step. Defaults to None (one draw per entry).
        seed: an int: the layer draws its masks from its own stream started at this seed, so
            two layers with the same seed drop the same units call after call. Defaults to
            None (torch's global generator, set by ``utils.set_random_seed``).

    Example:
    >>> layer = Dropout(0.5, seed=7)
    >>> layer(torch.ones(2, 4), training=True).shape
    torch.Size([2, 4])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise LayerfitValueError(
                explain(
                    f"Dropout got rate={rate!r}.",
                    "a fraction in [0, 1): the share of units to drop, e.g. 0.25.",
                    "Dropout(0.25) drops a quarter of the units during training.",
                )
            )
        self.rate = float(rate)
        self.noise_shape = noise_shape
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise LayerfitValueError(
                explain(
                    f"Dropout got seed={seed!r}.",
                    "None or a Python int.",
                    "Dropout(0.5, seed=42)",
                )
            )
        self.seed = seed
        self._generators: dict[torch.device, torch.Generator] = {}  # the seeded stream

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or self.rate == 0:
            return inputs
        generator = None if self.seed is None else self._generator(inputs.device)
        if self.noise_shape is None:
            if inputs.is_cuda and generator is None:
                return F.dropout(inputs, self.rate, True)
            # On CPU a uniform mask is ~3x faster than F.dropout's bernoulli sampling.
            uniform = torch.rand(
                inputs.shape, generator=generator, device=inputs.device, dtype=inputs.dtype
            )
            return inputs * uniform.ge_(self.rate).mul_(1 / (1 - self.rate))
        shape = [inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape)]
        uniform = torch.rand(shape, generator=generator, device=inputs.device, dtype=inputs.dtype)
        return inputs * uniform.ge_(self.rate) / (1 - self.rate)

    def _generator(self, device: torch.device) -> torch.Generator:
        generator = self._generators.get(device)
        if generator is None:
            generator = torch.Generator(device=device).manual_seed(self.seed)
            self._generators[device] = generator
        return generator

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "noise_shape": self.noise_shape,
            "seed": self.seed,
        }


class Flatten(Layer):
    """Flattens each sample to one axis, in channels_last order as Keras does."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format

    def call(self, inputs):
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class Activation(Layer):
    """Applies an activation function: ``Activation('relu')``."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def compute_output_shape(self, input_shape):
        size = math.prod(d for d in input_shape[1:]) if None not in input_shape[1:] else None
        known = math.prod(d for d in self.target_shape if d != -1)
        if size is not None and -1 not in self.target_shape and known != size:
            self._raise_mismatch(input_shape)
        if -1 in self.target_shape:
            if size is None:
                shape = tuple(None if d == -1 else d for d in self.target_shape)
                return (input_shape[0], *shape)
            if size % known:
                self._raise_mismatch(input_shape)
            shape = tuple(size // known if d == -1 else d for d in self.target_shape)
            return (input_shape[0], *shape)
        return (input_shape[0], *self.target_shape)

    def _raise_mismatch(self, input_shape):
        raise LayerfitValueError(
            explain(
                f"Reshape layer {self.name!r} cannot reshape samples of shape {input_shape[1:]} "
                f"to {self.target_shape}.",
                "a target shape with the same number of values per sample.",
                "use -1 for one axis to let it be computed.",
            )
        )

    def build(self, input_shape) -> None:
        self.compute_output_shape(tuple(input_shape))

    def call(self, inputs):
        return inputs.reshape(inputs.shape[0], *self.target_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}
