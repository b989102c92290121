"""keras.ops' Fourier transforms, framing and windows against Keras on JAX."""

import os

import numpy as np
import pytest

from layerfit import ops

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":
    pytest.skip("the Keras oracle runs on the JAX backend", allow_module_level=True)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 40)).astype(np.float32)


@pytest.mark.parametrize(
    "args",
    [(16, 4, 16, "hann", True), (10, 3, 16, "hamming", False)],
    ids=["hann-center", "hamming-padded-fft"],
)
def test_stft_and_istft_equal_keras(args):
    # float32 FFTs of 16 points: 1e-5 absolute.
    length, stride, fft_length, window, center = args
    theirs = keras.ops.stft(X, *args)
    ours = ops.stft(X, *args)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), atol=1e-5)
    for size in (None, 30):
        expected = keras.ops.istft(theirs, length, stride, fft_length, size, window, center)
        got = ops.istft(ours, length, stride, fft_length, size, window, center)
        np.testing.assert_allclose(got.numpy(), np.asarray(expected), atol=1e-5)


def test_ffts_and_windows_equal_keras():
    pair = (X, X[::-1].copy())
    for name in ("fft", "fft2", "ifft2"):
        for a, b in zip(getattr(ops, name)(pair), getattr(keras.ops, name)(pair)):
            np.testing.assert_allclose(a.numpy(), np.asarray(b), atol=1e-4)
    spectrum = ops.rfft(X, 16)
    for a, b in zip(spectrum, keras.ops.rfft(X, 16)):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), atol=1e-5)
    np.testing.assert_allclose(
        ops.irfft(spectrum, 16).numpy(),
        np.asarray(keras.ops.irfft(tuple(t.numpy() for t in spectrum), 16)),
        atol=1e-5,
    )
    np.testing.assert_array_equal(
        ops.extract_sequences(X, 5, 3).numpy(), np.asarray(keras.ops.extract_sequences(X, 5, 3))
    )
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        np.testing.assert_allclose(
            getattr(ops, name)(7).numpy(), np.asarray(getattr(keras.ops, name)(7)), atol=1e-6
        )
    np.testing.assert_allclose(ops.kaiser(7, 3.0).numpy(), keras.ops.kaiser(7, 3.0), atol=1e-6)


def test_signal_mistakes_explain_themselves():
    with pytest.raises(ValueError, match="fft_length >= sequence_length"):
        ops.stft(X, 16, 4, 8)
    with pytest.raises(ValueError, match="'hann', 'hamming'"):
        ops.stft(X, 16, 4, 16, window="kaiser")
    with pytest.raises(ValueError, match=r"\(real, imag\)"):
        ops.fft(X)
