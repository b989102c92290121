"""Callbacks' decisions on the same scripted logs, and whole fits, against Keras 3.

Callbacks run on real (tiny) models of both libraries: each epoch writes the epoch number
into the model's weights before the callback sees the logs, so which weights end up in the
model after ``restore_best_weights`` says which epoch was restored. Decisions (stop epoch,
restored epoch, learning rates) must be equal: exact for epochs, rtol 1e-6 for rates.

Fits: same initial weights, same data, no shuffling, full-size and ragged last batches;
histories equal to rtol 1e-4 / atol 1e-6 per epoch (float32 forward and backward passes in
different summation orders drift by ~1e-6 relative per step over 5 epochs of 4 steps).
"""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _compare import keras_weights  # noqa: E402

import layerfit  # noqa: E402


def _pair():
    theirs = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    ours = layerfit.Sequential([layerfit.Input(shape=(2,)), layerfit.layers.Dense(1)])
    for model, lib in ((theirs, keras), (ours, layerfit)):
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
    return theirs, ours


def _drive(model, callback, losses, epoch_begin=False):
    """Feeds the scripted val_loss sequence; returns epochs run and lr seen at each."""
    callback.set_model(model)
    callback.set_params({"epochs": len(losses), "verbose": 0, "steps": 1})
    model.stop_training = False
    callback.on_train_begin({})
    rates, ran = [], 0
    for epoch, loss in enumerate(losses):
        if epoch_begin:
            callback.on_epoch_begin(epoch, {})
        rates.append(float(np.asarray(model.optimizer.learning_rate)))
        model.set_weights([np.full((2, 1), epoch, "f4"), np.zeros(1, "f4")])
        callback.on_epoch_end(epoch, {"val_loss": loss, "loss": loss + 1, "val_acc": -loss})
        ran += 1
        if model.stop_training:
            break
    callback.on_train_end({})
    restored = int(np.asarray(model.get_weights()[0])[0, 0])
    return ran, restored, rates


SEQUENCES = {
    "dip": [1.0, 0.8, 0.7, 0.75, 0.9, 0.72, 0.95, 1.1, 0.5],
    "flat": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    "slow": [1.0, 0.9995, 0.999, 0.998, 0.9, 0.8999, 0.8998, 0.8997, 0.8996, 0.8995],
    "rise": [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1],
}
EARLY = [
    dict(monitor="val_loss", patience=2),
    dict(monitor="val_loss", patience=2, restore_best_weights=True),
    dict(monitor="val_loss", patience=3, min_delta=0.01, restore_best_weights=True),
    dict(monitor="val_loss", patience=1, baseline=0.75, restore_best_weights=True),
    dict(monitor="val_loss", patience=2, start_from_epoch=3, restore_best_weights=True),
    dict(monitor="val_acc", patience=2, mode="max", restore_best_weights=True),
    dict(monitor="loss", patience=0),
]


EARLY_CASES = [
    pytest.param(kwargs, sequence, id=f"{kwargs}-{sequence}")
    for kwargs in EARLY
    for sequence in SEQUENCES
]


@pytest.mark.parametrize("kwargs, sequence", EARLY_CASES)
def test_early_stopping_stop_and_restored_epoch(kwargs, sequence):
    theirs, ours = _pair()
    expected = _drive(theirs, keras.callbacks.EarlyStopping(**kwargs), SEQUENCES[sequence])
    got = _drive(ours, layerfit.callbacks.EarlyStopping(**kwargs), SEQUENCES[sequence])
    assert got[:2] == expected[:2]  # epochs run, and whose weights the model holds at the end


PLATEAU = [
    dict(factor=0.5, patience=1),
    dict(factor=0.2, patience=2, min_lr=0.01),
    dict(factor=0.5, patience=1, cooldown=2),
    dict(factor=0.5, patience=1, min_delta=0.01),
    dict(monitor="val_acc", mode="max", factor=0.1, patience=2),
]


@pytest.mark.parametrize("sequence", SEQUENCES, ids=list(SEQUENCES))
@pytest.mark.parametrize("kwargs", PLATEAU, ids=[str(k) for k in PLATEAU])
def test_reduce_lr_on_plateau_rates(kwargs, sequence):
    theirs, ours = _pair()
    kwargs = {"monitor": "val_loss", "verbose": 0, **kwargs}
    expected = _drive(theirs, keras.callbacks.ReduceLROnPlateau(**kwargs), SEQUENCES[sequence])
    got = _drive(ours, layerfit.callbacks.ReduceLROnPlateau(**kwargs), SEQUENCES[sequence])
    np.testing.assert_allclose(got[2], expected[2], rtol=1e-6)


SCHEDULES = {
    "halve_after_2": lambda epoch, lr: lr if epoch < 2 else lr * 0.5,
    "by_epoch": lambda epoch, lr: 0.1 / (1 + epoch),
}


@pytest.mark.parametrize("name", SCHEDULES)
def test_learning_rate_scheduler_rates(name):
    theirs, ours = _pair()
    losses = SEQUENCES["dip"]
    expected = _drive(
        theirs, keras.callbacks.LearningRateScheduler(SCHEDULES[name]), losses, epoch_begin=True
    )
    got = _drive(
        ours, layerfit.callbacks.LearningRateScheduler(SCHEDULES[name]), losses, epoch_begin=True
    )
    np.testing.assert_allclose(got[2], expected[2], rtol=1e-6)


