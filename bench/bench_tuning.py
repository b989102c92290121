"""Tuning benchmark: an 8-configuration grid, serial against n_jobs=2, in one process.

The tiny tabular model (30-32-32-1 on breast_cancer, standardised, validation_split 0.2)
over learning_rate x batch_size; target: n_jobs=2 takes <= 0.6x the serial time. The
parallel time includes starting the worker process (a fork on CPU-only Linux,
a spawn with its torch import elsewhere).

Run alone (two cores): python bench/bench_tuning.py [--epochs 50] [--rounds 1]
"""

from __future__ import annotations

import argparse

from common import median, timed

import layerfit as keras

GRID = {"learning_rate": [1e-3, 3e-3, 1e-2, 3e-2], "batch_size": [32, 64]}


def build_model(learning_rate=1e-3):
    model = keras.Sequential(
        [
            keras.layers.Input(shape=(30,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def breast_cancer():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    x = ((data.data - data.data.mean(0)) / data.data.std(0)).astype("float32")
    return x, data.target.astype("float32").reshape(-1, 1)


def search(x, y, n_jobs: int, epochs: int):
    grid = keras.tuning.GridSearch(
        build_model, GRID, objective="val_accuracy", n_jobs=n_jobs, seed=0, verbose=0
    )
    return grid.fit(x, y, epochs=epochs, validation_split=0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    x, y = breast_cancer()
    build_model().fit(x, y, epochs=1, verbose=0)  # warm-up: first-call set-up is not the search
    serial, parallel = [], []
    for _ in range(args.rounds):
        serial.append(timed(lambda: search(x, y, 1, args.epochs)))
        parallel.append(timed(lambda: search(x, y, 2, args.epochs)))
    ratio = median(parallel) / median(serial)
    verdict = "meets" if ratio <= 0.6 else "MISSES"
    print(
        f"8-configuration grid, {args.epochs} epochs: serial {median(serial):.2f}s, "
        f"n_jobs=2 {median(parallel):.2f}s, ratio {ratio:.3f} ({verdict} the <= 0.6x target)"
    )


if __name__ == "__main__":
    main()
