"""Weights handed out as numpy are values: they do not follow later training.

On the CPU a tensor's ``.numpy()`` shares its memory, so a ``get_weights()`` snapshot that is a
view keeps training and restoring it restores nothing. These tests train real MNIST models and
check the numbers a restore must reproduce.
"""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers

# Evaluating the validation slice again runs the same batches through the same weights in the
# same order as fit's validation pass, so the numbers agree to float32 rounding.
RTOL = 1e-6


@pytest.fixture
def mnist_slices(data_dir):
    """3000 training and 1000 validation MNIST images, flattened and scaled to [0, 1]."""
    (x, y), _ = keras.datasets.mnist.load_data()
    x = (x[:4000].reshape(-1, 784) / 255.0).astype("float32")
    y = y[:4000].astype("int64")
    return (x[:3000], y[:3000]), (x[3000:], y[3000:])


def mlp():
    model = keras.Sequential(
        [
            keras.Input((784,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_early_stopping_restore_reproduces_the_best_epoch(mnist_slices):
    (x, y), (x_val, y_val) = mnist_slices
    model = mlp()
    stopper = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=2, restore_best_weights=True
    )
    history = model.fit(
        x, y, validation_data=(x_val, y_val), epochs=30, batch_size=64, callbacks=[stopper]
    )
    val_loss = history.history["val_loss"]
    best = int(np.argmin(val_loss))
    assert stopper.stopped_epoch > 0 and best < len(val_loss) - 1  # the restore has work to do
    assert stopper.best_epoch == best
    result = model.evaluate(x_val, y_val, batch_size=64, return_dict=True)
    np.testing.assert_allclose(result["loss"], val_loss[best], rtol=RTOL)
    np.testing.assert_allclose(result["accuracy"], history.history["val_accuracy"][best], rtol=RTOL)
    assert not np.isclose(result["loss"], val_loss[-1], rtol=1e-4)  # not the last epoch's


@pytest.mark.parametrize("path", ["best.keras", "best.weights.h5"])
def test_best_checkpoint_holds_the_best_epochs_weights(mnist_slices, tmp_path, path):
    (x, y), (x_val, y_val) = mnist_slices
    model = mlp()
    checkpoint = keras.callbacks.ModelCheckpoint(
        tmp_path / path,
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=path.endswith(".weights.h5"),
    )
    history = model.fit(
        x, y, validation_data=(x_val, y_val), epochs=6, batch_size=64, callbacks=[checkpoint]
    )
    val_loss = history.history["val_loss"]
    best = int(np.argmin(val_loss))
    assert best < len(val_loss) - 1  # training went on past the best epoch
    if path.endswith(".keras"):
        restored = keras.models.load_model(tmp_path / path)
    else:
        restored = mlp()
        restored.load_weights(tmp_path / path)
    result = restored.evaluate(x_val, y_val, batch_size=64, return_dict=True)
    np.testing.assert_allclose(result["loss"], val_loss[best], rtol=RTOL)
    np.testing.assert_allclose(result["accuracy"], history.history["val_accuracy"][best], rtol=RTOL)


def test_get_weights_then_set_weights_restores_predictions(mnist_slices):
    (x, y), (x_val, _) = mnist_slices
    model = mlp()
    model.fit(x, y, epochs=1, batch_size=64)
    saved = model.get_weights()
    before = model.predict(x_val[:200])
    model.fit(x, y, epochs=1, batch_size=64)
    moved = model.predict(x_val[:200])
    assert np.abs(moved - before).max() > 1e-3  # the second epoch changed the model
    model.set_weights(saved)
    np.testing.assert_array_equal(model.predict(x_val[:200]), before)  # same weights, same math


def test_every_numpy_handout_is_a_copy():
    dense = layers.Dense(3)
    conv = layers.Conv2D(2, 3)
    dense.build((None, 4))
    conv.build((None, 5, 5, 1))
    handouts = {
        "Dense.get_weights": lambda: dense.get_weights()[0],
        "Conv2D.get_weights": lambda: conv.get_weights()[0],
        "Variable.numpy": lambda: dense.kernel.numpy(),
        "ops.convert_to_numpy": lambda: keras.ops.convert_to_numpy(dense.kernel),
        "backend.to_numpy": lambda: keras.backend.to_numpy(dense.kernel),
    }
    for name, handout in handouts.items():
        array = handout()
        kept = array.copy()
        with torch.no_grad():
            dense.kernel.add_(1.0)
            conv.kernel.add_(1.0)
        np.testing.assert_array_equal(array, kept, err_msg=name)


def test_convert_to_numpy_copies_numpy_input_as_keras_does():
    array = np.zeros(3, dtype="float32")
    converted = keras.ops.convert_to_numpy(array)
    converted[0] = 5.0
    assert array[0] == 0.0


def test_metric_variable_numpy_is_a_copy():
    metric = keras.metrics.Mean()
    metric.update_state([1.0, 3.0])
    total = metric.variables[0].numpy()
    metric.update_state([10.0])
    assert float(total) == 4.0


def test_set_weights_copies_its_arguments():
    dense = layers.Dense(2)
    dense.build((None, 3))
    kernel = np.ones((3, 2), dtype="float32")
    dense.set_weights([kernel, np.zeros(2, dtype="float32")])
    kernel[:] = 7.0
    np.testing.assert_array_equal(dense(np.ones((1, 3), dtype="float32")).detach(), [[3.0, 3.0]])
