"""The fast paths give the plain path's answers: predict's chunks, predict without a probe."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitValueError
from layerfit.layers import Dense, Input
from layerfit.training._prepare import predict_chunk


def mlp():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [Input(shape=(20,)), Dense(64, activation="relu"), Dense(5, activation="softmax")]
    )


def test_predict_chunks_per_sample_models_and_matches_batch_32_forwards():
    model = mlp()
    x = np.random.default_rng(0).normal(size=(3000, 20)).astype("float32")
    assert predict_chunk(model, x, 32, None) >= 3000  # 3000 rows of 80 bytes: one chunk
    assert predict_chunk(model, x, 32, steps=5) == 32  # steps counts batch_size batches
    got = model.predict(x, verbose=0)
    with torch.inference_mode():
        plain = torch.cat([model(x[i : i + 32]) for i in range(0, 3000, 32)])
    # Only float rounding differs between one matmul of 3000 rows and 94 of 32 rows.
    np.testing.assert_allclose(got, plain.cpu().numpy(), rtol=1e-5, atol=1e-6)
    # The answer no longer depends on batch_size (up to the chunk).
    np.testing.assert_array_equal(got, model.predict(x, batch_size=7, verbose=0))


def test_predict_keeps_batch_size_for_models_it_cannot_see_into():
    class Own(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = Dense(3)

        def call(self, x):
            return self.dense(x) - self.dense(x).mean(0)  # rows depend on the batch

    model = Own()
    x = np.random.default_rng(1).normal(size=(64, 4)).astype("float32")
    model.predict(x[:2], verbose=0)
    assert predict_chunk(model, x, 16, None) == 16
    got = model.predict(x, batch_size=16, verbose=0)
    with torch.inference_mode():
        want = np.concatenate([model(x[i : i + 16]).cpu().numpy() for i in (0, 16, 32, 48)])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_predict_on_a_built_model_still_names_the_failing_layer():
    model = keras.Sequential([Input(shape=(4, 3)), Dense(8), Dense(2)])
    model.build((None, 4, 3))
    model.predict(np.zeros((2, 4, 3), "float32"), verbose=0)
    # Input shape (4, 3) is declared; the second Dense's kernel expects 8 features from the first.
    model.layers[1].kernel.data = torch.zeros(5, 2)
    with pytest.raises(LayerfitValueError, match="Layer 'dense_1'|failed on samples"):
        model.predict(np.zeros((2, 4, 3), "float32"), verbose=0)
