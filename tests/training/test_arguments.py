"""Checked arguments of fit, evaluate, predict and *_on_batch; Input and Embedding checks."""

from __future__ import annotations

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.callbacks import EarlyStopping
from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning

X = np.random.default_rng(0).random((20, 4)).astype("float32")
Y = np.random.default_rng(1).integers(0, 3, 20)


def model():
    m = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy")
    return m


@pytest.mark.parametrize("value", [0, -1, 2.5, True, "32"])
def test_fit_batch_size_must_be_a_positive_whole_number(value):
    with pytest.raises(LayerfitValueError) as info:
        model().fit(X, Y, batch_size=value, verbose=0)
    message = str(info.value)
    assert f"batch_size={value!r}" in message and "positive whole number" in message
    assert "Fix: model.fit(..., batch_size=32)" in message


def test_fractional_batch_size_suggests_rounding():
    with pytest.raises(LayerfitValueError, match="Round it: batch_size=2"):
        model().fit(X, Y, batch_size=2.5, verbose=0)


def test_numpy_integer_batch_size_is_accepted():
    history = model().fit(X, Y, batch_size=np.int64(8), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


@pytest.mark.parametrize("value", [-1, 2.5, None, True])
def test_fit_epochs_must_be_a_whole_number(value):
    with pytest.raises(LayerfitValueError) as info:
        model().fit(X, Y, epochs=value, verbose=0)
    assert f"epochs={value!r}" in str(info.value) and "epochs=10" in str(info.value)


def test_epochs_zero_trains_nothing_as_keras():
    m = model()
    before = [w.copy() for w in m.get_weights()]
    history = m.fit(X, Y, epochs=0, verbose=0)
    assert history.history == {}
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_validation_split_out_of_range():
    with pytest.raises(LayerfitValueError, match="validation_split=1.5"):
        model().fit(X, Y, validation_split=1.5, verbose=0)


def test_callbacks_must_be_callback_objects():
    with pytest.raises(LayerfitTypeError) as info:
        model().fit(X, Y, callbacks=5, verbose=0)
    assert "callbacks is 5 (int)" in str(info.value)
    assert "callbacks=[EarlyStopping(patience=3)]" in str(info.value)
    with pytest.raises(LayerfitTypeError, match=r"EarlyStopping\(\.\.\.\), not the class"):
        model().fit(X, Y, callbacks=[EarlyStopping], verbose=0)


def test_a_single_callback_is_accepted_as_keras_does():
    stop = EarlyStopping(monitor="loss", patience=0, min_delta=100.0)
    history = model().fit(X, Y, epochs=5, callbacks=stop, verbose=0)
    assert len(history.history["loss"]) == 2  # epoch 2 fails to improve by 100: stops
    assert stop.stopped_epoch == 1


def test_class_weight_keys_must_be_class_indices():
    with pytest.raises(LayerfitValueError) as info:
        model().fit(X, Y, class_weight={"a": 1.0}, verbose=0)
    assert "key 'a' (str)" in str(info.value) and "class_names.index(name)" in str(info.value)
    with pytest.raises(LayerfitValueError, match=r"class_weight\[0\] is -1"):
        model().fit(X, Y, class_weight={0: -1.0}, verbose=0)
    with pytest.raises(LayerfitValueError, match="key 'a'"):
        model().train_on_batch(X, Y, class_weight={"a": 1.0})


def test_complex_input_is_refused():
    with pytest.raises(LayerfitTypeError) as info:
        model().fit(X.astype(np.complex64), Y, verbose=0)
    assert "complex numbers in x (dtype complex64)" in str(info.value)
    assert "x.real, x.imag" in str(info.value)
    with pytest.raises(LayerfitTypeError, match="complex"):
        model().predict(X.astype(np.complex128), verbose=0)


@pytest.mark.parametrize("value", [0, -4])
def test_predict_and_evaluate_batch_size(value):
    with pytest.raises(LayerfitValueError, match=f"predict\\(\\) got batch_size={value}"):
        model().predict(X, batch_size=value, verbose=0)
    with pytest.raises(LayerfitValueError, match=f"evaluate\\(\\) got batch_size={value}"):
        model().evaluate(X, Y, batch_size=value, verbose=0)


def test_on_batch_methods_need_an_x():
    with pytest.raises(LayerfitValueError, match="train_on_batch\\(\\) got x=None"):
        model().train_on_batch(None, Y)
    with pytest.raises(LayerfitValueError, match="test_on_batch\\(\\) got x=None"):
        model().test_on_batch(None, Y)


def test_dict_x_to_a_sequential_names_the_right_fix():
    with pytest.raises(LayerfitValueError) as info:
        model().fit({"a": X}, Y, verbose=0)
    message = str(info.value)
    assert "Sequential model has a single input" in message and "x['a']" in message
    assert "Flatten" not in message
    with pytest.raises(LayerfitValueError, match="one named Input per key"):
        model().predict({"a": X, "b": X}, verbose=0)


@pytest.mark.parametrize("shape", [(-1,), (4, -3), (2.5,), ("a",)])
def test_input_shape_must_be_sizes_or_none(shape):
    with pytest.raises(LayerfitValueError) as info:
        layers.Input(shape=shape)
    assert f"shape={shape!r}" in str(info.value) and "write None" in str(info.value)


def test_input_shape_with_none_and_zero_is_fine():
    assert layers.Input(shape=(None, 0, 3)).shape == (None, None, 0, 3)


@pytest.mark.parametrize("bad, low, high", [(7, 0, 7), (-2, -2, 3)])
def test_embedding_id_outside_the_table_direct_call(bad, low, high):
    layer = layers.Embedding(5, 2)
    ids = np.array([[0, 3, bad]]) if bad > 0 else np.array([[bad, 3, 1]])
    with pytest.raises(LayerfitValueError) as info:
        layer(ids)
    message = str(info.value)
    assert f"'embedding' got the id {bad} (ids from {low} to {high})" in message
    assert "input_dim=5" in message
    assert (bad < 0 and "negative ids are never valid" in message) or "input_dim=8" in message


def test_embedding_id_outside_the_table_in_fit():
    m = keras.Sequential(
        [
            layers.Input(shape=(3,)),
            layers.Embedding(10, 4),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    m.compile("adam", "sparse_categorical_crossentropy")
    ids = np.random.default_rng(0).integers(0, 10, (16, 3))
    ids[12, 1] = 12  # only in the second batch: the first-batch probe does not see it
    with pytest.raises(LayerfitValueError) as info:
        m.fit(ids, np.zeros(16, "int64"), batch_size=8, verbose=0)
    message = str(info.value)
    assert "got the id 12" in message and "Embedding(input_dim=13" in message
    assert "Flatten" not in message


def test_embedding_ids_in_range_match_a_table_lookup():
    layer = layers.Embedding(5, 2)
    ids = np.array([[0, 4, 2]])
    out = layer(ids).detach().cpu().numpy()
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(out[0], table[[0, 4, 2]])


def test_a_generator_that_runs_out_warns_and_stops_with_a_consistent_history():
    def batches():
        for start in range(0, 15, 5):  # 3 batches, while 2 epochs x 2 steps want 4
            yield X[start : start + 5], Y[start : start + 5]

    m = model()
    with pytest.warns(LayerfitWarning) as caught:
        history = m.fit(
            batches(),
            epochs=4,
            steps_per_epoch=2,
            validation_data=(X, Y),
            verbose=0,
        )
    assert len(caught) == 1
    assert "Your input ran out of data; interrupting training" in str(caught[0].message)
    assert "(it gave 3 in total)" in str(caught[0].message)
    # Epoch 2 got one batch and is logged; training stops there.
    assert {key: len(values) for key, values in history.history.items()} == {
        "loss": 2,
        "val_loss": 2,
    }


def test_a_generator_that_runs_out_on_an_epoch_boundary_logs_no_empty_epoch():
    def batches():
        for start in range(0, 20, 5):  # exactly 2 epochs of 2 steps
            yield X[start : start + 5], Y[start : start + 5]

    with pytest.warns(LayerfitWarning, match="ran out of data"):
        history = model().fit(batches(), epochs=3, steps_per_epoch=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_an_empty_generator_says_so():
    with pytest.raises(LayerfitValueError, match="yielded no batch at all"):
        model().fit((b for b in ()), epochs=1, steps_per_epoch=2, verbose=0)


def test_compile_checks_its_arguments():
    m = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])
    with pytest.raises(LayerfitValueError, match="loss weight 'a' \\(str\\)"):
        m.compile("adam", "mse", loss_weights="a")
    with pytest.raises(LayerfitValueError, match="steps_per_execution=0"):
        m.compile("adam", "mse", steps_per_execution=0)
    with pytest.raises(LayerfitTypeError, match="run_eagerly='yes'"):
        m.compile("adam", "mse", run_eagerly="yes")
    with pytest.raises(LayerfitValueError, match="jit_compile='xla'"):
        m.compile("adam", "mse", jit_compile="xla")


def test_compile_speed_settings_are_accepted_with_one_note(monkeypatch):
    from layerfit.training import _arguments

    monkeypatch.setattr(_arguments, "_noted", [])
    m = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])
    with pytest.warns(LayerfitWarning) as caught:
        m.compile("adam", "mse", steps_per_execution=32)
    message = str(caught[0].message)
    assert "steps_per_execution=32) is accepted and has no effect" in message
    assert "jit_compile=True" in message  # the fix names what does compile the step
    m.compile("adam", "mse", steps_per_execution=32)  # once: no new warning
    reference = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])
    reference.set_weights(m.get_weights())
    reference.compile("adam", "mse")
    np.testing.assert_array_equal(
        m.train_on_batch(X, np.zeros((20, 3), "float32")),
        reference.train_on_batch(X, np.zeros((20, 3), "float32")),
    )


def test_predict_on_batch_needs_an_x():
    with pytest.raises(LayerfitValueError, match="predict_on_batch\\(\\) got x=None"):
        model().predict_on_batch(None)
