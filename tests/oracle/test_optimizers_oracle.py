"""Every optimizer, 20 steps on the same quadratic problem, against Keras 3.

Both sides see the same starting weights and compute their own gradients of
``0.5 * sum(scale * (w - target)**2)`` each step, so a one-step difference would compound.
Tolerance: rtol 1e-4 / atol 1e-5 after 20 steps. Float32 state updates done in a different
order drift by a few ulps per step, and Adam-family steps at rates of 0.05-0.1 oscillate
around the optimum, dividing by sqrt(v), which amplifies that drift (observed up to 6e-5
relative, 7e-6 absolute). A formula difference (epsilon inside/outside the root, bias
correction, decay order) moves results by 1e-3 or more: the epsilon=1e-3 cases pin that.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

keras = pytest.importorskip("keras")

import layerfit  # noqa: E402

RNG = np.random.default_rng(11)
START = [RNG.normal(size=(3, 2)).astype("f4"), RNG.normal(size=(2,)).astype("f4")]
TARGET = [RNG.normal(size=(3, 2)).astype("f4"), RNG.normal(size=(2,)).astype("f4")]
SCALE = [RNG.uniform(0.5, 3, (3, 2)).astype("f4"), RNG.uniform(0.5, 3, (2,)).astype("f4")]
STEPS = 20


def _gradients(weights):
    return [s * (w - t) for w, t, s in zip(weights, TARGET, SCALE)]


def _keras_run(opt):
    variables = [keras.Variable(w.copy()) for w in START]
    for _ in range(STEPS):
        grads = _gradients([np.asarray(v.value) for v in variables])
        opt.apply_gradients(zip(grads, variables))
    if opt.use_ema:
        opt.finalize_variable_values(variables)
    return [np.asarray(v.value) for v in variables]


def _layerfit_run(opt):
    params = [torch.nn.Parameter(torch.tensor(w.copy())) for w in START]
    for _ in range(STEPS):
        grads = _gradients([p.detach().numpy() for p in params])
        opt.apply_gradients(zip([torch.tensor(g) for g in grads], params))
    if opt.use_ema:
        opt.finalize_variable_values(params)
    return [p.detach().numpy() for p in params]


SHARED = [
    {},
    {"weight_decay": 0.05},
    {"clipnorm": 0.5},
    {"clipvalue": 0.2},
    {"global_clipnorm": 0.7},
    {"use_ema": True, "ema_momentum": 0.8},
    {"use_ema": True, "ema_overwrite_frequency": 5},
]
SPECIFIC = {
    "SGD": [{"learning_rate": 0.05}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}],
    "Adam": [{"learning_rate": 0.05}, {"amsgrad": True}, {"beta_1": 0.5, "epsilon": 1e-3}],
    "AdamW": [{"weight_decay": 0.1}, {"amsgrad": True, "learning_rate": 0.02}],
    "RMSprop": [{"momentum": 0.5}, {"centered": True}, {"rho": 0.5, "learning_rate": 0.01}],
    "Adagrad": [{"initial_accumulator_value": 0.5, "learning_rate": 0.1}],
    "Adadelta": [{"learning_rate": 1.0, "rho": 0.9}],
    "Adamax": [{"learning_rate": 0.02}],
    "Nadam": [{"learning_rate": 0.02, "beta_2": 0.99}],
    "Lion": [{"learning_rate": 0.01}, {"beta_1": 0.5, "beta_2": 0.9, "learning_rate": 0.02}],
    "Lamb": [{"learning_rate": 0.02}, {"beta_1": 0.5, "epsilon": 1e-3}],
    "Ftrl": [
        {"learning_rate": 0.1},
        {"learning_rate": 0.2, "l1_regularization_strength": 0.05},
        {"l2_regularization_strength": 0.1, "l2_shrinkage_regularization_strength": 0.05},
        {"learning_rate_power": 0.0, "beta": 0.3, "initial_accumulator_value": 0.5},
    ],
    "Adafactor": [
        {"learning_rate": 0.05},
        {"relative_step": False, "learning_rate": 0.5, "clip_threshold": 0.5},
        {"beta_2_decay": -0.5, "epsilon_2": 0.1},
    ],
}
CASES = [(name, kwargs) for name in SPECIFIC for kwargs in SHARED + SPECIFIC[name]]


@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_optimizer_twenty_steps(name, kwargs):
    expected = _keras_run(getattr(keras.optimizers, name)(**kwargs))
    got = _layerfit_run(getattr(layerfit.optimizers, name)(**kwargs))
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


SCHEDULES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=5, decay_rate=0.5)),
    (
        "ExponentialDecay",
        dict(initial_learning_rate=0.1, decay_steps=5, decay_rate=0.5, staircase=True),
    ),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.7)),
    ("PiecewiseConstantDecay", dict(boundaries=[4, 9], values=[0.1, 0.05, 0.01])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=12, power=2.0)),
    (
        "PolynomialDecay",
        dict(initial_learning_rate=0.1, decay_steps=6, end_learning_rate=0.01, cycle=True),
    ),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=15, alpha=0.1)),
    (
        "CosineDecay",
        dict(initial_learning_rate=0.0, decay_steps=10, warmup_target=0.1, warmup_steps=5),
    ),
]


@pytest.mark.parametrize("name, kwargs", SCHEDULES, ids=[f"{n}-{k}" for n, k in SCHEDULES])
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_schedules_drive_the_same_steps(name, kwargs, optimizer):
    steps = np.arange(25)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    ours = getattr(layerfit.optimizers.schedules, name)(**kwargs)
    np.testing.assert_allclose(
        [float(ours(int(s))) for s in steps], [float(theirs(s)) for s in steps], rtol=1e-5
    )
    expected = _keras_run(getattr(keras.optimizers, optimizer)(learning_rate=theirs))
    got = _layerfit_run(getattr(layerfit.optimizers, optimizer)(learning_rate=ours))
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
