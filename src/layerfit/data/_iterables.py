"""Data that yields its own batches: torch DataLoaders and Datasets, generators, PyDataset."""

from __future__ import annotations

import inspect

import numpy as np
import torch

from layerfit._tree import map_structure
from layerfit.data._arrays import as_input, as_tensor
from layerfit.errors import LayerfitValueError, explain


def is_supported(value) -> bool:
    return (
        isinstance(value, (torch.utils.data.DataLoader, torch.utils.data.Dataset))
        or inspect.isgenerator(value)
        or hasattr(value, "__getitem__")
        and hasattr(value, "__len__")
    )


class IterableBatches:
    """Batches from an iterable of (x, y) or (x, y, sample_weight), moved to the device."""

    def __init__(self, source, steps=None, y_dtype=None, device=None):
        if (
            isinstance(source, torch.utils.data.Dataset)
            and not isinstance(source, torch.utils.data.IterableDataset)
            and not hasattr(source, "on_epoch_end")
        ):
            source = torch.utils.data.DataLoader(source, batch_size=32)
        self.source = source
        self.steps = steps
        self.y_dtype = y_dtype
        self.device = device
        self.is_generator = inspect.isgenerator(source)
        self._peeked = None  # a generator's first batch, read early by first_batch()
        # A generator that runs dry: the loop warns and stops (training/_arguments.py).
        self.ran_out = False
        self.batches_given = 0
        self.batches_in_epoch = 0
        if self.is_generator and steps is None:
            raise LayerfitValueError(
                explain(
                    "fit got a Python generator without steps_per_epoch.",
                    "steps_per_epoch: how many batches make one epoch (a generator never ends).",
                    "fit(generator, steps_per_epoch=len(x_train) // batch_size, epochs=...)",
                )
            )

    def __len__(self):
        if self.steps is not None:
            return self.steps
        return len(self.source)

    def _items(self):
        if hasattr(self.source, "on_epoch_end") and hasattr(self.source, "__getitem__"):
            for index in range(len(self.source)):
                yield self.source[index]
            self.source.on_epoch_end()
        else:
            yield from self.source

    def first_batch(self):
        """The first batch, for set-up; a generator's is kept and yielded again by iteration."""
        if not self.is_generator:
            return next(iter(self))
        if self._peeked is None:
            try:
                item = next(self.source)
            except StopIteration:
                raise LayerfitValueError(
                    explain(
                        "The generator yielded no batch at all (it is empty or already used).",
                        "a generator that yields (x, y) batches.",
                        "create the generator anew for each fit/evaluate/predict call, "
                        "e.g. model.fit(make_batches(), ...), not a generator used before.",
                    )
                ) from None
            self._peeked = self._convert(item)
            self.batches_given += 1
        return self._peeked

    def __iter__(self):
        step = self.batches_in_epoch = 0
        if self._peeked is not None:
            batch, self._peeked = self._peeked, None
            yield batch
            step = self.batches_in_epoch = 1
        if self.is_generator:
            # Pull with next(): a `for` over the generator would close it at the epoch's end.
            while step < self.steps:
                try:
                    item = next(self.source)
                except StopIteration:
                    self.ran_out = True
                    return
                yield self._convert(item)
                step = self.batches_in_epoch = step + 1
                self.batches_given += 1
            return
        for item in self._items():
            if self.steps is not None and step >= self.steps:
                break
            yield self._convert(item)
            step += 1

    def _convert(self, item):
        if isinstance(item, (np.ndarray, torch.Tensor, dict)):
            item = (item,)  # a batch of inputs only, e.g. an unlabelled image dataset
        if not isinstance(item, (tuple, list)) or len(item) not in (1, 2, 3):
            raise LayerfitValueError(
                explain(
                    f"A batch from the data source is a {type(item).__name__}.",
                    "a tuple (x,), (x, y) or (x, y, sample_weight).",
                    "make the generator / Dataset return (x, y).",
                )
            )
        x = map_structure(lambda v: as_input(v, device=self.device), item[0])
        y = None
        if len(item) > 1 and item[1] is not None:
            y = map_structure(
                lambda v: as_tensor(v, "y", dtype=self.y_dtype, device=self.device), item[1]
            )
        weight = None
        if len(item) > 2 and item[2] is not None:
            weight = as_tensor(
                item[2], "sample_weight", dtype=torch.float32, device=self.device
            ).reshape(-1)
        return x, y, weight
