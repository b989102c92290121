"""Data parallelism's data side: which samples this process sees (see backend/_distributed)."""

from __future__ import annotations

from layerfit import backend
from layerfit.data._arrays import ArrayBatches
from layerfit.errors import LayerfitTypeError, explain


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
    if not isinstance(batches, ArrayBatches):
        raise LayerfitTypeError(
            explain(
                f"Distributed training over {world.size} processes got data of type "
                f"{type(batches).__name__}; only in-memory arrays are sharded so far.",
                "numpy arrays, tensors or DataFrames for x, y and validation_data.",
                "load the data into arrays (e.g. np.concatenate over the batches of the "
                "loader), or run one process.",
            )
        )
    if training:
        batches.split_batches(world.rank, world.size)
        return batches
    return batches.contiguous_part(world.rank, world.size)
