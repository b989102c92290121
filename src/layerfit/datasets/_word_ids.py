"""The steps IMDB and Reuters share, as Keras documents them: shift the word ids, drop long
sequences, cap the vocabulary, return object arrays of lists."""

from __future__ import annotations

import numpy as np

from layerfit.errors import LayerfitValueError, explain


def shifted(sequences, start_char, index_from) -> list[list[int]]:
    """Each sequence with ``index_from`` added to its ids, after a ``start_char`` if given."""
    start = [] if start_char is None else [start_char]
    return [start + [int(w) + index_from for w in sequence] for sequence in sequences]


def drop_long(sequences: list, labels: np.ndarray, maxlen) -> tuple[list, np.ndarray]:
    """Keeps the sequences strictly shorter than ``maxlen`` (Keras's rule), with their labels."""
    if not maxlen:
        return sequences, labels
    keep = [i for i, sequence in enumerate(sequences) if len(sequence) < maxlen]
    return [sequences[i] for i in keep], labels[keep]


def capped(sequences: list, num_words, skip_top: int, oov_char) -> list[list[int]]:
    """Ids outside ``[skip_top, num_words)`` become ``oov_char``, or are dropped when it is None."""
    if not num_words:
        num_words = max((max(s) for s in sequences if s), default=0)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in s] for s in sequences]
    return [[w for w in s if skip_top <= w < num_words] for s in sequences]


def object_array(rows: list) -> np.ndarray:
    array = np.empty(len(rows), dtype=object)
    array[:] = rows
    return array


def check_maxlen(maxlen, dataset: str) -> None:
    if maxlen is not None and (isinstance(maxlen, bool) or int(maxlen) <= 0):
        raise LayerfitValueError(
            explain(
                f"{dataset}.load_data got maxlen={maxlen!r}.", "a positive length.", "maxlen=200"
            )
        )
