"""CUDA paths: run on a GPU machine, skipped cleanly elsewhere (CI has no GPU)."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.layers import Dense, Input

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]


def _model():
    model = keras.Sequential(
        [Input(shape=(20,)), Dense(32, activation="relu"), Dense(4, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 512)
    x = (rng.normal(size=(512, 20)) + 3.0 * y[:, None]).astype("float32")
    return x, y


def test_fit_uses_the_gpu_and_returns_numpy():
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=20, validation_split=0.2, verbose=0)
    assert all(p.device.type == "cuda" for p in model.parameters())
    assert history.history["accuracy"][-1] > 0.8  # 20 epochs of separable blobs
    out = model.predict(x, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (512, 4)
    assert isinstance(model.evaluate(x, y, verbose=0)[0], float)


def test_gpu_and_cpu_start_from_the_same_weights_and_agree():
    x, y = _data()
    keras.utils.set_random_seed(3)
    model = _model()
    cpu_before = model.predict(x[:8], verbose=0)  # moves to the default device (cuda)
    weights = model.get_weights()
    reference = keras.Sequential(
        [Input(shape=(20,)), Dense(32, activation="relu"), Dense(4, activation="softmax")]
    )
    reference.set_weights(weights)
    with torch.no_grad():
        on_cpu = reference(torch.from_numpy(x[:8])).numpy()
    np.testing.assert_allclose(cpu_before, on_cpu, atol=1e-5)
