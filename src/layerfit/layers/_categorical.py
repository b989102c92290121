"""CategoryEncoding and Discretization: integers to one/multi-hot or counts; numbers to bins."""

from __future__ import annotations

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import _batches, encode_categorical

MODES = ("one_hot", "multi_hot", "count")


def _check_mode(layer: str, output_mode, modes=MODES) -> str:
    if output_mode not in modes:
        raise LayerfitValueError(
            explain(
                f"{layer} got output_mode={output_mode!r}.",
                f"one of {list(modes)}.",
                f"output_mode={modes[-1]!r}"
                if layer == "Discretization"
                else "output_mode='multi_hot'",
            )
        )
    return output_mode


def _no_sparse(layer: str, sparse) -> None:
    if sparse:
        raise LayerfitValueError(
            explain(
                f"{layer}(sparse=True): layerfit returns dense tensors only.",
                "sparse=False.",
                "drop sparse=True.",
            )
        )


class CategoryEncoding(Layer):
    """Encodes integer categories as one-hot, multi-hot or count vectors of width ``num_tokens``.

    Args:
        num_tokens: the number of categories; inputs lie in ``[0, num_tokens)``.
        output_mode: 'one_hot', 'multi_hot' or 'count'. Defaults to 'multi_hot'.
        sparse: not supported (True raises). Defaults to False.

    Example:
    >>> CategoryEncoding(num_tokens=4, output_mode="count")(np.array([[0, 1, 1, 3]]))
    tensor([[1., 2., 0., 1.]])
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise LayerfitValueError(
                explain(
                    f"CategoryEncoding got num_tokens={num_tokens!r}.",
                    "a positive integer: how many categories there are.",
                    "CategoryEncoding(num_tokens=10)",
                )
            )
        self.num_tokens = num_tokens
        self.output_mode = _check_mode("CategoryEncoding", output_mode)
        _no_sparse("CategoryEncoding", sparse)

    def call(self, inputs, count_weights=None):
        indices = inputs.long()
        if indices.numel() and (indices.min() < 0 or indices.max() >= self.num_tokens):
            raise LayerfitValueError(
                explain(
                    f"CategoryEncoding got values in [{int(indices.min())}, "
                    f"{int(indices.max())}] with num_tokens={self.num_tokens}.",
                    f"every value in [0, {self.num_tokens}).",
                    "raise num_tokens, or map the values first (IntegerLookup).",
                )
            )
        weights = None
        if count_weights is not None and self.output_mode == "count":
            weights = torch.as_tensor(count_weights, dtype=torch.float32, device=inputs.device)
        if weights is None:
            return encode_categorical(indices, self.output_mode, self.num_tokens)
        batch = indices if indices.dim() > 1 else indices.unsqueeze(0)
        weights = weights.reshape(batch.shape)
        output = torch.zeros(batch.shape[0], self.num_tokens, device=inputs.device)
        output.scatter_add_(1, batch, weights)
        return output if indices.dim() > 1 else output[0]

    def compute_output_shape(self, input_shape):
        if self.output_mode == "one_hot" and input_shape[-1] != 1:
            return (*input_shape, self.num_tokens)
        return (*tuple(input_shape)[:-1], self.num_tokens)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
            "sparse": False,
        }


def _summary(values: np.ndarray, epsilon: float) -> np.ndarray:
    """A (2, k) quantile sketch: every step-th sorted value with weight step."""
    values = np.sort(values.reshape(-1))
    step = max(values.size / (1.0 / epsilon), 1)  # the same float steps as Keras
    kept = values[int(step - 1) :: int(step)]
    return np.stack([kept, np.full(kept.shape, step, dtype=kept.dtype)])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Resamples the sketch at quantiles epsilon, 2 epsilon, ..., 1 (linear interpolation)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    points = np.interp(targets, fractions, summary[0])
    weights = np.diff(np.interp(targets, fractions, cumulative), prepend=0.0)
    return np.stack([points, weights]).astype("float32")


class Discretization(Layer):
    """Buckets numbers by boundaries (given, or quantiles learned by ``adapt``).

    A value ``x`` goes to bin ``i`` where ``bin_boundaries[i - 1] <= x < bin_boundaries[i]``.

    Args:
        bin_boundaries: sorted boundaries. Defaults to None (then ``num_bins`` and ``adapt``).
        num_bins: how many bins ``adapt`` makes. Defaults to None.
        epsilon: accuracy of ``adapt``'s quantile sketch. Defaults to 0.01.
        output_mode: 'int', 'one_hot', 'multi_hot' or 'count'. Defaults to 'int'.
        sparse: not supported (True raises). Defaults to False.

    Example:
    >>> Discretization(bin_boundaries=[0.0, 1.0])(np.array([-1.0, 0.0, 0.5, 1.0, 2.0]))
    tensor([0, 1, 1, 2, 2])
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
        **kwargs,
    ):
        super().__init__(dtype=dtype, name=name, **kwargs)
        if (bin_boundaries is None) == (num_bins is None):
            raise LayerfitValueError(
                explain(
                    f"Discretization got bin_boundaries={bin_boundaries!r} and "
                    f"num_bins={num_bins!r}.",
                    "exactly one of them.",
                    "Discretization(num_bins=4) then adapt(data), or "
                    "Discretization(bin_boundaries=[0.0, 1.0]).",
                )
            )
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = _check_mode(
            "Discretization", output_mode, ("one_hot", "multi_hot", "count", "int")
        )
        _no_sparse("Discretization", sparse)

    def adapt(self, data, steps=None) -> None:
        """Learns ``num_bins - 1`` quantile boundaries from data (an array or a dataset)."""
        if self.num_bins is None:
            raise LayerfitValueError(
                explain(
                    "Discretization.adapt on a layer made with bin_boundaries.",
                    "Discretization(num_bins=...) to learn boundaries.",
                    "make the layer with num_bins instead of bin_boundaries.",
                )
            )
        summary = np.zeros((2, 0), dtype="float32")
        for batch in _batches(data, steps, "Discretization"):
            array = np.asarray(batch.cpu() if isinstance(batch, torch.Tensor) else batch)
            merged = np.concatenate([_summary(array.astype("float32"), self.epsilon), summary], 1)
            summary = _compress(merged[:, np.argsort(merged[0])], self.epsilon)
        self.bin_boundaries = _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise LayerfitValueError(
                explain(
                    "Discretization was called before it has bin boundaries.",
                    "bin_boundaries=[...] at construction, or adapt(data) first.",
                    "call layer.adapt(x_train) before using it.",
                )
            )
        boundaries = torch.as_tensor(self.bin_boundaries, dtype=inputs.dtype, device=inputs.device)
        indices = torch.bucketize(inputs, boundaries, right=True)
        if self.output_mode == "int":
            return indices
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return (*tuple(input_shape)[:-1], depth)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": False,
        }

    @classmethod
    def from_config(cls, config: dict):
        # After adapt both bin_boundaries and num_bins are set; the constructor takes one,
        # so the boundaries are applied after creation, as Keras's from_config does.
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            config = dict(config)
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = list(boundaries)
            return layer
        return cls(**config)
