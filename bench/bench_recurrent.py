"""Recurrent layers against torch's own modules, forward and backward, in one process.

layerfit's LSTM/GRU keep Keras's weight layout and hand transposed views to the kernel
torch.nn.LSTM/GRU use; this measures what that costs. Sequence-MNIST shapes: batch 64,
28 steps of 28 features, 64 units. Target: <= 1.1x the torch module.

Run alone (two cores): python bench/bench_recurrent.py [--steps 200] [--rounds 3]
"""

from __future__ import annotations

import argparse

import torch
from common import median, report, timed

from layerfit import layers

SHAPE = (64, 28, 28)
UNITS = 64


def contestants(kind: str):
    x = torch.randn(*SHAPE)
    ours = {"lstm": layers.LSTM, "gru": layers.GRU}[kind](UNITS)
    ours(x)
    theirs = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](SHAPE[2], UNITS, batch_first=True)

    def ours_step():
        ours(x).sum().backward()

    def theirs_step():
        theirs(x)[0][:, -1].sum().backward()

    return ours_step, theirs_step


def run(step, steps: int) -> float:
    for _ in range(20):  # warm-up
        step()
    return timed(lambda: [step() for _ in range(steps)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for kind in ("lstm", "gru"):
        ours_times, theirs_times = [], []
        for round_ in range(args.rounds):
            ours_step, theirs_step = contestants(kind)
            pair = [(ours_times, ours_step), (theirs_times, theirs_step)]
            for times, step in pair if round_ % 2 == 0 else reversed(pair):  # alternate order
                times.append(run(step, args.steps))
        print(
            report(
                f"{kind} forward+backward x{args.steps}",
                median(ours_times),
                median(theirs_times),
                1.1,
            )
        )


if __name__ == "__main__":
    main()
