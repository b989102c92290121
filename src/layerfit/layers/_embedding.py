"""Embedding: integer ids to dense vectors, the first layer of text and categorical models."""

from __future__ import annotations

import torch.nn.functional as F

from layerfit import constraints, initializers, regularizers
from layerfit._compat import notice
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer, warn_lora


class Embedding(Layer):
    """Maps each integer id in ``[0, input_dim)`` to a learned vector of ``output_dim`` values.

    Args:
        input_dim: size of the vocabulary (largest id + 1).
        output_dim: length of each vector.
        embeddings_initializer: Defaults to 'uniform' (Keras's RandomUniform(-0.05, 0.05)).
        embeddings_regularizer: a penalty on the table. Defaults to None.
        embeddings_constraint: a projection of the table after each optimizer step.
            Defaults to None.
        mask_zero: accepted for Keras compatibility; masks are not propagated. Defaults to False.

    Example:
    >>> layer = Embedding(1000, 8)
    >>> layer(torch.tensor([[3, 14, 15]])).shape
    torch.Size([1, 3, 8])
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        **kwargs,
    ):
        if "input_length" in kwargs:
            kwargs.pop("input_length")
            notice(
                "Embedding(input_length=...)",
                "Embedding(input_dim, output_dim)",
                "input_length is not needed: the sequence length comes from the data.",
            )
        super().__init__(**kwargs)
        for argument, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise LayerfitValueError(
                    explain(
                        f"Embedding got {argument}={value!r}.",
                        "a positive integer.",
                        "Embedding(input_dim=vocabulary_size, output_dim=8)",
                    )
                )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        warn_lora("Embedding", lora_rank)
        self.mask_zero = mask_zero
        self._initial_weights = weights

    def build(self, input_shape) -> None:
        self.embeddings = self.add_weight(
            (self.input_dim, self.output_dim),
            self.embeddings_initializer,
            name="embeddings",
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)

    def call(self, inputs):
        # Ids arrive as floats when they came through fit's array conversion.
        return F.embedding(inputs.long(), self.embeddings)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        }
