"""A lazy pipeline of numpy elements with tf.data's chainable calls, for data read from files.

A ``Dataset`` is a torch ``IterableDataset`` whose iteration yields elements (after ``batch``:
whole batches), so ``fit``/``evaluate``/``predict`` read it through the same path as any
iterable of ``(x, y)`` batches, and ``DataLoader(dataset, batch_size=None)`` works too. Each
call returns a new dataset; nothing is read until iteration. ``map`` with
``num_parallel_calls`` runs the function in threads (Pillow and torch release the GIL while
decoding and resizing) and keeps the element order, so results depend only on the seeds.
"""

from __future__ import annotations

import collections
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain, warn

AUTOTUNE = -1  # tf.data.AUTOTUNE's value: "pick the parallelism / buffer size for me"
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


def _workers(num_parallel_calls) -> int:
    if num_parallel_calls is None:
        return 1
    if num_parallel_calls == AUTOTUNE:
        return max(1, min(8, os.cpu_count() or 1))
    if isinstance(num_parallel_calls, bool) or not isinstance(num_parallel_calls, int):
        raise LayerfitValueError(
            explain(
                f"num_parallel_calls={num_parallel_calls!r}.",
                "a positive integer, AUTOTUNE or None.",
                "num_parallel_calls=layerfit.data.AUTOTUNE",
            )
        )
    return max(1, num_parallel_calls)


def _count(value, argument: str, allow_minus_one: bool = False) -> int:
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if ok and (value >= 0 or (allow_minus_one and value == -1)):
        return int(value)
    raise LayerfitValueError(
        explain(
            f"Dataset got {argument}={value!r}.",
            "a non-negative integer" + (" (or -1 for all)." if allow_minus_one else "."),
            f"{argument}=32",
        )
    )


def _apply(fn, element):
    """tf.data's calling convention: a tuple element is spread over the arguments."""
    return fn(*element) if isinstance(element, tuple) else fn(element)


def _stack(elements):
    first = elements[0]
    if isinstance(first, tuple):
        return tuple(_stack(list(column)) for column in zip(*elements))
    if isinstance(first, dict):
        return {key: _stack([e[key] for e in elements]) for key in first}
    if isinstance(first, torch.Tensor):
        return torch.stack(elements)
    return np.stack([np.asarray(e) for e in elements])


def _padded_stack(elements, shapes, values):
    first = elements[0]
    if isinstance(first, tuple):
        shapes = shapes if isinstance(shapes, (tuple, list)) else [shapes] * len(first)
        values = values if isinstance(values, (tuple, list)) else [values] * len(first)
        return tuple(
            _padded_stack(list(column), shape, value)
            for column, shape, value in zip(zip(*elements), shapes, values)
        )
    arrays = [np.asarray(e) for e in elements]
    longest = np.max([a.shape for a in arrays], axis=0) if arrays[0].ndim else ()
    target = [
        int(size if fixed is None or fixed == -1 else fixed)
        for size, fixed in zip(longest, shapes or [None] * len(longest))
    ]
    out = np.full((len(arrays), *target), values or 0, dtype=arrays[0].dtype)
    for row, array in enumerate(arrays):
        out[(row, *(slice(0, n) for n in array.shape))] = array
    return out


def _split(batch):
    if isinstance(batch, tuple):
        return list(zip(*(_split(part) for part in batch)))
    if isinstance(batch, dict):
        keys = list(batch)
        return [dict(zip(keys, values)) for values in zip(*(_split(batch[k]) for k in keys))]
    return list(batch)


