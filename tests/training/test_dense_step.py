"""The hand-derived Dense-stack train step gives the autograd step's results, and only runs
where it can (training/_dense_step.py)."""

import numpy as np
import pytest

import layerfit as keras
from layerfit.training import _steps


def _data(loss: str, units: int):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 20)).astype("float32")
    if loss == "sparse_categorical_crossentropy":
        y = rng.integers(0, units, 100)
    elif loss == "binary_crossentropy":
        y = rng.integers(0, 2, (100, units)).astype("float32")
    else:
        y = keras.utils.to_categorical(rng.integers(0, units, 100), units)
    return x, y


def _fit(
    plain: bool,
    monkeypatch,
    hidden="relu",
    loss="categorical_crossentropy",
    final="softmax",
    units=5,
    optimizer="adam",
    use_bias=True,
    sample_weight=None,
    extra=None,
):
    keras.utils.set_random_seed(1)
    x, y = _data(loss, units)
    model = keras.Sequential(
        [
            keras.Input((20,)),
            keras.layers.Dense(16, activation=hidden, use_bias=use_bias),
            *(extra or []),
            keras.layers.Dense(16, activation=hidden),
            keras.layers.Dense(units, activation=final),
        ]
    )
    model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    with monkeypatch.context() as patch:
        if plain:  # the reference: the autograd step the model takes without this path
            patch.setattr(_steps.DenseStackStep, "plan", classmethod(lambda cls, *a: None))
        history = model.fit(
            x, y, batch_size=32, epochs=3, shuffle=False, verbose=0, sample_weight=sample_weight
        )
    return model, history.history


CASES = [
    {},
    {"hidden": "tanh"},
    {"hidden": "sigmoid"},
    {"hidden": "linear", "use_bias": False},
    {"loss": "sparse_categorical_crossentropy"},
    {"loss": "binary_crossentropy", "final": "sigmoid", "units": 3},
    {"sample_weight": np.linspace(0.1, 2.0, 100)},
    {"optimizer": "sgd"},
    {"optimizer": "rmsprop"},
]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_dense_step_matches_the_autograd_step(case, monkeypatch):
    plain_model, plain_logs = _fit(True, monkeypatch, **case)
    model, logs = _fit(False, monkeypatch, **case)
    assert plain_model._runner.dense_step is None
    assert model._runner.dense_step is not None
    # 3 epochs x 4 batches: the two differ by float rounding only (seen: 3e-8).
    for ours, theirs in zip(model.get_weights(), plain_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(logs["loss"], plain_logs["loss"], rtol=1e-5)
    np.testing.assert_allclose(logs["accuracy"], plain_logs["accuracy"], atol=1e-6)


@pytest.mark.parametrize(
    "extra",
    [
        lambda: keras.layers.Dropout(0.5),
        lambda: keras.layers.Dense(16, kernel_regularizer="l2"),
        lambda: keras.layers.Dense(16, kernel_constraint=keras.constraints.MaxNorm(1.0)),
        lambda: keras.layers.Dense(16, activation="elu"),
    ],
    ids=["dropout", "regularizer", "constraint", "elu"],
)
def test_other_stacks_keep_the_autograd_step(extra, monkeypatch):
    model, logs = _fit(False, monkeypatch, extra=[extra()])
    assert model._runner.dense_step is None
    assert np.isfinite(logs["loss"]).all()


def test_frozen_layer_switches_back_to_the_autograd_step(monkeypatch):
    model, _ = _fit(False, monkeypatch)
    assert model._runner.dense_step is not None
    model.layers[0].trainable = False
    frozen = model.layers[0].get_weights()
    x, y = _data("categorical_crossentropy", 5)
    model.fit(x, y, epochs=1, verbose=0)
    assert model._runner.dense_step is None
    for ours, before in zip(model.layers[0].get_weights(), frozen):
        np.testing.assert_array_equal(ours, before)


def test_get_weights_are_copies_after_the_dense_step(monkeypatch):
    model, _ = _fit(False, monkeypatch)
    held = model.get_weights()
    snapshot = [w.copy() for w in held]
    x, y = _data("categorical_crossentropy", 5)
    model.fit(x, y, epochs=1, verbose=0)
    for value, before in zip(held, snapshot):
        np.testing.assert_array_equal(value, before)
    assert any(not np.array_equal(a, b) for a, b in zip(model.get_weights(), snapshot))
