"""MelSpectrogram, STFTSpectrogram, the STFT initializer and OrthogonalRegularizer without
Keras: numpy references, shapes, configs and every error path (Keras itself:
test_audio_keras.py)."""

import math

import numpy as np
import pytest
import torch

import layerfit
from layerfit import initializers, layers, regularizers
from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning


def test_mel_spectrogram_peak_sits_at_the_tone():
    # A 1 kHz tone: the loudest mel band is the one whose centre is nearest 1 kHz.
    rate = 8000
    t = np.arange(8000) / rate
    tone = np.sin(2 * math.pi * 1000 * t).astype("float32")
    layer = layers.MelSpectrogram(
        fft_length=512, sequence_stride=256, sampling_rate=rate, num_mel_bins=40, power_to_db=False
    )
    out = layer(torch.from_numpy(tone)).numpy()
    assert out.shape == (40, 1 + 8000 // 256)
    mel = lambda f: 1127.0 * np.log(1 + f / 700.0)  # noqa: E731
    centres = np.linspace(mel(20.0), mel(4000.0), 42)[1:-1]
    assert out.mean(axis=1).argmax() == np.abs(centres - mel(1000.0)).argmin()


def test_mel_spectrogram_power_matches_numpy_stft():
    # Without a window and decibels: numpy's centred STFT power times the mel filters.
    from layerfit.layers._audio import mel_weight_matrix

    x = np.random.default_rng(0).standard_normal(1000)
    layer = layers.MelSpectrogram(
        fft_length=128,
        sequence_stride=64,
        num_mel_bins=16,
        power_to_db=False,
        window=None,
        dtype="float64",
    )
    got = layer(torch.from_numpy(x)).numpy()
    padded = np.pad(x, 64, mode="reflect")
    frames = np.stack([padded[i : i + 128] for i in range(0, len(padded) - 127, 64)])
    power = np.abs(np.fft.rfft(frames, axis=-1)) ** 2
    weights = mel_weight_matrix(16, 65, 16000, 20.0, 8000).astype("float32")  # as Keras's
    expected = (power @ weights.astype("float64")).T
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)  # float64 otherwise


def test_mel_spectrogram_decibels_floor_at_top_db():
    layer = layers.MelSpectrogram(fft_length=256, top_db=30.0)
    out = layer(torch.rand(2, 2000)).numpy()
    assert out.max() - out.min() <= 30.0 + 1e-4
    assert layer.compute_output_shape((2, 2000)) == out.shape
    assert layer.compute_output_shape((None, None)) == (None, 128, None)


def test_mel_spectrogram_config_round_trip():
    layer = layers.MelSpectrogram(fft_length=512, num_mel_bins=20, window="hamming")
    clone = layers.MelSpectrogram.from_config(layer.get_config())
    x = torch.rand(3000)
    np.testing.assert_array_equal(layer(x).numpy(), clone(x).numpy())


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"fft_length": 0}, "fft_length"),
        ({"sequence_stride": 1.5}, "sequence_stride"),
        ({"fft_length": 256, "sequence_length": 512}, "sequence_length"),
        ({"window": "kaiser"}, "window"),
        ({"num_mel_bins": -1}, "num_mel_bins"),
        ({"sampling_rate": "16k"}, "sampling_rate"),
        ({"min_freq": 9000.0}, "min_freq"),
    ],
)
def test_mel_spectrogram_bad_arguments(kwargs, match):
    with pytest.raises(LayerfitValueError, match=match):
        layers.MelSpectrogram(**kwargs)


def test_mel_spectrogram_bad_inputs():
    with pytest.raises(LayerfitValueError, match="samples"):
        layers.MelSpectrogram()(torch.rand(2, 100, 1))
    with pytest.raises(LayerfitValueError, match="too few"):
        layers.MelSpectrogram(fft_length=2048)(torch.rand(2, 500))
    with pytest.raises(LayerfitValueError, match="window of shape"):
        layers.MelSpectrogram(fft_length=64, window=np.ones(10))(torch.rand(500))


def test_stft_spectrogram_real_and_imag_match_numpy():
    x = np.random.default_rng(1).standard_normal((1, 256, 1)).astype("float32")
    layer = layers.STFTSpectrogram(mode="stft", frame_length=32, window=None, scaling=None)
    out = layer(torch.from_numpy(x)).detach().numpy()[0]  # (frames, 2 * 17)
    frames = np.stack([x[0, i : i + 32, 0] for i in range(0, 256 - 31, 16)])
    spectrum = np.fft.rfft(frames, axis=-1)
    np.testing.assert_allclose(out[:, :17], spectrum.real, atol=1e-4)
    np.testing.assert_allclose(out[:, 17:], spectrum.imag, atol=1e-4)


