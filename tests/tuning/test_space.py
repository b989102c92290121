"""Search spaces: grids in nested-loop order, seeded draws inside their ranges, stable ids."""

import numpy as np
import pytest

from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning
from layerfit.tuning import Choice, Float, Int
from layerfit.tuning._space import check_space, grid_configs, random_configs, trial_id


def test_grid_varies_the_last_parameter_fastest():
    space = check_space({"a": [1, 2], "b": ("x", "y", "z")}, "param_grid")
    assert grid_configs(space) == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 1, "b": "z"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
        {"a": 2, "b": "z"},
    ]
    assert grid_configs(check_space({"u": Int(8, 32, step=8)}, "g")) == [
        {"u": 8},
        {"u": 16},
        {"u": 24},
        {"u": 32},
    ]


def test_numpy_values_become_python_values():
    configs = grid_configs(check_space({"lr": np.array([1e-3, 1e-2]), "n": np.arange(2)}, "g"))
    assert configs[0] == {"lr": 0.001, "n": 0}
    assert type(configs[0]["lr"]) is float and type(configs[0]["n"]) is int


def test_random_draws_stay_in_range_and_follow_the_seed():
    space = check_space(
        {
            "lr": Float(1e-4, 1e-1, sampling="log"),
            "u": Int(2, 64, step=2),
            "act": ["relu", "tanh"],
            "p": Float(0.0, 0.5),
        },
        "d",
    )
    first = random_configs(space, 200, seed=3)
    assert first == random_configs(space, 200, seed=3)
    assert first != random_configs(space, 200, seed=4)
    lrs = np.array([c["lr"] for c in first])
    assert lrs.min() >= 1e-4 and lrs.max() <= 1e-1
    # log sampling: about a third of the draws in each decade (1e-4..1e-3..1e-2..1e-1)
    per_decade = np.histogram(np.log10(lrs), bins=[-4, -3, -2, -1])[0]
    assert per_decade.min() > 40
    assert {c["u"] % 2 for c in first} == {0} and min(c["u"] for c in first) >= 2
    assert max(c["u"] for c in first) <= 64
    assert {c["act"] for c in first} == {"relu", "tanh"}
    assert all(0.0 <= c["p"] <= 0.5 for c in first)


def test_random_over_lists_never_repeats_and_caps_at_the_grid_size():
    space = check_space({"a": [1, 2, 3], "b": [True, False]}, "d")
    drawn = random_configs(space, 6, seed=0)
    assert sorted(map(str, drawn)) == sorted(map(str, grid_configs(space)))
    with pytest.warns(LayerfitWarning, match="only 6 combinations(.|\n)*GridSearch"):
        assert len(random_configs(space, 10, seed=0)) == 6


def test_scipy_style_distributions_are_drawn_with_rvs():
    class Constant:
        def rvs(self, random_state=None):
            assert isinstance(random_state, np.random.Generator)
            return np.float64(0.25)

    [config] = random_configs(check_space({"p": Constant()}, "d"), 1, seed=0)
    assert config == {"p": 0.25} and type(config["p"]) is float


def test_trial_id_is_a_stable_hash_of_the_parameters():
    assert trial_id({"units": 32, "lr": 0.01}) == trial_id({"lr": 0.01, "units": 32})
    # sha256 of the sorted JSON '{"lr": 0.01, "units": 32}', first 16 hex digits
    assert trial_id({"units": 32, "lr": 0.01}) == "02fc568ad24e2d25"
    assert trial_id({"units": 32}) != trial_id({"units": 33})


def test_range_mistakes_name_the_cause_and_the_fix():
    with pytest.raises(LayerfitValueError, match=r"Float\(0.1, 0.001\): the range is empty"):
        Float(0.1, 0.001)
    with pytest.raises(LayerfitValueError, match="starts at 0(.|\n)*positive min_value"):
        Float(0, 1, sampling="log")
    with pytest.raises(LayerfitValueError, match="'linear' or 'log'"):
        Int(1, 4, sampling="exp")
    with pytest.raises(LayerfitTypeError, match="Choice got 'abc'(.|\n)*\\['abc'\\]"):
        Choice("abc")
    with pytest.raises(LayerfitValueError, match="empty list"):
        check_space({"a": []}, "param_grid")
    with pytest.raises(LayerfitTypeError, match="non-empty dict"):
        check_space([("a", [1])], "param_grid")
