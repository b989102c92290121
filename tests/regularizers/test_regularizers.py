"""L1, L2 and L1L2 penalties against hand-computed values, lookup and errors."""

import pytest
import torch

from layerfit import regularizers
from layerfit.errors import LayerfitValueError

W = torch.tensor([[1.0, -2.0], [0.5, 0.0]])  # sum |w| = 3.5, sum w^2 = 5.25


def test_penalties_match_hand_computation():
    assert regularizers.L1(0.1)(W).item() == pytest.approx(0.35, abs=1e-6)
    assert regularizers.L2(0.1)(W).item() == pytest.approx(0.525, abs=1e-6)
    assert regularizers.L1L2(l1=0.1, l2=0.2)(W).item() == pytest.approx(0.35 + 1.05, abs=1e-6)
    assert regularizers.L1L2()(W).item() == 0.0


def test_keras_defaults():
    assert regularizers.L1().l1 == 0.01
    assert regularizers.L2().l2 == 0.01
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}


@pytest.mark.parametrize(
    "name, cls",
    [("l1", regularizers.L1), ("l2", regularizers.L2), ("l1_l2", regularizers.L1L2),
     ("L1L2", regularizers.L1L2)],
)  # fmt: skip
def test_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_round_trip_and_passthrough():
    reg = regularizers.L1L2(l1=0.3, l2=0.4)
    restored = regularizers.deserialize(regularizers.serialize(reg))
    assert restored.get_config() == {"l1": 0.3, "l2": 0.4}
    assert regularizers.get(reg) is reg
    assert regularizers.get(None) is None and regularizers.serialize(None) is None


def test_invalid_factor_and_name_explain_the_fix():
    with pytest.raises(LayerfitValueError, match="non-negative"):
        regularizers.L2(-0.1)
    with pytest.raises(LayerfitValueError, match="expected a float"):
        regularizers.L1("big")
    with pytest.raises(LayerfitValueError) as info:
        regularizers.get("l3")
    assert "Did you mean" in str(info.value)
