"""The keras-io "Simple MNIST convnet": layerfit against hand-tuned PyTorch (and Keras 3 on TF).

Conv2D 32 -> MaxPool -> Conv2D 64 -> MaxPool -> Flatten -> Dropout 0.5 -> Dense 10 softmax,
Adam, batch 128, validation_split 0.1. Prints seconds per steady-state epoch (the median of
the epochs after the first) for each contestant in this process, the ratios, and layerfit's
test accuracy. Keras 3 on TensorFlow runs too when ``tensorflow`` is installed (a
benchmark-only extra). Target: layerfit <= 0.9x Keras-on-TF's epoch; accuracy after 15
epochs on full MNIST >= 0.99.

Run alone (two cores): python bench/bench_cnn.py [--epochs 15] [--samples 60000]
Quick comparison of variants: python bench/bench_cnn.py --samples 6000 --epochs 3
"""

from __future__ import annotations

import argparse
import os
import time

import torch
import torch.nn.functional as F
from common import batches, matmul_rate, median

import layerfit


def load(samples: int):
    (x_train, y_train), (x_test, y_test) = layerfit.datasets.mnist.load_data()
    x_train = (x_train[:samples, :, :, None] / 255.0).astype("float32")
    x_test = (x_test[:, :, :, None] / 255.0).astype("float32")
    return (x_train, y_train[:samples]), (x_test, y_test)


class EpochTimer(layerfit.callbacks.Callback):
    """Records the wall time of each epoch."""

    def __init__(self):
        super().__init__()
        self.times: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self._start)


def steady(times: list[float]) -> float:
    return median(times[1:] if len(times) > 1 else times)


def convnet(keras):
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def run_keras_api(keras, train, test, epochs: int, callback):
    x, y = train
    model = convnet(keras)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    y_hot = keras.utils.to_categorical(y, 10)
    timer = callback()
    model.fit(
        x, y_hot, batch_size=128, epochs=epochs, validation_split=0.1, verbose=0, callbacks=[timer]
    )
    _, accuracy = model.evaluate(test[0], keras.utils.to_categorical(test[1], 10), verbose=0)
    return timer.times, float(accuracy)


