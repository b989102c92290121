"""SwapEMAWeights: evaluation on the optimizer's moving averages, the weights back afterwards."""

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(5)
X = RNG.normal(size=(64, 3)).astype("f4")
Y = (X @ np.array([[1.0], [-1.0], [2.0]], dtype="f4")).astype("f4")


def _model(use_ema=True):
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(
        optimizer=keras.optimizers.SGD(0.05, use_ema=use_ema, ema_momentum=0.9), loss="mse"
    )
    return model


def _averages(model):
    return [a.detach().numpy().copy() for a in model.optimizer._slots["average"]]


def test_evaluate_and_predict_use_the_averages_and_put_the_weights_back():
    model = _model()
    for start in range(0, 64, 16):  # train_on_batch does not end on the averages, as fit does
        model.train_on_batch(X[start : start + 16], Y[start : start + 16])
    weights, averages = model.get_weights(), _averages(model)
    assert not np.allclose(weights[0], averages[0])  # the test means something
    swap = keras.callbacks.SwapEMAWeights()
    expected_loss = np.mean((X @ averages[0] + averages[1] - Y) ** 2)
    assert model.evaluate(X, Y, verbose=0, callbacks=[swap]) == pytest.approx(
        expected_loss, rel=1e-5
    )
    np.testing.assert_allclose(
        model.predict(X[:4], verbose=0, callbacks=[swap]),
        X[:4] @ averages[0] + averages[1],
        rtol=1e-5,
    )
    for got, kept in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, kept)


def test_validation_during_fit_sees_the_averages():
    plain = _model().fit(X, Y, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    swapped = _model().fit(
        X,
        Y,
        epochs=2,
        batch_size=16,
        validation_split=0.25,
        verbose=0,
        callbacks=[keras.callbacks.SwapEMAWeights()],
    )
    np.testing.assert_allclose(swapped.history["loss"], plain.history["loss"], rtol=1e-6)
    assert not np.allclose(swapped.history["val_loss"], plain.history["val_loss"], rtol=1e-3)


def test_swap_on_epoch_leaves_the_averages_in_the_model_after_fit():
    model = _model()
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: seen.append(model.get_weights())
    )
    model.fit(
        X,
        Y,
        epochs=2,
        batch_size=16,
        verbose=0,
        callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=True), record],
    )
    for got, average in zip(model.get_weights(), _averages(model)):
        np.testing.assert_allclose(got, average, rtol=1e-6)
    np.testing.assert_allclose(seen[-1][0], model.get_weights()[0], rtol=1e-6)


def test_an_optimizer_without_ema_gets_our_error():
    model = _model(use_ema=False)
    with pytest.raises(LayerfitValueError, match="use_ema=True"):
        model.evaluate(X, Y, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])
