"""In-memory data: converted to tensors on the device once, batched by index slices."""

from __future__ import annotations

import math

import numpy as np
import torch

from layerfit import backend
from layerfit._tree import flatten, map_structure
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn
from layerfit.layers._strings import is_text, text_array


def is_array_like(value) -> bool:
    if isinstance(value, (list, tuple)) and is_text(value):
        return True  # a list of texts, for a model with a string Input
    leaves = flatten(value) if isinstance(value, (list, tuple, dict)) else [value]
    return all(
        isinstance(leaf, (np.ndarray, torch.Tensor, list, tuple, int, float))
        or hasattr(leaf, "to_numpy")
        for leaf in leaves
    )


def as_input(value, device=None):
    """One leaf of ``x``: a tensor on ``device``, or, for text, a numpy array of strings.

    Text stays numpy (torch has no string tensors) for a model with an
    ``Input(dtype="string")``; a model that takes numbers says so when it gets it.
    """
    if isinstance(value, (np.ndarray, list, tuple)) or hasattr(value, "to_numpy"):
        if not hasattr(value, "select_dtypes"):  # a DataFrame: as_tensor names text columns
            array = text_array(value)
            if array.dtype.kind in "USO" and is_text(array):
                return array
    return as_tensor(value, "x", device=device)


def as_tensor(value, argument: str, dtype=None, device=None) -> torch.Tensor:
    """Converts one array-like to a tensor, with our error for non-numeric data."""
    if hasattr(value, "select_dtypes") and hasattr(value, "columns"):
        bad = [str(c) for c in value.columns if not _is_numeric_dtype(value[c].dtype)]
        if bad:
            raise LayerfitTypeError(
                explain(
                    f"{argument} is a DataFrame with non-numeric columns {bad}.",
                    "numbers only in every column.",
                    "encode them first (pd.get_dummies(df, columns=[...]) or a mapping), "
                    "or drop them: df.drop(columns=[...]).",
                )
            )
    try:
        if isinstance(value, torch.Tensor):
            tensor = value
        else:
            array = value.to_numpy() if hasattr(value, "to_numpy") else np.asarray(value)
            if array.dtype.kind in "US":
                raise LayerfitTypeError(
                    explain(
                        f"{argument} holds text (dtype {array.dtype}); models take numbers.",
                        "token ids or vectors made from the text.",
                        "vectorize it first: vectorize = layers.TextVectorization(); "
                        "vectorize.adapt(texts); then pass vectorize(texts), or a dataset "
                        "mapped with dataset.map(lambda x, y: (vectorize(x), y)).",
                    )
                )
            if array.dtype == object or not (
                np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
            ):
                raise TypeError(f"dtype {array.dtype}")
            if not array.flags.writeable:  # torch warns on read-only buffers (pandas, mmap)
                array = array.copy()
            tensor = torch.from_numpy(np.ascontiguousarray(array))
    except (TypeError, ValueError) as error:
        if isinstance(error, LayerfitTypeError):
            raise  # already says what to do (text data)
        raise LayerfitTypeError(
            explain(
                f"{argument} could not be read as numbers ({error}).",
                "a numeric numpy array, list of numbers, pandas DataFrame/Series or torch tensor.",
                f"convert {argument} with np.asarray({argument}, dtype='float32').",
            )
        ) from None
    target = dtype or (
        backend.torch_dtype()
        if not tensor.is_floating_point() or tensor.dtype == torch.float64
        else tensor.dtype
    )
    return tensor.to(device=device, dtype=target)


def _is_numeric_dtype(dtype) -> bool:
    try:
        return np.issubdtype(np.dtype(dtype), np.number) or np.dtype(dtype) == np.bool_
    except TypeError:
        return False


def num_samples(structure, argument: str) -> int:
    lengths = {int(leaf.shape[0]) for leaf in flatten(structure) if leaf is not None}
    if len(lengths) > 1:
        raise LayerfitValueError(
            explain(
                f"The arrays in {argument} have different numbers of samples: {sorted(lengths)}.",
                "the same first-axis length for every array.",
                "check that each input holds one row per sample.",
            )
        )
    return lengths.pop() if lengths else 0