class RawConvnet(torch.nn.Module):
    """The same network written directly in PyTorch, in channels_last memory format."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 32, 3)
        self.conv2 = torch.nn.Conv2d(32, 64, 3)
        self.dense = torch.nn.Linear(1600, 10)
        for layer in (self.conv1, self.conv2, self.dense):  # Keras's initialisation
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)

    def forward(self, x):  # x: (N, 1, 28, 28) in channels_last memory
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.dropout(h.flatten(1), 0.5, self.training)
        return self.dense(h)


def run_raw(train, test, epochs: int):
    x, y = train
    device = layerfit.backend.default_device()
    cl = torch.channels_last
    x = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(memory_format=cl).to(device)
    y = torch.from_numpy(y).long().to(device)
    split = int(len(x) * 0.9)
    (xt, yt), (xv, yv) = (x[:split], y[:split]), (x[split:], y[split:])
    model = RawConvnet().to(device=device, memory_format=cl)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), dtype=torch.long, device=device)
        for xb, yb in batches(xt, yt, 128):
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                loss_sum += loss.detach() * len(xb)
                correct += (logits.argmax(-1) == yb).sum()
        model.eval()
        with torch.no_grad():
            val_correct = sum(
                (model(xb).argmax(-1) == yb).sum() for xb, yb in batches(xv, yv, 128, shuffle=False)
            )
        _ = (float(loss_sum), float(correct), float(val_correct))  # read once per epoch
        times.append(time.perf_counter() - start)
    model.eval()
    x_test = torch.from_numpy(test[0]).permute(0, 3, 1, 2).contiguous(memory_format=cl)
    with torch.no_grad():
        predictions = torch.cat(
            [model(xb.to(device)).argmax(-1).cpu() for xb in x_test.split(1000)]
        )
    return times, float((predictions.numpy() == test[1]).mean())


def run_keras_tf(train, test, epochs: int):
    """Keras 3 on TensorFlow in this process, when tensorflow is installed."""
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return None
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    if keras.backend.backend() != "tensorflow":
        return None
    return run_keras_api(keras, train, test, epochs, _KerasTimer)


class _KerasTimer:
    """Built lazily: a real keras.callbacks.Callback subclass recording epoch times."""

    def __new__(cls):
        import keras

        class Timer(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.times = []

            def on_epoch_begin(self, epoch, logs=None):
                self._start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                self.times.append(time.perf_counter() - self._start)

        return Timer()


def _variant_step_times(train, steps: int) -> dict[str, float]:
    """Seconds per training step of the layerfit network under each layout/thread variant."""
    from layerfit.layers import _pooling

    x = torch.from_numpy(train[0][: 128 * 8])
    y = torch.from_numpy(train[1][: 128 * 8]).long()

    def time_steps(prepare=None) -> float:
        layerfit.utils.set_random_seed(0)
        model = convnet(layerfit)
        model.train()
        if prepare:
            prepare(model)
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.Adam(params, lr=1e-3, eps=1e-7, foreach=True)
        times = []
        for step in range(steps + 3):
            xb, yb = x[(step % 8) * 128 :][:128], y[(step % 8) * 128 :][:128]
            start = time.perf_counter()
            probabilities = model(xb, training=True)
            loss = F.nll_loss(torch.log(probabilities.clamp_min(1e-7)), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            times.append(time.perf_counter() - start)
        return median(times[3:])

    def channels_last_weights(model):
        for layer in model.layers:
            if isinstance(layer, layerfit.layers.Conv2D):
                layer.kernel.data = layer.kernel.data.contiguous(memory_format=torch.channels_last)

    def contiguous_nchw(model):  # explicit NCHW copies in and out of every conv
        for layer in model.layers:
            if isinstance(layer, layerfit.layers.Conv2D):

                def call(inputs, layer=layer):
                    y = layer._convolve(inputs.permute(0, 3, 1, 2).contiguous())
                    return F.relu(y).permute(0, 2, 3, 1).contiguous()

                layer.call = call

    def mask_dropout(model):  # Dropout by a uniform draw instead of bernoulli_
        for layer in model.layers:
            if isinstance(layer, layerfit.layers.Dropout):

                def call(inputs, training=None, rate=layer.rate):
                    keep = torch.rand_like(inputs).ge_(rate).mul_(1.0 / (1.0 - rate))
                    return inputs * keep

                layer.call = call

    def model_fusion(model):  # what a Sequential fusing (Conv2D relu, MaxPooling2D) would run
        layers = model.layers
        for conv, pool in zip(layers, layers[1:]):
            if isinstance(conv, layerfit.layers.Conv2D) and isinstance(
                pool, layerfit.layers.MaxPooling2D
            ):
                conv.call = conv.call_linear
                pool.call = lambda inputs, pool=pool: F.relu(pool._pool_layout(inputs))

    results = {}
    results["default (NHWC views, pool before ReLU)"] = time_steps()
    source = _pooling.relu_source
    _pooling.relu_source = lambda inputs: None
    results["ReLU before pooling"] = time_steps()
    _pooling.relu_source = source
    results["Dropout by rand_like mask"] = time_steps(mask_dropout)
    results["model-level conv/pool fusion"] = time_steps(model_fusion)
    results["both of the above"] = time_steps(lambda m: (mask_dropout(m), model_fusion(m)))
    results["channels_last kernels"] = time_steps(channels_last_weights)
    results["contiguous NCHW copies"] = time_steps(contiguous_nchw)
    with torch.backends.mkldnn.flags(enabled=False):
        results["oneDNN (mkldnn) off"] = time_steps()
    threads = torch.get_num_threads()
    for count in sorted({1, threads}):
        torch.set_num_threads(count)
        results[f"{count} thread(s)"] = time_steps()
    torch.set_num_threads(threads)
    return results


def arithmetic_floor(samples: int) -> float:
    """Seconds per epoch the convnet's multiply-adds need at the measured float32 matmul rate."""
    # Multiply-adds per image: conv 3x3x1->32 over 26x26, conv 3x3x32->64 over 11x11,
    # dense 1600->10. A training step costs about 3x the forward (two matmuls backward).
    macs = 26 * 26 * 32 * 9 + 11 * 11 * 64 * 9 * 32 + 1600 * 10
    return 6 * macs * samples / (matmul_rate() * 1e9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=60000, help="training images used")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument("--skip-tf", action="store_true")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="only time one training step under each layout/thread variant",
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    layerfit.utils.set_random_seed(0)
    train, test = load(args.samples)
    print(
        f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"device {layerfit.backend.default_device()}, {len(train[0])} images, "
        f"{args.epochs} epochs"
    )
    if args.variants:
        for name, seconds in _variant_step_times(train, steps=20).items():
            print(f"{name:40s} {seconds * 1e3:7.2f} ms/step")
        return

    ours, accuracy = run_keras_api(layerfit, train, test, args.epochs, EpochTimer)
    floor = arithmetic_floor(len(train[0]))
    print(
        f"layerfit:        {steady(ours):.3f} s/epoch (epochs {[round(t, 2) for t in ours]}), "
        f"test accuracy {accuracy:.4f}"
    )
    if not args.skip_raw:
        raw, raw_accuracy = run_raw(train, test, args.epochs)
        print(
            f"raw PyTorch:     {steady(raw):.3f} s/epoch (epochs "
            f"{[round(t, 2) for t in raw]}), test accuracy {raw_accuracy:.4f}"
        )
        print(f"ratio layerfit / raw PyTorch: {steady(ours) / steady(raw):.3f}")
    print(
        f"arithmetic floor at the machine's matmul rate: {floor:.3f} s/epoch; layerfit is "
        f"{steady(ours) / floor:.2f}x it (target <= 2x)"
    )
    tf = None if args.skip_tf else run_keras_tf(train, test, args.epochs)
    if tf is None:
        print("Keras 3 on TensorFlow: skipped (pip install tensorflow-cpu to compare)")
    else:
        times, tf_accuracy = tf
        ratio = steady(ours) / steady(times)
        verdict = "meets" if ratio <= 0.9 else "MISSES"
        print(f"Keras 3 on TF:   {steady(times):.3f} s/epoch, test accuracy {tf_accuracy:.4f}")
        print(f"ratio layerfit / Keras-on-TF: {ratio:.3f} ({verdict} the <= 0.9x target)")


if __name__ == "__main__":
    main()
