"""Gradient all-reduce overlapped with backward, in buckets, as DistributedDataParallel does.

Why not DDP itself: wrapping the model changes what ``model`` is (in every step, in ``save``,
in callbacks), and DDP's average assumes every process holds an equal share of the batch.
Here the model stays itself; a hook on each trainable weight (``post_accumulate_grad``)
notes its gradient is ready, and as soon as a bucket of consecutive weights is complete its
gradients, each times this process's sample count, start their all-reduce while backward
goes on. The step then waits for the sums and divides by the global sample count: the
gradient of the mean loss over the global batch, also for an uneven last batch or a process
whose share is empty.

Every process must start the same collectives in the same order, whatever order autograd
finishes the gradients in: buckets start strictly in their fixed order (a ready bucket waits
for the ones before it), and whatever never became ready (an unused weight, a process with
no samples) starts at ``finish``, still in order.
"""

from __future__ import annotations

import os
from functools import partial

import torch

from layerfit.backend import _distributed as distributed
from layerfit.errors import LayerfitValueError, explain

# DDP's default is 25 MiB; smaller buckets start sooner, which matters for the small models
# layerfit users train on CPU, at a few more collectives per step.
_DEFAULT_BUCKET_MB = 4.0


def bucket_bytes() -> int:
    """The bucket size: ``LAYERFIT_DIST_BUCKET_MB`` MiB (DDP's ``bucket_cap_mb``), 4 by default."""
    raw = os.environ.get("LAYERFIT_DIST_BUCKET_MB", "")
    try:
        megabytes = float(raw) if raw else _DEFAULT_BUCKET_MB
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise LayerfitValueError(
            explain(
                f"LAYERFIT_DIST_BUCKET_MB={raw!r}.",
                "a positive number of MiB per gradient bucket.",
                "export LAYERFIT_DIST_BUCKET_MB=4",
            )
        )
    return int(megabytes * 2**20)


class GradientBuckets:
    """The all-reduce of one set of trainable weights, in buckets filled in backward order."""

    def __init__(self, parameters: list[torch.Tensor], capacity: int | None = None):
        self.parameters = list(parameters)
        capacity = bucket_bytes() if capacity is None else capacity
        self.buckets: list[list[int]] = []
        size, dtype = 0, None
        # Backward produces the last layers' gradients first: fill buckets from the end.
        for index in reversed(range(len(self.parameters))):
            p = self.parameters[index]
            nbytes = p.numel() * p.element_size()
            if not self.buckets or size + nbytes > capacity or p.dtype != dtype:
                self.buckets.append([])
                size, dtype = 0, p.dtype
            self.buckets[-1].append(index)
            size += nbytes
        self.bucket_of = {i: b for b, members in enumerate(self.buckets) for i in members}
        self.hooks = [
            p.register_post_accumulate_grad_hook(partial(self._ready, index))
            for index, p in enumerate(self.parameters)
        ]
        self.armed = False

    def matches(self, parameters: list[torch.Tensor]) -> bool:
        return len(parameters) == len(self.parameters) and all(
            a is b for a, b in zip(parameters, self.parameters)
        )

    def remove(self) -> None:
        for hook in self.hooks:
            hook.remove()

    def begin(self, samples: int, stop: bool) -> None:
        """Before backward: this process's sample count, and whether it wants to stop
        training (agreed at no extra cost: both travel at the end of the last bucket)."""
        self.samples = samples
        self.missing = [len(members) for members in self.buckets]
        self.seen: set[int] = set()
        self.pending: list = []
        self.counts = torch.tensor([float(samples), float(stop)], dtype=torch.float64)
        if not self._counts_ride_along():  # a half-precision last bucket: counts apart
            self.counts = distributed.all_reduce_start(self.counts, "the gradient all-reduce")
        self.armed = True

    def _counts_ride_along(self) -> bool:
        """The sample count and stop flag travel at the end of the last bucket (one
        collective less per step), when that bucket holds them exactly (float32: 2**24)."""
        last = self.parameters[self.buckets[-1][0]] if self.buckets else None
        return last is not None and last.dtype in (torch.float32, torch.float64)

    def _ready(self, index: int, parameter: torch.Tensor) -> None:
        if not self.armed or index in self.seen:
            return
        self.seen.add(index)
        bucket = self.bucket_of[index]
        self.missing[bucket] -= 1
        # Start every bucket that is complete, in order: bucket b only after 0..b-1.
        while len(self.pending) < len(self.buckets) and not self.missing[len(self.pending)]:
            self._start(len(self.pending))

    def _start(self, bucket: int) -> None:
        grads = [self._grad(i) for i in self.buckets[bucket]]
        flat = torch.cat([g.reshape(-1) for g in grads]) * self.samples
        if bucket == len(self.buckets) - 1 and self._counts_ride_along():
            flat = torch.cat([flat, self.counts.to(flat.device, flat.dtype)])
        self.pending.append(distributed.all_reduce_start(flat, "the gradient all-reduce"))

    def _grad(self, index: int) -> torch.Tensor:
        p = self.parameters[index]
        return p.grad if p.grad is not None else torch.zeros_like(p)

    def finish(self) -> bool:
        """After backward: waits for the sums and sets each ``.grad`` to the global batch's
        gradient (in place where one exists, so a list of the grads stays valid). Returns
        whether any process asked to stop training."""
        self.armed = False
        while len(self.pending) < len(self.buckets):
            self._start(len(self.pending))
        if self._counts_ride_along():
            total, stop = (float(v) for v in self.pending[-1].wait()[-2:])
        else:
            total, stop = (float(v) for v in self.counts.wait())
        for members, pending in zip(self.buckets, self.pending):
            flat = pending.wait()
            start = 0
            for index in members:
                p = self.parameters[index]
                value = flat[start : start + p.numel()].view_as(p).to(p.device) / max(total, 1.0)
                start += p.numel()
                if p.grad is None:
                    p.grad = value
                else:
                    p.grad.copy_(value)
        return stop > 0
