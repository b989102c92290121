"""SpectralNormalization: divides a wrapped layer's kernel by its largest singular value."""

from __future__ import annotations

import torch
from torch.func import functional_call

from layerfit import initializers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._input_spec import InputSpec
from layerfit.layers._wrappers import Wrapper


def _unit(x: torch.Tensor, epsilon: float = 1e-7) -> torch.Tensor:
    return x / torch.linalg.vector_norm(x).clamp_min(epsilon)


class SpectralNormalization(Wrapper):
    """Constrains the wrapped layer's kernel to spectral norm 1 (Miyato et al., 2018).

    In training, ``power_iterations`` steps of the power method estimate the kernel's largest
    singular value ``sigma`` (as a matrix ``(-1, last axis)`` in Keras's layout); the layer
    then runs with ``kernel / sigma``, gradients flow through ``sigma`` as in Keras, and the
    normalized kernel and the estimate ``vector_u`` are stored. At inference the layer runs
    unchanged.

    Args:
        layer: a layer with a ``kernel`` (Dense, Conv2D, ...) or ``embeddings`` (Embedding).
        power_iterations: power-method steps per training call. Defaults to 1.

    Example:
    >>> layer = SpectralNormalization(layers.Dense(8))
    >>> layer(torch.ones(2, 4), training=True).shape
    torch.Size([2, 8])
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if (
            isinstance(power_iterations, bool)
            or not isinstance(power_iterations, int)
            or (power_iterations <= 0)
        ):
            raise LayerfitValueError(
                explain(
                    f"SpectralNormalization got power_iterations={power_iterations!r}.",
                    "a positive integer.",
                    "SpectralNormalization(layer, power_iterations=1)",
                )
            )
        self.power_iterations = power_iterations

    def build(self, input_shape) -> None:
        self.layer.build_checked(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        for name in ("kernel", "embeddings"):
            if isinstance(getattr(self.layer, name, None), torch.nn.Parameter):
                self._kernel_name = name
                break
        else:
            raise LayerfitValueError(
                explain(
                    f"SpectralNormalization got a {type(self.layer).__name__} layer, which has "
                    "no 'kernel' nor 'embeddings' weight.",
                    "a layer with a kernel (Dense, Conv1D/2D/3D, ...) or an Embedding.",
                    "wrap the layer that holds the weight matrix.",
                )
            )
        columns = self._keras_kernel().shape[-1]
        self.vector_u = self.add_weight(
            (1, columns),
            initializers.TruncatedNormal(stddev=0.02),
            name="vector_u",
            trainable=False,
        )

    def _own_weights(self) -> list[torch.nn.Parameter]:
        # Keras tracks the wrapped kernel as the wrapper's own weight (``self.kernel``), so
        # the order is kernel, vector_u, then the wrapped layer's others (bias).
        own = super()._own_weights()
        return own if not self.built else [getattr(self.layer, self._kernel_name), *own]

    def weight_to_keras(self, param):
        if param is getattr(self.layer, getattr(self, "_kernel_name", ""), None):
            return self.layer.weight_to_keras(param)
        return super().weight_to_keras(param)

    def weight_from_keras(self, param, value):
        if param is getattr(self.layer, getattr(self, "_kernel_name", ""), None):
            return self.layer.weight_from_keras(param, value)
        return super().weight_from_keras(param, value)

    def _keras_kernel(self) -> torch.Tensor:
        """The kernel in Keras's layout (a differentiable view for convolutions)."""
        kernel = getattr(self.layer, self._kernel_name)
        layout = getattr(self.layer, "_layout_of", lambda _: None)(kernel)
        return kernel if layout is None else layout[1](kernel)

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        kernel = getattr(self.layer, self._kernel_name)
        if not training or not bool(kernel.detach().any()):  # an all-zero kernel is kept
            return self.layer(inputs).to(inputs.dtype)
        keras_kernel = self._keras_kernel().clone()  # saved for backward, unlike the weight
        matrix = keras_kernel.reshape(-1, keras_kernel.shape[-1])  # (rows, columns)
        with torch.no_grad():  # Keras stops the gradient through u and v
            u = self.vector_u.detach()
            for _ in range(self.power_iterations):
                v = _unit(u @ matrix.t())  # (1, rows)
                u = _unit(v @ matrix)  # (1, columns)
        sigma = (v @ matrix) @ u.t()  # (1, 1): the largest singular value
        normalized = keras_kernel / sigma
        layout = getattr(self.layer, "_layout_of", lambda _: None)(kernel)
        stored = normalized if layout is None else layout[0](normalized)
        outputs = functional_call(self.layer, {self._kernel_name: stored}, (inputs,))
        with torch.no_grad():
            self.vector_u.copy_(u)
            kernel.copy_(stored)
        return outputs.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "power_iterations": self.power_iterations}
