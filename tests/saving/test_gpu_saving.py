"""Saving on a GPU: device-free files, optimizer state and CUDA random state restored."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.callbacks import BackupAndRestore, Callback

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]


def data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 96)
    return (rng.normal(size=(96, 8)) + y[:, None]).astype("float32"), y


def model():
    m = keras.Sequential(
        [
            layers.Input(shape=(8,)),
            layers.Dense(32, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(3, activation="softmax"),
        ]
    )
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return m


def test_gpu_model_continues_training_bitwise_after_load(tmp_path):
    x, y = data()
    original = model()
    original.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert next(original.parameters()).device.type == "cuda"
    original.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    keras.utils.set_random_seed(5)
    original.fit(x, y, epochs=2, batch_size=16, verbose=0)
    keras.utils.set_random_seed(5)
    restored.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert next(restored.parameters()).device.type == "cuda"
    assert all(s.device.type == "cuda" for s in restored.optimizer.variables)
    assert all(np.array_equal(a, b) for a, b in zip(original.get_weights(), restored.get_weights()))


class Interrupt(Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 2:
            raise KeyboardInterrupt


def test_backup_restores_the_cuda_generator(tmp_path):
    x, y = data()

    def run(folder, interrupt=False):
        keras.utils.set_random_seed(1)
        m = model()
        callbacks = [BackupAndRestore(folder)] + ([Interrupt()] if interrupt else [])
        m.fit(x, y, epochs=4, batch_size=16, verbose=0, callbacks=callbacks)
        return m

    reference = run(tmp_path / "a")
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path / "b", interrupt=True)
    resumed = run(tmp_path / "b")
    assert all(np.array_equal(a, b) for a, b in zip(reference.get_weights(), resumed.get_weights()))
