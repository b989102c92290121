"""GPU smoke check of the speed work: mixed precision and jit_compile on CUDA, seed MLP times.

python bench/gpu_smoke.py  (needs a CUDA device; prints step times of fp32, mixed and a raw loop)
"""

from __future__ import annotations

import time

import numpy as np
import torch

import layerfit as keras


def seed_mlp(policy: str, jit: bool = False):
    keras.mixed_precision.set_global_policy(policy)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.layers.Input(shape=(784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    optimizer = keras.optimizers.Adam()
    if policy == "mixed_float16":
        optimizer = keras.mixed_precision.LossScaleOptimizer(optimizer)
    model.compile(
        optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit
    )
    keras.mixed_precision.set_global_policy("float32")
    return model


def main() -> None:
    print(torch.__version__, torch.cuda.get_device_name(0), keras.backend.default_device())
    rng = np.random.default_rng(0)
    x = rng.random((48000, 784), dtype=np.float32)
    y = rng.integers(0, 10, 48000)
    for policy, jit in [
        ("float32", False),
        ("mixed_bfloat16", False),
        ("mixed_float16", False),
        ("float32", True),
    ]:
        model = seed_mlp(policy, jit)
        model.fit(x[:3200], y[:3200], verbose=0)  # warm-up (and compile)
        start = time.perf_counter()
        history = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
        torch.cuda.synchronize()
        seconds = time.perf_counter() - start
        print(
            f"{policy:15s} jit={jit}: {seconds:.3f} s/epoch, {seconds / 1500 * 1e3:.3f} ms/step, "
            f"loss {history.history['loss'][0]:.4f}, kernel {model.layers[0].kernel.dtype}"
        )
    # raw loop, fp32
    layers = [torch.nn.Linear(784, 256), torch.nn.Linear(256, 256), torch.nn.Linear(256, 10)]
    net = torch.nn.Sequential(
        layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2]
    ).cuda()
    opt = torch.optim.Adam(net.parameters(), fused=True)
    xt, yt = torch.from_numpy(x).cuda(), torch.from_numpy(y).cuda()
    for timed_run in (False, True):
        start = time.perf_counter()
        order = torch.randperm(48000, device="cuda")
        for i in range(0, 48000 if timed_run else 3200, 32):
            idx = order[i : i + 32]
            loss = torch.nn.functional.cross_entropy(net(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            opt.zero_grad()
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"raw PyTorch fp32: {seconds:.3f} s/epoch, {seconds / 1500 * 1e3:.3f} ms/step")


if __name__ == "__main__":
    main()
