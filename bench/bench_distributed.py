"""Data-parallel scaling: N processes x 1 thread against 1 process x 1 thread, same global batch.

The seed MLP (784-256-256-10, SGD) trains on synthetic MNIST-shaped data; each run times
its epochs after a first warm-up epoch. The figure is the throughput ratio (samples per
second of N processes over one process): 2.0 would be perfect scaling on 2 free cores; the
gradient all-reduce and the per-epoch metric sum are what keep it below. On a GPU machine
(one process per GPU, NCCL) the same script measures GPU scaling.

Run alone: python bench/bench_distributed.py [--nproc 2] [--samples 16384] [--batch 256]
[--epochs 4]

The cost of the reduction itself, on one GPU: ``--device cuda`` times a training step of
the same model twice in one process, once without a process group and once as a world of
one NCCL process with the reduction path forced on (gradient buckets started during
backward, counts, the per-epoch metric sums): what a data-parallel step adds on top of
the compute, before any network. ``--overhead`` runs that mode on the CPU with gloo (a
smoke test). ``--width`` sets the hidden width (256: the seed MLP; larger: more gradient).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def worker(out: Path, samples: int, batch: int, epochs: int) -> None:
    import numpy as np
    import torch

    import layerfit as keras

    torch.set_num_threads(1)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((samples, 784), dtype=np.float32)
    y = rng.integers(0, 10, samples)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    starts: list[float] = []
    clock = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: starts.append(time.perf_counter()),
        on_train_end=lambda logs: starts.append(time.perf_counter()),
    )
    model.fit(x, y, batch_size=batch, epochs=epochs, shuffle=True, callbacks=[clock], verbose=0)
    seconds = starts[-1] - starts[1]  # after the warm-up epoch
    if keras.backend.distributed.world().is_chief:
        rate = samples * (epochs - 1) / seconds
        out.write_text(json.dumps({"samples_per_second": rate}))


def step_time(samples: int, batch: int, epochs: int, width: int, device: str) -> float:
    """Seconds per training step of the MLP after a warm-up epoch (synchronised on GPU)."""
    import numpy as np
    import torch

    import layerfit as keras

    def now():
        if device == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter()

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((samples, 784), dtype=np.float32)
    y = rng.integers(0, 10, samples)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    marks: list[float] = []
    clock = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: marks.append(now()),
        on_train_end=lambda logs: marks.append(now()),
    )
    model.fit(x, y, batch_size=batch, epochs=epochs, callbacks=[clock], verbose=0)
    steps = -(-samples // batch) * (epochs - 1)
    return (marks[-1] - marks[1]) / steps


def overhead(args) -> None:
    """One process, one device: the step without a process group, then with the reduction
    path on (a world of one: NCCL on CUDA, gloo on CPU)."""
    import torch
    import torch.distributed as dist

    from layerfit.backend import _distributed

    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA device here")
    torch.set_num_threads(1)
    shape = (args.samples, args.batch, args.epochs, args.width, args.device)
    without = step_time(*shape)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(_free_port()))
    dist.init_process_group("nccl" if args.device == "cuda" else "gloo", rank=0, world_size=1)

    class WorldOfOne(_distributed.World):
        active = property(lambda self: True)  # a world of one that still reduces

    _distributed._world = WorldOfOne(0, 1, 0)
    try:
        with_reduce = step_time(*shape)
    finally:
        _distributed._world = _distributed.World()
        dist.destroy_process_group()
    print(
        f"{args.device}, MLP 784-{args.width}-{args.width}-10, batch {args.batch}: "
        f"{without * 1e3:.3f} ms/step without a process group, {with_reduce * 1e3:.3f} ms/step "
        f"with the all-reduce (world of 1), ratio {with_reduce / without:.2f}"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(nproc: int, args, folder: Path) -> float:
    out = folder / f"nproc{nproc}.json"
    script = [__file__, "--worker", str(out), str(args.samples), str(args.batch), str(args.epochs)]
    env = {**os.environ, "PYTHONPATH": str(SRC), "OMP_NUM_THREADS": "1"}
    if nproc == 1:
        command = [sys.executable, *script]
    else:
        command = [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={nproc}"]
        command += ["--master_addr=127.0.0.1", f"--master_port={_free_port()}", *script]
    subprocess.run(command, env=env, check=True)
    return json.loads(out.read_text())["samples_per_second"]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        out, samples, batch, epochs = sys.argv[2:6]
        worker(Path(out), int(samples), int(batch), int(epochs))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nproc", type=int, default=2)
    parser.add_argument("--samples", type=int, default=16384)
    parser.add_argument("--batch", type=int, default=256, help="the global batch")
    parser.add_argument("--epochs", type=int, default=4, help="the first is a warm-up")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--overhead", action="store_true", help="the one-device mode on CPU")
    parser.add_argument("--width", type=int, default=256, help="hidden width (overhead mode)")
    args = parser.parse_args()
    if args.device == "cuda" or args.overhead:
        overhead(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        one = run(1, args, Path(folder))
        many = run(args.nproc, args, Path(folder))
    print(
        f"data parallel, global batch {args.batch}: 1 process {one:,.0f} samples/s, "
        f"{args.nproc} processes {many:,.0f} samples/s, ratio {many / one:.2f} "
        f"(perfect: {args.nproc}.00)"
    )


if __name__ == "__main__":
    main()
