"""find_learning_rate on least squares, where the largest stable SGD rate is known in closed form.

For the loss mean((A w - y)^2) (A = inputs with a column of ones for the bias) the Hessian is
2/n A^T A, and gradient descent diverges once the rate exceeds 2 / lambda_max.
"""

import numpy as np
import pytest
from _tuning_models import regression_data

import layerfit as keras
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError
from layerfit.tuning import find_learning_rate


def linear_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    return model


def stability_limit(x) -> float:
    a = np.hstack([x.astype(np.float64), np.ones((len(x), 1))])
    hessian = 2.0 / len(x) * a.T @ a
    return 2.0 / np.linalg.eigvalsh(hessian).max()


def test_the_suggestion_is_stable_and_not_timid_and_the_sweep_stops_at_the_blow_up():
    x, y = regression_data(n=512)
    limit = stability_limit(x)  # about 0.9 for standardised inputs
    finder = find_learning_rate(linear_model(), x, y, min_lr=1e-6, max_lr=100.0, steps=120)
    assert limit / 300 < finder.suggestion < limit
    assert finder.learning_rates[-1] < 100.0  # stopped early, when the loss blew up
    assert finder.learning_rates[-1] > limit / 3  # but not before the loss had fallen
    lowest = finder.learning_rates[np.argmin(finder.smoothed_losses)]
    assert finder.suggestion == pytest.approx(lowest / 10, rel=1e-12)


def test_rates_grow_geometrically_and_the_smoothing_is_bias_corrected():
    x, y = regression_data(n=256)
    finder = find_learning_rate(
        linear_model(), x, y, min_lr=1e-5, max_lr=1e-1, steps=20, smoothing=0.9
    )
    assert len(finder.learning_rates) == 20  # no blow-up below 0.1
    expected = 1e-5 * (1e-1 / 1e-5) ** (np.arange(20) / 19)
    np.testing.assert_allclose(finder.learning_rates, expected, rtol=1e-12)
    average, smoothed = 0.0, []
    for step, loss in enumerate(finder.losses):
        average = 0.9 * average + 0.1 * loss
        smoothed.append(average / (1 - 0.9 ** (step + 1)))
    np.testing.assert_allclose(finder.smoothed_losses, smoothed, rtol=1e-9)


def test_the_users_model_and_optimizer_are_untouched_and_the_suggestion_trains():
    x, y = regression_data(n=256)
    model = linear_model()
    before = [w.copy() for w in model.get_weights()]
    finder = find_learning_rate(model, x, y, steps=60)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    assert int(model.optimizer.iterations) == 0
    start = model.evaluate(x, y, verbose=0)
    model.optimizer.learning_rate = finder.suggestion
    model.fit(x, y, epochs=3, verbose=0)
    assert model.evaluate(x, y, verbose=0) < start / 4


def test_plot_shows_loss_against_a_log_rate_with_the_suggestion_marked():
    import matplotlib.pyplot as plt

    x, y = regression_data(n=64)
    finder = find_learning_rate(linear_model(), x, y, steps=10, max_lr=0.1)
    figure = finder.plot()
    ax = figure.axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "learning rate"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), finder.smoothed_losses)
    assert ax.lines[2].get_xdata()[0] == finder.suggestion
    plt.close(figure)


def test_mistakes_name_the_cause_and_the_fix():
    x, y = regression_data(n=32)
    uncompiled = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with pytest.raises(LayerfitRuntimeError, match="not compiled(.|\n)*model.compile"):
        find_learning_rate(uncompiled, x, y)
    with pytest.raises(LayerfitValueError, match="min_lr=1.0, max_lr=0.1(.|\n)*0 < min_lr"):
        find_learning_rate(linear_model(), x, y, min_lr=1.0, max_lr=0.1)
    with pytest.raises(LayerfitValueError, match="steps=1"):
        find_learning_rate(linear_model(), x, y, steps=1)
    bad = x.copy()
    bad[:] = np.nan
    with pytest.raises(LayerfitRuntimeError, match="not finite(.|\n)*NaN values"):
        find_learning_rate(linear_model(), bad, y, steps=5)
