"""MultiHeadAttention and GroupQueryAttention with Keras's weights, on torch's fused attention.

Projections are ``EinsumDense`` sublayers named ``query``, ``key``, ``value`` (and ``gate``)
and ``attention_output`` with Keras's kernel shapes, so ``set_weights`` from Keras and saved
files carry over. When no attention scores are asked for and no dropout applies, the heads go
through ``F.scaled_dot_product_attention`` (flash or memory-efficient kernels on a GPU);
otherwise the explicit ``softmax(q k^T / sqrt(d)) v`` runs, as Keras does.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from layerfit import backend, initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import _symbolic
from layerfit.layers._activation_layers import Softmax
from layerfit.layers._conv_arguments import warn_unsupported
from layerfit.layers._einsum_dense import EinsumDense
from layerfit.layers._layer import Layer

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _positive(layer: str, arg: str, value, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise LayerfitValueError(
            explain(f"{layer} got {arg}={value!r}.", "a positive integer.", f"{arg}=64")
        )
    return value


def _shape(value):
    return tuple(value.shape) if value is not None else None


def _band_mask(steps_q: int, steps_v: int, device, window=None) -> torch.Tensor:
    """(1, T, S) booleans: row i sees columns j <= i (causal) or |i - j| < window."""
    rows = torch.arange(steps_q, device=device)[:, None]
    cols = torch.arange(steps_v, device=device)[None, :]
    keep = rows >= cols if window is None else (rows - cols).abs() < window
    return keep[None]


class _HeadAttention(Layer):
    """What MultiHeadAttention and GroupQueryAttention share: call protocol, masks, attention."""

    def __init__(
        self,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        layer = type(self).__name__
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float))
            or not 0 <= dropout < 1
        ):
            raise LayerfitValueError(
                explain(f"{layer} got dropout={dropout!r}.", "a rate in [0, 1).", "dropout=0.1")
            )
        if flash_attention and dropout > 0:
            raise LayerfitValueError(
                explain(
                    f"{layer} got flash_attention=True with dropout={dropout}.",
                    "dropout=0.0: fused attention kernels cannot drop attention weights.",
                    "set dropout=0.0, or leave flash_attention=None to choose automatically.",
                )
            )
        self.supports_masking = True
        self.dropout = float(dropout)
        self.use_bias = bool(use_bias)
        self.sliding_window = _positive(layer, "sliding_window", sliding_window, allow_none=True)
        self.flash_attention = flash_attention
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        warn_unsupported(
            layer, kernel_constraint=kernel_constraint, bias_constraint=bias_constraint
        )
        self.use_gate = bool(use_gate)
        self.seed = seed
        self._scores_shape = None  # set while a symbolic call asks for attention scores

    # -- calling ------------------------------------------------------------------------------

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} {self.name!r} was called with only a query.",
                    "layer(query, value) or layer(query, value, key); self-attention passes "
                    "the same tensor twice.",
                    "write layer(x, x) for self-attention.",
                )
            )
        device = next((t.device for t in (query, value) if torch.is_tensor(t)), None)
        query, value, key = (
            backend.to_tensor(t, device=device or backend.default_device())
            if isinstance(t, np.ndarray)
            else t
            for t in (query, value, key)
        )
        if not self.built:
            with _symbolic.weights_on(device):
                self.build(_shape(query), _shape(value), _shape(key))
            self.built = True
            self._apply_trainable()
        symbolic = _symbolic.contains_symbolic([query, value, key])
        if symbolic and kwargs.get("return_attention_scores"):
            steps_v = value.shape[1]
            self._scores_shape = (query.shape[0], self._score_heads, query.shape[1], steps_v)
        try:
            return super().__call__(query, value, key, **kwargs)
        finally:
            self._scores_shape = None

    def _common(self) -> dict:
        return {
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "dtype": self.dtype_name,
        }

    def _projection(self, name, equation, output_shape, bias_axes, shape, activation=None):
        dense = EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            activation=activation,
            name=name,
            **self._common(),
        )
        dense.build_checked(tuple(shape))
        return dense

    def _check_value_key(self, value_shape, key_shape) -> None:
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} {self.name!r} got value of shape {value_shape} "
                    f"and key of shape {key_shape}.",
                    "value and key with the same shape except the last axis.",
                    "pass a key with as many steps as the value (or no key: key = value).",
                )
            )

    # -- masks --------------------------------------------------------------------------------

    def _attention_mask(
        self, query, value, query_mask, value_mask, key_mask, attention_mask, causal
    ):
        """Keras's rule: query (B, T, 1), value and key (B, 1, S), causal and sliding-window
        (1, T, S) masks and ``attention_mask`` (B, T, S) are combined with AND."""
        parts = []
        if query_mask is not None:
            parts.append(torch.as_tensor(query_mask, device=query.device).bool()[..., None])
        for mask in (value_mask, key_mask):
            if mask is not None:
                parts.append(torch.as_tensor(mask, device=query.device).bool()[..., None, :])
        if causal:
            parts.append(_band_mask(query.shape[1], value.shape[1], query.device))
        if self.sliding_window is not None:
            band = _band_mask(query.shape[1], value.shape[1], query.device, self.sliding_window)
            parts.append(band)
        if attention_mask is not None:
            parts.append(torch.as_tensor(attention_mask, device=query.device).bool())
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part
        return combined

    # -- attention on (B, T, N, H) heads -------------------------------------------------------

    def _attend(self, query, key, value, mask, causal_only, training, return_scores):
        """Attention of projected heads (B, T, N, H) x (B, S, N, H) -> (B, T, N, Hv)."""
        scale = 1.0 / math.sqrt(self._scale_dim)
        dropping = bool(training) and self.dropout > 0
        if not (dropping or return_scores):
            if mask is not None:
                while mask.dim() < 4:
                    mask = mask.unsqueeze(-3)  # (B, T, S) -> (B, 1, T, S): all heads
            # (B, N, T, H) layout for the fused kernel.
            output = F.scaled_dot_product_attention(
                query.transpose(1, 2),
                key.transpose(1, 2),
                value.transpose(1, 2),
                attn_mask=mask,
                is_causal=causal_only,
                scale=scale,
            )
            return output.transpose(1, 2), None
        if causal_only:
            mask = _band_mask(query.shape[1], key.shape[1], query.device)
        scores = torch.einsum("btnh,bsnh->bnts", query * scale, key)  # (B, N, T, S)
        if mask is not None:
            while mask.dim() < 4:
                mask = mask.unsqueeze(-3)
        scores = self._softmax(scores, mask=mask)
        weights = F.dropout(scores, self.dropout, True) if dropping else scores
        return torch.einsum("bnts,bsnh->btnh", weights, value), scores

    def _finish(self, output, scores, gate, return_scores):
        if gate is not None:
            output = output * gate
        output = self._output_dense(output)
        return (output, scores) if return_scores else output

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        output = (*tuple(query_shape)[:-1], *self._output_tail(query_shape))
        return (output, self._scores_shape) if self._scores_shape is not None else output

    def _base_config(self) -> dict:
        return {
            **super().get_config(),
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "flash_attention": self.flash_attention,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": None,
            "bias_constraint": None,
            "seed": self.seed,
        }


class MultiHeadAttention(_HeadAttention):
    """Multi-head attention (Vaswani et al. 2017) with Keras's arguments and weights.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value. Defaults to ``key_dim``.
        dropout: dropout rate on the attention weights. Defaults to 0.0.
        use_bias: whether the projections have biases. Defaults to True.
        output_shape: last axes of the output. Defaults to None (the query's last axis).
        attention_axes: axes attention runs over. Defaults to None (every axis but the batch
            and the features).
        sliding_window: attend only within this many steps. Defaults to None.
        flash_attention: accepted as Keras; fused attention is used whenever it gives the same
            numbers. Defaults to None.
        kernel_initializer: Defaults to 'glorot_uniform'. bias_initializer: Defaults to 'zeros'.
        kernel_regularizer, bias_regularizer, activity_regularizer: Default to None.
        use_gate: a sigmoid gate on the heads' outputs. Defaults to False.
        seed: Defaults to None.

    Call arguments:
        query (B, T, dim), value (B, S, dim), key (B, S, dim) (defaults to value); masks
        ``query_mask`` (B, T), ``value_mask``/``key_mask`` (B, S), ``attention_mask``
        (B, T, S), True to attend; ``return_attention_scores``; ``training``;
        ``use_causal_mask`` (each step sees only earlier ones).

    Example:
    >>> layer = MultiHeadAttention(num_heads=2, key_dim=8)
    >>> x = torch.zeros(4, 10, 16)
    >>> layer(x, x).shape
    torch.Size([4, 10, 16])
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            dropout, use_bias, sliding_window, flash_attention, kernel_initializer,
            bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint, use_gate, seed, **kwargs,
        )  # fmt: skip
        self.num_heads = _positive("MultiHeadAttention", "num_heads", num_heads)
        self.key_dim = _positive("MultiHeadAttention", "key_dim", key_dim)
        self.value_dim = _positive("MultiHeadAttention", "value_dim", value_dim, True) or key_dim
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self.output_shape_arg = tuple(output_shape) if output_shape else None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        self.attention_axes = tuple(attention_axes) if attention_axes is not None else None
        self._score_heads = self.num_heads
        self._scale_dim = self.key_dim

    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        value_shape = tuple(value_shape or query_shape)
        key_shape = tuple(key_shape or value_shape)
        query_shape = tuple(query_shape)
        self._check_value_key(value_shape, key_shape)
        heads = (self.num_heads, self.key_dim)
        self._query_dense = self._projection("query", *self._equation(query_shape, heads))
        self._key_dense = self._projection("key", *self._equation(key_shape, heads))
        if self.use_gate:
            gate = self._equation(query_shape, (self.num_heads, self.value_dim))
            self._gate_dense = self._projection("gate", *gate, activation="sigmoid")
        value_heads = (self.num_heads, self.value_dim)
        self._value_dense = self._projection("value", *self._equation(value_shape, value_heads))
        rank = len(query_shape) + 1  # of the projected heads (B, ..., N, H)
        axes = self.attention_axes or tuple(range(1, rank - 2))
        self._axes = tuple(a if a >= 0 else rank - 1 + a for a in axes)
        self._default_axes = self._axes == (1,) and rank == 4
        scores_rank = rank - 1 + len(self._axes)  # (batch axes..., query axes..., key axes...)
        self._softmax = Softmax(
            axis=tuple(range(scores_rank - len(self._axes), scores_rank)), dtype=self.dtype_name
        )
        self._output_dense = self._projection(
            "attention_output",
            *self._output_equation(query_shape),
            (*query_shape[:-1], *value_heads),
        )

    @staticmethod
    def _equation(shape, heads):
        """'abc,cde->abde' for (B, T, dim) -> (B, T, heads, size); more free axes as needed."""
        free = _LETTERS[: len(shape) - 1]
        bound, new = _LETTERS[len(free)], _LETTERS[len(free) + 1 : len(free) + 3]
        output = [None] * (len(free) - 1) + list(heads)
        return f"{free}{bound},{bound}{new}->{free}{new}", output, new, shape

    def _output_equation(self, query_shape):
        tail = self._output_tail(query_shape)
        free = _LETTERS[: len(query_shape) - 1]
        bound = _LETTERS[len(free) : len(free) + 2]
        new = _LETTERS[len(free) + 2 : len(free) + 2 + len(tail)]
        output = [None] * (len(free) - 1) + list(tail)
        return f"{free}{bound},{bound}{new}->{free}{new}", output, new

    def _output_tail(self, query_shape):
        return self.output_shape_arg or (tuple(query_shape)[-1],)

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key = value if key is None else key
        if training is None:
            training = self.training
        causal_only = use_causal_mask and all(
            m is None for m in (query_mask, value_mask, key_mask, attention_mask)
        ) and self.sliding_window is None and self._default_axes  # fmt: skip
        mask = None
        if not causal_only:
            mask = self._attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        gate = self._gate_dense(query) if self.use_gate else None
        query, key, value = self._query_dense(query), self._key_dense(key), self._value_dense(value)
        if self._default_axes:
            output, scores = self._attend(
                query, key, value, mask, causal_only, training, return_attention_scores
            )
        else:
            output, scores = self._attend_axes(query, key, value, mask, training)
        return self._finish(output, scores, gate, return_attention_scores)

    def _attend_axes(self, query, key, value, mask, training):
        """Attention over any ``attention_axes``: scores laid out as Keras's
        (batch axes..., query axes..., key axes...), the softmax over the key axes."""
        rank = query.dim()
        batch = [i for i in range(rank - 1) if i not in self._axes]
        order = [*batch, *self._axes, rank - 1]
        q, k, v = (t.permute(order) for t in (query, key, value))
        batch_shape = q.shape[: len(batch)]
        q_steps, k_steps = q.shape[len(batch) : -1], k.shape[len(batch) : -1]
        flat = (
            q.reshape(-1, math.prod(q_steps), q.shape[-1]) / math.sqrt(self.key_dim),
            k.reshape(-1, math.prod(k_steps), k.shape[-1]),
            v.reshape(-1, math.prod(k_steps), v.shape[-1]),
        )
        scores = (flat[0] @ flat[1].transpose(1, 2)).reshape(*batch_shape, *q_steps, *k_steps)
        if mask is not None:
            while mask.dim() < scores.dim():
                mask = mask.unsqueeze(-2 * len(self._axes) - 1)
        scores = self._softmax(scores, mask=mask)
        weights = F.dropout(scores, self.dropout, True) if training and self.dropout else scores
        output = weights.reshape(flat[0].shape[0], flat[0].shape[1], -1) @ flat[2]
        output = output.reshape(*batch_shape, *q_steps, v.shape[-1])
        return output.permute(sorted(range(rank), key=order.__getitem__)), scores

    def get_config(self) -> dict:
        return {
            **self._base_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "output_shape": self.output_shape_arg,
            "attention_axes": self.attention_axes,
        }


