"""Schedules called on arrays and tensors of steps, as the TensorFlow tutorials plot them."""

import numpy as np
import pytest
import torch

from layerfit.optimizers import schedules


def test_inverse_time_decay_over_an_array_as_the_overfit_underfit_tutorial_plots_it():
    schedule = schedules.InverseTimeDecay(0.001, decay_steps=1000, decay_rate=1, staircase=False)
    step = np.linspace(0, 100000, 1000)
    rates = schedule(step)
    assert isinstance(rates, np.ndarray) and rates.shape == (1000,)
    np.testing.assert_allclose(rates, 0.001 / (1 + step / 1000), rtol=1e-6)  # float32 values


@pytest.mark.parametrize(
    "schedule",
    [
        schedules.ExponentialDecay(0.1, 10, 0.5),
        schedules.PiecewiseConstantDecay([5, 10], [0.1, 0.05, 0.01]),
        schedules.PolynomialDecay(0.1, 20),
        schedules.CosineDecay(0.1, 20),
    ],
    ids=type,
)
def test_every_schedule_maps_each_step_of_an_array_or_tensor(schedule):
    steps = np.arange(0, 30, 3)
    expected = np.array([schedule(int(s)) for s in steps], dtype="float32")
    np.testing.assert_allclose(schedule(steps), expected, rtol=1e-6)
    out = schedule(torch.from_numpy(steps).reshape(2, 5))
    assert torch.is_tensor(out) and out.shape == (2, 5)
    np.testing.assert_allclose(out.numpy().reshape(-1), expected, rtol=1e-6)
    assert isinstance(schedule(3), float)  # one step stays a Python float for the optimizer
