"""Audio front ends of Keras 3: MelSpectrogram (a fixed transform) and STFTSpectrogram (a
Conv1D whose kernels start as the Fourier basis, trainable as in Keras)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from layerfit import backend, config
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain, warn
from layerfit.initializers._stft import STFT, check_window_name, get_window
from layerfit.layers._conv_arguments import standardize_data_format
from layerfit.layers._layer import Layer

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _positive_int(layer: str, arg: str, value, example: str, allow_none=False) -> int | None:
    if allow_none and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LayerfitValueError(
            explain(f"{layer} got {arg}={value!r}.", "a positive integer.", example)
        )
    return value


def _hertz_to_mel(hertz: np.ndarray) -> np.ndarray:
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate, low_hz, high_hz):
    """(spectrogram bins, mel bins) triangles with peak 1 on the HTK mel scale (Keras's)."""
    linear = np.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins)[1:]  # bin 0 is zeroed
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(_hertz_to_mel(low_hz), _hertz_to_mel(high_hz), num_mel_bins + 2)
    lower, centre, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    lower_slopes = (bins_mel - lower) / (centre - lower)
    upper_slopes = (upper - bins_mel) / (upper - centre)
    weights = np.maximum(0.0, np.minimum(lower_slopes, upper_slopes))
    return np.pad(weights, [(1, 0), (0, 0)])


class MelSpectrogram(Layer):
    """Turns raw audio ``(samples,)`` or ``(batch, samples)`` into a mel spectrogram.

    A centred short-time Fourier transform (reflect padding), the magnitude raised to
    ``mag_exp``, HTK mel filters, and optionally decibels; the output is
    ``(..., num_mel_bins, frames)`` with ``frames = 1 + samples // sequence_stride``.

    Args:
        fft_length: size of the FFT. Defaults to 2048.
        sequence_stride: samples between frames. Defaults to 512.
        sequence_length: window length, at most fft_length. Defaults to None (fft_length).
        window: 'hann', 'hamming' (periodic), an array of sequence_length values, or None.
            Defaults to 'hann'.
        sampling_rate: samples per second. Defaults to 16000.
        num_mel_bins: number of mel bands. Defaults to 128.
        min_freq: lowest band edge in Hz. Defaults to 20.0.
        max_freq: highest band edge in Hz. Defaults to None (sampling_rate / 2).
        power_to_db: convert to decibels. Defaults to True.
        top_db: floor of the decibels below the batch's maximum. Defaults to 80.0.
        mag_exp: exponent of the magnitude (2 for power). Defaults to 2.0.
        min_power: smallest power before the logarithm. Defaults to 1e-10.
        ref_power: the power of 0 dB. Defaults to 1.0.

    Example:
    >>> layer = MelSpectrogram(num_mel_bins=64, sampling_rate=8000, sequence_stride=256)
    >>> layer(torch.rand(16000)).shape
    torch.Size([64, 63])
    """

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        name = "MelSpectrogram"
        self.fft_length = _positive_int(name, "fft_length", fft_length, "fft_length=2048")
        self.sequence_stride = _positive_int(
            name, "sequence_stride", sequence_stride, "sequence_stride=512"
        )
        self.sequence_length = _positive_int(
            name, "sequence_length", sequence_length or fft_length, "sequence_length=None"
        )
        if self.fft_length < self.sequence_length:
            raise LayerfitValueError(
                explain(
                    f"MelSpectrogram got sequence_length={sequence_length} longer than "
                    f"fft_length={fft_length}.",
                    "sequence_length <= fft_length.",
                    "leave sequence_length=None to use fft_length.",
                )
            )
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise LayerfitValueError(
                explain(
                    f"MelSpectrogram got window={window!r}.",
                    "'hann', 'hamming', an array of sequence_length values, or None.",
                    "window='hann'",
                )
            )
        self.window = window
        self.sampling_rate = _positive_int(
            name, "sampling_rate", sampling_rate, "sampling_rate=16000"
        )
        self.num_mel_bins = _positive_int(name, "num_mel_bins", num_mel_bins, "num_mel_bins=128")
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        if not 0 <= min_freq < self.max_freq:
            raise LayerfitValueError(
                explain(
                    f"MelSpectrogram got min_freq={min_freq!r} and max_freq={self.max_freq!r}.",
                    "0 <= min_freq < max_freq.",
                    "min_freq=20.0, max_freq=None (half the sampling rate).",
                )
            )
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) not in (1, 2):
            raise LayerfitValueError(
                explain(
                    f"MelSpectrogram layer {self.name!r} got input of shape {input_shape}.",
                    "audio of shape (samples,) or (batch, samples).",
                    "drop a channel axis first: x = x[..., 0].",
                )
            )

    def compute_output_shape(self, input_shape):
        samples = input_shape[-1]
        frames = None if samples is None else 1 + samples // self.sequence_stride
        return (*input_shape[:-1], self.num_mel_bins, frames)

    def _window(self, dtype, device):
        if self.window is None:
            window = torch.ones(self.sequence_length, dtype=dtype, device=device)
        elif isinstance(self.window, str):
            values = get_window(self.window, self.sequence_length, periodic=True)
            window = torch.as_tensor(values, dtype=dtype, device=device)
        else:
            window = torch.as_tensor(np.asarray(self.window), dtype=dtype, device=device)
            if window.shape != (self.sequence_length,):
                raise LayerfitValueError(
                    explain(
                        f"MelSpectrogram got a window of shape {tuple(window.shape)}.",
                        f"a 1D window of sequence_length={self.sequence_length} values.",
                        "give as many window values as sequence_length.",
                    )
                )
        left = (self.fft_length - self.sequence_length) // 2
        return F.pad(window, (left, self.fft_length - self.sequence_length - left))

    def call(self, inputs):
        out_dtype = backend.torch_dtype(self.dtype_name)
        dtype = torch.float64 if out_dtype == torch.float64 else torch.float32
        x = torch.as_tensor(inputs).to(dtype)
        half = self.fft_length // 2
        if x.shape[-1] <= half:
            raise LayerfitValueError(
                explain(
                    f"MelSpectrogram layer {self.name!r} got {x.shape[-1]} samples, too few "
                    f"for fft_length={self.fft_length} (the signal is reflect-padded by "
                    f"{half} on each side).",
                    f"more than {half} samples.",
                    "use a smaller fft_length, or pad the audio.",
                )
            )
        flat = x.reshape(-1, 1, x.shape[-1])  # F.pad's reflect mode wants (N, C, L)
        padded = F.pad(flat, (half, half), mode="reflect").reshape(*x.shape[:-1], -1)
        frames = padded.unfold(-1, self.fft_length, self.sequence_stride)  # (..., T, fft)
        spectrum = torch.fft.rfft(frames * self._window(dtype, x.device), dim=-1)
        power = spectrum.abs() ** self.mag_exp
        matrix = mel_weight_matrix(
            self.num_mel_bins,
            power.shape[-1],
            self.sampling_rate,
            self.min_freq,
            self.max_freq,
        )
        mel = power @ torch.as_tensor(matrix, dtype=torch.float32, device=x.device).to(dtype)
        if self.power_to_db:
            mel = 10.0 * torch.log10(mel.clamp(min=self.min_power))
            mel = mel - 10.0 * math.log10(max(abs(self.ref_power), self.min_power))
            mel = torch.maximum(mel, mel.max() - self.top_db)
        return mel.transpose(-1, -2).to(out_dtype)

    def get_config(self) -> dict:
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        return {
            **super().get_config(),
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }


