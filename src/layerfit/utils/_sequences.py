"""pad_sequences: lists of token ids of different lengths to one rectangular array."""

from __future__ import annotations

import numpy as np

from layerfit.errors import LayerfitValueError, explain


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
) -> np.ndarray:
    """Pads (or cuts) every sequence to ``maxlen`` steps, as Keras does.

    Args:
        sequences: a list of sequences (lists or arrays of ids, or of equal-shaped steps).
        maxlen: the length of every output row. Defaults to the longest sequence.
        dtype: of the result. Defaults to 'int32'.
        padding: 'pre' puts the padding before each sequence, 'post' after. Defaults to 'pre'.
        truncating: 'pre' drops the start of a long sequence, 'post' its end. Defaults to 'pre'.
        value: the padding value. Defaults to 0.

    Example:
    >>> pad_sequences([[1, 2, 3], [4, 5]])
    array([[1, 2, 3],
           [0, 4, 5]], dtype=int32)
    """
    for name, given in (("padding", padding), ("truncating", truncating)):
        if given not in ("pre", "post"):
            raise LayerfitValueError(
                explain(
                    f"pad_sequences got {name}={given!r}.", "'pre' or 'post'.", f"{name}='post'"
                )
            )
    if not hasattr(sequences, "__len__"):
        raise LayerfitValueError(
            explain(
                f"pad_sequences got {type(sequences).__name__}, which has no length.",
                "a list of sequences.",
                "pass a list: pad_sequences(list(sequences)).",
            )
        )
    lengths, step_shape = [], ()
    for index, sequence in enumerate(sequences):
        if not hasattr(sequence, "__len__"):
            raise LayerfitValueError(
                explain(
                    f"sequences[{index}] is {sequence!r}, not a sequence.",
                    "a list of lists of token ids, e.g. [[1, 2, 3], [4, 5]].",
                    "wrap a single sequence in a list: pad_sequences([ids]).",
                )
            )
        lengths.append(len(sequence))
        if len(sequence) and not step_shape:
            step_shape = np.asarray(sequence).shape[1:]
    maxlen = max(lengths, default=0) if maxlen is None else int(maxlen)
    padded = np.full((len(sequences), maxlen, *step_shape), value, dtype=dtype)
    if maxlen == 0:
        return padded
    for row, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = np.asarray(sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen], dtype)
        if kept.shape[1:] != step_shape:
            raise LayerfitValueError(
                explain(
                    f"sequences[{row}] has steps of shape {kept.shape[1:]}, the first non-empty "
                    f"one {step_shape}.",
                    "every step of every sequence with the same shape.",
                    "check how the sequences were built; token ids should be plain integers.",
                )
            )
        if padding == "post":
            padded[row, : len(kept)] = kept
        else:
            padded[row, -len(kept) :] = kept
    return padded