# -- whole fits --------------------------------------------------------------------------

RNG = np.random.default_rng(5)
X_CLS = RNG.normal(size=(60, 8)).astype("f4")
Y_CLS = (X_CLS[:, :3].sum(1) > 0).astype("f4")
Y_MULTI = RNG.integers(0, 3, 60)
X_REG = RNG.normal(size=(60, 13)).astype("f4")
Y_REG = (X_REG @ RNG.normal(size=13)).astype("f4")[:, None]


def _binary(lib):
    return lib.Sequential(
        [lib.Input(shape=(8,)), lib.layers.Dense(12, activation="relu"),
         lib.layers.Dense(8, activation="relu"), lib.layers.Dense(1, activation="sigmoid")]
    )  # fmt: skip


def _multiclass(lib):
    return lib.Sequential(
        [lib.Input(shape=(8,)), lib.layers.Dense(16, activation="relu"),
         lib.layers.Dropout(0.0), lib.layers.Dense(3, activation="softmax")]
    )  # fmt: skip


def _regression(lib):
    return lib.Sequential([lib.Input(shape=(13,)), lib.layers.Dense(1)])


FITS = [
    ("binary", _binary, X_CLS, Y_CLS, "binary_crossentropy", ["accuracy"]),
    ("multiclass", _multiclass, X_CLS, Y_MULTI, "sparse_categorical_crossentropy", ["accuracy"]),
    ("regression", _regression, X_REG, Y_REG, "mse", ["mae"]),
]
OPTIMIZERS = [("SGD", dict(learning_rate=0.05, momentum=0.9)), ("Adam", dict(learning_rate=0.01))]


@pytest.mark.parametrize("optimizer, opt_kwargs", OPTIMIZERS, ids=[o for o, _ in OPTIMIZERS])
@pytest.mark.parametrize("case", FITS, ids=[f[0] for f in FITS])
def test_fit_histories_match(case, optimizer, opt_kwargs):
    _, build, x, y, loss, metrics = case
    histories = []
    theirs, ours = build(keras), build(layerfit)
    ours.set_weights(keras_weights(theirs))
    for model, lib in ((theirs, keras), (ours, layerfit)):
        model.compile(
            optimizer=getattr(lib.optimizers, optimizer)(**opt_kwargs), loss=loss, metrics=metrics
        )
        history = model.fit(
            x, y, batch_size=16, epochs=5, shuffle=False, validation_split=0.2, verbose=0
        )
        histories.append(history.history)
    got, expected = histories[1], histories[0]
    assert sorted(got) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-4, atol=1e-6, err_msg=key)
    evaluated = [m.evaluate(x, y, verbose=0) for m in (ours, theirs)]
    np.testing.assert_allclose(evaluated[0], evaluated[1], rtol=1e-4, atol=1e-6)


def test_fit_with_ema_ends_on_the_averaged_weights():
    theirs, ours = _regression(keras), _regression(layerfit)
    ours.set_weights(keras_weights(theirs))
    for model, lib in ((theirs, keras), (ours, layerfit)):
        model.compile(
            optimizer=lib.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.9), loss="mse"
        )
        model.fit(X_REG, Y_REG, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), keras_weights(theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)  # as the histories above


@pytest.mark.parametrize(
    "weights",
    [{"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}}, {"sample_weight": RNG.uniform(0, 2, 60)}],
    ids=["class_weight", "sample_weight"],
)
def test_weighted_fit_histories_match(weights):
    # Same tolerance as the unweighted fits above.
    theirs, ours = _multiclass(keras), _multiclass(layerfit)
    ours.set_weights(keras_weights(theirs))
    histories = []
    for model, lib in ((theirs, keras), (ours, layerfit)):
        model.compile(
            optimizer=lib.optimizers.Adam(0.01),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
            weighted_metrics=["accuracy"],
        )
        history = model.fit(
            X_CLS, Y_MULTI, batch_size=16, epochs=3, shuffle=False, verbose=0, **weights
        )
        histories.append(history.history)
    got, expected = histories[1], histories[0]
    assert sorted(got) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-4, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_swap_ema_weights_validates_on_the_averages(swap_on_epoch):
    # Same tolerance as the fits above; val_loss differs by ~1e-2 if computed on the raw weights.
    theirs, ours = _regression(keras), _regression(layerfit)
    ours.set_weights(keras_weights(theirs))
    histories, predictions = [], []
    for model, lib in ((theirs, keras), (ours, layerfit)):
        model.compile(
            optimizer=lib.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.9), loss="mse"
        )
        callback = lib.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)
        history = model.fit(
            X_REG,
            Y_REG,
            batch_size=16,
            epochs=3,
            shuffle=False,
            validation_split=0.25,
            verbose=0,
            callbacks=[callback],
        )
        histories.append(history.history)
        predictions.append(model.predict(X_REG[:5], verbose=0))
    for key in histories[0]:
        np.testing.assert_allclose(histories[1][key], histories[0][key], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(predictions[1], predictions[0], rtol=1e-4, atol=1e-6)