_STFT_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """A Conv1D computing a short-time Fourier transform of ``(batch, time, channels)`` signals.

    Its kernels start as the windowed Fourier basis (`initializers.STFT`) and are trainable,
    as in Keras. Each channel is transformed alone; the frequency bins of all channels are
    concatenated (or kept on their own axis with ``expand_dims=True``).

    Args:
        mode: 'log', 'magnitude', 'psd', 'real', 'imag', 'angle' or 'stft' (real and
            imaginary parts concatenated). Defaults to 'log'.
        frame_length: samples per frame. Defaults to 256.
        frame_step: samples between frames. Defaults to None (frame_length // 2).
        fft_length: size of the FFT. Defaults to None (frame_length rounded up to a power
            of two).
        window: a window name ('hann', 'hamming', 'blackman', 'bartlett', 'boxcar'), an array
            of frame_length values, or None. Defaults to 'hann'.
        periodic: periodic form of a named window. Defaults to False.
        scaling: 'density', 'spectrum' or None. Defaults to 'density'.
        padding: 'valid' or 'same'. Defaults to 'valid'.
        expand_dims: keep the frequency axis apart from the channels. Defaults to False.
        data_format: Defaults to ``config.image_data_format()`` ('channels_last').

    Example:
    >>> STFTSpectrogram(frame_length=64)(torch.rand(2, 1024, 1)).shape
    torch.Size([2, 31, 33])
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ):
        name = "STFTSpectrogram"
        frame_length = _positive_int(name, "frame_length", frame_length, "frame_length=256")
        _positive_int(name, "frame_step", frame_step, "frame_step=128", allow_none=True)
        _positive_int(name, "fft_length", fft_length, "fft_length=256", allow_none=True)
        if frame_step is not None and frame_step > frame_length:
            raise LayerfitValueError(
                explain(
                    f"STFTSpectrogram got frame_step={frame_step} > frame_length={frame_length}.",
                    "a positive frame_step not greater than frame_length.",
                    "frame_step=None uses frame_length // 2.",
                )
            )
        if fft_length is not None and fft_length < frame_length:
            raise LayerfitValueError(
                explain(
                    f"STFTSpectrogram got fft_length={fft_length} < frame_length={frame_length}.",
                    "fft_length >= frame_length.",
                    "fft_length=None rounds frame_length up to a power of two.",
                )
            )
        if fft_length is not None and fft_length & (fft_length - 1):
            warn(
                f"STFTSpectrogram got fft_length={fft_length}, which is not a power of two.",
                fix="a power of two (e.g. 256) is faster and is what Keras recommends.",
            )
        for arg, value, allowed in (
            ("mode", mode, _STFT_MODES),
            ("scaling", scaling, ("density", "spectrum", None)),
            ("padding", padding, ("valid", "same")),
        ):
            if value not in allowed:
                raise LayerfitValueError(
                    explain(
                        f"STFTSpectrogram got {arg}={value!r}.",
                        f"one of {list(allowed)}.",
                        f"{arg}={allowed[0]!r}",
                    )
                )
        check_window_name(window, name)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)

    def check_input_shape(self, input_shape) -> None:
        if not isinstance(input_shape, tuple) or len(input_shape) != 3:
            raise LayerfitValueError(
                explain(
                    f"STFTSpectrogram layer {self.name!r} got input of shape {input_shape}.",
                    "signals of shape (batch, time, channels) (or (batch, channels, time) "
                    "with data_format='channels_first').",
                    "add a channel axis to mono audio: x = x[..., None].",
                )
            )

    def build(self, input_shape) -> None:
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != ("imag" if side == "real" else "real"):
                initializer = STFT(side, self.window, self.scaling, self.periodic)
                setattr(
                    self,
                    f"{side}_kernel",
                    self.add_weight(shape=shape, initializer=initializer, name=f"{side}_kernel"),
                )

    def _frames(self, time: int | None) -> int | None:
        if time is None:
            return None
        if self.padding == "same":
            return -(-time // self._frame_step)
        return max(0, (time - self.frame_length) // self._frame_step + 1)

    def compute_output_shape(self, input_shape):
        last = self.data_format == "channels_last"
        channels, time = (input_shape[2], input_shape[1]) if last else input_shape[1:]
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = self._frames(time)
        if self.expand_dims:
            if last:
                return (input_shape[0], frames, bins, channels)
            return (input_shape[0], channels, frames, bins)
        features = None if channels is None else bins * channels
        return (input_shape[0], frames, features) if last else (input_shape[0], features, frames)

    def _conv(self, signals, kernel):
        """(N, C, T) -> (N, C, bins, frames)."""
        n, channels, time = signals.shape
        x = signals.reshape(n * channels, 1, time)
        if self.padding == "same":
            frames = self._frames(time)
            total = max((frames - 1) * self._frame_step + self.frame_length - time, 0)
            x = F.pad(x, (total // 2, total - total // 2))
        weight = kernel.to(x.dtype).permute(2, 1, 0)  # (bins, 1, frame_length)
        out = F.conv1d(x, weight, stride=self._frame_step)
        return out.reshape(n, channels, *out.shape[1:])

    def _arrange(self, outputs):
        n, channels, bins, frames = outputs.shape
        if self.data_format == "channels_last":
            if self.expand_dims:
                return outputs.permute(0, 3, 2, 1)  # (N, frames, bins, C)
            return outputs.reshape(n, channels * bins, frames).transpose(1, 2)
        if self.expand_dims:
            return outputs.transpose(2, 3)  # (N, C, frames, bins)
        return outputs.reshape(n, channels * bins, frames)

    def call(self, inputs):
        if inputs.dtype not in (torch.float16, torch.float32, torch.float64):
            raise LayerfitTypeError(
                explain(
                    f"STFTSpectrogram layer {self.name!r} got inputs of dtype {inputs.dtype}.",
                    "float16, float32 or float64 signals.",
                    "convert first: x = x.astype('float32').",
                )
            )
        signals = inputs.transpose(1, 2) if self.data_format == "channels_last" else inputs
        real = self._conv(signals, self.real_kernel) if self.mode != "imag" else None
        imag = self._conv(signals, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._arrange(real)
        if self.mode == "imag":
            return self._arrange(imag)
        if self.mode == "angle":
            return self._arrange(torch.atan2(imag, real))
        if self.mode == "stft":
            return self._arrange(torch.cat([real, imag], dim=2))
        power = real.square() + imag.square()
        if self.mode == "psd":  # one-sided: the bins between the edges count twice
            return self._arrange(power + F.pad(power[:, :, 1:-1], (0, 0, 1, 1)))
        eps = config.epsilon()
        magnitude = self._arrange(torch.sqrt(power.clamp(min=eps)))
        return magnitude if self.mode == "magnitude" else torch.log(magnitude.clamp(min=eps))

    def get_config(self) -> dict:
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        return {
            **super().get_config(),
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }
