"""Data parallelism on torch.distributed: the process group and the few collectives we use.

This is the only module that touches ``torch.distributed``. The rest of layerfit asks
``world()`` who it is (``rank``, ``size``, ``is_chief``) and calls the functions below; when
``size`` is 1 every one of them is a no-op, so a single process pays nothing.

The process group comes from the environment ``torchrun`` sets (RANK, WORLD_SIZE,
LOCAL_RANK, MASTER_ADDR, MASTER_PORT): gloo on CPU, NCCL on CUDA. Every collective runs
under a timeout (``LAYERFIT_DIST_TIMEOUT`` seconds, 300 by default) and a failure -- a rank
that raised, died or stopped early -- becomes our error on the ranks still waiting.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import os
import sys
from dataclasses import dataclass

import torch
import torch.distributed as dist

from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain

_DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class World:
    """Who this process is among the processes training one model together."""

    rank: int = 0
    size: int = 1
    local_rank: int = 0

    @property
    def active(self) -> bool:
        return self.size > 1

    @property
    def is_chief(self) -> bool:
        """Rank 0: the process that prints, draws the progress bar and writes files."""
        return self.rank == 0


_world = World()
_failed = False  # set when this process raised: it leaves without waiting for the others


def world() -> World:
    return _world


def launched() -> bool:
    """Whether torchrun (or a user's own launcher) asked for more than one process."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1) > 1 and "RANK" in os.environ


def timeout() -> float:
    raw = os.environ.get("LAYERFIT_DIST_TIMEOUT", "")
    try:
        return float(raw) if raw else _DEFAULT_TIMEOUT
    except ValueError:
        raise LayerfitValueError(
            explain(
                f"LAYERFIT_DIST_TIMEOUT={raw!r}.",
                "a number of seconds.",
                "export LAYERFIT_DIST_TIMEOUT=300",
            )
        ) from None


def initialize() -> World:
    """Joins the process group described by the environment (once); returns ``world()``."""
    global _world
    if not dist.is_available():
        raise LayerfitRuntimeError(
            explain(
                "This PyTorch build has no torch.distributed.",
                "a PyTorch build with distributed support (the official wheels have it).",
                "install PyTorch from pytorch.org, or run one process without torchrun.",
            )
        )
    if not dist.is_initialized():
        missing = [n for n in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT") if not _env(n)]
        if missing:
            raise LayerfitRuntimeError(
                explain(
                    f"Distributed training was asked for, but {missing} are not set.",
                    "the environment torchrun sets for each process.",
                    "launch the script with: torchrun --nproc_per_node=2 train.py",
                )
            )
        local_rank = int(_env("LOCAL_RANK") or 0)
        cuda = torch.cuda.is_available()
        if cuda:
            torch.cuda.set_device(local_rank % torch.cuda.device_count())
        dist.init_process_group(
            "nccl" if cuda else "gloo", timeout=datetime.timedelta(seconds=timeout())
        )
        _leave_together()
    _world = World(dist.get_rank(), dist.get_world_size(), int(_env("LOCAL_RANK") or 0))
    return _world


def _leave_together() -> None:
    """At a normal exit, wait for every process before closing the connections: a process
    finishing first must not cut off the data of a collective the others are still reading.
    After an uncaught error the process leaves at once (the others get our error)."""
    previous = sys.excepthook

    def note_failure(*details):
        global _failed
        _failed = True
        previous(*details)

    def leave():
        if not (dist.is_available() and dist.is_initialized()):
            return
        if not _failed:
            try:
                dist.barrier()
            except RuntimeError:
                return  # a peer is already gone: nothing to wait for
            dist.destroy_process_group()

    sys.excepthook = note_failure
    atexit.register(leave)


def _env(name: str) -> str:
    return os.environ.get(name, "")


# -- collectives ------------------------------------------------------------------------------


def _collective(what: str, run):
    """Runs one collective; a lost or failed peer becomes our error, never a raw traceback."""
    global _failed
    try:
        return run()
    except (RuntimeError, ValueError) as error:  # DistBackendError subclasses RuntimeError
        _failed = True
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LayerfitRuntimeError(
            explain(
                f"Process {_world.rank} of {_world.size} stopped waiting for the others during "
                f"{what}: another process failed, stopped or fell out of step ({first}).",
                "every process to run the same script on the same data and reach each step.",
                "read the other processes' output for the first error; a process that is "
                "only slow needs a longer timeout, e.g. LAYERFIT_DIST_TIMEOUT=900.",
            )
        ) from None


def _device() -> torch.device:
    # NCCL needs CUDA tensors; gloo works on CPU tensors.
    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def all_reduce_sum(tensors: list[torch.Tensor]) -> list[torch.Tensor]:
    """The element-wise sums over all processes, in one collective (float64 on the wire)."""
    if not _world.active:
        return tensors
    flat = torch.cat([t.detach().reshape(-1).to(_device(), torch.float64) for t in tensors])
    _collective("a sum over processes", lambda: dist.all_reduce(flat))
    out, start = [], 0
    for t in tensors:
        out.append(flat[start : start + t.numel()].reshape(t.shape).to(t.device, t.dtype))
        start += t.numel()
    return out


def any_rank(flag: bool) -> bool:
    """True on every process when ``flag`` is True on any one (stop_training)."""
    if not _world.active:
        return flag
    (total,) = all_reduce_sum([torch.tensor([float(bool(flag))])])
    return bool(total.item() > 0)


def all_gather_object(value) -> list:
    """Every process's ``value``, in rank order (picklable objects: numpy arrays, dicts)."""
    if not _world.active:
        return [value]
    gathered = [None] * _world.size
    _collective("a gather of results", lambda: dist.all_gather_object(gathered, value))
    return gathered


def barrier() -> None:
    """Waits until every process arrives (a file rank 0 writes is complete after it)."""
    if _world.active:
        _collective("a barrier", lambda: dist.barrier())


class Pending:
    """An all-reduce under way (``all_reduce_start``); ``wait()`` gives the summed tensor."""

    def __init__(self, wire: torch.Tensor, work, what: str):
        self.wire, self.work, self.what = wire, work, what

    def wait(self) -> torch.Tensor:
        if self.work is not None:
            _collective(self.what, self.work.wait)
            self.work = None
        return self.wire


def all_reduce_start(tensor: torch.Tensor, what: str) -> Pending:
    """Starts summing ``tensor`` over all processes without waiting (the gradient buckets:
    the sum travels while backward computes the next gradients). Every process must start
    the same all-reduces in the same order."""
    if not _world.active:
        return Pending(tensor, None, what)
    wire = tensor.to(_device())
    work = _collective(what, lambda: dist.all_reduce(wire, async_op=True))
    return Pending(wire, work, what)


class _Expected:
    """A custom ``train_step`` under way: the gradients it hands ``optimizer.apply`` are the
    ones to reduce (over ``parameters``, in that order on every process)."""

    def __init__(self, parameters: list[torch.Tensor], samples: int):
        self.parameters, self.samples, self.reduced = parameters, samples, False


_expected: _Expected | None = None


def expect_gradients(parameters: list[torch.Tensor], samples: int) -> None:
    """Before a model's own ``train_step``: its ``optimizer.apply`` will reduce the gradients
    it is given, each process's weighted by its ``samples``."""
    global _expected
    _expected = _Expected(parameters, samples) if _world.active else None


def stop_expecting() -> bool:
    """After the step: whether its gradients were reduced (``apply``, or the built-in step)."""
    global _expected
    reduced, _expected = _expected is not None and _expected.reduced, None
    return reduced


def note_reduced() -> None:
    """The built-in step reduced the gradients itself (a train_step calling super())."""
    if _expected is not None:
        _expected.reduced = True


def reduce_applied(variables: list, grads: list) -> list:
    """The global batch's gradients for ``variables`` (what a custom train_step applies).

    All trainable weights travel in one flat all-reduce, in a fixed order, zeros where a
    process has no gradient (an empty share of the batch, a weight the step left out), so
    the processes' collectives always match. Outside a custom step: ``grads`` unchanged.
    """
    expected = _expected
    if expected is None or expected.reduced:
        return grads
    expected.reduced = True
    given = {id(v): g for v, g in zip(variables, grads) if g is not None}
    parameters = expected.parameters
    local = [given.get(id(p), torch.zeros_like(p)).detach().reshape(-1) for p in parameters]
    samples = float(expected.samples)
    flat = torch.cat([*(g * samples for g in local), torch.tensor([samples])])
    total = all_reduce_start(flat, "the gradient all-reduce").wait().to(flat.device)
    reduced, start = {}, 0
    for p in parameters:
        reduced[id(p)] = total[start : start + p.numel()].view_as(p) / max(float(total[-1]), 1.0)
        start += p.numel()
    return [reduced.get(id(v), g) for v, g in zip(variables, grads)]


def synchronize_model(module: torch.nn.Module) -> None:
    """Checks every process holds the same model, then copies rank 0's weights to all.

    A different architecture on one process would otherwise fail deep inside an all-reduce
    (or silently train different models); the names and shapes of the weights are compared.
    """
    if not _world.active:
        return
    state = module.state_dict()
    signature = "\n".join(f"{name}:{tuple(t.shape)}" for name, t in state.items())
    digest = hashlib.sha256(signature.encode()).hexdigest()
    digests = all_gather_object((digest, len(state)))
    if len(set(digests)) > 1:
        ranks = [rank for rank, d in enumerate(digests) if d != digests[0]]
        raise LayerfitRuntimeError(
            explain(
                f"The processes hold different models: process(es) {ranks} differ from "
                f"process 0 in their weights' names or shapes ({[d[1] for d in digests]} "
                "weights per process).",
                "the same model, built the same way, on every process.",
                "build the model without depending on the rank (same layers, same input "
                "shape); load weights after building, on every process.",
            )
        )
    for tensor in state.values():
        if not isinstance(tensor, torch.Tensor):
            continue
        wire = tensor.detach().to(_device())
        _collective("the weight broadcast", lambda wire=wire: dist.broadcast(wire, src=0))
        with torch.no_grad():
            tensor.copy_(wire.to(tensor.device))


def broadcast_from_chief(tensor: torch.Tensor) -> torch.Tensor:
    """Rank 0's ``tensor`` on every process (an epoch's shuffle order, so all ranks agree)."""
    if not _world.active:
        return tensor
    wire = tensor.to(_device())
    _collective("a broadcast from process 0", lambda: dist.broadcast(wire, src=0))
    return wire.to(tensor.device)


def join() -> World:
    """``world()``, after joining the process group when launched by torchrun (lazily: the
    first fit/evaluate/predict of an unchanged script under torchrun does this)."""
    if not _world.active and launched():
        initialize()
    return _world