def test_stft_spectrogram_kernels_train():
    layer = layers.STFTSpectrogram(mode="magnitude", frame_length=16)
    out = layer(torch.rand(2, 64, 1))
    out.sum().backward()
    assert [w.name for w in layer.trainable_weights] == ["real_kernel", "imag_kernel"]
    assert all(w.grad is not None and w.grad.abs().sum() > 0 for w in layer.trainable_weights)
    assert layers.STFTSpectrogram(mode="real", frame_length=16).build((1, 64, 1)) is None


def test_stft_spectrogram_in_a_model_round_trips(tmp_path):
    model = layerfit.Sequential(
        [
            layerfit.Input((400, 1)),
            layers.STFTSpectrogram(frame_length=64),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    x = np.random.default_rng(0).random((3, 400, 1)).astype("float32")
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = layerfit.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"mode": "power"}, "mode"),
        ({"frame_length": 0}, "frame_length"),
        ({"frame_length": 64, "frame_step": 65}, "frame_step"),
        ({"frame_length": 64, "fft_length": 32}, "fft_length"),
        ({"scaling": "l2"}, "scaling"),
        ({"padding": "causal"}, "padding"),
        ({"window": "tukey"}, "window"),
    ],
)
def test_stft_spectrogram_bad_arguments(kwargs, match):
    with pytest.raises(LayerfitValueError, match=match):
        layers.STFTSpectrogram(**kwargs)


def test_stft_spectrogram_bad_inputs_and_fft_warning():
    with pytest.warns(LayerfitWarning, match="power of two"):
        layers.STFTSpectrogram(frame_length=64, fft_length=100)
    with pytest.raises(LayerfitValueError, match="time, channels"):
        layers.STFTSpectrogram(frame_length=16)(torch.rand(2, 64))
    with pytest.raises(LayerfitTypeError, match="dtype"):
        layers.STFTSpectrogram(frame_length=16)(torch.ones(2, 64, 1, dtype=torch.int32))


def test_stft_initializer_windows_match_numpy():
    # numpy's hanning/hamming/blackman/bartlett are SciPy's symmetric windows.
    for name, reference in (
        ("hann", np.hanning),
        ("hamming", np.hamming),
        ("blackman", np.blackman),
        ("bartlett", np.bartlett),
    ):
        kernel = initializers.STFT("real", name, None, False)((40, 1, 3), dtype="float64")
        np.testing.assert_allclose(kernel[:, 0, 0].numpy(), reference(40), atol=1e-12)
    # Periodic: the symmetric window one longer, last value dropped.
    kernel = initializers.STFT("real", "hann", None, True)((40, 1, 3), dtype="float64")
    np.testing.assert_allclose(kernel[:, 0, 0].numpy(), np.hanning(41)[:40], atol=1e-12)
    density = initializers.get("stft")((40, 1, 3), dtype="float64")
    np.testing.assert_allclose(np.linalg.norm(density[:, 0, 0].numpy()), 1.0, rtol=1e-12)
    assert initializers.get("STFTInitializer").__class__ is initializers.STFT
    assert initializers.IdentityInitializer is initializers.Identity


@pytest.mark.parametrize(
    "kwargs, shape, match",
    [
        ({"side": "both"}, None, "side"),
        ({"window": "kaiser"}, None, "window"),
        ({"scaling": "l1"}, None, "scaling"),
        ({}, (16, 9), "3D shape"),
        ({"window": np.ones(5)}, (16, 1, 9), "window of shape"),
    ],
)
def test_stft_initializer_errors(kwargs, shape, match):
    with pytest.raises(LayerfitValueError, match=match):
        initializers.STFT(**kwargs)(shape)


def test_orthogonal_regularizer_by_hand_and_errors():
    # Rows (1, 0), (1, 1)/sqrt2, (0, 1): |cos| pairs 1/sqrt2, 0, 1/sqrt2; mean 0.4714.
    w = torch.tensor([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    got = float(regularizers.OrthogonalRegularizer(1.0)(w))
    assert got == pytest.approx(0.5 * (2 * 2 / math.sqrt(2)) / 3, rel=1e-6)
    assert regularizers.get("orthogonal_regularizer").mode == "rows"
    assert regularizers.orthogonal_regularizer is regularizers.OrthogonalRegularizer
    with pytest.raises(LayerfitValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(LayerfitValueError, match="factor"):
        regularizers.OrthogonalRegularizer(factor=-1.0)
    with pytest.raises(LayerfitValueError, match="2-D"):
        regularizers.OrthogonalRegularizer()(torch.ones(2, 2, 2))
    dense = layers.Dense(3, kernel_regularizer="orthogonal_regularizer")
    dense(torch.ones(1, 4))
    assert len(dense.losses) == 1
