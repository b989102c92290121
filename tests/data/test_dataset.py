"""layerfit.data.Dataset: tf.data's chainable calls, checked element by element."""

import threading

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.data import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset


def _values(dataset):
    return [int(e) if np.ndim(e) == 0 else np.asarray(e).tolist() for e in dataset]


def test_from_tensor_slices_batch_and_length():
    ds = Dataset.from_tensor_slices((np.arange(10), np.arange(10) * 2)).batch(4)
    assert len(ds) == 3 and ds.cardinality() == 3
    batches = list(ds)
    assert [x.tolist() for x, _ in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [y.tolist() for _, y in batches][2] == [16, 18]
    assert len(Dataset.from_tensor_slices(np.arange(10)).batch(4, drop_remainder=True)) == 2


def test_take_skip_repeat_cardinality():
    ds = Dataset.from_tensor_slices(np.arange(5))
    assert _values(ds.take(3)) == [0, 1, 2] and ds.take(3).cardinality() == 3
    assert _values(ds.skip(3)) == [3, 4] and len(ds.skip(3)) == 2
    assert _values(ds.take(-1)) == [0, 1, 2, 3, 4]
    assert _values(ds.repeat(2)) == [0, 1, 2, 3, 4] * 2 and len(ds.repeat(2)) == 10
    forever = ds.repeat()
    assert forever.cardinality() == INFINITE_CARDINALITY
    assert _values(forever.take(12)) == [0, 1, 2, 3, 4] * 2 + [0, 1]
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    filtered = ds.filter(lambda v: v % 2 == 0)
    assert _values(filtered) == [0, 2, 4] and filtered.cardinality() == UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="unknown"):
        len(filtered)


def test_map_in_threads_keeps_order_and_uses_threads():
    seen = set()

    def slow_square(v):
        seen.add(threading.current_thread().name)
        return v * v

    ds = Dataset.from_tensor_slices(np.arange(50)).map(slow_square, num_parallel_calls=4)
    assert _values(ds) == [v * v for v in range(50)]
    assert all(name.startswith("layerfit-map") for name in seen)
    pairs = Dataset.from_tensor_slices((np.arange(3), np.arange(3) + 10))
    assert [(int(a), int(b)) for a, b in pairs.map(lambda x, y: (y, x))] == [
        (10, 0),
        (11, 1),
        (12, 2),
    ]


def test_shuffle_is_a_permutation_reproducible_with_a_seed_and_new_each_epoch():
    ds = Dataset.from_tensor_slices(np.arange(100)).shuffle(16, seed=3)
    first, second = _values(ds), _values(ds)
    assert sorted(first) == list(range(100)) and first != list(range(100))
    assert first != second  # reshuffled per pass (epoch)
    again = Dataset.from_tensor_slices(np.arange(100)).shuffle(16, seed=3)
    assert _values(again) == first and _values(again) == second
    fixed = Dataset.from_tensor_slices(np.arange(20)).shuffle(
        100, seed=1, reshuffle_each_iteration=False
    )
    assert _values(fixed) == _values(fixed)


def test_unbatch_cache_prefetch_enumerate():
    ds = Dataset.from_tensor_slices(np.arange(7)).batch(3)
    assert _values(ds.unbatch()) == list(range(7))
    assert [b.tolist() for b in ds.rebatch(2)] == [[0, 1], [2, 3], [4, 5], [6]]
    calls = []
    cached = Dataset.from_tensor_slices(np.arange(4)).map(lambda v: calls.append(1) or v).cache()
    assert _values(cached) == _values(cached) == [0, 1, 2, 3]
    assert len(calls) == 4  # the second pass replays memory
    prefetched = Dataset.from_tensor_slices(np.arange(30)).prefetch(AUTOTUNE)
    assert _values(prefetched) == list(range(30))
    assert _values(prefetched.take(2)) == [0, 1]  # an abandoned pass stops its thread
    assert [(int(i), int(v)) for i, v in Dataset.from_tensor_slices(np.arange(2)).enumerate()] == [
        (0, 0),
        (1, 1),
    ]


def test_errors_raised_in_a_prefetch_thread_reach_the_caller():
    def broken(v):
        raise RuntimeError(f"bad element {v}")

    ds = Dataset.from_tensor_slices(np.arange(3)).map(broken).prefetch(2)
    with pytest.raises(RuntimeError, match="bad element 0"):
        list(ds)


def test_bad_arguments_name_the_fix():
    ds = Dataset.from_tensor_slices(np.arange(3))
    with pytest.raises(ValueError, match=r"batch_size=0[\s\S]*Fix: batch\(32\)"):
        ds.batch(0)
    with pytest.raises(ValueError, match="num_parallel_calls"):
        ds.map(lambda v: v, num_parallel_calls="many")
    with pytest.raises(ValueError, match="count=-3"):
        ds.take(-3)


def test_cache_file_name_is_ignored_with_a_warning():
    with pytest.warns(keras.errors.LayerfitWarning, match="in memory only"):
        ds = Dataset.from_tensor_slices(np.arange(3)).cache("/tmp/cache-file")
    assert _values(ds) == [0, 1, 2]


def test_batch_tuning_options_are_ignored_with_a_warning():
    with pytest.warns(keras.errors.LayerfitWarning, match="num_parallel_calls"):
        ds = Dataset.from_tensor_slices(np.arange(3)).batch(2, num_parallel_calls=AUTOTUNE)
    assert [b.tolist() for b in ds] == [[0, 1], [2]]


def test_fit_evaluate_predict_accept_a_dataset_like_arrays():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], dtype="float32"))[:, None]

    def model():
        keras.utils.set_random_seed(0)
        m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        m.compile("sgd", "mse")
        return m

    from_arrays, from_dataset = model(), model()
    from_arrays.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    ds = Dataset.from_tensor_slices((x, y)).batch(16).prefetch(AUTOTUNE)
    history = from_dataset.fit(ds, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    for a, b in zip(from_arrays.get_weights(), from_dataset.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    assert from_dataset.evaluate(ds, verbose=0) == pytest.approx(
        from_arrays.evaluate(x, y, verbose=0), rel=1e-6
    )
    inputs_only = Dataset.from_tensor_slices(x).batch(16)
    np.testing.assert_allclose(
        from_dataset.predict(inputs_only, verbose=0), from_arrays.predict(x, verbose=0), atol=1e-6
    )


def test_fit_with_steps_per_epoch_on_a_repeated_dataset():
    x = np.ones((8, 2), dtype="float32")
    ds = Dataset.from_tensor_slices((x, x[:, :1])).batch(4).repeat()
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    m.compile("sgd", "mse")
    history = m.fit(ds, steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_a_dataset_is_a_torch_iterable_dataset():
    ds = Dataset.from_tensor_slices((np.arange(6), np.arange(6))).batch(3)
    loader = torch.utils.data.DataLoader(ds, batch_size=None)
    assert [x.tolist() for x, _ in loader] == [[0, 1, 2], [3, 4, 5]]
