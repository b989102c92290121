"""The cost of the symbolic-tensor check every public op makes (``layerfit.ops._symbolic``):
``ops.add(a, b)`` and ``ops.concatenate([a, b], axis=0)`` on small tensors against the same op
unwrapped (``op._layerfit_op``), as nanoseconds per call and a ratio. Goal: a few hundred ns.

Run alone (two cores): python bench/bench_symbolic_check.py [--calls 200000] [--rounds 15]
Smoke test: --calls 1000 --rounds 1.
"""

from __future__ import annotations

import argparse
import timeit

import torch

import layerfit.layers  # noqa: F401 (registers KerasTensor, as any model does)
from layerfit import ops


def per_call_ns(function, calls: int, rounds: int) -> float:
    return min(timeit.repeat(function, number=calls, repeat=rounds)) / calls * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    a, b = torch.ones(4), torch.ones(4)
    cases = {
        "ops.add(a, b)": (lambda: ops.add(a, b), lambda: ops.add._layerfit_op(a, b)),
        "ops.concatenate([a, b], axis=0)": (
            lambda: ops.concatenate([a, b], axis=0),
            lambda: ops.concatenate._layerfit_op([a, b], axis=0),
        ),
    }
    for name, (wrapped, raw) in cases.items():
        ours = per_call_ns(wrapped, options.calls, options.rounds)
        bare = per_call_ns(raw, options.calls, options.rounds)
        print(
            f"{name}: {ours:.0f} ns, unwrapped {bare:.0f} ns, check {ours - bare:.0f} ns "
            f"(ratio {ours / bare:.3f})"
        )


if __name__ == "__main__":
    main()
