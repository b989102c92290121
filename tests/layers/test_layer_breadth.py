"""The rest of keras.layers that real code uses, against real Keras: 1D/3D convolutions and
transposed convolutions, 3D pooling, 1D/3D reshaping, Permute, RepeatVector, Identity, noise
layers, GroupNormalization, UnitNormalization (same weights and inputs: outputs, gradients)."""

import numpy as np
import pytest
import torch
from _keras_oracle import assert_matches_keras, keras

import layerfit
from layerfit import layers
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(0)
SEQ = RNG.normal(size=(2, 7, 3)).astype(np.float32)
VOLUME = RNG.normal(size=(2, 5, 6, 4, 3)).astype(np.float32)
VECTORS = RNG.normal(size=(2, 6)).astype(np.float32)

CASES = [
    ("Conv1DTranspose", {"filters": 4, "kernel_size": 3}, SEQ),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, SEQ),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 4, "strides": 3, "output_padding": 1}, SEQ),
    ("Conv3D", {"filters": 2, "kernel_size": 3, "activation": "relu"}, VOLUME),
    ("Conv3D", {"filters": 2, "kernel_size": (2, 3, 1), "strides": 2, "padding": "same"}, VOLUME),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3}, VOLUME),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, VOLUME),
    ("MaxPooling3D", {}, VOLUME),
    ("MaxPooling3D", {"pool_size": 3, "strides": 2, "padding": "same"}, VOLUME),
    ("AveragePooling3D", {"pool_size": (2, 3, 2), "padding": "same"}, VOLUME),
    ("GlobalMaxPooling3D", {}, VOLUME),
    ("GlobalAveragePooling3D", {"keepdims": True}, VOLUME),
    ("UpSampling1D", {"size": 3}, SEQ),
    ("UpSampling3D", {"size": (1, 2, 3)}, VOLUME),
    ("ZeroPadding1D", {"padding": (1, 2)}, SEQ),
    ("ZeroPadding3D", {"padding": ((0, 1), (2, 0), (1, 1))}, VOLUME),
    ("Cropping1D", {"cropping": (2, 1)}, SEQ),
    ("Cropping3D", {"cropping": 1}, VOLUME),
    ("Permute", {"dims": (2, 1)}, SEQ),
    ("RepeatVector", {"n": 3}, VECTORS),
    ("Identity", {}, SEQ),
    ("GroupNormalization", {"groups": 3, "gamma_initializer": "random_normal"}, VOLUME),
    ("GroupNormalization", {"groups": -1, "beta_initializer": "random_normal"}, SEQ),
    ("GroupNormalization", {"groups": 1, "axis": 1, "epsilon": 1e-5}, SEQ),
    ("UnitNormalization", {}, SEQ),
    ("RMSNormalization", {}, SEQ),
    ("RMSNormalization", {"axis": [1, 2], "epsilon": 1e-3}, SEQ),
    ("SpatialDropout3D", {"rate": 0.3}, VOLUME),
    ("UnitNormalization", {"axis": [1, 2]}, SEQ),
    ("GaussianNoise", {"stddev": 0.3}, SEQ),  # at inference: the identity
    ("GaussianDropout", {"rate": 0.3}, SEQ),
    ("AlphaDropout", {"rate": 0.3}, SEQ),
]
TRAINING_ONLY = {"GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout3D"}


@pytest.mark.parametrize("name, kwargs, x", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_keras(name, kwargs, x):
    # float32 sums of at most a few hundred products: 1e-4 absolute.
    ours = getattr(layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    call = {"training": False} if name in TRAINING_ONLY else {}
    got = assert_matches_keras(ours, theirs, [x], call, atol=1e-4)
    assert tuple(ours.compute_output_shape((None, *x.shape[1:]))) == (None, *got.shape[1:])
    config = ours.get_config()
    assert type(ours).from_config(config).get_config() == config


def test_noise_layers_change_inputs_in_training_with_keras_moments():
    x = torch.ones(20000)
    noisy = layers.GaussianNoise(0.5)(x, training=True)
    assert abs(noisy.mean().item() - 1) < 0.02 and abs(noisy.std().item() - 0.5) < 0.02
    dropped = layers.GaussianDropout(0.2)(x, training=True)
    assert abs(dropped.std().item() - (0.2 / 0.8) ** 0.5) < 0.02  # sqrt(rate / (1 - rate))
    selu = torch.randn(20000)
    alpha = layers.AlphaDropout(0.2)(selu, training=True)
    # Self-normalizing: zero mean and unit variance survive the dropout.
    assert abs(alpha.mean().item()) < 0.05 and abs(alpha.std().item() - 1) < 0.05
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = (0.8 * (1 + 0.2 * alpha_p**2)) ** -0.5
    dropped_value = a * alpha_p - a * alpha_p * 0.2  # a * alpha_p + b
    share = (alpha - dropped_value).abs().lt(1e-6).float().mean().item()
    assert share == pytest.approx(0.2, abs=0.02)


def test_activity_regularization_adds_keras_penalty_to_the_loss():
    x = RNG.normal(size=(4, 3)).astype(np.float32)
    layer = layers.ActivityRegularization(l1=0.01, l2=0.1)
    layer(torch.from_numpy(x))
    expected = (0.01 * np.abs(x).sum() + 0.1 * (x**2).sum()) / 4  # Keras divides by batch
    np.testing.assert_allclose(layer.losses[0].item(), expected, rtol=1e-6)
    theirs = keras.layers.ActivityRegularization(l1=0.01, l2=0.1)
    theirs(x)
    np.testing.assert_allclose(float(theirs.losses[0]), expected, rtol=1e-5)


def test_conv3d_autoencoder_trains_and_saves(tmp_path):
    model = layerfit.Sequential(
        [
            layerfit.Input((4, 4, 4, 1)),
            layers.Conv3D(2, 3, padding="same", activation="relu"),
            layers.MaxPooling3D(),
            layers.Conv3DTranspose(1, 2, strides=2),
        ]
    )
    model.compile("adam", "mse")
    x = RNG.random((8, 4, 4, 4, 1)).astype(np.float32)
    history = model.fit(x, x, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "m.keras")
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_mistakes_explain_themselves():
    with pytest.raises(LayerfitValueError, match="permutation of 1..2"):
        layers.Permute((0, 1))
    with pytest.raises(LayerfitValueError, match=r"\(batch, features\)"):
        layers.RepeatVector(2)(torch.zeros(2, 3, 4))
    with pytest.raises(LayerfitValueError, match="divisors"):
        layers.GroupNormalization(groups=4)(torch.zeros(2, 6))
    with pytest.raises(LayerfitValueError, match="leave nothing"):
        layers.Cropping1D((4, 4))(torch.zeros(2, 7, 3))
    with pytest.raises(LayerfitValueError, match=r"\(before, after\) pairs"):
        layers.ZeroPadding3D((1, 2))
    with pytest.raises(LayerfitValueError, match="output_padding smaller than strides"):
        layers.Conv1DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(LayerfitValueError, match=r"\(batch, depth, height, width, channels\)"):
        layers.Conv3D(2, 3)(torch.zeros(2, 5, 5, 3))