class Dataset(torch.utils.data.IterableDataset):
    """A sequence of elements (or batches) read lazily, with tf.data's chainable calls.

    Made by ``utils.image_dataset_from_directory`` and friends, or ``Dataset.from_tensor_slices``.
    Iterating yields numpy arrays (tuples ``(x, y)`` when labelled); ``fit``, ``evaluate`` and
    ``predict`` accept it directly.

    Example:
    >>> ds = Dataset.from_tensor_slices((np.arange(10), np.arange(10) * 2)).batch(4)
    >>> [x.tolist() for x, y in ds]
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    """

    def __init__(self, make_iterator, cardinality: int, **attributes):
        super().__init__()
        self._make_iterator = make_iterator  # () -> a fresh iterator over one pass
        self._cardinality = int(cardinality)
        self._batch_size = None
        for name, value in attributes.items():  # class_names, file_paths
            if value is not None:
                setattr(self, name, value)

    def _derive(self, make_iterator, cardinality: int) -> Dataset:
        # class_names/file_paths follow the data through map/batch/prefetch (tf drops them).
        keep = {k: getattr(self, k, None) for k in ("class_names", "file_paths")}
        derived = Dataset(make_iterator, cardinality, **keep)
        derived._batch_size = self._batch_size  # split_dataset re-batches batched data
        return derived

    # -- making datasets --------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row of ``tensors`` (an array, or a tuple/dict of equal-length arrays)."""

        def rows(value):
            if isinstance(value, tuple):
                return list(zip(*(rows(part) for part in value)))
            if isinstance(value, dict):
                keys = list(value)
                return [dict(zip(keys, vs)) for vs in zip(*(rows(value[k]) for k in keys))]
            return list(value if isinstance(value, torch.Tensor) else np.asarray(value))

        elements = rows(tuple(tensors) if isinstance(tensors, list) else tensors)
        return Dataset(lambda: iter(elements), len(elements))

    # -- size -------------------------------------------------------------------------------
    def cardinality(self) -> int:
        """The number of elements; -1 (INFINITE_CARDINALITY) or -2 (UNKNOWN_CARDINALITY)."""
        return self._cardinality

    def __len__(self) -> int:
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __iter__(self):
        return self._make_iterator()

    def as_numpy_iterator(self):
        """The elements as numpy arrays (they already are)."""
        return iter(self)

    def __repr__(self) -> str:
        return f"<layerfit Dataset cardinality={self._cardinality}>"

    # -- reshaping the stream ---------------------------------------------------------------
    def take(self, count: int) -> Dataset:
        """The first ``count`` elements (all of them for -1)."""
        count = _count(count, "count", allow_minus_one=True)
        if count == -1:
            return self
        size = self._cardinality
        size = count if size == INFINITE_CARDINALITY else size if size < 0 else min(count, size)

        def make():
            iterator = iter(self)
            for _ in range(count):
                try:
                    yield next(iterator)
                except StopIteration:
                    return

        return self._derive(make, size)

    def skip(self, count: int) -> Dataset:
        """All but the first ``count`` elements."""
        count = _count(count, "count")
        size = self._cardinality if self._cardinality < 0 else max(0, self._cardinality - count)

        def make():
            iterator = iter(self)
            for _ in range(count):
                if next(iterator, _END) is _END:
                    return
            yield from iterator

        return self._derive(make, size)

    def repeat(self, count: int | None = None) -> Dataset:
        """The data ``count`` times over (forever for None or -1); each pass reshuffles."""
        forever = count is None or count == -1
        times = 0 if forever else _count(count, "count")
        size = self._cardinality
        if forever and size != 0:
            size = INFINITE_CARDINALITY
        elif not forever and size >= 0:
            size *= times

        def make():
            done = 0
            while forever or done < times:
                empty = True
                for element in self:
                    empty = False
                    yield element
                done += 1
                if empty:
                    return

        return self._derive(make, size)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None) -> Dataset:
        """Applies ``map_func`` to every element (in threads with ``num_parallel_calls``).

        Args:
            map_func: the function; a tuple element is passed as separate arguments.
            num_parallel_calls: threads to run it in; ``AUTOTUNE`` picks up to 8. Defaults to
                None (in the loop).
            deterministic: accepted; the order is always kept. Defaults to None.
            name: accepted for tf.data compatibility. Defaults to None.
        """
        workers = _workers(num_parallel_calls)

        def make():
            if workers == 1:
                for element in self:
                    yield _apply(map_func, element)
                return
            yield from _ordered_parallel_map(map_func, iter(self), workers)

        return self._derive(make, self._cardinality)

    def filter(self, predicate) -> Dataset:
        """Keeps the elements for which ``predicate`` is true."""

        def make():
            return (e for e in self if bool(np.asarray(_apply(predicate, e))))

        size = self._cardinality if self._cardinality == INFINITE_CARDINALITY else -2
        return self._derive(make, size)

    def batch(self, batch_size: int, drop_remainder: bool = False, **kwargs) -> Dataset:
        """Stacks ``batch_size`` consecutive elements into one batch (the last may be short)."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise LayerfitValueError(
                explain(f"batch got batch_size={batch_size!r}.", "a positive integer.", "batch(32)")
            )
        _ignored(kwargs, "batch")
        size = self._cardinality
        if size >= 0:
            size = size // batch_size if drop_remainder else -(-size // batch_size)

        def make():
            pending = []
            for element in self:
                pending.append(element)
                if len(pending) == batch_size:
                    yield _stack(pending)
                    pending = []
            if pending and not drop_remainder:
                yield _stack(pending)

        batched = self._derive(make, size)
        batched._batch_size = batch_size
        return batched

    def padded_batch(
        self, batch_size: int, padded_shapes=None, padding_values=None, drop_remainder=False
    ) -> Dataset:
        """Like ``batch``, padding every array to the longest in its batch (with 0 or
        ``padding_values``); ``padded_shapes`` fixes the padded sizes (None entries: longest)."""
        size = self.batch(batch_size, drop_remainder).cardinality()  # checks batch_size too

        def make():
            pending = []
            for element in self:
                pending.append(element)
                if len(pending) == batch_size:
                    yield _padded_stack(pending, padded_shapes, padding_values)
                    pending = []
            if pending and not drop_remainder:
                yield _padded_stack(pending, padded_shapes, padding_values)

        padded = self._derive(make, size)
        padded._batch_size = batch_size
        return padded

    def unbatch(self) -> Dataset:
        """Splits every batch back into elements."""

        def make():
            for batch in self:
                yield from _split(batch)

        size = INFINITE_CARDINALITY if self._cardinality == INFINITE_CARDINALITY else -2
        elements = self._derive(make, size)
        elements._batch_size = None
        return elements

    def rebatch(self, batch_size: int, drop_remainder: bool = False) -> Dataset:
        """Same elements, new batch size."""
        return self.unbatch().batch(batch_size, drop_remainder)

    def shuffle(self, buffer_size: int, seed=None, reshuffle_each_iteration=True) -> Dataset:
        """Shuffles with a buffer of ``buffer_size`` elements, as tf.data does.

        A buffer at least as large as the dataset gives a full shuffle. With a ``seed`` the
        order of each pass is reproducible; ``reshuffle_each_iteration`` gives every pass (epoch)
        a new order.
        """
        buffer_size = _count(buffer_size, "buffer_size")
        buffer_size = max(1, buffer_size)
        passes = [0]
        base = np.random.randint(2**31) if seed is None else int(seed)

        def make():
            rng = np.random.default_rng([base, passes[0]])
            if reshuffle_each_iteration:
                passes[0] += 1
            buffer = []
            for element in self:
                if len(buffer) < buffer_size:
                    buffer.append(element)
                    continue
                index = int(rng.integers(buffer_size))
                yield buffer[index]
                buffer[index] = element
            order = rng.permutation(len(buffer))
            for index in order:
                yield buffer[index]

        return self._derive(make, self._cardinality)

    def cache(self, filename: str = "") -> Dataset:
        """Keeps the elements in memory after the first full pass; later passes replay them."""
        if filename:
            warn(
                f"Dataset.cache(filename={filename!r}): layerfit caches in memory only; "
                "the file name is ignored.",
                fix="call cache() without a file name (or save arrays with np.save).",
            )
        stored = []

        def make():
            if stored:
                yield from stored[0]
                return
            elements = []
            for element in self:
                elements.append(element)
                yield element
            stored.append(elements)  # only a pass that reached the end is kept

        return self._derive(make, self._cardinality)

    def prefetch(self, buffer_size=AUTOTUNE) -> Dataset:
        """Prepares up to ``buffer_size`` elements in a background thread (AUTOTUNE: 2)."""
        size = 2 if buffer_size in (AUTOTUNE, None) else _count(buffer_size, "buffer_size")
        if size == 0:
            return self
        return self._derive(lambda: _prefetched(self, size), self._cardinality)

    def enumerate(self, start: int = 0) -> Dataset:
        """Pairs every element with its index: ``(i, element)``."""

        def make():
            return ((np.int64(i), e) for i, e in enumerate(self, start))

        return self._derive(make, self._cardinality)


_END = object()


def _ignored(kwargs: dict, call: str) -> None:
    if kwargs:
        warn(
            f"Dataset.{call} ignores {sorted(kwargs)} (tf.data tuning options).",
            fix="drop them; layerfit batches in order in the calling thread.",
        )


def _ordered_parallel_map(fn, elements, workers: int):
    """``fn`` over ``elements`` in ``workers`` threads, results in input order."""
    pool = ThreadPoolExecutor(workers, thread_name_prefix="layerfit-map")
    pending = collections.deque()
    try:
        for element in elements:
            pending.append(pool.submit(_apply, fn, element))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)


def _prefetched(dataset: Dataset, size: int):
    """Runs one pass of ``dataset`` in a thread, ``size`` elements ahead of the consumer."""
    items = queue.Queue(maxsize=size)
    stop = threading.Event()

    def produce():
        iterator = iter(dataset)
        try:
            for element in iterator:
                while not stop.is_set():
                    try:
                        items.put((element, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put((_END, None))
        except BaseException as error:  # handed to the consumer, raised in its thread
            items.put((_END, error))
        finally:
            if hasattr(iterator, "close"):
                iterator.close()  # stops upstream threads (parallel map) now, not at GC

    thread = threading.Thread(target=produce, daemon=True, name="layerfit-prefetch")
    thread.start()
    try:
        while True:
            element, error = items.get()
            if error is not None:
                raise error
            if element is _END:
                return
            yield element
    finally:
        stop.set()
        while thread.is_alive():  # drain so a blocked put() sees the stop flag
            try:
                items.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()
