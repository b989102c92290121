"""IMDB and Boston Housing from generated files with Keras's keys (the real ones are offline here).

The expected values follow Keras's documented procedure, written out step by step below.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle

import numpy as np
import pytest

from layerfit.datasets import _npz, boston_housing, imdb, reuters
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.errors import LayerfitValueError

TRAIN = [[5, 1, 9], [2, 3], [7, 7, 7, 7], [4]]
TEST = [[1, 1], [8, 2, 6]]


def ragged(rows):
    array = np.empty(len(rows), dtype=object)
    array[:] = [list(row) for row in rows]
    return array


@pytest.fixture
def fake_imdb(tmp_path, monkeypatch):
    buffer = io.BytesIO()
    np.savez(
        buffer,
        x_train=ragged(TRAIN),
        y_train=np.array([1, 0, 1, 0]),
        x_test=ragged(TEST),
        y_test=np.array([0, 1]),
    )
    words = json.dumps({"the": 1, "movie": 2}).encode()
    folder = tmp_path / "data" / "imdb"
    folder.mkdir(parents=True)
    (folder / "imdb.npz").write_bytes(buffer.getvalue())
    (folder / "imdb_word_index.json").write_bytes(words)
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        imdb, "_REVIEWS", FileSpec("imdb.npz", hashlib.sha256(buffer.getvalue()).hexdigest())
    )
    monkeypatch.setattr(
        imdb,
        "_WORDS",
        FileSpec("imdb_word_index.json", hashlib.md5(words).hexdigest(), algorithm="md5"),
    )


def keras_imdb(num_words=None, seed=113, start_char=1, oov_char=2, index_from=3, maxlen=None):
    """Keras's procedure: shuffle each split with one RandomState, shift, filter, cap."""
    rng = np.random.RandomState(seed)
    splits = []
    for rows, labels in ((TRAIN, [1, 0, 1, 0]), (TEST, [0, 1])):
        order = np.arange(len(rows))
        rng.shuffle(order)
        shifted = [[start_char] + [w + index_from for w in rows[i]] for i in order]
        kept = [i for i, r in enumerate(shifted) if maxlen is None or len(r) < maxlen]
        splits.append(([shifted[i] for i in kept], np.array(labels)[order][kept]))
    everything = splits[0][0] + splits[1][0]
    num_words = num_words or max(max(r) for r in everything)
    capped = [[w if w < num_words else oov_char for w in r] for r in everything]
    n = len(splits[0][0])
    return (capped[:n], splits[0][1]), (capped[n:], splits[1][1])


@pytest.mark.parametrize("arguments", [{}, {"num_words": 8}, {"maxlen": 4, "seed": 3}])
def test_imdb_follows_keras(fake_imdb, arguments):
    (x_train, y_train), (x_test, y_test) = imdb.load_data(**arguments)
    (e_train, f_train), (e_test, f_test) = keras_imdb(**arguments)
    assert x_train.dtype == object and [list(r) for r in x_train] == e_train
    assert [list(r) for r in x_test] == e_test
    np.testing.assert_array_equal(y_train, f_train)
    np.testing.assert_array_equal(y_test, f_test)


def test_imdb_word_index_is_verified_by_its_md5(fake_imdb):
    assert imdb.get_word_index() == {"the": 1, "movie": 2}


def test_imdb_maxlen_that_keeps_nothing_explains(fake_imdb):
    with pytest.raises(LayerfitValueError, match="No review is shorter than maxlen=2(.|\n)*Fix:"):
        imdb.load_data(maxlen=2)
    with pytest.raises(LayerfitValueError, match="maxlen=0(.|\n)*Fix: maxlen=200"):
        imdb.load_data(maxlen=0)


def test_reuters_bad_test_split_explains(fake_reuters):
    with pytest.raises(LayerfitValueError, match="test_split=1(.|\n)*20% test newswires"):
        reuters.load_data(test_split=1)


