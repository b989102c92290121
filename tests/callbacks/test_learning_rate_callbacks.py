"""ReduceLROnPlateau and LearningRateScheduler on scripted values.

The expected rate sequences were produced by Keras 3.15's own callbacks on the same values.
"""

import math
import types

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.callbacks import LearningRateScheduler, ReduceLROnPlateau
from layerfit.errors import LayerfitTypeError, LayerfitValueError


def logged_rates(callback, values, key="val_loss"):
    """The learning rate logged at the end of each epoch, the model fed ``values``."""
    model = types.SimpleNamespace(optimizer=keras.optimizers.SGD(1.0), stop_training=False)
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch, value in enumerate(values):
        callback.on_epoch_begin(epoch)
        logs = {key: value}
        callback.on_epoch_end(epoch, logs)
        rates.append(round(logs["learning_rate"], 6))
    return rates


@pytest.mark.parametrize(
    ("arguments", "values", "expected"),
    [
        ({"patience": 2, "factor": 0.5}, [1.0] * 5, [1.0, 1.0, 1.0, 0.5, 0.5]),
        (
            {"patience": 1, "factor": 0.5, "cooldown": 2},
            [1.0] * 7,
            [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125],
        ),
        ({"patience": 1, "factor": 0.5, "min_lr": 0.3}, [1.0] * 4, [1.0, 1.0, 0.5, 0.3]),
        (
            {"patience": 1, "factor": 0.5, "min_delta": 0.1},
            [1.0, 0.95, 0.8, 0.79, 0.5],
            [1.0, 1.0, 0.5, 0.5, 0.25],
        ),
        ({"mode": "max", "patience": 1, "factor": 0.5}, [1.0, 0.5, 2.0, 1.0], [1.0, 1.0, 0.5, 0.5]),
    ],
)
def test_reduce_on_plateau_matches_keras(arguments, values, expected):
    assert logged_rates(ReduceLROnPlateau(**arguments), values) == expected


def test_reduce_on_plateau_refuses_a_factor_that_does_not_reduce():
    with pytest.raises(LayerfitValueError, match="factor=1.5"):
        ReduceLROnPlateau(factor=1.5)


def test_scheduler_sets_the_rate_at_each_epoch_start():
    def scheduler(epoch, lr):
        return lr if epoch < 2 else lr * math.exp(-0.1)

    rates = logged_rates(LearningRateScheduler(scheduler), [0.0] * 4)
    assert rates == pytest.approx([1.0, 1.0, math.exp(-0.1), math.exp(-0.2)], abs=1e-6)


def test_scheduler_takes_a_function_of_the_epoch_alone_and_tensor_results():
    assert logged_rates(LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1)), [0.0] * 3) == [
        0.1,
        0.2,
        0.3,
    ]
    tensor_schedule = LearningRateScheduler(lambda epoch, lr: lr * keras.ops.exp(-1.0))
    assert logged_rates(tensor_schedule, [0.0]) == [round(math.exp(-1.0), 6)]


def test_scheduler_mistakes_explain_themselves():
    with pytest.raises(LayerfitTypeError, match="not callable"):
        LearningRateScheduler(0.01)
    with pytest.raises(LayerfitValueError, match="returned 'fast'"):
        logged_rates(LearningRateScheduler(lambda epoch, lr: "fast"), [0.0])


def test_fit_records_the_rate_in_history_and_trains_with_it():
    torch.manual_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    history = model.fit(
        x, y, epochs=3, verbose=0, callbacks=[LearningRateScheduler(lambda e, lr: 0.1 / (e + 1))]
    )
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.1 / 3)
