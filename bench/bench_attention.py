"""MultiHeadAttention against torch.nn.MultiheadAttention (and Keras 3 on torch), forward and
backward, in one process.

layerfit's MultiHeadAttention keeps Keras's EinsumDense weights (query/key/value/output
kernels shaped (dim, heads, head_size)) and runs the heads through
F.scaled_dot_product_attention; torch's module packs the three input projections in one
matrix. Self-attention on (batch 32, 64 steps, 256 features), 8 heads of 32. Target: <= 1.1x
the torch module.

Run alone (two cores): python bench/bench_attention.py [--steps 50] [--rounds 3] [--keras]
(--keras also times Keras 3's MultiHeadAttention on its torch backend, when installed).
"""

from __future__ import annotations

import argparse
import os

import torch
from common import median, report, timed

from layerfit import layers

BATCH, STEPS, DIM, HEADS = 32, 64, 256, 8


def contestants():
    x = torch.randn(BATCH, STEPS, DIM, requires_grad=True)
    ours = layers.MultiHeadAttention(num_heads=HEADS, key_dim=DIM // HEADS)
    ours(x, x)
    theirs = torch.nn.MultiheadAttention(DIM, HEADS, batch_first=True)

    def ours_step():
        ours(x, x).sum().backward()

    def theirs_step():
        theirs(x, x, x, need_weights=False)[0].sum().backward()

    return ours_step, theirs_step


def keras_contestant():
    """Keras 3's layer on its torch backend, or None when Keras cannot run on torch here."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        import keras
    except ImportError:
        return None
    if keras.backend.backend() != "torch":
        return None
    x = torch.randn(BATCH, STEPS, DIM, requires_grad=True)
    layer = keras.layers.MultiHeadAttention(num_heads=HEADS, key_dim=DIM // HEADS)
    layer(x, x)

    def step():
        layer(x, x).sum().backward()

    return step


def run(step, steps: int) -> float:
    for _ in range(5):  # warm-up
        step()
    return timed(lambda: [step() for _ in range(steps)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keras", action="store_true")
    args = parser.parse_args()
    ours_times, theirs_times, keras_times = [], [], []
    for round_ in range(args.rounds):
        ours_step, theirs_step = contestants()
        pair = [(ours_times, ours_step), (theirs_times, theirs_step)]
        for times, step in pair if round_ % 2 == 0 else reversed(pair):  # alternate order
            times.append(run(step, args.steps))
        keras_step = keras_contestant() if args.keras else None
        if keras_step is not None:
            keras_times.append(run(keras_step, args.steps))
    name = f"MultiHeadAttention forward+backward x{args.steps}"
    print(report(name, median(ours_times), median(theirs_times), 1.1))
    if keras_times:
        ratio = median(ours_times) / median(keras_times)
        print(f"{name}: Keras 3 on torch {median(keras_times):.3f}s, layerfit/Keras {ratio:.3f}")


if __name__ == "__main__":
    main()
