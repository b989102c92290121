"""Inference images/s at batch 32 of layerfit.applications against torchvision's equivalents
and Keras 3 (each when installed), in one run, as ratios.

MobileNetV2 (and ResNet50 once layerfit.applications has it), weights=None, channels last,
torch.no_grad / predict_on_batch. Goal: no slower than torchvision.

Run alone (two cores): python bench/bench_applications.py [--size 224] [--steps 5]
[--rounds 3] [--keras]   (--keras also times keras.applications on Keras's backend,
KERAS_BACKEND, default jax). Smoke test: --size 32 --steps 1 --rounds 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import os

import numpy as np
import torch
from common import median, timed

import layerfit

BATCH = 32
MODELS = {"MobileNetV2": "mobilenet_v2", "ResNet50": "resnet50"}


def ours(name, size):
    build = getattr(layerfit.applications, name, None)
    if build is None:
        return None
    model = build(weights=None, input_shape=(size, size, 3))
    x = torch.rand(BATCH, size, size, 3)

    def step():
        with torch.no_grad():
            model(x, training=False)

    return step


def torchvision_step(name, size):
    if importlib.util.find_spec("torchvision") is None:
        return None
    import torchvision

    model = getattr(torchvision.models, MODELS[name])(weights=None).eval()
    x = torch.rand(BATCH, 3, size, size)

    def step():
        with torch.no_grad():
            model(x)

    return step


def keras_step(name, size):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    if importlib.util.find_spec("keras") is None:
        return None
    import keras

    model = getattr(keras.applications, name)(weights=None, input_shape=(size, size, 3))
    x = np.random.rand(BATCH, size, size, 3).astype("float32")
    return lambda: model.predict_on_batch(x)


def images_per_second(step, steps):
    step()  # warm-up (and compilation for Keras)
    return BATCH * steps / timed(lambda: [step() for _ in range(steps)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keras", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    for name in MODELS:
        contestants = {
            "layerfit": ours(name, args.size),
            "torchvision": torchvision_step(name, args.size),
            "keras": keras_step(name, args.size) if args.keras else None,
        }
        if contestants["layerfit"] is None:
            print(f"{name}: not in layerfit.applications yet; skipped")
            continue
        rates = {key: [] for key, step in contestants.items() if step is not None}
        for _ in range(args.rounds):
            for key in rates:
                rates[key].append(images_per_second(contestants[key], args.steps))
        line = ", ".join(f"{key} {median(values):.1f} img/s" for key, values in rates.items())
        ratios = ", ".join(
            f"layerfit/{key} {median(rates['layerfit']) / median(values):.2f}"
            for key, values in rates.items()
            if key != "layerfit"
        )
        print(f"{name} inference, batch {BATCH}, {args.size}x{args.size}: {line}. {ratios}")


if __name__ == "__main__":
    main()
