"""Fourier transforms, framing and window functions of ``keras.ops``.

Complex values travel as Keras's ``(real, imag)`` pairs of float tensors.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from layerfit.errors import LayerfitValueError, explain
from layerfit.ops._core import convert_to_tensor


def _complex(x) -> torch.Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise LayerfitValueError(
            explain(
                f"got {type(x).__name__} where Keras's complex (real, imag) pair belongs.",
                "a tuple (real, imag) of two float tensors of the same shape.",
                "pass (x, ops.zeros_like(x)) for a real signal.",
            )
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if not real.is_floating_point():
        real, imag = real.float(), imag.float()
    return torch.complex(real, imag.to(real.dtype))


def _pair(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return z.real.contiguous(), z.imag.contiguous()


def fft(x):
    """FFT over the last axis of a complex ``(real, imag)`` pair; returns ``(real, imag)``."""
    return _pair(torch.fft.fft(_complex(x)))


def fft2(x):
    """2-D FFT over the last two axes of ``(real, imag)``; returns ``(real, imag)``."""
    return _pair(torch.fft.fft2(_complex(x)))


def ifft2(x):
    """Inverse 2-D FFT over the last two axes of ``(real, imag)``; returns ``(real, imag)``."""
    return _pair(torch.fft.ifft2(_complex(x)))


def rfft(x, fft_length=None):
    """FFT of a real signal over its last axis: ``fft_length // 2 + 1`` bins, ``(real, imag)``.

    Args:
        x: real input.
        fft_length: the FFT size (the signal is cut or zero-padded). Defaults to the last axis.
    """
    x = convert_to_tensor(x)
    return _pair(torch.fft.rfft(x if x.is_floating_point() else x.float(), n=fft_length))


def irfft(x, fft_length=None):
    """Inverse of ``rfft``: a real signal of ``fft_length`` samples from ``(real, imag)`` bins.

    Args:
        x: the (real, imag) pair.
        fft_length: the output length. Defaults to ``2 * (bins - 1)``.
    """
    return torch.fft.irfft(_complex(x), n=fft_length)


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` samples every ``sequence_stride`` along the last axis.

    Returns (..., num_sequences, sequence_length).
    """
    return convert_to_tensor(x).unfold(-1, sequence_length, sequence_stride)


def _window(window, sequence_length: int, fft_length: int, dtype) -> torch.Tensor:
    """The window centred in ``fft_length`` samples (scipy's periodic hann/hamming)."""
    if window is None:
        values = torch.ones(sequence_length, dtype=dtype)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise LayerfitValueError(
                explain(
                    f"stft got window={window!r}.",
                    "'hann', 'hamming', None, or an array of sequence_length values.",
                    "window='hann'",
                )
            )
        make = torch.hann_window if window == "hann" else torch.hamming_window
        values = make(sequence_length, periodic=True, dtype=torch.float64).to(dtype)
    else:
        values = convert_to_tensor(window).to(dtype)
        if values.shape != (sequence_length,):
            raise LayerfitValueError(
                explain(
                    f"stft got a window of shape {tuple(values.shape)}.",
                    f"a window of shape ({sequence_length},) (sequence_length).",
                    "make the window as long as sequence_length.",
                )
            )
    left = (fft_length - sequence_length) // 2
    return F.pad(values, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform over the last axis, as Keras: ``(real, imag)`` of shape
    (..., num_sequences, fft_length // 2 + 1).

    Args:
        x: real signal (float32 or float64).
        sequence_length: window length.
        sequence_stride: hop between frames.
        fft_length: FFT size (>= sequence_length).
        window: 'hann', 'hamming', None or an array. Defaults to 'hann'.
        center: reflect-pad ``fft_length // 2`` on both sides first. Defaults to True.
    """
    x = convert_to_tensor(x)
    if fft_length < sequence_length:
        raise LayerfitValueError(
            explain(
                f"stft got fft_length={fft_length} < sequence_length={sequence_length}.",
                "fft_length >= sequence_length.",
                f"fft_length={2 ** math.ceil(math.log2(sequence_length))}",
            )
        )
    if not x.is_floating_point():
        x = x.float()
    if center:
        shape = x.shape
        flat = x.reshape(-1, 1, shape[-1])
        x = F.pad(flat, (fft_length // 2, fft_length // 2), mode="reflect").reshape(*shape[:-1], -1)
    win = _window(window, sequence_length, fft_length, x.dtype).to(x.device)
    frames = x.unfold(-1, fft_length, sequence_stride) * win  # (..., frames, fft_length)
    return _pair(torch.fft.rfft(frames, n=fft_length))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse of ``stft``: overlap-adds the windowed frames back into a signal.

    Args: as ``stft``, plus ``length``: the output length (defaults to the full signal).
    """
    spectrum = _complex(x)  # (..., frames, bins)
    frames = torch.fft.irfft(spectrum, n=fft_length)  # (..., frames, fft_length)
    count = frames.shape[-2]
    win = _window(window, sequence_length, fft_length, frames.dtype).to(frames.device)
    total = fft_length + sequence_stride * (count - 1)
    lead = frames.shape[:-2]
    folded = (frames * win).reshape(-1, count, fft_length).transpose(1, 2)  # (B, fft, frames)
    signal = F.fold(folded, (1, total), (1, fft_length), stride=(1, sequence_stride))
    weights = (win**2).reshape(1, fft_length, 1).expand(1, fft_length, count)
    norm = F.fold(weights, (1, total), (1, fft_length), stride=(1, sequence_stride))
    signal = signal.reshape(*lead, total) / torch.where(norm > 1e-10, norm, 1.0).reshape(total)
    start = fft_length // 2 if center else 0
    if length is not None:
        return signal[..., start : start + length]
    end = total - fft_length // 2 if center else total
    return signal[..., start:end]


def _numpy_window(make, size, *args):
    return torch.as_tensor(make(int(size), *args), dtype=torch.float32)


def bartlett(x):
    """The Bartlett (triangular) window of ``x`` points, as numpy's."""
    return _numpy_window(np.bartlett, x)


def blackman(x):
    """The Blackman window of ``x`` points, as numpy's."""
    return _numpy_window(np.blackman, x)


def hamming(x):
    """The Hamming window of ``x`` points, as numpy's."""
    return _numpy_window(np.hamming, x)


def hanning(x):
    """The Hann window of ``x`` points, as numpy's."""
    return _numpy_window(np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of ``x`` points with shape ``beta``, as numpy's."""
    return _numpy_window(np.kaiser, x, float(beta))
