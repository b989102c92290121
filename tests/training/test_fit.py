"""fit / evaluate / predict semantics against hand-computed values."""

import re

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.callbacks import Callback, LambdaCallback
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, LayerfitWarning
from layerfit.layers import Dense, Input


def tiny_classifier(optimizer="adam", metrics=("accuracy",)):
    model = keras.Sequential(
        [Input(shape=(4,)), Dense(8, activation="relu"), Dense(3, activation="softmax")]
    )
    model.compile(
        optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=list(metrics)
    )
    return model


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    x = rng.normal(size=(n, 4)).astype("float32") + y[:, None] * 2.0
    return x, y


def test_history_holds_python_floats_in_keras_order():
    x, y = blobs()
    history = tiny_classifier().fit(x, y, epochs=3, validation_split=0.25, verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(isinstance(v, float) for values in history.history.values() for v in values)
    assert history.epoch == [0, 1, 2]
    assert history.params["epochs"] == 3 and history.params["steps"] == 2  # 45 samples / 32


def test_validation_split_holds_out_the_last_fraction():
    x, y = blobs(50)
    model = tiny_classifier()
    history = model.fit(x, y, epochs=1, validation_split=0.2, verbose=0)
    # After the epoch the weights are fixed: evaluating the last 10 samples gives val_loss.
    loss, accuracy = model.evaluate(x[40:], y[40:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(loss, rel=1e-6)
    assert history.history["val_accuracy"][0] == pytest.approx(accuracy, rel=1e-6)


def test_epoch_loss_is_the_batch_size_weighted_mean():
    x, y = blobs(10)
    model = tiny_classifier(optimizer=keras.optimizers.SGD(learning_rate=0.0))
    history = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    probs = model.predict(x, verbose=0).astype("float64")
    expected = -np.log(np.clip(probs[np.arange(10), y], 1e-7, 1 - 1e-7)).mean()
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)
    assert history.history["accuracy"][0] == pytest.approx((probs.argmax(1) == y).mean())


def test_evaluate_return_forms():
    x, y = blobs()
    with_metric = tiny_classifier()
    with_metric.fit(x, y, epochs=1, verbose=0)
    result = with_metric.evaluate(x, y, verbose=0)
    assert isinstance(result, list) and len(result) == 2
    as_dict = with_metric.evaluate(x, y, verbose=0, return_dict=True)
    assert as_dict == {"accuracy": pytest.approx(result[1]), "loss": pytest.approx(result[0])}
    loss_only = tiny_classifier(metrics=())
    assert isinstance(loss_only.evaluate(x, y, verbose=0), float)


def test_predict_returns_numpy_rows_summing_to_one():
    x, _ = blobs(70)
    out = tiny_classifier().predict(x, batch_size=32, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-6)


def test_accepts_uint8_float64_lists_tensors_and_pandas():
    pd = pytest.importorskip("pandas")
    x, y = blobs(40)
    model = tiny_classifier()
    for features, labels in [
        ((np.abs(x) * 10).astype("uint8"), y),
        (x.astype("float64"), y.astype("float64")),
        (x.tolist(), y.tolist()),
        (torch.from_numpy(x), torch.from_numpy(y)),
        (pd.DataFrame(x, columns=list("abcd")), pd.Series(y)),
    ]:
        history = model.fit(features, labels, epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][0])


def test_fit_before_compile_says_what_to_do():
    model = keras.Sequential([Input(shape=(4,)), Dense(1)])
    with pytest.raises(LayerfitRuntimeError, match=r"compile\(\)"):
        model.fit(np.zeros((4, 4)), np.zeros(4))


def test_same_seed_same_weights_and_history():
    x, y = blobs()
    runs = []
    for _ in range(2):
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = tiny_classifier()
        history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.2, verbose=0)
        runs.append((history.history, model.get_weights()))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1]):
        np.testing.assert_array_equal(a, b)


def test_verbose_0_is_silent_and_2_prints_one_line_per_epoch(capsys):
    x, y = blobs()
    model = tiny_classifier()
    model.fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, verbose=2, validation_split=0.2)
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    model.fit(x, y, epochs=1, verbose=2)  # Keras 3 prints no 'Epoch 1/1' header
    assert len(capsys.readouterr().out.strip().splitlines()) == 1
    # Keras's verbose=2 line: steps, time, time per step, then the logs in Keras's order.
    pattern = (
        r"2/2 - \d+s - \d+(ms|us)/step - accuracy: \d\.\d{4} - loss: \d+\.\d{4} - "
        r"val_accuracy: \d\.\d{4} - val_loss: \d+\.\d{4}"
    )
    assert re.fullmatch(pattern, lines[1]), lines[1]
    assert "\r" not in out


