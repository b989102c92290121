"""keras.mixed_precision: float32 weights, bfloat16 math under autocast (on CPU), loss scaling."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import mixed_precision
from layerfit.errors import LayerfitValueError
from layerfit.layers import Dense, Input
from layerfit.training import _steps


@pytest.fixture(autouse=True)
def float32_afterwards():
    yield
    mixed_precision.set_global_policy("float32")


def data(n=128):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=n)
    x = (rng.normal(size=(n, 6)) + y[:, None]).astype("float32")
    return x, y


def classifier(optimizer="adam"):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [Input(shape=(6,)), Dense(32, activation="relu"), Dense(3, activation="softmax")]
    )
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_policies_name_their_dtypes_as_keras():
    policy = mixed_precision.Policy("mixed_bfloat16")
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (
        "mixed_bfloat16",
        "bfloat16",
        "float32",
    )
    assert repr(policy) == '<DTypePolicy "mixed_bfloat16">'
    assert mixed_precision.global_policy().name == "float32"
    mixed_precision.set_global_policy("mixed_float16")
    assert mixed_precision.global_policy() == "mixed_float16"
    assert Dense(2).dtype_policy.compute_dtype == "float16"
    with pytest.raises(LayerfitValueError, match=r"(?s)names no dtype policy.*mixed_bfloat16"):
        mixed_precision.set_global_policy("mixed_bf16")


def test_mixed_bfloat16_keeps_float32_weights_and_computes_in_bfloat16():
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = classifier()
    dense = model.layers[0]
    assert dense.kernel.dtype == torch.float32 and dense.compute_dtype == "bfloat16"
    x, y = data()
    assert model(torch.from_numpy(x[:4])).dtype == torch.bfloat16  # as Keras's output dtype
    assert model.predict(x[:4], verbose=0).dtype == np.float32  # numpy has no bfloat16
    assert dense.get_config()["dtype"] == "mixed_bfloat16"


def test_mixed_bfloat16_training_tracks_float32_training():
    x, y = data()
    reference = classifier().fit(x, y, epochs=3, verbose=0, shuffle=False).history
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = classifier()
    mixed = model.fit(x, y, epochs=3, verbose=0, shuffle=False).history
    assert all(w.dtype == np.float32 for w in model.get_weights())
    # bfloat16 keeps 8 bits of mantissa (about 0.4% per op): the losses agree to 2%.
    np.testing.assert_allclose(mixed["loss"], reference["loss"], rtol=2e-2)
    assert mixed["loss"][-1] < mixed["loss"][0]  # and it learns


def _autograd_step_only(monkeypatch):
    # Scaled losses take the autograd step; the unscaled reference must too, to compare
    # bitwise (the hand-derived Dense-stack step agrees to float rounding only).
    monkeypatch.setattr(_steps.DenseStackStep, "plan", classmethod(lambda cls, *a: None))


def test_loss_scale_optimizer_gives_the_inner_updates_exactly(monkeypatch):
    _autograd_step_only(monkeypatch)
    x, y = data()
    plain = classifier(keras.optimizers.Adam(1e-2))
    plain.fit(x, y, epochs=2, verbose=0, shuffle=False)
    scaled = classifier(mixed_precision.LossScaleOptimizer(keras.optimizers.Adam(1e-2)))
    scaled.fit(x, y, epochs=2, verbose=0, shuffle=False)
    # The scale is a power of two: multiplying and dividing by it is exact in float32.
    for a, b in zip(plain.get_weights(), scaled.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_loss_scale_optimizer_skips_an_overflowing_step_and_halves_its_scale():
    x, y = data(32)
    optimizer = mixed_precision.LossScaleOptimizer(keras.optimizers.Adam(), initial_scale=1e39)
    model = classifier(optimizer)
    model.build((None, 6))
    before = model.get_weights()
    model.train_on_batch(x, y)  # loss * 1e39 is inf in float32
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert optimizer.dynamic_scale == 5e38


def test_loss_scale_factor_now_scales_the_loss_in_fit(monkeypatch):
    _autograd_step_only(monkeypatch)
    x, y = data()
    plain = classifier(keras.optimizers.Adam(1e-2))
    plain.fit(x, y, epochs=1, verbose=0, shuffle=False)
    scaled = classifier(keras.optimizers.Adam(1e-2, loss_scale_factor=128.0))
    scaled.fit(x, y, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(plain.get_weights(), scaled.get_weights()):
        np.testing.assert_array_equal(a, b)  # 128 is a power of two: exact


def test_a_float32_last_layer_computes_and_outputs_float32_in_a_mixed_model():
    mixed_precision.set_global_policy("mixed_bfloat16")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            Input(shape=(6,)),
            Dense(32, activation="relu"),
            Dense(3),
            keras.layers.Activation("softmax", dtype="float32"),  # Keras's idiom
        ]
    )
    x, y = data()
    hidden = model.layers[1](model.layers[0](torch.from_numpy(x[:8])))
    assert hidden.dtype == torch.bfloat16  # the mixed layers still compute in bfloat16
    out = model(torch.from_numpy(x[:8]))
    assert out.dtype == torch.float32
    # The softmax ran in float32 on the bfloat16 logits: rows sum to 1 to float32 precision.
    np.testing.assert_allclose(out.sum(-1).detach().numpy(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(
        out.detach().numpy(), torch.softmax(hidden.float(), -1).detach().numpy(), rtol=1e-6
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
