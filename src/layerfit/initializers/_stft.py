"""Keras 3's STFT initializer: Conv1D kernels that compute a short-time Fourier transform.

Keras takes window functions from ``scipy.signal.get_window``; layerfit does not depend on
SciPy, so the common windows are computed here with SciPy's formulas (symmetric, or periodic
when ``periodic=True``, SciPy's ``fftbins``).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from layerfit.backend import torch_dtype
from layerfit.errors import LayerfitValueError, explain
from layerfit.initializers._initializer import Initializer, _shape

# SciPy's names for the cosine-sum windows -> their coefficients a0, a1, a2, ...
_COSINE_WINDOWS = {
    "hann": (0.5, 0.5),
    "hanning": (0.5, 0.5),
    "han": (0.5, 0.5),
    "hamming": (0.54, 0.46),
    "hamm": (0.54, 0.46),
    "ham": (0.54, 0.46),
    "blackman": (0.42, 0.5, 0.08),
    "black": (0.42, 0.5, 0.08),
    "blk": (0.42, 0.5, 0.08),
    "boxcar": (1.0,),
    "box": (1.0,),
    "ones": (1.0,),
    "rect": (1.0,),
    "rectangular": (1.0,),
}
_BARTLETT = ("bartlett", "bart", "brt")
WINDOW_NAMES = tuple(sorted(_COSINE_WINDOWS)) + _BARTLETT


def check_window_name(window, owner: str) -> None:
    """Refuses a window name layerfit cannot compute (Keras checks it with SciPy)."""
    if isinstance(window, str) and window not in _COSINE_WINDOWS and window not in _BARTLETT:
        raise LayerfitValueError(
            explain(
                f"{owner} got window={window!r}, a window layerfit does not compute.",
                "'hann', 'hamming', 'blackman', 'bartlett', 'boxcar', an array of window "
                "values, or None.",
                "pass the window values as an array, e.g. scipy.signal.get_window(name, length).",
            )
        )


def get_window(name: str, length: int, periodic: bool) -> np.ndarray:
    """SciPy's ``get_window(name, length, fftbins=periodic)`` for the windows named above."""
    if length == 1:
        return np.ones(1)
    size = length + 1 if periodic else length  # periodic: one longer symmetric, last dropped
    n = np.arange(size, dtype=np.float64)
    if name in _BARTLETT:
        window = 1.0 - np.abs(2.0 * n / (size - 1) - 1.0)
    else:
        window = np.zeros(size)
        for k, coefficient in enumerate(_COSINE_WINDOWS[name]):
            window += (-1) ** k * coefficient * np.cos(2.0 * math.pi * k * n / (size - 1))
    return window[:length]


class STFT(Initializer):
    """Initializer of Conv1D kernels that compute the real or imaginary part of an STFT.

    The kernel has shape ``(frame_length, 1, fft_length // 2 + 1)``: column ``f`` is
    ``cos`` (or ``sin``) of ``-2 pi t f / fft_length`` times the window, divided by the
    window's L2 norm (``scaling="density"``) or L1 norm (``"spectrum"``). Used by
    `STFTSpectrogram`.

    Args:
        side: `"real"` or `"imag"`. Defaults to `"real"`.
        window: a window name ('hann', 'hamming', 'blackman', 'bartlett', 'boxcar'), an
            array of ``frame_length`` values, or None. Defaults to `"hann"`.
        scaling: `"density"`, `"spectrum"` or None. Defaults to `"density"`.
        periodic: use the periodic form of a named window. Defaults to `False`.

    Example:
    >>> STFT("real", "hann", "density", False)((128, 1, 65)).shape
    torch.Size([128, 1, 65])
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise LayerfitValueError(
                explain(f"STFT initializer got side={side!r}.", "'real' or 'imag'.", "side='real'")
            )
        check_window_name(window, "STFT initializer")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise LayerfitValueError(
                explain(
                    f"STFT initializer got scaling={scaling!r}.",
                    "'density', 'spectrum' or None.",
                    "scaling='density' divides by the window's L2 norm.",
                )
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 3:
            raise LayerfitValueError(
                explain(
                    f"STFT initializer got shape={shape}.",
                    "a 3D shape (frame_length, 1, fft_length // 2 + 1).",
                    "STFT()((256, 1, 129)) for frames of 256 samples and a 256-point FFT.",
                )
            )
        frame_length, _, bins = shape
        dtype = torch_dtype(dtype)
        # In the kernel's dtype, in Keras's order, so float32 kernels equal Keras's.
        time = torch.arange(frame_length, dtype=dtype).reshape(-1, 1, 1)
        freq = torch.arange(bins, dtype=dtype).reshape(1, 1, -1) / ((bins - 1) * 2)
        angles = (-2 * time) * freq * torch.tensor(math.pi, dtype=dtype)
        kernel = torch.cos(angles) if self.side == "real" else torch.sin(angles)
        if self.window is None:
            return kernel
        if isinstance(self.window, str):
            window = get_window(self.window, frame_length, self.periodic)
        else:
            window = np.asarray(self.window, dtype=np.float64)
        if window.ndim != 1 or window.shape[0] != frame_length:
            raise LayerfitValueError(
                explain(
                    f"STFT initializer got a window of shape {window.shape} for frames of "
                    f"{frame_length} samples.",
                    f"a 1D window of {frame_length} values.",
                    "give as many window values as frame_length.",
                )
            )
        window = torch.as_tensor(window, dtype=dtype).reshape(-1, 1, 1)
        if self.scaling == "density":
            return kernel * window / torch.sqrt(torch.sum(window.square()))
        if self.scaling == "spectrum":
            return kernel * window / torch.sum(window.abs())
        return kernel * window

    def get_config(self):
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }
