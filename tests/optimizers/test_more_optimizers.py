"""Lion, Lamb, Ftrl and Adafactor: hand-computed first steps, training by name, saved state.

tests/oracle/test_optimizers_oracle.py compares 20 steps of each against Keras 3; these tests
check the formulas against numpy written from the papers' update rules (rtol 1e-6, float32),
so they also run where Keras is not installed.
"""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import optimizers
from layerfit.errors import LayerfitValueError

W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype="f4")
G = np.array([[0.1, -0.2, 0.3], [-0.4, 0.5, 0.05]], dtype="f4")


def _one_step(opt, weight=W, grad=G):
    param = torch.nn.Parameter(torch.tensor(weight))
    opt.apply_gradients([(torch.tensor(grad), param)])
    return param.detach().numpy()


def test_lion_first_step_is_the_sign_of_the_gradient_times_the_rate():
    # m starts at 0, so the direction is sign(0.1 * g) = sign(g).
    got = _one_step(optimizers.Lion(learning_rate=0.01))
    np.testing.assert_allclose(got, W - 0.01 * np.sign(G), rtol=1e-6)


def test_lamb_first_step_scales_adam_direction_by_the_trust_ratio():
    eps = 1e-7
    m, v = 0.1 * G, 0.001 * G**2
    update = (m / 0.1) / (np.sqrt(v / 0.001) + eps)
    ratio = np.linalg.norm(W) / np.linalg.norm(update)
    got = _one_step(optimizers.Lamb(learning_rate=0.01))
    np.testing.assert_allclose(got, W - 0.01 * ratio * update, rtol=1e-5)


def test_ftrl_first_step_matches_the_proximal_formula():
    lr, l1, accum0 = 0.1, 0.05, 0.1
    new_accum = accum0 + G**2
    linear = G - (np.sqrt(new_accum) - np.sqrt(accum0)) / lr * W
    quadratic = np.sqrt(new_accum) / lr
    expected = (np.clip(linear, -l1, l1) - linear) / quadratic
    got = _one_step(optimizers.Ftrl(learning_rate=lr, l1_regularization_strength=l1))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)


def test_adafactor_factors_a_matrix_into_row_and_column_moments():
    lr = 0.05
    squared = G.astype("f8") ** 2 + 1e-30
    beta = 1 - 1.0**-0.8  # 0 at step 1: the moments are this step's means
    row = (1 - beta) * squared.mean(axis=-1)
    column = (1 - beta) * squared.mean(axis=-2)
    velocity = (row / row.mean())[:, None] * column[None, :]
    update = G / np.sqrt(velocity)
    update /= max(1.0, np.sqrt(np.mean(update**2)) / 1.0)
    scale = max(1e-3, np.sqrt(np.mean(W.astype("f8") ** 2))) * min(lr, 1.0)
    opt = optimizers.Adafactor(learning_rate=lr)
    got = _one_step(opt)
    np.testing.assert_allclose(got, W - scale * update, rtol=1e-5)
    assert [tuple(t.shape) for t in opt.variables] == [(2,), (3,), (2, 3)]


def test_adafactor_keeps_a_full_moment_for_vectors():
    opt = optimizers.Adafactor()
    _one_step(opt, W[0], G[0])
    assert [tuple(t.shape) for t in opt.variables] == [(), (), (3,)]


@pytest.mark.parametrize("name", ["lion", "lamb", "ftrl", "adafactor"])
def test_each_trains_a_model_by_name_and_round_trips_its_config(name):
    keras.utils.set_random_seed(3)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 4)).astype("f4")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], dtype="f4"))[:, None]
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, "relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer=name, loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.optimizer.learning_rate = 0.3 if name == "ftrl" else 0.01
    model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0) < 0.7 * before
    config = optimizers.serialize(model.optimizer)
    again = optimizers.deserialize(config)
    assert (
        type(again) is type(model.optimizer) and again.get_config() == model.optimizer.get_config()
    )


def test_adafactor_state_survives_save_and_load(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3)).astype("f4")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(optimizer=optimizers.Adafactor(learning_rate=0.05), loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    for model_ in (model, loaded):
        model_.fit(x, y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_bad_arguments_name_the_rule():
    with pytest.raises(LayerfitValueError, match=r"beta_1 must be in \(0, 1\]"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(LayerfitValueError, match="initial_accumulator_value must be zero or more"):
        optimizers.Ftrl(initial_accumulator_value=-0.1)
    with pytest.raises(LayerfitValueError, match="learning_rate_power must be zero or less"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(LayerfitValueError, match="l1_regularization_strength"):
        optimizers.Ftrl(l1_regularization_strength=-1.0)
