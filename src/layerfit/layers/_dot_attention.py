"""Attention (Luong dot-product) and AdditiveAttention (Bahdanau), called on [query, value(, key)].

Both follow Keras's formulas: scores, masked positions pushed down by 1e9 before the softmax,
optional dropout on the weights, and query steps that are masked give zero outputs.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer


class Attention(Layer):
    """Dot-product attention: ``softmax(query @ key^T) @ value``, called on ``[query, value]``.

    Args:
        use_scale: learn a scalar that multiplies the scores. Defaults to False.
        score_mode: 'dot' (query-key products) or 'concat' (``tanh(query + key)`` summed).
            Defaults to 'dot'.
        dropout: dropout rate on the attention weights. Defaults to 0.0.
        seed: Defaults to None.

    Call arguments:
        inputs: ``[query (B, Tq, dim), value (B, Tv, dim)]`` or with ``key (B, Tv, dim)``.
        mask: ``[query_mask (B, Tq), value_mask (B, Tv)]``, True to keep. Defaults to None.
        return_attention_scores: also return the weights (B, Tq, Tv). Defaults to False.
        use_causal_mask: each query step sees only value steps up to its own. Defaults to
            False.

    Example:
    >>> q, v = torch.zeros(2, 3, 4), torch.zeros(2, 5, 4)
    >>> Attention()([q, v]).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} got score_mode={score_mode!r}.",
                    "'dot' or 'concat'.",
                    "score_mode='dot' (Luong) is the usual choice.",
                )
            )
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self.supports_masking = True

    def _split(self, inputs):
        if not isinstance(inputs, (list, tuple)) or not 2 <= len(inputs) <= 3:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} {self.name!r} must be called on a list "
                    "[query, value] or [query, value, key].",
                    f"a list of 2 or 3 tensors; got {type(inputs).__name__}.",
                    "write layer([query, value]); for self-attention layer([x, x]).",
                )
            )
        query, value = inputs[0], inputs[1]
        return query, value, inputs[2] if len(inputs) > 2 else value

    def build(self, input_shape) -> None:
        self._split(input_shape)
        self.scale = self.add_weight((), "ones", name="scale") if self.use_scale else None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight((), "ones", name="concat_score_weight")

    def _scores(self, query, key):
        if self.score_mode == "dot":
            scores = query @ key.transpose(-2, -1)
            return scores * self.scale if self.scale is not None else scores
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            summed = self.scale * summed
        return self.concat_score_weight * torch.tanh(summed).sum(-1)

    def call(
        self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False
    ):
        query, value, key = self._split(inputs)
        query_mask, value_mask = (list(mask) + [None])[:2] if mask is not None else (None, None)
        scores = self._scores(query, key)  # (B, Tq, Tv)
        keep = None if value_mask is None else torch.as_tensor(value_mask).bool()[..., None, :]
        if use_causal_mask:
            steps_q, steps_v = scores.shape[-2:]
            rows = torch.arange(steps_q, device=scores.device)[:, None]
            causal = rows >= torch.arange(steps_v, device=scores.device)[None, :]
            keep = causal if keep is None else keep & causal
        if keep is not None:
            # Keras subtracts 1e9 (float16's largest value in float16) from masked scores.
            big = 65504.0 if scores.dtype == torch.float16 else 1e9
            scores = torch.where(keep, scores, scores - big)
        weights = torch.softmax(scores, dim=-1)
        if training is None:
            training = self.training
        if training and self.dropout > 0:
            weights = F.dropout(weights, self.dropout, True)
        output = weights @ value
        if query_mask is not None:
            output = output * torch.as_tensor(query_mask).to(output.dtype)[..., None]
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[0]

    def compute_output_shape(self, input_shape):
        query, value, _ = self._split(input_shape)
        return (*tuple(query)[:-1], tuple(value)[-1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }


class AdditiveAttention(Attention):
    """Additive (Bahdanau) attention: scores ``sum(scale * tanh(query + key))``.

    Args:
        use_scale: learn a per-feature scale. Defaults to True.
        dropout: dropout rate on the attention weights. Defaults to 0.0.

    Call arguments: as ``Attention``.

    Example:
    >>> q, v = torch.zeros(2, 3, 4), torch.zeros(2, 5, 4)
    >>> AdditiveAttention()([q, v]).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        kwargs.pop("score_mode", None)
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape) -> None:
        query, _, _ = self._split(input_shape)
        dim = tuple(query)[-1]
        self.scale = (
            self.add_weight((dim,), "glorot_uniform", name="scale") if self.use_scale else None
        )

    def _scores(self, query, key):
        summed = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))  # (B, Tq, Tv, dim)
        return (summed * self.scale if self.scale is not None else summed).sum(-1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("score_mode")
        return config
