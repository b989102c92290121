"""Data parallelism's data side: which samples this process sees (see backend/_distributed).

In-memory arrays: ``batch_size`` is the global batch, each split between the processes.
Data that makes its own batches (DataLoaders, generators, ``PyDataset``, ``layerfit.data.
Dataset``): each process takes every N-th batch (N processes), so one step trains on N of
the source's batches; training takes the same number of steps on every process (a process
out of batches takes an empty step, which still meets the gradient all-reduce).
"""

from __future__ import annotations

import hashlib
import math

import torch

from layerfit import backend
from layerfit._tree import flatten, map_structure
from layerfit.data._arrays import ArrayBatches
from layerfit.data._iterables import IterableBatches
from layerfit.errors import LayerfitRuntimeError, LayerfitTypeError, explain


def shard(batches, *, training: bool):
    """This process's share of ``batches``; ``batches`` itself when one process runs.

    Training splits each global batch (``batch_size`` is the global batch, as in Keras's
    distribution API) so all processes take the same number of steps; evaluate, predict
    and validation give each process a contiguous slice whose results are summed
    (metrics) or gathered in rank order (predictions).
    """
    world = backend.distributed.world()
    if batches is None or not world.active:
        return batches
    if isinstance(batches, IterableBatches):
        return StridedBatches(batches, world.rank, world.size, training=training)
    if not isinstance(batches, ArrayBatches):
        raise LayerfitTypeError(
            explain(
                f"Distributed training over {world.size} processes got data of type "
                f"{type(batches).__name__}, which cannot be shared between processes.",
                "arrays, tensors, DataFrames, DataLoaders, generators, a PyDataset or a "
                "layerfit.data.Dataset.",
                "convert the data to arrays, or run one process.",
            )
        )
    if training:
        batches.split_batches(world.rank, world.size)
        return batches
    return batches.contiguous_part(world.rank, world.size)


class StridedBatches:
    """Every ``size``-th batch of a source that batches itself, from ``rank`` on.

    Each epoch the processes first agree on the order: a DataLoader's shuffle is seeded from
    process 0, and other sources (read whole on every process) must give the same first
    batch everywhere, checked once per epoch. Training pads this process's batches with
    empty ones up to the agreed step count (unknown lengths agree step by step).
    """

    interleaved = True  # predictions come back batch by batch, in source order

    def __init__(self, batches: IterableBatches, rank: int, size: int, *, training: bool):
        batches.select(rank, size)
        self.batches, self.rank, self.size, self.training = batches, rank, size, training

    def __len__(self) -> int:
        total = len(self.batches)  # every process's batches together (TypeError: unknown)
        if self.training:
            return math.ceil(total / self.size)
        return len(range(self.rank, total, self.size))

    def first_batch(self):
        return self.batches.first_batch()

    # The loop reads and resets the source's count of batches (a generator running dry).
    @property
    def ran_out(self) -> bool:
        return self.batches.ran_out

    @ran_out.setter
    def ran_out(self, value: bool) -> None:
        self.batches.ran_out = value

    def __getattr__(self, name):
        return getattr(self.batches, name)

    def __iter__(self):
        if self.batches.strided_loader:
            _agree_on_shuffle(self.batches.whole)
        source = iter(self.batches)
        first = next(source, None)
        if not self.batches.strided_loader:
            _check_same_data(self.batches.first)
        try:
            steps = len(self)
        except TypeError:
            steps = None
        step, empty = 0, None
        while True:
            if not self.training:  # no collective per batch: each process takes its own
                if first is None:
                    return
                yield first
                first = next(source, None)
                continue
            has = first is not None
            if steps is None:
                if not backend.distributed.any_rank(has):  # unknown length: agree each step
                    return
            elif step >= steps:
                return
            if has:
                empty = _empty_like(first)
                yield first
                first = next(source, None)
            else:
                if empty is None:  # no batch at all this epoch: shaped like batch 0
                    empty = _empty_like(self.batches.first or self.batches.first_batch())
                yield empty
            step += 1


def _empty_like(batch):
    """A batch of no samples shaped like ``batch``: this process's share of a last step."""
    x, y, weight = batch

    def cut(value):
        return value[:0] if torch.is_tensor(value) else value

    return map_structure(cut, x), map_structure(cut, y), cut(weight)


def _agree_on_shuffle(loader) -> None:
    """Seeds a shuffling DataLoader's sampler from process 0, as DistributedSampler does
    with its shared seed: every process draws the same order and takes its own batches."""
    sampler = getattr(loader, "sampler", None)
    if not isinstance(sampler, torch.utils.data.RandomSampler):
        return
    seed = torch.randint(2**62, (1,), dtype=torch.int64)
    seed = int(backend.distributed.broadcast_from_chief(seed))
    sampler.generator = torch.Generator().manual_seed(seed)


def _check_same_data(batch) -> None:
    """Every process reads the whole source and keeps its own batches: that is right only
    if the source gives the same batches in the same order everywhere (seeded shuffles)."""
    digest = hashlib.sha256()
    if batch is not None:
        for leaf in flatten(batch):
            if torch.is_tensor(leaf):
                digest.update(leaf.detach().cpu().contiguous().numpy().tobytes())
    digests = backend.distributed.all_gather_object(digest.hexdigest())
    if len(set(digests)) > 1:
        differ = [rank for rank, d in enumerate(digests) if d != digests[0]]
        raise LayerfitRuntimeError(
            explain(
                f"The processes read different data: the first batch of the epoch on "
                f"process(es) {differ} differs from process 0's.",
                "a data source that gives the same batches in the same order on every "
                "process (each process keeps every N-th batch).",
                "seed the shuffle the same way everywhere, e.g. keras.utils.set_random_seed(1) "
                "on every process before making the data, or Dataset.shuffle(1000, seed=1).",
            )
        )
