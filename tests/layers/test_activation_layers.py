"""ReLU, LeakyReLU, PReLU, ELU and Softmax against real Keras: outputs, gradients, configs."""

import numpy as np
import pytest
import torch
from _keras_oracle import assert_matches_keras, keras

import layerfit
from layerfit import layers
from layerfit.errors import LayerfitDeprecationWarning, LayerfitValueError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 5, 6)).astype(np.float32) * 3


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("ReLU", {}),
        ("ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}),
        ("ReLU", {"max_value": 6.0}),
        ("LeakyReLU", {}),
        ("LeakyReLU", {"negative_slope": 0.05}),
        ("ELU", {"alpha": 0.7}),
        ("Softmax", {}),
        ("Softmax", {"axis": 1}),
        ("Softmax", {"axis": [1, 2]}),
        ("PReLU", {"alpha_initializer": "random_normal"}),
        ("PReLU", {"alpha_initializer": "random_normal", "shared_axes": [1]}),
    ],
)
def test_activation_layers_match_keras(name, kwargs):
    # float32 elementwise formulas: agreement to 1e-5 absolute.
    ours = getattr(layers, name)(**kwargs)
    assert_matches_keras(ours, getattr(keras.layers, name)(**kwargs), [X], atol=1e-5)
    config = ours.get_config()
    again = type(ours).from_config(config)
    assert again.get_config() == config


def test_softmax_mask_matches_keras_and_zeroes_fully_masked_rows():
    mask = RNG.random((4, 5, 6)) > 0.4
    mask[0, 0] = False  # a fully masked row
    got = assert_matches_keras(
        layers.Softmax(), keras.layers.Softmax(), [X], {"mask": mask}, atol=1e-6
    )
    assert np.all(got[0, 0] == 0)
    np.testing.assert_allclose(got[1].sum(-1), np.where(mask[1].any(-1), 1.0, 0.0), atol=1e-6)


def test_softmax_mask_broadcasts_and_bad_mask_says_how_to_fix():
    mask = np.array([True, True, False, True, True, False])
    out = layers.Softmax()(torch.from_numpy(X), mask=torch.from_numpy(mask))
    assert torch.all(out[..., 2] == 0)
    with pytest.raises(LayerfitValueError, match="broadcastable") as info:
        layers.Softmax()(torch.from_numpy(X), mask=torch.ones(4, 5, dtype=torch.bool))
    assert "mask[:, None, :]" in str(info.value)


def test_leaky_relu_defaults_and_legacy_alpha():
    assert layers.LeakyReLU().negative_slope == keras.layers.LeakyReLU().negative_slope == 0.3
    with pytest.warns(LayerfitDeprecationWarning, match="negative_slope=0.2"):
        layer = layers.LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2
    assert torch.allclose(layer(torch.tensor([-1.0])), torch.tensor([-0.2]))


@pytest.mark.parametrize(
    "make", [lambda: layers.ReLU(max_value=-1), lambda: layers.LeakyReLU(-0.1)]
)
def test_negative_arguments_are_refused(make):
    with pytest.raises(LayerfitValueError, match="non-negative"):
        make()


def test_prelu_bad_shared_axes_and_constraint_warning():
    with pytest.raises(LayerfitValueError, match="shared_axes"):
        layers.PReLU(shared_axes=[3])(torch.zeros(2, 4))
    with pytest.warns(layerfit.errors.LayerfitWarning, match="alpha_constraint"):
        layers.PReLU(alpha_constraint="non_neg")


def test_prelu_trains_and_saves_in_a_model(tmp_path):
    model = layerfit.Sequential(
        [layerfit.Input((6,)), layers.Dense(4), layers.PReLU(), layers.LeakyReLU(), layers.Dense(1)]
    )
    model.compile("adam", "mse")
    x = RNG.normal(size=(32, 6)).astype(np.float32)
    model.fit(x, x[:, :1], epochs=2, verbose=0)
    assert model.layers[1].alpha.abs().sum() > 0  # alpha learned away from zeros
    model.save(tmp_path / "m.keras")
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
