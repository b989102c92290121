"""BatchNormalization and LayerNormalization against numpy statistics (float64)."""

import numpy as np
import pytest
import torch

import layerfit
from layerfit import layers as L
from layerfit.errors import LayerfitTypeError, LayerfitValueError

RNG = np.random.default_rng(2)


def _t(array):
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def _set_affine(layer, gamma, beta):
    weights = layer.get_weights()
    weights[0], weights[1] = gamma, beta
    layer.set_weights(weights)


def test_batch_norm_training_uses_batch_statistics_and_moves_keras_style():
    layer = L.BatchNormalization()
    x = (RNG.normal(size=(8, 4, 5, 3)) * 3 + 2).astype("float32")
    layer(_t(x[:1]), training=False)
    gamma, beta = np.array([1.0, 2.0, 0.5], "float32"), np.array([0.0, -1.0, 3.0], "float32")
    _set_affine(layer, gamma, beta)
    out = layer(_t(x), training=True).detach().numpy()
    x64 = x.astype(np.float64)
    mean, var = x64.mean(axis=(0, 1, 2)), x64.var(axis=(0, 1, 2))  # biased variance
    np.testing.assert_allclose(out, (x64 - mean) / np.sqrt(var + 1e-3) * gamma + beta, atol=1e-5)
    _, _, moving_mean, moving_var = layer.get_weights()
    np.testing.assert_allclose(moving_mean, 0.99 * 0 + 0.01 * mean, rtol=1e-5)
    np.testing.assert_allclose(moving_var, 0.99 * 1 + 0.01 * var, rtol=1e-5)
    # A second step moves again from there.
    layer(_t(x), training=True)
    np.testing.assert_allclose(layer.get_weights()[2], 0.99 * 0.01 * mean + 0.01 * mean, rtol=1e-5)


def test_batch_norm_inference_uses_moving_statistics():
    layer = L.BatchNormalization(epsilon=0.01)
    x = RNG.normal(size=(4, 3)).astype("float32")
    layer(_t(x), training=False)
    moving_mean, moving_var = np.array([1.0, -2.0, 0.0]), np.array([4.0, 0.25, 1.0])
    gamma, beta = np.array([2.0, 1.0, 1.0]), np.array([0.5, 0.0, -1.0])
    layer.set_weights([gamma, beta, moving_mean, moving_var])
    layer.eval()
    out = layer(_t(x)).detach().numpy()
    expected = (x - moving_mean) / np.sqrt(moving_var + 0.01) * gamma + beta
    np.testing.assert_allclose(out, expected, atol=1e-5)
    np.testing.assert_allclose(layer.get_weights()[2], moving_mean)  # no update at inference


def test_batch_norm_training_none_follows_train_and_eval_modes():
    layer = L.BatchNormalization()
    x = _t(RNG.normal(size=(16, 2)) + 5)
    layer.train()
    out = layer(x)
    assert abs(out.mean().item()) < 1e-5  # batch statistics
    layer.eval()
    before = layer.get_weights()
    out = layer(x)
    assert out.mean().item() > 4  # moving statistics, still near (0, 1)
    for old, new in zip(before, layer.get_weights()):  # copies: a view would always agree
        np.testing.assert_array_equal(old, new)
    layer.train()
    layer(x)  # a training call does move the statistics, so the check above can fail
    assert not np.array_equal(before[2], layer.get_weights()[2])


def test_batch_norm_frozen_runs_in_inference_mode():
    layer = L.BatchNormalization()
    x = _t(RNG.normal(size=(16, 2)) * 2 + 3)
    layer(x, training=False)
    layer.trainable = False
    out = layer(x, training=True).detach().numpy()
    np.testing.assert_allclose(out, x.numpy() / np.sqrt(1 + 1e-3), atol=1e-5)
    np.testing.assert_array_equal(layer.get_weights()[2], [0, 0])
    assert layer.trainable_weights == []
    layer.trainable = True
    assert len(layer.trainable_weights) == 2
    assert not layer.moving_mean.requires_grad and not layer.moving_variance.requires_grad


def test_batch_norm_weights_order_counts_and_gradients():
    model = layerfit.Sequential([L.Input(shape=(6, 6, 8)), L.BatchNormalization()])
    layer = model.layers[0]
    names = [name for name, _ in layer.named_parameters()]
    assert names == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert layer.count_params() == 32
    assert sum(w.numel() for w in layer.non_trainable_weights) == 16
    x = torch.randn(4, 6, 6, 8)
    (layer(x, training=True) * torch.randn(4, 6, 6, 8)).sum().backward()
    assert layer.gamma.grad.abs().sum() > 0 and layer.beta.grad.abs().sum() > 0
    assert layer.moving_mean.grad is None


