"""Images per second: a folder of JPEGs decoded, resized and batched, layerfit against others.

Writes a folder of ``--images`` random JPEGs (two classes, sizes around 300x400) once, then
times one full pass (after a warm-up pass) of:
- layerfit.utils.image_dataset_from_directory (Pillow decode + torch resize in threads);
- torchvision ImageFolder + DataLoader (``--workers`` processes), when torchvision imports;
- Keras's image_dataset_from_directory on TensorFlow, when tensorflow imports.
Absent contestants are skipped with a line saying so. Prints images/s and ratios to layerfit.

Run alone: python bench/bench_input.py [--images 2000] [--size 180] [--batch 32]
Smoke test: python bench/bench_input.py --images 20 --batch 8
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

import layerfit


def make_folder(root: str, count: int) -> str:
    from PIL import Image

    folder = os.path.join(root, f"jpegs_{count}")
    if os.path.isdir(folder):
        return folder
    rng = np.random.default_rng(0)
    for i in range(count):
        label = ("cats", "dogs")[i % 2]
        os.makedirs(os.path.join(folder, label), exist_ok=True)
        height, width = rng.integers(250, 350), rng.integers(350, 450)
        # Smooth gradients plus noise: compresses like a photo, not like pure noise.
        base = np.linspace(0, 255, width)[None, :, None] * np.ones((height, 1, 3))
        pixels = np.clip(base + rng.normal(0, 20, (height, width, 3)), 0, 255).astype("uint8")
        Image.fromarray(pixels).save(os.path.join(folder, label, f"{i}.jpg"), quality=90)
    return folder


def timed_pass(make_iterable) -> tuple[float, int]:
    """Seconds for one full pass after one warm-up pass, and images seen."""
    for _ in make_iterable():
        pass
    start = time.perf_counter()
    seen = 0
    for x, _ in make_iterable():
        seen += len(x)
    return time.perf_counter() - start, seen


def run_layerfit(folder, size, batch):
    ds = layerfit.utils.image_dataset_from_directory(
        folder, image_size=(size, size), batch_size=batch, seed=0, verbose=False
    )
    return timed_pass(lambda: ds)


def run_torchvision(folder, size, batch, workers):
    try:
        import torch
        from torchvision import datasets, transforms
    except ImportError:
        return None
    transform = transforms.Compose([transforms.Resize((size, size)), transforms.PILToTensor()])
    data = datasets.ImageFolder(folder, transform=transform)
    loader = torch.utils.data.DataLoader(data, batch_size=batch, shuffle=True, num_workers=workers)
    return timed_pass(lambda: loader)


def run_keras_tf(folder, size, batch):
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return None
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    ds = keras.utils.image_dataset_from_directory(
        folder, image_size=(size, size), batch_size=batch, seed=0, verbose=False
    )
    return timed_pass(lambda: ds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--size", type=int, default=180)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1))
    parser.add_argument("--root", default=os.path.join(tempfile.gettempdir(), "layerfit_bench"))
    args = parser.parse_args()
    folder = make_folder(args.root, args.images)
    results = {}
    contestants = {
        "layerfit": lambda: run_layerfit(folder, args.size, args.batch),
        "torchvision ImageFolder+DataLoader": lambda: run_torchvision(
            folder, args.size, args.batch, args.workers
        ),
        "keras on tensorflow": lambda: run_keras_tf(folder, args.size, args.batch),
    }
    for name, run in contestants.items():
        outcome = run()
        if outcome is None:
            print(f"{name:38s} skipped (not installed)")
            continue
        seconds, seen = outcome
        results[name] = seen / seconds
        print(f"{name:38s} {results[name]:9.1f} images/s ({seen} images in {seconds:.2f} s)")
    for name, rate in results.items():
        if name != "layerfit":
            print(f"layerfit / {name}: {results['layerfit'] / rate:.2f}x")


if __name__ == "__main__":
    main()