class ArrayBatches:
    """Batches of (x, y, sample_weight) tensors; shuffled index slices, no DataLoader."""

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size: int = 32,
        shuffle: bool = False,
        steps: int | None = None,
    ):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.steps = steps
        self.shard: tuple[int, int] | None = None  # (rank, processes), see split_batches
        self.size = num_samples((x, y, sample_weight), "x, y and sample_weight")
        self._pass = None  # the pass over the data that `steps` cut short, with batches taken
        self._taken = 0

    def _batches_per_pass(self) -> int:
        return math.ceil(self.size / self.batch_size)

    def __len__(self) -> int:
        batches = self._batches_per_pass()
        return batches if self.steps is None else min(self.steps, batches)

    def batch_sizes(self) -> list[int]:
        full, rest = divmod(self.size, self.batch_size)
        return [self.batch_size] * full + ([rest] if rest else [])

    def first_batch(self):
        """The first batch (unshuffled), for building the model and metrics."""
        part = slice(0, self.batch_size)
        x, y, weight = self.x, self.y, self.sample_weight

        def cut(tensor):
            return tensor[part]

        return (
            map_structure(cut, x),
            None if y is None else map_structure(cut, y),
            None if weight is None else weight[part],
        )

    def __iter__(self):
        if self.steps is None:
            return self._one_pass()
        return self._steps_of_a_pass()

    def _steps_of_a_pass(self):
        """``steps`` batches, as Keras's epoch iterator takes them: the next ones of the pass
        under way, so the epochs of ``fit(steps_per_epoch=...)`` go through all the data before
        a new (reshuffled) pass starts; a pass that ends early ends the epoch, with a warning."""
        batches = self._batches_per_pass()
        if self._pass is None:
            self._pass, self._taken = self._one_pass(), 0
        for _ in range(self.steps):
            if self._taken >= batches:
                warn(
                    f"steps={self.steps} is more than the {batches} batches of "
                    f"{self.size} samples at batch_size={self.batch_size}: this epoch ended "
                    "early.",
                    f"at most {batches} steps for this data.",
                    "leave steps_per_epoch (or steps) out to use all the data once per epoch.",
                )
                break
            self._taken += 1
            yield next(self._pass)
        if self._taken >= batches:
            self._pass = None

    def _one_pass(self):
        x, y, weight = self.x, self.y, self.sample_weight
        if self.shuffle or self.shard is not None:
            device = next((t.device for t in flatten(x) if torch.is_tensor(t)), None)
            if self.shuffle:
                order = torch.randperm(self.size, device=device)
                if self.shard is not None:  # every process takes rank 0's order
                    order = backend.distributed.broadcast_from_chief(order)
            else:
                order = torch.arange(self.size, device=device)
            for start in range(0, self.size, self.batch_size):
                index = order[start : start + self.batch_size]
                if self.shard is not None:  # this process's part of the global batch
                    rank, size = self.shard
                    index = index.tensor_split(size)[rank]

                def take(tensor, index=index):
                    if isinstance(tensor, np.ndarray):  # text for a string Input
                        return tensor[index.cpu().numpy()]
                    return tensor.index_select(0, index)

                yield (
                    map_structure(take, x),
                    None if y is None else map_structure(take, y),
                    None if weight is None else weight.index_select(0, index),
                )
        else:
            for start in range(0, self.size, self.batch_size):
                part = slice(start, start + self.batch_size)

                def cut(tensor, part=part):
                    return tensor[part]

                yield (
                    map_structure(cut, x),
                    None if y is None else map_structure(cut, y),
                    None if weight is None else weight[part],
                )

    def split_batches(self, rank: int, size: int) -> None:
        """Data parallelism for training: each global batch of ``batch_size`` samples is
        split into ``size`` near-equal parts and this process (``rank``) takes its part.

        Every process steps through the same number of batches, so the gradient all-reduce
        of each step meets on all of them; a last batch smaller than ``size`` leaves some
        processes an empty part, which the step counts as zero samples.
        """
        self.shard = (rank, size)

    def contiguous_part(self, rank: int, size: int) -> ArrayBatches:
        """Data parallelism for evaluate and predict: this process's contiguous slice of the
        samples (in order, so gathering the parts in rank order gives the input order),
        batched at ``batch_size / size`` so a global batch keeps its meaning."""
        start, stop = _part_bounds(self.size, rank, size)

        def cut(tensor):
            return tensor[start:stop]

        x, y, weight = self.x, self.y, self.sample_weight
        return ArrayBatches(
            map_structure(cut, x),
            None if y is None else map_structure(cut, y),
            None if weight is None else weight[start:stop],
            batch_size=max(1, math.ceil(self.batch_size / size)),
        )


def _part_bounds(total: int, rank: int, size: int) -> tuple[int, int]:
    base, extra = divmod(total, size)  # as torch.tensor_split: the first `extra` get one more
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def split_validation(x, y, sample_weight, validation_split: float):
    """Holds out the last ``validation_split`` fraction, before any shuffling, as Keras does."""
    if not 0 <= validation_split < 1:
        raise LayerfitValueError(
            explain(
                f"validation_split={validation_split!r}.",
                "a fraction in [0, 1), e.g. 0.2 to hold out the last 20% of the samples.",
                "fit(x, y, validation_split=0.2)",
            )
        )
    total = num_samples((x, y), "x and y")
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at == 0 or split_at == total:
        raise LayerfitValueError(
            explain(
                f"validation_split={validation_split} of {total} samples leaves "
                f"{split_at} for training and {total - split_at} for validation.",
                "at least one sample on each side.",
                "use more data or a validation_split between 1/n and 1 - 1/n.",
            )
        )

    def head(tensor):
        return tensor[:split_at]

    def tail(tensor):
        return tensor[split_at:]

    train = (
        map_structure(head, x),
        map_structure(head, y),
        None if sample_weight is None else sample_weight[:split_at],
    )
    val = (
        map_structure(tail, x),
        map_structure(tail, y),
        None if sample_weight is None else sample_weight[split_at:],
    )
    return train, val
