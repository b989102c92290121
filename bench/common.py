"""Shared by the benchmarks: timing and the tensors both contestants train on."""

from __future__ import annotations

import statistics
import time

import torch


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def median(values) -> float:
    return statistics.median(values)


def batches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = True):
    """What a hand-tuned loop does: one permutation, index_select per batch."""
    n = x.shape[0]
    order = torch.randperm(n, device=x.device) if shuffle else torch.arange(n, device=x.device)
    for start in range(0, n, batch_size):
        index = order[start : start + batch_size]
        yield x.index_select(0, index), y.index_select(0, index)


def report(name: str, ours: float, raw: float, target: float) -> str:
    ratio = ours / raw
    verdict = "meets" if ratio <= target else "MISSES"
    return (
        f"{name}: layerfit {ours:.3f}s, raw PyTorch {raw:.3f}s, ratio {ratio:.3f} "
        f"({verdict} the <= {target}x target)"
    )


def matmul_rate(size: int = 1024, repeats: int = 5) -> float:
    """The machine's float32 matmul rate in GFLOP/s (best of ``repeats``): the arithmetic floor
    a model's step time is judged against."""
    a, b = torch.rand(size, size), torch.rand(size, size)
    torch.mm(a, b)  # warm-up: thread pool and caches
    best = min(timed(lambda: torch.mm(a, b)) for _ in range(repeats))
    return 2 * size**3 / best / 1e9
