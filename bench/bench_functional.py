"""Functional vs Sequential: the seed MNIST MLP built both ways, timed in one process.

The functional graph is resolved once at construction into a flat list of steps, so a
training epoch should cost the same as Sequential's (target: ratio <= 1.03).

Run alone (two cores): python bench/bench_functional.py [--samples 12000] [--epochs 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from common import median, timed

import layerfit as keras
from layerfit import layers


def mnist_subset(samples: int):
    try:
        (x, y), _ = keras.datasets.mnist.load_data()
        x = (x[:samples].reshape(-1, 784) / 255.0).astype("float32")
        y = keras.utils.to_categorical(y[:samples], 10)
        return x, y, "MNIST"
    except Exception:  # datasets not available here: random data of the same shape
        rng = np.random.default_rng(0)
        x = rng.random((samples, 784), dtype=np.float32)
        y = keras.utils.to_categorical(rng.integers(0, 10, samples), 10)
        return x, y, "random (MNIST not found)"


def sequential_mlp():
    return keras.Sequential(
        [
            layers.Input(shape=(784,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(256, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def functional_mlp():
    inputs = layers.Input(shape=(784,))
    x = layers.Dense(256, activation="relu")(inputs)
    x = layers.Dense(256, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    keras.utils.set_random_seed(0)
    x, y, source = mnist_subset(args.samples)
    wall = {"sequential": [], "functional": []}
    cpu = {"sequential": [], "functional": []}
    builders = {"sequential": sequential_mlp, "functional": functional_mlp}
    for round_index in range(args.rounds * 2):
        # Whichever model is allocated first runs a few percent faster (memory placement), so
        # each round builds fresh models, alternating who is built and timed first.
        order = list(builders) if round_index % 2 == 0 else list(reversed(builders))
        models = {name: builders[name]() for name in order}
        for model in models.values():
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            model.fit(x[:256], y[:256], batch_size=32, epochs=1, verbose=0)  # warm-up
        for _ in range(args.epochs):
            for name in order:
                start = time.process_time()
                wall[name].append(
                    timed(
                        lambda m=models[name]: m.fit(
                            x, y, batch_size=32, epochs=1, validation_split=0.2, verbose=0
                        )
                    )
                )
                cpu[name].append(time.process_time() - start)
            order.reverse()
    print(
        f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"device {keras.backend.default_device()}, data {source}, {len(x)} samples"
    )
    # CPU time is steadier than wall time on a machine shared with other work.
    for label, times in (("wall", wall), ("process CPU", cpu)):
        seq, fun = median(times["sequential"]), median(times["functional"])
        ratio = fun / seq
        verdict = "meets" if ratio <= 1.03 else "MISSES"
        print(
            f"MLP epoch ({label} time): Sequential {seq:.3f}s, Functional {fun:.3f}s, "
            f"ratio {ratio:.3f} ({verdict} the <= 1.03 target)"
        )


if __name__ == "__main__":
    main()
