"""``DataParallel``, ``set_distribution`` and friends: Keras's spelling of data parallelism.

Keras runs one process over several devices (JAX's SPMD); PyTorch runs one process per
device and sums gradients between them (torch.distributed). So a ``DataParallel`` here
describes the process group ``torchrun`` set up, and each process computes on its own
device (``LOCAL_RANK``). Everything below only reads or joins that group through
``backend.distributed``; the training loop finds it there.
"""

from __future__ import annotations

import os

import torch

from layerfit.backend import distributed as _dist
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain, warn

_current = None  # the Distribution set by set_distribution


def list_devices(device_type: str | None = None) -> list[str]:
    """The devices of this machine as strings, ``'gpu:0'``, ``'cpu:0'``, as Keras names them.

    Args:
        device_type: `"cpu"` or `"gpu"`. Defaults to `"gpu"` when a CUDA device is present,
            otherwise `"cpu"`.

    Example:
    >>> list_devices("cpu")
    ['cpu:0']
    """
    kind = _device_type(device_type)
    if kind == "gpu":
        return [f"gpu:{index}" for index in range(torch.cuda.device_count())]
    return ["cpu:0"]


def get_device_count(device_type: str | None = None) -> int:
    """How many devices ``list_devices(device_type)`` lists.

    Args:
        device_type: `"cpu"` or `"gpu"`. Defaults to `"gpu"` when present, else `"cpu"`.
    """
    return len(list_devices(device_type))


def _device_type(device_type: str | None) -> str:
    if device_type is None:
        return "gpu" if torch.cuda.is_available() else "cpu"
    kind = str(device_type).lower()
    kind = "gpu" if kind == "cuda" else kind
    if kind not in ("cpu", "gpu"):
        raise LayerfitValueError(
            explain(
                f"device_type={device_type!r}.",
                "'cpu' or 'gpu' (layerfit runs on PyTorch: no TPU).",
                "list_devices('gpu')",
            )
        )
    return kind


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    """Joins the process group of a multi-process run (torchrun's environment by default).

    Args:
        job_addresses: `"host:port"` of process 0 (a comma-separated list is accepted; its
            first address is used). Defaults to torchrun's MASTER_ADDR/MASTER_PORT.
        num_processes: The number of processes. Defaults to torchrun's WORLD_SIZE.
        process_id: This process's rank. Defaults to torchrun's RANK.
    """
    if job_addresses:
        first = str(job_addresses).split(",")[0].strip()
        host, _, port = first.rpartition(":")
        if not host or not port.isdigit():
            raise LayerfitValueError(
                explain(
                    f"job_addresses={job_addresses!r}.",
                    "'host:port' of process 0.",
                    "initialize(job_addresses='10.0.0.1:29500', num_processes=2, process_id=0)",
                )
            )
        os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = host, port
    if num_processes is not None:
        os.environ["WORLD_SIZE"] = str(int(num_processes))
    if process_id is not None:
        os.environ["RANK"] = str(int(process_id))
        os.environ.setdefault("LOCAL_RANK", str(int(process_id)))
    if _dist.launched():
        _dist.initialize()


class DataParallel:
    """Data parallelism: every process holds the whole model and a share of each batch.

    ``batch_size`` in ``fit`` is the global batch, split across the processes; gradients
    are averaged over the global batch each step, so the replicas stay identical.

    Args:
        device_mesh: Not supported (model parallelism); must be None.
        devices: The devices taking part, e.g. ``list_devices("gpu")``. Defaults to all
            devices. Each torchrun process uses its own one (``LOCAL_RANK``).
        auto_shard_dataset: Whether each process takes its share of the data. Defaults to
            True (the only behaviour supported).

    Example:
    >>> distribution = DataParallel(devices=list_devices("cpu"))
    >>> set_distribution(distribution)  # then model.fit(...) as usual, under torchrun
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh is not None:
            _unsupported("DataParallel(device_mesh=...)")
        if not auto_shard_dataset:
            raise LayerfitValueError(
                explain(
                    "DataParallel(auto_shard_dataset=False): layerfit always gives each "
                    "process its share of in-memory data.",
                    "auto_shard_dataset=True (the default).",
                    "leave auto_shard_dataset out.",
                )
            )
        self.devices = list(devices) if devices is not None else list_devices()
        self.auto_shard_dataset = True
        self.batch_dim_name = "batch"

    def __repr__(self) -> str:
        return f"DataParallel(devices={self.devices})"


def set_distribution(value) -> None:
    """Sets the distribution ``fit``, ``evaluate`` and ``predict`` use (None: one process).

    Args:
        value: A `DataParallel`, or None.
    """
    global _current
    if value is not None and not isinstance(value, DataParallel):
        _unsupported(f"set_distribution({type(value).__name__})")
    _current = value
    if value is None:
        return
    if _dist.launched():
        _dist.initialize()
    elif len(value.devices) > 1:
        warn(
            f"DataParallel over {len(value.devices)} devices in a single process: layerfit "
            "runs one process per device, so this process trains on one device.",
            "one process per device, started by torchrun.",
            f"launch the script with: torchrun --nproc_per_node={len(value.devices)} train.py",
        )


def distribution():
    """The distribution set by `set_distribution`, or None."""
    return _current


def _unsupported(what: str):
    raise LayerfitRuntimeError(
        explain(
            f"{what} asks for model parallelism (weights split across devices), which "
            "layerfit does not support.",
            "data parallelism: DataParallel(devices=...), one torchrun process per device.",
            "use keras.distribution.DataParallel(devices=keras.distribution.list_devices()) "
            "and launch with torchrun --nproc_per_node=N train.py.",
        )
    )


class ModelParallel:
    """Model parallelism: not supported on layerfit (raises, naming DataParallel)."""

    def __init__(self, *args, **kwargs):
        _unsupported("ModelParallel")


class LayoutMap:
    """Weight layouts for model parallelism: not supported on layerfit (raises)."""

    def __init__(self, *args, **kwargs):
        _unsupported("LayoutMap")


class DeviceMesh:
    """A device mesh for model parallelism: not supported on layerfit (raises)."""

    def __init__(self, *args, **kwargs):
        _unsupported("DeviceMesh")


class TensorLayout:
    """A tensor layout for model parallelism: not supported on layerfit (raises)."""

    def __init__(self, *args, **kwargs):
        _unsupported("TensorLayout")


def distribute_tensor(tensor, layout):
    """Model parallelism's tensor placement: not supported on layerfit (raises)."""
    _unsupported("distribute_tensor")
