"""text_dataset_from_directory, timeseries_dataset_from_array and split_dataset."""

import os
import random
from pathlib import Path

import numpy as np
import pytest

import layerfit as keras
from layerfit.utils import split_dataset, text_dataset_from_directory, timeseries_dataset_from_array


@pytest.fixture
def reviews(tmp_path):
    for label in ("neg", "pos"):
        (tmp_path / label).mkdir()
        for i in range(5):
            (tmp_path / label / f"{i}.txt").write_text(f"{label} review number {i} café")
    (tmp_path / "pos" / "ignored.csv").write_text("a,b")
    return tmp_path


def test_text_dataset_reads_files_with_labels(reviews, capsys):
    ds = text_dataset_from_directory(reviews, batch_size=4, seed=2)
    assert capsys.readouterr().out == "Found 10 files belonging to 2 classes.\n"
    assert ds.class_names == ["neg", "pos"] and len(ds) == 3
    texts, labels = zip(*ds)
    texts, labels = np.concatenate(texts), np.concatenate(labels)
    assert sorted(texts.tolist()) == sorted(
        f"{c} review number {i} café" for c in ("neg", "pos") for i in range(5)
    )
    for text, label in zip(texts, labels):  # every text carries its folder's label
        assert text.startswith(ds.class_names[label])


def test_text_dataset_split_matches_keras_and_max_length(reviews, capsys):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    pytest.importorskip("jax")
    dataset_utils = pytest.importorskip("keras.src.utils.dataset_utils")
    train, val = text_dataset_from_directory(
        reviews, validation_split=0.2, subset="both", seed=9, max_length=5, batch_size=None
    )
    paths, labels, _ = dataset_utils.index_directory(str(reviews), "inferred", (".txt",), seed=9)
    expected, _ = dataset_utils.get_training_or_validation_split(paths, labels, 0.2, "validation")
    assert val.file_paths == expected
    texts = [text for text, _ in val]
    assert texts == [Path(p).read_text(encoding="utf-8")[:5] for p in expected]
    # max_length counts bytes (as tf.strings.substr); a cut character is dropped.
    cut = text_dataset_from_directory(
        reviews, labels=None, max_length=24, shuffle=False, batch_size=None, verbose=False
    )
    assert next(iter(cut)) == "neg review number 0 caf"


def test_text_dataset_categorical_and_errors(reviews):
    ds = text_dataset_from_directory(
        reviews, label_mode="categorical", shuffle=False, verbose=False
    )
    _, labels = next(iter(ds))
    assert labels.tolist() == [[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 5
    with pytest.raises(ValueError, match=r"No text files found[\s\S]*Fix"):
        text_dataset_from_directory(reviews / "pos", verbose=False)
    with pytest.raises(ValueError, match="label_mode='one_hot'"):
        text_dataset_from_directory(reviews, label_mode="one_hot")


def test_timeseries_windows_and_targets_by_hand():
    data = np.arange(100)
    ds = timeseries_dataset_from_array(
        data,
        targets=data * 10,
        sequence_length=5,
        sequence_stride=3,
        sampling_rate=2,
        batch_size=4,
        start_index=10,
        end_index=60,
    )
    windows, targets = map(np.concatenate, zip(*ds))
    # Window i starts at s = 10 + 3i and holds s, s+2, ..., s+8 while s+8 < 60.
    starts = np.arange(10, 60 - 8, 3)
    np.testing.assert_array_equal(windows, starts[:, None] + np.arange(0, 10, 2))
    np.testing.assert_array_equal(targets, starts * 10)
    assert len(ds) == -(-len(starts) // 4)


def test_timeseries_forecasting_pattern_from_the_keras_docs():
    # "Use the data of the past 10 steps to predict the next one."
    data = np.arange(30, dtype="float32")[:, None]
    ds = timeseries_dataset_from_array(data[:-10], targets=data[10:], sequence_length=10)
    inputs, targets = next(iter(ds))
    assert inputs.shape == (11, 10, 1)
    np.testing.assert_array_equal(inputs[:, -1, 0] + 1, targets[:, 0])


def test_timeseries_shuffle_is_seeded_and_complete():
    def windows(seed):
        ds = timeseries_dataset_from_array(
            np.arange(50), None, sequence_length=4, shuffle=True, seed=seed, batch_size=8
        )
        return np.concatenate(list(ds))[:, 0].tolist()

    first = windows(3)
    assert sorted(first) == list(range(47)) and first != list(range(47))
    assert windows(3) == first


def test_timeseries_fits_a_model():
    series = np.sin(np.arange(300) / 5).astype("float32")[:, None]
    ds = timeseries_dataset_from_array(series[:-8], series[8:], sequence_length=8, batch_size=32)
    model = keras.Sequential([keras.Input((8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    history = model.fit(ds, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"sequence_length": 0}, "sequence_length=0"),
        ({"sampling_rate": 100}, "sampling_rate=100"),
        ({"sequence_stride": -1}, "sequence_stride=-1"),
        ({"start_index": 200}, "start_index=200"),
        ({"start_index": 5, "end_index": 3}, "end_index=3"),
        ({"format": "pandas"}, "format='pandas'"),
    ],
)
def test_timeseries_bad_arguments(kwargs, match):
    arguments = {"sequence_length": 3, **kwargs}
    with pytest.raises(ValueError, match=match) as info:
        timeseries_dataset_from_array(np.arange(100), None, **arguments)
    assert "Expected:" in str(info.value)


def test_split_dataset_matches_keras_shuffle_rule():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    left, right = split_dataset((x, y), left_size=0.7, shuffle=True, seed=4)
    assert len(left) == 7 and len(right) == 3
    # Keras: random.seed(seed); random.shuffle(list of samples); left first, right last.
    order = list(range(10))
    random.seed(4)
    random.shuffle(order)
    assert [int(b) for _, b in left] == order[:7] and [int(b) for _, b in right] == order[7:]
    for features, label in left:
        np.testing.assert_array_equal(features, x[label])


def test_split_dataset_sizes_and_batched_datasets():
    left, right = split_dataset(np.arange(10), right_size=3)
    assert [int(v) for v in left] == list(range(7)) and [int(v) for v in right] == [7, 8, 9]
    batched = keras.data.Dataset.from_tensor_slices(np.arange(10)).batch(4)
    left, right = split_dataset(batched, left_size=6)
    assert [b.tolist() for b in left] == [[0, 1, 2, 3], [4, 5]]
    assert [b.tolist() for b in right] == [[6, 7, 8, 9]]
    with pytest.raises(ValueError, match="neither left_size nor right_size"):
        split_dataset(np.arange(10))
    with pytest.raises(ValueError, match="left_size=10"):
        split_dataset(np.arange(10), left_size=10)
    with pytest.raises(TypeError, match="left_size is a str"):
        split_dataset(np.arange(10), left_size="half")
    with pytest.raises(TypeError, match="split_dataset got a dict"):
        split_dataset({"a": 1}, left_size=0.5)
    with pytest.raises(ValueError, match="arrays of lengths"):
        split_dataset((np.arange(3), np.arange(4)), left_size=0.5)


def test_fitting_on_raw_text_says_to_vectorize_first(reviews):
    ds = text_dataset_from_directory(reviews, batch_size=4, verbose=False)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    with pytest.raises(TypeError, match=r"holds text[\s\S]*TextVectorization"):
        model.fit(ds, epochs=1, verbose=0)
