"""ReversibleEmbedding: an Embedding whose table also maps vectors back to logits (tied heads)."""

from __future__ import annotations

import torch

from layerfit import backend
from layerfit.layers._embedding import Embedding
from layerfit.layers._masks import set_mask


class ReversibleEmbedding(Embedding):
    """An embedding that can also project hidden vectors back onto the vocabulary.

    ``layer(ids)`` looks ids up as ``Embedding``; ``layer(hidden, reverse=True)`` returns
    ``hidden @ embeddings.T`` (or ``@ reverse_embeddings`` when ``tie_weights=False``): the
    output head of a language model sharing the input table.

    Args:
        input_dim: vocabulary size.
        output_dim: embedding size.
        tie_weights: reuse the embedding table for the reverse projection. Defaults to True.
        embeddings_initializer: Defaults to 'uniform'.
        embeddings_regularizer, embeddings_constraint: Defaults to None.
        mask_zero: id 0 is padding (the forward output carries a mask). Defaults to False.
        reverse_dtype: dtype of the reverse matmul (e.g. 'float32' under mixed precision).
            Defaults to None (the compute dtype).
        logit_soft_cap: if set, logits become ``tanh(logits / cap) * cap``. Defaults to None.

    Example:
    >>> layer = ReversibleEmbedding(10, 4)
    >>> layer(layer(torch.tensor([[1, 2]])), reverse=True).shape
    torch.Size([1, 2, 10])
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape) -> None:
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                (self.output_dim, self.input_dim),
                self.embeddings_initializer,
                name="reverse_embeddings",
            )

    def call(self, inputs, reverse=False):
        if not reverse:
            outputs = super().call(inputs)
            if self.mask_zero:
                set_mask(outputs, inputs != 0)  # the forward direction masks; reverse does not
            return outputs
        kernel = self.embeddings.t() if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            dtype = backend.torch_dtype(self.reverse_dtype)
            inputs, kernel = inputs.to(dtype), kernel.to(dtype)
        logits = torch.matmul(inputs, kernel)  # (..., output_dim) @ (output_dim, input_dim)
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, previous_mask=None):
        return None  # call() sets the forward mask itself, as Keras

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return (*tuple(input_shape)[:-1], self.input_dim)
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