def test_batch_norm_gradients_match_numpy_formula():
    # d/dx of sum(w * BN(x)) for one channel, from the closed form of the batch-norm gradient.
    layer = L.BatchNormalization(center=False, scale=False)
    x64 = RNG.normal(size=(6, 1))
    w = RNG.normal(size=(6, 1))
    x = torch.tensor(x64, dtype=torch.float32, requires_grad=True)
    (layer(x, training=True) * torch.tensor(w, dtype=torch.float32)).sum().backward()
    n, var = len(x64), x64.var()
    xhat = (x64 - x64.mean()) / np.sqrt(var + 1e-3)
    expected = (w - w.mean() - xhat * (w * xhat).mean()) / np.sqrt(var + 1e-3)
    np.testing.assert_allclose(x.grad.numpy(), expected, atol=1e-5)
    assert n == 6


def test_batch_norm_channels_first_axis_and_single_sample():
    layer = L.BatchNormalization(axis=1)
    x = RNG.normal(size=(5, 3, 4, 2)).astype("float32")
    out = layer(_t(x), training=True).detach().numpy()
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-3), atol=1e-5)
    # One value per channel: Keras gives variance 0, so the output is beta (0 here).
    single = L.BatchNormalization()
    out = single(_t(x[:1, 0, 0]), training=True)
    np.testing.assert_allclose(out.detach().numpy(), np.zeros((1, 2)), atol=1e-6)
    np.testing.assert_allclose(single.get_weights()[3], [0.99, 0.99], rtol=1e-6)


def test_batch_norm_argument_errors():
    with pytest.raises(LayerfitValueError, match="momentum=0.99"):
        L.BatchNormalization(momentum=1.5)
    with pytest.raises(LayerfitTypeError, match="one integer axis"):
        L.BatchNormalization(axis=[1, 2])
    with pytest.raises(LayerfitValueError, match=r"axis=3[\s\S]*\[-2, 2\)"):
        L.BatchNormalization(axis=3)(torch.zeros(2, 3))


def test_batch_norm_defaults_follow_keras():
    config = L.BatchNormalization().get_config()
    assert config["momentum"] == 0.99 and config["epsilon"] == 1e-3 and config["axis"] == -1


# -- LayerNormalization ------------------------------------------------------------------------


def test_layer_norm_matches_numpy():
    layer = L.LayerNormalization()
    x = RNG.normal(size=(3, 4, 5)).astype("float32") * 4
    layer(_t(x))
    gamma, beta = RNG.normal(size=5).astype("float32"), RNG.normal(size=5).astype("float32")
    layer.set_weights([gamma, beta])
    out = layer(_t(x)).detach().numpy()
    mean, var = x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, atol=1e-5)


@pytest.mark.parametrize("axis", [[1, 2], 1, [1, 3]])
def test_layer_norm_over_several_or_inner_axes(axis):
    layer = L.LayerNormalization(axis=axis)
    x = RNG.normal(size=(2, 3, 4, 5)).astype("float32")
    layer(_t(x))
    axes = tuple(axis) if isinstance(axis, list) else (axis,)
    gamma = RNG.normal(size=[x.shape[a] for a in axes]).astype("float32")
    beta = RNG.normal(size=gamma.shape).astype("float32")
    layer.set_weights([gamma, beta])
    out = layer(_t(x)).detach().numpy()
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    shape = [x.shape[d] if d in axes else 1 for d in range(4)]
    expected = (x - mean) / np.sqrt(var + 1e-3) * gamma.reshape(shape) + beta.reshape(shape)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_layer_norm_rms_scaling_uses_keras_formula():
    layer = L.LayerNormalization(rms_scaling=True)
    x = RNG.normal(size=(3, 6)).astype("float32") + 2
    out = layer(_t(x)).detach().numpy()
    assert [w.shape for w in layer.get_weights()] == [(6,)]
    np.testing.assert_allclose(out, x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3), atol=1e-5)


def test_layer_norm_without_center_or_scale_has_no_weights_and_bad_axis_errors():
    layer = L.LayerNormalization(center=False, scale=False)
    layer(torch.zeros(2, 3))
    assert layer.get_weights() == []
    with pytest.raises(LayerfitTypeError, match="an int or a list"):
        L.LayerNormalization(axis="last")
    with pytest.raises(LayerfitValueError, match=r"\[-2, 2\)"):
        L.LayerNormalization(axis=2)(torch.zeros(2, 3))


def test_batch_norm_moves_in_fit_but_not_in_evaluate_or_predict():
    model = layerfit.Sequential(
        [L.Input(shape=(4, 4, 2)), L.Conv2D(3, 2), L.BatchNormalization(), L.Flatten(), L.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = RNG.normal(size=(32, 4, 4, 2)).astype("float32") + 3
    y = RNG.normal(size=(32, 1)).astype("float32")
    bn = model.layers[1]
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    np.testing.assert_array_equal(bn.get_weights()[2], np.zeros(3, "float32"))
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert np.all(bn.get_weights()[2] != 0)
    moved = bn.get_weights()
    first = model.predict(x, verbose=0)
    np.testing.assert_array_equal(model.predict(x, verbose=0), first)
    for old, new in zip(moved, bn.get_weights()):  # copies: a view would always agree
        np.testing.assert_array_equal(old, new)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert not np.array_equal(moved[2], bn.get_weights()[2])  # training moves them: can fail
