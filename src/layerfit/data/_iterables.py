"""Data that yields its own batches: torch DataLoaders and Datasets, generators, PyDataset."""

from __future__ import annotations

import inspect

import numpy as np
import torch

from layerfit._tree import map_structure
from layerfit.data._arrays import as_input, as_tensor
from layerfit.errors import LayerfitValueError, explain

_SKIPPED = object()  # another process's PyDataset batch, not loaded here


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
        self.whole = source  # the source before sharding: its length counts every batch
        self.part: tuple[int, int] | None = None  # (rank, size) over several processes
        self.first = None  # batch 0 of the epoch, kept for the processes' agreement check
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
        return len(self.whole)

    def select(self, rank: int, size: int) -> None:
        """Keep every ``size``-th batch from ``rank`` on (data parallelism, ``data/_shard.py``).

        A DataLoader over a map-style dataset then loads only this process's batches (its
        batch sampler is strided, as a DistributedSampler would); other sources are read
        whole and the other processes' batches dropped before conversion (a PyDataset's are
        not even loaded).
        """
        self.part = (rank, size)
        loader = self.source
        if (
            isinstance(loader, torch.utils.data.DataLoader)
            and not isinstance(loader.dataset, torch.utils.data.IterableDataset)
            and loader.batch_sampler is not None
        ):
            self.source = _strided_loader(loader, rank, size)

    @property
    def strided_loader(self) -> bool:
        return self.source is not self.whole

    def _items(self):
        if hasattr(self.source, "on_epoch_end") and hasattr(self.source, "__getitem__"):
            for index in range(len(self.source)):
                yield self.source[index] if self._reads(index) else _SKIPPED
            self.source.on_epoch_end()
        else:
            yield from self.source

    def _reads(self, index: int) -> bool:
        # Batch 0 is read by every process: it is how they check they read the same data.
        return self.part is None or index == 0 or index % self.part[1] == self.part[0]

    def first_batch(self):
        """The first batch, for set-up; a generator's is kept and yielded again by iteration."""
        if not self.is_generator:
            part, source = self.part, self.source
            self.part, self.source = None, self.whole  # every process probes with batch 0
            try:
                return next(iter(self))
            finally:
                self.part, self.source = part, source
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
        rank, size = self.part or (0, 1)
        if self.strided_loader:
            rank, size = 0, 1  # the loader yields only this process's batches already
        self.first = None
        for index, (item, converted) in enumerate(self._source_items()):
            mine = index % size == rank
            if index == 0 and self.part is not None and not self.strided_loader:
                item = item if converted else self._convert(item)
                self.first, converted = item, True
            if mine:
                yield item if converted else self._convert(item)

    def _source_items(self):
        """(item, whether already converted) for each batch of the epoch, up to ``steps``."""
        step = self.batches_in_epoch = 0
        if self._peeked is not None:
            batch, self._peeked = self._peeked, None
            yield batch, True
            step = self.batches_in_epoch = 1
        if self.is_generator:
            # Pull with next(): a `for` over the generator would close it at the epoch's end.
            while step < self.steps:
                try:
                    item = next(self.source)
                except StopIteration:
                    self.ran_out = True
                    return
                yield item, False
                step = self.batches_in_epoch = step + 1
                self.batches_given += 1
            return
        for item in self._items():
            if self.steps is not None and step >= self.steps:
                break
            yield item, False
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


class _StridedBatchSampler:
    """Every ``size``-th batch of a loader's batch sampler, from ``rank`` on."""

    def __init__(self, batch_sampler, rank: int, size: int):
        self.batch_sampler, self.rank, self.size = batch_sampler, rank, size

    def __len__(self) -> int:
        return len(range(self.rank, len(self.batch_sampler), self.size))

    def __iter__(self):
        for index, indices in enumerate(self.batch_sampler):
            if index % self.size == self.rank:
                yield indices


def _strided_loader(loader, rank: int, size: int):
    """``loader`` loading only this process's batches (the same workers, collate, memory)."""
    return torch.utils.data.DataLoader(
        loader.dataset,
        batch_sampler=_StridedBatchSampler(loader.batch_sampler, rank, size),
        num_workers=loader.num_workers,
        collate_fn=loader.collate_fn,
        pin_memory=loader.pin_memory,
        timeout=loader.timeout,
        worker_init_fn=loader.worker_init_fn,
        multiprocessing_context=loader.multiprocessing_context,
        generator=loader.generator,
        prefetch_factor=loader.prefetch_factor,
        persistent_workers=loader.persistent_workers,
    )
