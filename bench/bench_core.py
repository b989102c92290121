"""Core benchmarks: layerfit against a hand-tuned raw PyTorch loop, in one process.

(a) the seed MNIST MLP (784-256-256-10, batch 32, validation_split 0.2): steady-state epoch,
    target <= 1.05x; (b) the tiny tabular model (30-32-32-1 on breast_cancer, batch 32,
    50 epochs): whole fit, target <= 1.1x (issue 20); (c) the import cost of layerfit over torch, <= 0.3 s;
(d) predict on 10k MNIST images against one raw forward of them all, target <= 1.2x, and
    predict(x[:1]) against a raw one-sample forward, target < 1 ms of overhead;
(e) the machine's float32 matmul rate, the floor the MLP's arithmetic is judged against.

Run alone (two cores): python bench/bench_core.py [--epochs 3] [--rounds 3]
Smoke test: python bench/bench_core.py --quick (or --only predict --samples 500)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F
from common import batches, matmul_rate, median, report, timed

import layerfit as keras


def keras_like_mlp(sizes, activations):
    """The raw contestant: nn.Linear layers initialised as Keras does (glorot, zero bias)."""
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        linear = torch.nn.Linear(fan_in, fan_out)
        torch.nn.init.xavier_uniform_(linear.weight)
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear.to(keras.backend.default_device()))
    return layers, activations


def raw_epoch(layers, hidden_act, optimizer, x, y, batch_size, loss_kind, x_val=None, y_val=None):
    """One hand-written epoch: loss and accuracy accumulate on the device, read once."""
    loss_sum = torch.zeros((), device=x.device)
    correct = torch.zeros((), dtype=torch.long, device=x.device)
    for xb, yb in batches(x, y, batch_size):
        h = xb
        for layer in layers[:-1]:
            h = hidden_act(layer(h))
        logits = layers[-1](h)
        if loss_kind == "categorical":
            loss = -(yb * F.log_softmax(logits, dim=-1)).sum(-1).mean()
        else:
            loss = F.binary_cross_entropy_with_logits(logits, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            loss_sum += loss.detach() * xb.shape[0]
            if loss_kind == "categorical":
                correct += (logits.argmax(-1) == yb.argmax(-1)).sum()
            else:
                correct += ((logits > 0).float() == yb).sum()
    logs = [float(loss_sum) / len(x), float(correct) / len(x)]
    if x_val is not None:
        with torch.no_grad():
            h = x_val
            for layer in layers[:-1]:
                h = hidden_act(layer(h))
            logits = layers[-1](h)
            logs.append(float(-(y_val * F.log_softmax(logits, -1)).sum(-1).mean()))
    return logs


def mnist_mlp(epochs: int, rounds: int, limit: int | None = None) -> str:
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train, y_train = x_train[:limit], y_train[:limit]
    x = (x_train.reshape(-1, 784) / 255.0).astype("float32")
    y = keras.utils.to_categorical(y_train, 10)
    split = int(len(x) * 0.8)
    device = keras.backend.default_device()
    xt, yt = torch.from_numpy(x[:split]).to(device), torch.from_numpy(y[:split]).to(device)
    xv, yv = torch.from_numpy(x[split:]).to(device), torch.from_numpy(y[split:]).to(device)

    def make_ours():
        model = keras.Sequential(
            [
                keras.layers.Input(shape=(784,)),
                keras.layers.Dense(256, activation="relu"),
                keras.layers.Dense(256, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        return lambda: model.fit(x, y, batch_size=32, epochs=1, validation_split=0.2, verbose=0)

    def make_raw():
        layers, _ = keras_like_mlp([784, 256, 256, 10], None)
        params = [p for layer in layers for p in layer.parameters()]
        optimizer = torch.optim.Adam(params, lr=1e-3, eps=1e-7, fused=True)
        return lambda: raw_epoch(layers, torch.relu, optimizer, xt, yt, 32, "categorical", xv, yv)

    times = {"ours": [], "raw": []}
    makers = {"ours": make_ours, "raw": make_raw}
    for round_index in range(rounds * 2):
        # Whichever model is allocated first runs a few percent faster (memory placement), so
        # each round builds fresh contestants, alternating who is built and timed first.
        order = list(makers) if round_index % 2 == 0 else list(reversed(makers))
        contestants = {name: makers[name]() for name in order}
        for name in order:
            contestants[name]()  # warm-up: first-call set-up is not steady state
        for _ in range(epochs):
            for name in order:
                times[name].append(timed(contestants[name]))
    return report(
        "(a) MNIST MLP steady-state epoch", median(times["ours"]), median(times["raw"]), 1.05
    )


def keras_mlp(epochs: int) -> str:
    """The same MLP epoch in Keras 3 (its KERAS_BACKEND), when keras is installed."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    try:
        import keras as real_keras
    except ImportError:
        return "(a') Keras 3: skipped (pip install keras tensorflow-cpu to compare)"
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x = (x_train.reshape(-1, 784) / 255.0).astype("float32")
    y = keras.utils.to_categorical(y_train, 10)
    model = real_keras.Sequential(
        [
            real_keras.Input(shape=(784,)),
            real_keras.layers.Dense(256, activation="relu"),
            real_keras.layers.Dense(256, activation="relu"),
            real_keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

    def theirs():
        model.fit(x, y, batch_size=32, epochs=1, validation_split=0.2, verbose=0)

    theirs()
    seconds = median([timed(theirs) for _ in range(epochs)])
    return (
        f"(a') Keras {real_keras.__version__} on {real_keras.backend.backend()}: "
        f"{seconds:.3f}s per epoch of the same MLP"
    )


def tabular(rounds: int) -> str:
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    x = ((data.data - data.data.mean(0)) / data.data.std(0)).astype("float32")
    y = data.target.astype("float32").reshape(-1, 1)

    def ours():
        model = keras.Sequential(
            [
                keras.layers.Input(shape=(30,)),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=50, verbose=0)

    def raw():
        layers, _ = keras_like_mlp([30, 32, 32, 1], None)
        params = [p for layer in layers for p in layer.parameters()]
        optimizer = torch.optim.Adam(params, lr=1e-3, eps=1e-7, fused=True)
        device = keras.backend.default_device()
        xt, yt = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)
        for _ in range(50):
            raw_epoch(layers, torch.relu, optimizer, xt, yt, 32, "binary")

    ours(), raw()
    ours_times = [timed(ours) for _ in range(rounds)]
    raw_times = [timed(raw) for _ in range(rounds)]
    return report("(b) tabular 50-epoch fit", median(ours_times), median(raw_times), 1.1)


def predict(rounds: int, samples: int) -> str:
    (_, _), (x_test, _) = keras.datasets.mnist.load_data()
    x = (x_test[:samples].reshape(-1, 784) / 255.0).astype("float32")
    model = keras.Sequential(
        [
            keras.layers.Input(shape=(784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    weights = [torch.from_numpy(w) for w in model.get_weights()]

    def raw(rows):  # what a hand-written inference does: one forward, read back to numpy
        with torch.inference_mode():
            h = torch.from_numpy(x[:rows])
            for index in range(0, len(weights) - 2, 2):
                h = torch.relu(torch.addmm(weights[index + 1], h, weights[index]))
            return torch.softmax(torch.addmm(weights[-1], h, weights[-2]), -1).numpy()

    def ours(rows):
        return model.predict(x[:rows], verbose=0)

    np.testing.assert_allclose(ours(len(x)), raw(len(x)), rtol=1e-4, atol=1e-6)
    times = {"ours": [], "raw": [], "ours1": [], "raw1": []}
    for _ in range(rounds * 5):  # interleaved, so both see the same machine load
        times["raw"].append(timed(lambda: raw(len(x))))
        times["ours"].append(timed(lambda: ours(len(x))))
        for _ in range(20):
            times["raw1"].append(timed(lambda: raw(1)))
            times["ours1"].append(timed(lambda: ours(1)))
    overhead = (median(times["ours1"]) - median(times["raw1"])) * 1e3
    verdict = "meets" if overhead < 1.0 else "MISSES"
    return (
        report(f"(d) predict {len(x)} images", median(times["ours"]), median(times["raw"]), 1.2)
        + f"\n(d') predict(x[:1]): {median(times['ours1']) * 1e3:.3f} ms, raw forward "
        f"{median(times['raw1']) * 1e3:.3f} ms, overhead {overhead:.3f} ms ({verdict} the "
        "< 1 ms target)"
    )


def arithmetic_floor() -> str:
    rate = matmul_rate()
    # The seed MLP: 3 matmuls forward, about twice that backward, per sample.
    flops = 6 * (784 * 256 + 256 * 256 + 256 * 10) * 48000
    return (
        f"(e) float32 matmul rate {rate:.0f} GFLOP/s: the seed MLP's arithmetic floor is "
        f"{flops / rate / 1e9:.3f}s per epoch (48k samples)"
    )


def import_cost(rounds: int) -> str:
    # Bytecode caching on, as on a user's machine (some sandboxes set PYTHONDONTWRITEBYTECODE,
    # which makes every run compile every module); the first, caching run is not counted.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(code):
        command = [
            sys.executable,
            "-c",
            f"import time; t=time.perf_counter(); {code}; print(time.perf_counter()-t)",
        ]
        subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        return median(
            [
                float(
                    subprocess.run(
                        command, capture_output=True, text=True, check=True, env=env
                    ).stdout
                )
                for _ in range(rounds)
            ]
        )

    torch_only = run("import torch")
    with_layerfit = run(
        "import torch, layerfit; layerfit.Sequential; layerfit.layers.Dense; "
        "layerfit.callbacks.EarlyStopping"
    )
    extra = with_layerfit - torch_only
    verdict = "meets" if extra <= 0.3 else "MISSES"
    return (
        f"(c) import: torch {torch_only:.3f}s, torch + layerfit {with_layerfit:.3f}s, "
        f"extra {extra:.3f}s ({verdict} the <= 0.3 s target)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per round (MLP)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    parser.add_argument(
        "--keras",
        action="store_true",
        help="also time the MLP in Keras 3 (needs keras and a backend installed)",
    )
    parser.add_argument("--only", choices=["predict"], help="run only this benchmark")
    parser.add_argument("--samples", type=int, default=10000, help="images predicted in (d)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1 epoch, 1 round, 6,000 MNIST images, 1,000 predicted",
    )
    args = parser.parse_args()
    limit = None
    if args.quick:
        args.epochs, args.rounds, args.samples, limit = 1, 1, 1000, 6000
    if args.threads:
        torch.set_num_threads(args.threads)
    keras.utils.set_random_seed(0)
    np.random.seed(0)
    print(
        f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"device {keras.backend.default_device()}"
    )
    if args.only == "predict":
        print(predict(args.rounds, args.samples))
        return
    print(mnist_mlp(args.epochs, args.rounds, limit))
    if args.keras:
        print(keras_mlp(args.epochs))
    print(tabular(args.rounds))
    print(predict(args.rounds, args.samples))
    print(arithmetic_floor())
    print(import_cost(5))


if __name__ == "__main__":
    main()