def test_verbose_1_piped_prints_a_plain_final_line(capsys):
    x, y = blobs()
    tiny_classifier().fit(x, y, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert "\r" not in out and "\x1b" not in out
    line = out.strip().splitlines()[-1]
    assert line.startswith("2/2 ━━━━━━━━━━━━━━━━━━━━ ") and " - loss: " in line


def test_callback_hooks_order_and_stop_training():
    calls = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin {epoch}")

        def on_train_batch_end(self, batch, logs=None):
            calls.append(f"batch_end {batch} {sorted(logs)}")

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end {epoch}")
            self.model.stop_training = epoch == 1

        def on_train_end(self, logs=None):
            calls.append("train_end")

    x, y = blobs(40)
    history = tiny_classifier().fit(
        x, y, epochs=5, batch_size=20, verbose=0, callbacks=[Recorder()]
    )
    assert calls == [
        "train_begin",
        "epoch_begin 0",
        "batch_end 0 ['accuracy', 'loss']",
        "batch_end 1 ['accuracy', 'loss']",
        "epoch_end 0",
        "epoch_begin 1",
        "batch_end 0 ['accuracy', 'loss']",
        "batch_end 1 ['accuracy', 'loss']",
        "epoch_end 1",
        "train_end",
    ]
    assert len(history.epoch) == 2


def test_lambda_callback():
    seen = []
    x, y = blobs(40)
    tiny_classifier().fit(
        x,
        y,
        epochs=2,
        verbose=0,
        callbacks=[
            LambdaCallback(
                on_epoch_end=lambda epoch, logs: seen.append((epoch, round(logs["loss"], 3)))
            )
        ],
    )
    assert [epoch for epoch, _ in seen] == [0, 1]


def test_on_batch_methods():
    x, y = blobs(16)
    model = tiny_classifier()
    loss, accuracy = model.train_on_batch(x, y)
    assert np.isfinite(loss) and 0 <= accuracy <= 1
    assert isinstance(model.test_on_batch(x, y, return_dict=True), dict)
    assert model.predict_on_batch(x).shape == (16, 3)


def test_validation_split_that_leaves_nothing_is_explained():
    x, y = blobs(1)
    with pytest.raises(LayerfitValueError, match="leaves 0 for training"):
        tiny_classifier().fit(x, y, validation_split=0.5, verbose=0)


def test_x_and_y_of_different_lengths():
    x, y = blobs(10)
    with pytest.raises(LayerfitValueError, match=r"x has 10 samples but y has 9\."):
        tiny_classifier().fit(x, y[:9], verbose=0)


@pytest.mark.slow
def test_mnist_mlp_reaches_092_after_3_epochs_on_12000_images(data_dir):
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train[:12000].reshape(-1, 784) / 255.0
    x_test = x_test.reshape(-1, 784) / 255.0
    model = keras.Sequential(
        [
            Input(shape=(784,)),
            Dense(256, activation="relu"),
            Dense(256, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, keras.utils.to_categorical(y_train[:12000], 10), epochs=3, verbose=0)
    _, accuracy = model.evaluate(x_test, keras.utils.to_categorical(y_test, 10), verbose=0)
    assert accuracy >= 0.92


def test_kernel_regularizer_adds_its_penalty_to_the_logged_loss():
    x, y = blobs(8)
    model = keras.Sequential(
        [Input(shape=(4,)), Dense(3, activation="softmax", kernel_regularizer="l2")]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    kernel = model.layers[0].get_weights()[0].astype("float64")
    probs = model.predict(x, verbose=0).astype("float64")
    cross_entropy = -np.log(probs[np.arange(8), y]).mean()
    # Keras's 'l2' regularizer is 0.01 * sum(w ** 2).
    expected = cross_entropy + 0.01 * (kernel**2).sum()
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_class_weight_weights_each_training_sample_by_its_class():
    x, y = blobs(12)
    model = tiny_classifier(optimizer=keras.optimizers.SGD(0.0), metrics=())
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    history = model.fit(
        x,
        y,
        batch_size=12,
        epochs=1,
        shuffle=False,
        class_weight=weights,
        validation_data=(x, y),
        verbose=0,
    )
    probs = model.predict(x, verbose=0).astype("float64")
    per_sample = -np.log(probs[np.arange(12), y])
    sample_weights = np.array([weights[int(label)] for label in y])
    # Keras's sum_over_batch_size: sum(loss * weight) / batch size; validation is unweighted.
    assert history.history["loss"][0] == pytest.approx((per_sample * sample_weights).mean(), 1e-5)
    assert history.history["val_loss"][0] == pytest.approx(per_sample.mean(), rel=1e-5)


def test_class_weight_with_a_dataloader_is_explained():
    x, y = blobs(8)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=4
    )
    with pytest.raises(LayerfitValueError, match="sample_weight"):
        tiny_classifier().fit(loader, class_weight={0: 2.0}, verbose=0)


def test_train_on_batch_applies_class_weight():
    x, y = blobs(6)
    model = tiny_classifier(optimizer=keras.optimizers.SGD(0.0), metrics=())
    weighted = model.train_on_batch(x, y, class_weight={0: 0.0, 1: 0.0, 2: 0.0})
    assert weighted == 0.0


def test_fit_without_trainable_weights_warns_and_measures_each_epoch():
    # Keras warns and trains on; the loss is still computed: here by hand with numpy.
    keras.utils.set_random_seed(0)
    model = keras.Sequential([Input(shape=(3,)), Dense(1)])
    model.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    x = np.arange(12, dtype="float32").reshape(4, 3) / 12
    y = np.array([[0.0], [1.0], [2.0], [3.0]], dtype="float32")
    kernel, bias = model.get_weights()
    with pytest.warns(LayerfitWarning, match="no trainable weights") as caught:
        history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    message = str(caught[0].message)
    assert "nothing is learned" in message and "trainable = True" in message
    expected = float(np.mean((x @ kernel + bias - y) ** 2))
    np.testing.assert_allclose(history.history["loss"], [expected, expected], rtol=1e-6)
    for before, after in zip((kernel, bias), model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_train_on_batch_without_trainable_weights_warns_and_returns_the_loss():
    model = keras.Sequential([Input(shape=(2,)), Dense(1, kernel_initializer="ones")])
    model.trainable = False
    model.compile(optimizer="sgd", loss="mae")
    with pytest.warns(LayerfitWarning, match=r"train_on_batch\(\).*no trainable weights"):
        loss = model.train_on_batch(np.array([[1.0, 2.0]]), np.array([[1.0]]))
    assert loss == pytest.approx(2.0, abs=1e-6)  # |1 + 2 + 0 - 1|


def test_an_optimizer_assigned_after_compile_is_the_one_that_steps():
    model = tiny_classifier(optimizer="adam")
    model.optimizer = keras.optimizers.SGD(learning_rate=0.0)
    x, y = blobs(32)
    before = model.get_weights()
    model.fit(x, y, epochs=1, verbose=0)
    assert model.optimizer.iterations == 1  # 32 samples, one batch
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras_early_stopping_docstring_example_runs_its_four_epochs():
    # Keras's own example: Dense(10) against y of shape (5,) under mse is legal (broadcast) in
    # Keras, and diverges to inf; Keras trains on and EarlyStopping stops after 4 epochs.
    callback = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    model = keras.models.Sequential([keras.layers.Dense(10)])
    model.compile(keras.optimizers.SGD(), loss="mse")
    with pytest.warns(LayerfitWarning) as record:
        history = model.fit(
            np.arange(100).reshape(5, 20),
            np.zeros(5),
            epochs=10,
            batch_size=1,
            callbacks=[callback],
            verbose=0,
        )
    assert len(history.history["loss"]) == 4
    messages = [str(w.message) for w in record]
    assert "the loss broadcasts them" in messages[0] and "reshape y to (None, 10)" in messages[0]


def test_broadcast_that_keras_cannot_compute_still_raises():
    model = keras.models.Sequential([keras.layers.Dense(10)])
    model.compile(keras.optimizers.SGD(), loss="mse")
    with pytest.raises(LayerfitValueError, match=r"labels have shape \(None,\)"):
        model.fit(np.ones((4, 20)), np.zeros(4), batch_size=2, verbose=0)  # (2,) vs (2, 10)
