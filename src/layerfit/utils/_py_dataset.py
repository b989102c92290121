"""PyDataset (Keras 2's Sequence): a dataset that returns whole batches by index."""

from __future__ import annotations


class PyDataset:
    """Base class for batch-indexed datasets: define ``__len__`` and ``__getitem__``.

    ``__getitem__(index)`` returns one batch ``(x, y)`` or ``(x, y, sample_weight)``;
    ``on_epoch_end()`` runs after each epoch (shuffle there).

    Args:
        workers: Keras's parallel loading setting; accepted, batches load in the main process.
            Defaults to 1.
        use_multiprocessing: accepted for Keras compatibility. Defaults to False.
        max_queue_size: accepted for Keras compatibility. Defaults to 10.

    Example:
    >>> class Batches(PyDataset):
    ...     def __init__(self, x, y, batch_size=32, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.x, self.y, self.batch_size = x, y, batch_size
    ...     def __len__(self):
    ...         return -(-len(self.x) // self.batch_size)
    ...     def __getitem__(self, index):
    ...         part = slice(index * self.batch_size, (index + 1) * self.batch_size)
    ...         return self.x[part], self.y[part]
    """

    def __init__(
        self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10
    ):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError("A PyDataset subclass must define __len__ (number of batches).")

    def __getitem__(self, index):
        raise NotImplementedError("A PyDataset subclass must define __getitem__(index) -> batch.")

    def on_epoch_end(self) -> None:
        """Called after every epoch; override to reshuffle."""


Sequence = PyDataset