def test_a_dataset_file_that_unpickles_code_is_refused(tmp_path):
    class Payload:
        def __reduce__(self):
            return (print, ("this must never run",))

    array = np.empty(1, dtype=object)
    array[0] = Payload()
    path = tmp_path / "evil.npz"
    np.savez(path, x=array)
    with pytest.raises(pickle.UnpicklingError, match="builtins.print is not allowed"):
        _npz.load_npz(path)
    np.savez(path, x=np.arange(6).reshape(2, 3), y=ragged([[1], [2, 3]]))
    arrays = _npz.load_npz(path)
    np.testing.assert_array_equal(arrays["x"], np.arange(6).reshape(2, 3))
    assert [list(r) for r in arrays["y"]] == [[1], [2, 3]]


def test_boston_housing_shuffles_and_splits_as_keras(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(50, 13)), rng.uniform(5, 50, size=50)
    buffer = io.BytesIO()
    np.savez(buffer, x=x, y=y)
    folder = tmp_path / "data" / "boston_housing"
    folder.mkdir(parents=True)
    (folder / "boston_housing.npz").write_bytes(buffer.getvalue())
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    spec = FileSpec("boston_housing.npz", hashlib.sha256(buffer.getvalue()).hexdigest())
    monkeypatch.setattr(
        boston_housing, "_SOURCE", DatasetSource("Boston Housing", "boston_housing", (spec,), ())
    )
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data(test_split=0.2, seed=7)
    order = np.arange(50)
    np.random.RandomState(7).shuffle(order)
    np.testing.assert_array_equal(x_train, x[order][:40])
    np.testing.assert_array_equal(y_test, y[order][40:])


WIRES = [[5, 1, 9], [2, 3], [7, 7, 7, 7], [4], [6, 2, 2], [3, 1]]
TOPICS = np.array([3, 4, 3, 19, 1, 3])


@pytest.fixture
def fake_reuters(tmp_path, monkeypatch):
    buffer = io.BytesIO()
    np.savez(buffer, x=ragged(WIRES), y=TOPICS)
    folder = tmp_path / "data" / "reuters"
    folder.mkdir(parents=True)
    (folder / "reuters.npz").write_bytes(buffer.getvalue())
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        reuters, "_WIRES", FileSpec("reuters.npz", hashlib.sha256(buffer.getvalue()).hexdigest())
    )


def keras_reuters(num_words=None, test_split=0.2, seed=113, maxlen=None):
    """Keras's procedure: one shuffle of all newswires, shift, filter, cap, then split."""
    order = np.arange(len(WIRES))
    np.random.RandomState(seed).shuffle(order)
    wires = [[1] + [w + 3 for w in WIRES[i]] for i in order]
    labels = TOPICS[order]
    kept = [i for i, wire in enumerate(wires) if maxlen is None or len(wire) < maxlen]
    wires, labels = [wires[i] for i in kept], labels[kept]
    num_words = num_words or max(max(w) for w in wires)
    wires = [[w if w < num_words else 2 for w in wire] for wire in wires]
    cut = int(len(wires) * (1 - test_split))
    return (wires[:cut], labels[:cut]), (wires[cut:], labels[cut:])


@pytest.mark.parametrize(
    "arguments", [{}, {"num_words": 7, "test_split": 0.5}, {"maxlen": 5, "seed": 1}]
)
def test_reuters_follows_keras(fake_reuters, arguments):
    (x_train, y_train), (x_test, y_test) = reuters.load_data(**arguments)
    (e_train, f_train), (e_test, f_test) = keras_reuters(**arguments)
    assert [list(r) for r in x_train] == e_train and [list(r) for r in x_test] == e_test
    np.testing.assert_array_equal(y_train, f_train)
    np.testing.assert_array_equal(y_test, f_test)


def test_reuters_label_names_index_the_topics():
    names = reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[4] == "acq"
