"""MelSpectrogram and STFTSpectrogram against Keras 3.15 (JAX): same audio, same numbers.

Tolerances: the spectrogram paths are float32 FFTs (ours: torch.fft / conv1d; Keras: jax's
stft / conv), so values agree to float32 rounding of sums over a frame: 1e-4 relative to
the largest value of the output (decibels, logs and magnitudes alike).
"""

import numpy as np
import pytest
import torch

from layerfit import initializers, layers, regularizers
from tests.layers._keras_oracle import assert_matches_keras, jnp, keras, keras_weights

RNG = np.random.default_rng(0)
AUDIO = RNG.standard_normal((2, 4000)).astype("float32")
SIGNALS = RNG.standard_normal((2, 600, 2)).astype("float32")


def _close(got, expected, rel=1e-4):
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=rel * np.abs(expected).max())


MEL_CASES = [
    {},
    {"fft_length": 512, "sequence_stride": 128, "sampling_rate": 8000, "num_mel_bins": 40},
    {
        "fft_length": 256,
        "sequence_length": 200,
        "window": "hamming",
        "power_to_db": False,
        "mag_exp": 1.0,
        "sequence_stride": 100,
    },
    {"fft_length": 128, "window": None, "top_db": 20.0, "ref_power": 10.0, "min_freq": 0.0},
]


@pytest.mark.parametrize("kwargs", MEL_CASES)
@pytest.mark.parametrize("batched", [True, False])
def test_mel_spectrogram_matches_keras(kwargs, batched):
    audio = AUDIO if batched else AUDIO[0]
    expected = np.asarray(keras.layers.MelSpectrogram(**kwargs)(audio))
    layer = layers.MelSpectrogram(**kwargs)
    got = layer(torch.from_numpy(audio)).numpy()
    _close(got, expected)
    assert layer.compute_output_shape(audio.shape) == expected.shape


def test_mel_spectrogram_config_matches_keras():
    kwargs = {"fft_length": 512, "num_mel_bins": 40, "max_freq": 6000.0}
    theirs = keras.layers.MelSpectrogram(**kwargs).get_config()
    ours = layers.MelSpectrogram(**kwargs).get_config()
    for key in ("name", "dtype", "trainable"):
        theirs.pop(key), ours.pop(key)
    assert ours == theirs


STFT_CASES = [
    {"frame_length": 64},
    {
        "frame_length": 100,
        "frame_step": 30,
        "padding": "same",
        "expand_dims": True,
        "window": "hamming",
        "periodic": True,
        "scaling": "spectrum",
    },
    {"frame_length": 64, "data_format": "channels_first", "window": None, "scaling": None},
    {"frame_length": 48, "fft_length": 64, "window": "blackman", "expand_dims": True},
    {"frame_length": 32, "window": "bartlett", "data_format": "channels_first", "padding": "same"},
]


@pytest.mark.parametrize("mode", ["log", "magnitude", "psd", "real", "imag", "stft"])
@pytest.mark.parametrize("case", range(len(STFT_CASES)))
def test_stft_spectrogram_values_and_gradients_match_keras(mode, case):
    kwargs = STFT_CASES[case]
    signals = SIGNALS
    if kwargs.get("data_format") == "channels_first":
        signals = np.ascontiguousarray(SIGNALS.transpose(0, 2, 1))
    ours = layers.STFTSpectrogram(mode=mode, **kwargs)
    theirs = keras.layers.STFTSpectrogram(mode=mode, **kwargs)
    scale = np.abs(np.asarray(theirs(signals))).max()
    # Absolute 1e-4 of the output's scale; gradients of sum(out * probe) sum over frames.
    assert_matches_keras(ours, theirs, [signals], atol=2e-4 * max(scale, 1.0))
    # Our own kernels (no copy) are Keras's initial kernels.
    fresh = layers.STFTSpectrogram(mode=mode, **kwargs)
    fresh(torch.from_numpy(signals))
    # Keras computes the angles in float32, we in float64: 1e-5 apart at most.
    for a, b in zip(fresh.get_weights(), keras_weights(theirs)):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert ours.compute_output_shape(signals.shape) == np.asarray(theirs(signals)).shape


def test_stft_spectrogram_angle_matches_keras():
    kwargs = {"frame_length": 64, "frame_step": 16}
    expected = np.asarray(keras.layers.STFTSpectrogram(mode="angle", **kwargs)(SIGNALS))
    got = layers.STFTSpectrogram(mode="angle", **kwargs)(torch.from_numpy(SIGNALS))
    # Angles: compared on the circle (pi and -pi are the same), float32: 1e-3 rad.
    difference = np.angle(np.exp(1j * (got.detach().numpy() - expected)))
    assert np.abs(difference).max() < 1e-3


def test_stft_spectrogram_config_and_weight_names_match_keras():
    kwargs = {"mode": "psd", "frame_length": 100, "frame_step": 25, "window": "hamming"}
    theirs = keras.layers.STFTSpectrogram(**kwargs)
    theirs(SIGNALS)
    ours = layers.STFTSpectrogram(**kwargs)
    ours(torch.from_numpy(SIGNALS))
    expected, got = theirs.get_config(), ours.get_config()
    for key in ("name", "dtype", "trainable"):
        expected.pop(key), got.pop(key)
    assert got == expected
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]


@pytest.mark.parametrize(
    "args",
    [
        ("real", "hann", "density", False),
        ("imag", "hamming", "spectrum", True),
        ("real", None, None, False),
        ("imag", "blackman", "density", True),
        ("real", "bartlett", "spectrum", False),
        ("imag", "boxcar", "density", False),
    ],
)
def test_stft_initializer_matches_keras(args):
    expected = np.asarray(keras.initializers.STFT(*args)((50, 1, 33)))
    got = initializers.STFT(*args)((50, 1, 33)).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-5)  # float32 angles in Keras
    assert initializers.STFT(*args).get_config() == keras.initializers.STFT(*args).get_config()


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_matches_keras(mode):
    import jax

    w = RNG.standard_normal((5, 7)).astype("float32")
    theirs = keras.regularizers.OrthogonalRegularizer(0.1, mode)
    expected = float(theirs(jnp.asarray(w)))
    expected_grad = np.asarray(jax.grad(lambda v: theirs(v))(jnp.asarray(w)))
    weight = torch.tensor(w, requires_grad=True)
    got = regularizers.OrthogonalRegularizer(0.1, mode)(weight)
    got.backward()
    # One float32 matmul of unit vectors and a sum: 1e-6 relative.
    np.testing.assert_allclose(float(got.detach()), expected, rtol=1e-5)
    np.testing.assert_allclose(weight.grad.numpy(), expected_grad, rtol=1e-4, atol=1e-6)
    # Keras keeps the factor as a float32 tensor (0.10000000149...); we keep the float.
    assert regularizers.OrthogonalRegularizer(0.1, mode).get_config() == pytest.approx(
        theirs.get_config()
    )
