"""Weight constraints: the projections against numpy, and the optimizer applying them per step."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import constraints, layers
from layerfit.errors import LayerfitValueError

EPSILON = 1e-7  # Keras's backend.epsilon(), added to every norm


def norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


W = np.random.default_rng(0).normal(size=(3, 4, 5)).astype("float32")
CASES = [
    (constraints.MaxNorm(1.5, axis=0), lambda w: w * np.clip(norms(w, 0), 0, 1.5) / (EPSILON + norms(w, 0))),
    (constraints.MaxNorm(2.0, axis=[0, 1]), lambda w: w * np.clip(norms(w, (0, 1)), 0, 2.0) / (EPSILON + norms(w, (0, 1)))),
    (constraints.UnitNorm(axis=1), lambda w: w / (EPSILON + norms(w, 1))),
    (constraints.NonNeg(), lambda w: np.maximum(w, 0)),
    (
        constraints.MinMaxNorm(1.0, 1.2, rate=0.5, axis=2),
        lambda w: w * (0.5 * np.clip(norms(w, 2), 1.0, 1.2) + 0.5 * norms(w, 2)) / (EPSILON + norms(w, 2)),
    ),
]  # fmt: skip


@pytest.mark.parametrize("constraint, expected", CASES, ids=[repr(case[0])[:30] for case in CASES])
def test_constraints_match_keras_formulas(constraint, expected):
    got = constraint(torch.from_numpy(W)).numpy()
    np.testing.assert_allclose(got, expected(W.astype("float64")), rtol=1e-6, atol=1e-7)


def test_names_aliases_and_configs_round_trip():
    assert constraints.max_norm is constraints.MaxNorm and constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert isinstance(constraints.get("NonNeg"), constraints.NonNeg)
    assert isinstance(constraints.get(constraints.UnitNorm), constraints.UnitNorm)
    assert constraints.get(None) is None
    original = constraints.MinMaxNorm(0.5, 3.0, rate=0.25, axis=[0, 1])
    config = constraints.serialize(original)
    assert config["class_name"] == "MinMaxNorm" and config["module"] == "keras.constraints"
    again = constraints.deserialize(config)
    assert (
        again.get_config()
        == original.get_config()
        == {
            "min_value": 0.5,
            "max_value": 3.0,
            "rate": 0.25,
            "axis": [0, 1],
        }
    )
    assert constraints.Constraint()(torch.ones(2)).tolist() == [1.0, 1.0]


def test_unknown_constraint_is_explained():
    with pytest.raises(LayerfitValueError, match="Did you mean .MaxNorm"):
        constraints.get("max_nrom")
    with pytest.raises(LayerfitValueError, match="Could not interpret constraint"):
        constraints.get(3)


def test_sgd_step_applies_the_constraint_after_the_update():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    kernel = rng.normal(size=(3, 2)).astype("float32")
    bias = np.array([0.05, -0.05], "float32")
    model = keras.Sequential(
        [
            keras.Input((3,)),
            layers.Dense(2, kernel_constraint=constraints.MaxNorm(0.5), bias_constraint="non_neg"),
        ]
    )
    model.set_weights([kernel, bias])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    # One full-batch step by hand (float64): mse gradient, SGD update, then the projections.
    error = x @ kernel + bias - y
    kernel_step = kernel - 0.1 * (2 * x.T @ error / error.size)
    bias_step = bias - 0.1 * (2 * error.sum(axis=0) / error.size)
    column_norms = norms(kernel_step, 0)
    expected_kernel = kernel_step * np.clip(column_norms, 0, 0.5) / (EPSILON + column_norms)
    new_kernel, new_bias = model.get_weights()
    np.testing.assert_allclose(new_kernel, expected_kernel, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new_bias, np.maximum(bias_step, 0), rtol=1e-5, atol=1e-6)
    assert column_norms.max() > 0.5 and (new_bias == 0).any()  # both projections had work


def test_conv_constraint_axes_count_in_keras_layout():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(16, 6, 6, 2)).astype("float32")
    y = rng.normal(size=(16, 4, 4, 3)).astype("float32")
    conv = layers.Conv2D(3, 3, kernel_constraint=constraints.MaxNorm(0.3, axis=[0, 1, 2]))
    model = keras.Sequential([keras.Input((6, 6, 2)), conv])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    before = np.sqrt((conv.get_weights()[0] ** 2).sum(axis=(0, 1, 2)))
    model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    kernel = conv.get_weights()[0]  # Keras layout (3, 3, in, filters)
    per_filter = np.sqrt((kernel**2).sum(axis=(0, 1, 2)))
    assert before.max() > 0.3  # the initial filters break the bound
    np.testing.assert_allclose(per_filter, np.minimum(per_filter, 0.3), rtol=1e-5)


def test_constraint_survives_save_and_load(tmp_path):
    model = keras.Sequential(
        [keras.Input((3,)), layers.Dense(2, kernel_constraint=constraints.UnitNorm(axis=0))]
    )
    model.save(tmp_path / "unit.keras")
    loaded = keras.models.load_model(tmp_path / "unit.keras")
    constraint = loaded.layers[0].kernel_constraint
    assert isinstance(constraint, constraints.UnitNorm) and constraint.axis == 0
    assert loaded.layers[0].kernel.constraint is constraint


@pytest.mark.parametrize(
    "make, attribute",
    [
        (lambda c: layers.Embedding(5, 3, embeddings_constraint=c), "embeddings"),
        (lambda c: layers.BatchNormalization(gamma_constraint=c), "gamma"),
        (lambda c: layers.LayerNormalization(beta_constraint=c), "beta"),
        (lambda c: layers.SimpleRNN(2, recurrent_constraint=c), "recurrent_kernel"),
        (lambda c: layers.SeparableConv2D(2, 3, pointwise_constraint=c), "pointwise_kernel"),
        (lambda c: layers.DepthwiseConv2D(3, depthwise_constraint=c), "kernel"),
    ],
)
def test_every_layer_constraint_argument_reaches_its_weight(make, attribute):
    layer = make(constraints.NonNeg())
    shapes = {"embeddings": (None, 4), "recurrent_kernel": (None, 4, 3)}
    layer.build(shapes.get(attribute, (None, 6, 6, 2)))
    weight = getattr(layer, attribute)
    assert weight.constraint is not None
    projected = weight.constraint(weight.detach() - 5.0)
    assert projected.shape == weight.shape and float(projected.min()) == 0.0
