"""Reuters newswires (11,228, 46 topics): Keras's ``keras.datasets.reuters``.

Like IMDB, newswires are lists of word ids ranked by frequency, shifted by ``index_from``.
"""

from __future__ import annotations

import json

import numpy as np

from layerfit.datasets import _sources
from layerfit.datasets._npz import load_npz
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.datasets._splits import check_test_split, train_count
from layerfit.datasets._word_ids import capped, check_maxlen, drop_long, object_array, shifted

_MIRRORS = ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/",)
_WIRES = FileSpec("reuters.npz", "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916")
# Keras publishes only an MD5 for the word index.
_WORDS = FileSpec("reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921", algorithm="md5")
# The topic of each label, in label order (Keras's list).
_TOPICS = (
    "cocoa grain veg-oil earn acq wheat copper housing money-supply coffee sugar trade reserves "
    "ship cotton carcass crude nat-gas cpi money-fx interest gnp meal-feed alum oilseed gold tin "
    "strategic-metal livestock retail ipi iron-steel rubber heat jobs lei bop zinc orange "
    "pet-chem dlr gas silver wpi hog lead"
).split()


def _source(spec: FileSpec) -> DatasetSource:
    return DatasetSource("Reuters", "reuters", (spec,), _MIRRORS)


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the Reuters topic-classification dataset as lists of word ids, as Keras does.

    All newswires are shuffled with ``np.random.RandomState(seed)``, shifted, filtered and
    capped, then the first ``1 - test_split`` of them are the training set.

    Args:
        path: accepted for compatibility; the cache keeps Keras's file name.
            Defaults to 'reuters.npz'.
        num_words: keep the most frequent words only; others become ``oov_char``.
            Defaults to None (all).
        skip_top: also treat the most frequent ``skip_top`` ids as out of vocabulary.
            Defaults to 0.
        maxlen: drop newswires longer than this. Defaults to None.
        test_split: fraction of newswires kept for the test set. Defaults to 0.2.
        seed: seed of the shuffle. Defaults to 113.
        start_char, oov_char, index_from: as for IMDB. Default to 1, 2 and 3.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ids, int labels 0-45.

    Example:
    >>> (x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(num_words=10000)
    """
    check_maxlen(maxlen, "reuters")
    check_test_split(test_split, "newswires")

    def build():
        return load_npz(_sources.fetch(_source(_WIRES))["reuters.npz"].path)

    arrays = _sources.memoized("reuters/reuters.npz", build)
    order = np.arange(len(arrays["x"]))
    np.random.RandomState(seed).shuffle(order)
    wires = shifted(arrays["x"][order], start_char, index_from)
    wires, labels = drop_long(wires, np.asarray(arrays["y"])[order], maxlen)
    wires = capped(wires, num_words, skip_top, oov_char)
    cut = train_count(len(wires), test_split)
    return (object_array(wires[:cut]), labels[:cut]), (object_array(wires[cut:]), labels[cut:])


def get_word_index(path="reuters_word_index.json") -> dict:
    """The dict word -> id (before the ``index_from`` shift), to decode newswires."""
    found = _sources.fetch(_source(_WORDS))["reuters_word_index.json"]
    return json.loads(found.path.read_text(encoding="utf-8"))


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names, indexed by label: ``get_label_names()[3] == 'earn'``."""
    return tuple(_TOPICS)


__all__ = ["get_label_names", "get_word_index", "load_data"]
