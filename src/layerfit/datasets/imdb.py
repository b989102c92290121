"""IMDB movie reviews (25,000 + 25,000, positive or negative): Keras's ``keras.datasets.imdb``.

Reviews are lists of word ids ranked by frequency (1 = "the"). Ids are shifted by
``index_from`` so 0 stays free for padding, 1 marks the start and 2 a word out of vocabulary.
"""

from __future__ import annotations

import json

import numpy as np

from layerfit.datasets import _sources
from layerfit.datasets._npz import load_npz
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.datasets._word_ids import capped, check_maxlen, drop_long, object_array, shifted
from layerfit.errors import LayerfitValueError, explain

_MIRRORS = ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/",)
_REVIEWS = FileSpec("imdb.npz", "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f")
# Keras publishes only an MD5 for the word index.
_WORDS = FileSpec("imdb_word_index.json", "bfafd718b763782e994055a2d397834f", algorithm="md5")


def _source(spec: FileSpec) -> DatasetSource:
    return DatasetSource("IMDB", "imdb", (spec,), _MIRRORS)


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Loads the IMDB sentiment dataset as lists of word ids, as Keras does.

    Args:
        path: accepted for compatibility; the cache keeps Keras's file name. Defaults to
            'imdb.npz'.
        num_words: keep the most frequent words only; others become ``oov_char``.
            Defaults to None (all).
        skip_top: also treat the most frequent ``skip_top`` ids as out of vocabulary.
            Defaults to 0.
        maxlen: drop reviews longer than this. Defaults to None.
        seed: seed of the shuffle of each split. Defaults to 113.
        start_char: id put at the start of every review (None: none). Defaults to 1.
        oov_char: id of words left out (None: drop them). Defaults to 2.
        index_from: shift of the word ids. Defaults to 3.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ids, int labels.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=10000)
    >>> x_train = keras.utils.pad_sequences(x_train, maxlen=200)
    """
    check_maxlen(maxlen, "imdb")

    def build():
        return load_npz(_sources.fetch(_source(_REVIEWS))["imdb.npz"].path)

    arrays = _sources.memoized("imdb/imdb.npz", build)
    rng = np.random.RandomState(seed)
    splits = []
    for name in ("train", "test"):
        x, y = arrays[f"x_{name}"], arrays[f"y_{name}"]
        order = np.arange(len(x))
        rng.shuffle(order)  # one generator for both splits, in this order, as Keras
        reviews, labels = drop_long(shifted(x[order], start_char, index_from), y[order], maxlen)
        if not reviews:
            raise LayerfitValueError(
                explain(
                    f"No review is shorter than maxlen={maxlen}, so none was kept.",
                    "a maxlen above the length of some reviews.",
                    "raise maxlen, or keep all reviews (maxlen=None) and cut them with "
                    "keras.utils.pad_sequences(x, maxlen=...).",
                )
            )
        splits.append((reviews, labels))
    train_count = len(splits[0][0])
    reviews = capped(splits[0][0] + splits[1][0], num_words, skip_top, oov_char)
    x_train, x_test = object_array(reviews[:train_count]), object_array(reviews[train_count:])
    return (x_train, splits[0][1]), (x_test, splits[1][1])


def get_word_index(path="imdb_word_index.json") -> dict:
    """The dict word -> id (before the ``index_from`` shift), to decode reviews.

    Example:
    >>> index = keras.datasets.imdb.get_word_index()
    >>> words = {i + 3: w for w, i in index.items()}
    """
    found = _sources.fetch(_source(_WORDS))["imdb_word_index.json"]
    return json.loads(found.path.read_text(encoding="utf-8"))


__all__ = ["get_word_index", "load_data"]