class GroupQueryAttention(_HeadAttention):
    """Grouped-query attention (Ainslie et al. 2023): fewer key/value heads than query heads.

    Args:
        head_dim: size of each head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads; divides ``num_query_heads``.
        dropout, use_bias, sliding_window, flash_attention, initializers, regularizers,
            use_gate, seed: as ``MultiHeadAttention``.

    Example:
    >>> layer = GroupQueryAttention(head_dim=8, num_query_heads=4, num_key_value_heads=2)
    >>> x = torch.zeros(2, 5, 16)
    >>> layer(x, x).shape
    torch.Size([2, 5, 16])
    """

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            dropout, use_bias, sliding_window, flash_attention, kernel_initializer,
            bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint, use_gate, seed, **kwargs,
        )  # fmt: skip
        self.head_dim = _positive("GroupQueryAttention", "head_dim", head_dim)
        self.num_query_heads = _positive("GroupQueryAttention", "num_query_heads", num_query_heads)
        self.num_key_value_heads = _positive(
            "GroupQueryAttention", "num_key_value_heads", num_key_value_heads
        )
        if num_query_heads % num_key_value_heads:
            raise LayerfitValueError(
                explain(
                    f"GroupQueryAttention got num_query_heads={num_query_heads} and "
                    f"num_key_value_heads={num_key_value_heads}.",
                    "num_query_heads a multiple of num_key_value_heads (each key/value head "
                    "serves a group of query heads).",
                    f"num_key_value_heads={math.gcd(num_query_heads, num_key_value_heads)}",
                )
            )
        self.num_repeats = num_query_heads // num_key_value_heads
        self._score_heads = num_query_heads
        self._scale_dim = head_dim

    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        value_shape = tuple(value_shape or query_shape)
        key_shape = tuple(key_shape or value_shape)
        self._check_value_key(value_shape, key_shape)
        self._feature_dim = query_shape[-1]
        query_heads = (None, self.num_query_heads, self.head_dim)
        kv_heads = (None, self.num_key_value_heads, self.head_dim)
        self._query_dense = self._projection(
            "query", "bqm,muh->bquh", query_heads, "uh", query_shape
        )
        self._key_dense = self._projection("key", "bkm,mvh->bkvh", kv_heads, "vh", key_shape)
        if self.use_gate:
            self._gate_dense = self._projection(
                "gate", "bqm,muh->bquh", query_heads, "uh", query_shape, activation="sigmoid"
            )
        self._value_dense = self._projection("value", "bkm,mvh->bkvh", kv_heads, "vh", value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_name)
        self._output_dense = self._projection(
            "attention_output", "bquh,uhm->bqm", (None, self._feature_dim), "m",
            (None, None, self.num_query_heads, self.head_dim),
        )  # fmt: skip

    def _output_tail(self, query_shape):
        return (tuple(query_shape)[-1],)

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key = value if key is None else key
        if training is None:
            training = self.training
        causal_only = use_causal_mask and self.sliding_window is None and all(
            m is None for m in (query_mask, value_mask, key_mask, attention_mask)
        )  # fmt: skip
        mask = None
        if not causal_only:
            mask = self._attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        gate = self._gate_dense(query) if self.use_gate else None
        query, key, value = self._query_dense(query), self._key_dense(key), self._value_dense(value)
        # Each key/value head serves num_repeats query heads: (B, S, N_kv, H) -> (B, S, N, H).
        key = key.repeat_interleave(self.num_repeats, dim=2)
        value = value.repeat_interleave(self.num_repeats, dim=2)
        output, scores = self._attend(
            query, key, value, mask, causal_only, training, return_attention_scores
        )
        return self._finish(output, scores, gate, return_attention_scores)

    def get_config(self) -> dict:
        return {
            **self._base_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
        }
