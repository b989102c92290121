"""The pre-flight checks in detail: which shapes, scales and labels pass, and what each fix says."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import _compat
from layerfit.data import _checks
from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning
from layerfit.layers import Dense, Flatten, Input
from layerfit.training import _output_checks, _preflight


def compiled(model, loss, metrics=None, optimizer="sgd"):
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    return model


def classifier(units=3, activation="softmax", features=4):
    return keras.Sequential([Input(shape=(features,)), Dense(units, activation=activation)])


# -- input shapes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "x_shape", "fix"),
    [
        ((8,), (20, 10), "built for 8 features but x has 10"),
        ((6,), (20, 2, 3), "x = x.reshape(-1, 6)"),
        ((2, 3), (20, 3, 2), "x = x.reshape(-1, 2, 3)"),
        ((4, 4, 3), (4, 4, 3), "x looks like one sample of shape (4, 4, 3)"),
        ((4, 4, 3), (20, 5, 5, 3), "Input(shape=(5, 5, 3))"),
    ],
)
def test_input_shape_mismatch_fixes(expected, x_shape, fix):
    model = keras.Sequential([Input(shape=expected), Flatten(), Dense(1)])
    with pytest.raises(LayerfitValueError) as info:
        model.predict(np.zeros(x_shape, "float32"), verbose=0)
    text = str(info.value)
    assert f"expects input of shape {(None, *expected)}, but x has shape {x_shape}" in text
    assert fix in text


@pytest.mark.parametrize(
    ("expected", "x_shape"), [((1,), (20,)), ((4, 4, 1), (20, 4, 4)), ((3,), (20, 3, 1))]
)
def test_a_trailing_axis_of_one_is_added_or_dropped_as_keras_does(expected, x_shape):
    model = keras.Sequential([Input(shape=expected), Flatten(), Dense(2)])
    x = np.arange(np.prod(x_shape), dtype="float32").reshape(x_shape) / 1000
    expected_out = model.predict(x.reshape(20, *expected), verbose=0)
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected_out)


def test_unknown_axes_accept_any_length():
    model = keras.Sequential(
        [Input(shape=(None, 3)), keras.layers.GlobalAveragePooling1D(), Dense(1)]
    )
    assert model.predict(np.zeros((2, 7, 3), "float32"), verbose=0).shape == (2, 1)


def test_functional_dict_inputs_are_checked_by_name():
    a, b = Input(shape=(2,), name="a"), Input(shape=(3,), name="b")
    joined = keras.layers.Concatenate()([a, b]) if hasattr(keras.layers, "Concatenate") else None
    if joined is None:
        pytest.skip("Concatenate not available yet")
    model = keras.Model({"a": a, "b": b}, Dense(1)(joined))
    with pytest.raises(
        LayerfitValueError, match=r"Input 'b' .* expects input of shape \(None, 3\)"
    ):
        model.predict({"a": np.zeros((4, 2)), "b": np.zeros((4, 5))}, verbose=0)


# -- NaN and inf ------------------------------------------------------------------------------------


def test_nan_in_labels_and_tensors_is_counted():
    model = compiled(classifier(1, None), "mse")
    y = np.zeros(10)
    y[[4, 6]] = np.nan
    with pytest.raises(
        LayerfitValueError,
        match=r"y contains 2 NaN and 0 inf values \(first in "
        r"sample 4\)",
    ):
        model.fit(np.zeros((10, 4)), y, verbose=0)
    x = torch.zeros(10, 4)
    x[3, 2] = float("-inf")
    with pytest.raises(LayerfitValueError, match=r"x contains 0 NaN and 1 inf .*sample 3"):
        model.predict(x, verbose=0)


def test_nan_in_validation_data_is_named():
    model = compiled(classifier(1, None), "mse")
    x_val = np.zeros((4, 4))
    x_val[2, 0] = np.nan
    with pytest.raises(LayerfitValueError, match=r"validation_data\[0\] contains 1 NaN"):
        model.fit(np.zeros((8, 4)), np.zeros(8), validation_data=(x_val, np.zeros(4)), verbose=0)


def test_finite_check_ignores_integer_and_object_data():
    assert _checks.nonfinite(np.arange(6).reshape(3, 2)) is None
    assert _checks.nonfinite(np.array([["a", 1]], dtype=object)) is None
    nan, inf, row, columns = _checks.nonfinite(np.array([[1.0, np.inf], [np.nan, np.nan]]))
    assert (nan, inf, row, columns) == (2, 1, 0, None)


# -- input scale ------------------------------------------------------------------------------------


def test_tabular_data_gets_the_scaler_fix():
    rng = np.random.default_rng(0)
    x = np.c_[rng.normal(35, 10, 40), rng.normal(50_000, 9_000, 40)]  # age, income
    model = compiled(classifier(1, None, features=2), "mse")
    with pytest.warns(LayerfitWarning, match="MinMaxScaler or StandardScaler"):
        model.fit(x, rng.normal(size=40), verbose=0)


def test_standardised_data_with_an_outlier_is_not_flagged():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 8))
    x[5, 3] = 119.0  # California housing's AveOccup reaches a z-score this large
    model = compiled(classifier(1, None, features=8), "mse")
    model.fit(x, rng.normal(size=32), verbose=0)  # any warning fails: filterwarnings = error


@pytest.mark.parametrize(
    "first",
    [
        lambda: [keras.layers.Rescaling(1 / 255)],
        lambda: [keras.layers.RandomFlip("horizontal"), keras.layers.Rescaling(1 / 255)],
        lambda: [keras.layers.BatchNormalization()],
    ],
)
def test_models_that_rescale_themselves_are_not_flagged(first):
    x = np.random.default_rng(0).integers(0, 256, size=(16, 6, 6, 1)).astype("float32")
    model = keras.Sequential([Input(shape=(6, 6, 1)), *first(), Flatten(), Dense(1)])
    compiled(model, "mse").fit(x, np.zeros(16), verbose=0)


def test_a_custom_first_layer_is_trusted_to_scale():
    class Standardize(keras.layers.Layer):
        def call(self, inputs):
            return (inputs - 128.0) / 64.0

    x = np.random.default_rng(0).integers(0, 256, size=(16, 4)).astype("float32")
    model = keras.Sequential([Input(shape=(4,)), Standardize(), Dense(1)])
    compiled(model, "mse").fit(x, np.zeros(16), verbose=0)  # no warning
    plain = compiled(keras.Sequential([Input(shape=(4,)), Dense(1)]), "mse")
    with pytest.warns(LayerfitWarning, match="x looks unscaled"):
        plain.fit(x, np.zeros(16), verbose=0)


def test_predict_on_unscaled_test_data_warns_too():
    model = classifier(3, "softmax", features=4)
    with pytest.warns(LayerfitWarning, match="x / 255.0"):
        model.predict(np.full((2, 4), 200.0), verbose=0)


# -- labels against the loss and outputs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "labels", "fix"),
    [
        (1, [0, 1, 1, 0], "Dense(1, activation='sigmoid') with loss='binary_crossentropy'"),
        (3, [-1, 0, 1, 2], "np.unique(y, return_inverse=True)"),
    ],
)
def test_sparse_label_range_fixes(units, labels, fix):
    model = compiled(classifier(units, "sigmoid"), "sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(np.zeros((4, 4)), np.array(labels), verbose=0)
    assert fix in str(info.value)


def test_ignore_class_labels_are_not_range_checked():
    loss = keras.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    model = compiled(classifier(3), loss)
    model.fit(np.zeros((4, 4)), np.array([-1, 0, 1, 2]), verbose=0)


def test_from_logits_after_softmax_warns():
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model = compiled(classifier(3, "softmax"), loss)
    with pytest.warns(LayerfitWarning, match="already applies softmax") as record:
        model.fit(np.zeros((4, 4)), np.array([0, 1, 2, 0]), verbose=0)
    assert "drop from_logits=True" in str(record[0].message)


def test_sparse_loss_with_one_hot_labels_of_another_width():
    model = compiled(classifier(3), "sparse_categorical_crossentropy")
    with pytest.raises(
        LayerfitValueError, match=r"labels of shape \(None, 2\), which look one-hot"
    ):
        model.fit(np.zeros((4, 4)), np.eye(2)[[0, 1, 1, 0]], verbose=0)


def test_binary_crossentropy_labels_outside_zero_one():
    model = compiled(classifier(1, "sigmoid"), "binary_crossentropy")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(np.zeros((4, 4)), np.array([1, 2, 2, 1]), verbose=0)
    text = str(info.value)
    assert "labels from 1 to 2" in text and "map them to 0 and 1" in text


def test_evaluate_checks_labels_too():
    model = compiled(classifier(3), "sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError, match="go from 0 to 5"):
        model.evaluate(np.zeros((4, 4)), np.array([0, 1, 2, 5]), verbose=0)


def test_unflattened_images_into_dense_name_flatten():
    model = compiled(keras.Sequential([Dense(3, activation="softmax")]), "categorical_crossentropy")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(np.zeros((4, 5, 2)), np.eye(3)[[0, 1, 2, 0]], verbose=0)
    text = str(info.value)
    assert "outputs shape (None, 5, 3)" in text and "add Flatten()" in text


def test_relu_output_with_negative_targets_warns():
    model = compiled(classifier(1, "relu"), "mae")
    with pytest.warns(LayerfitWarning, match=r"relu outputs lie in \[0, inf\]"):
        model.fit(np.zeros((4, 4)), np.array([-2.0, 1.0, 3.0, 0.5]), verbose=0)


def test_softmax_is_recognised_from_the_outputs_of_a_subclassed_model():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = Dense(3)

        def call(self, inputs, training=None):
            return torch.softmax(self.dense(inputs), dim=-1)

    model = compiled(Net(), "binary_crossentropy")
    with pytest.warns(LayerfitWarning, match="softmax over 3 units"):
        model.fit(np.zeros((4, 4)), np.eye(3)[[0, 1, 2, 0]], verbose=0)


def test_fit_without_labels_on_a_compiled_loss():
    model = compiled(classifier(), "sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError, match=r"model\.fit\(\) got no labels"):
        model.fit(np.zeros((4, 4)), verbose=0)


def test_probe_leaves_no_hooks_and_keeps_the_training_mode():
    model = compiled(classifier(), "sparse_categorical_crossentropy")
    model.train()
    model.fit(np.zeros((4, 4)), np.array([0, 1, 2, 0]), verbose=0)
    for layer in model.modules():
        assert not layer._forward_hooks and not layer._forward_pre_hooks
    model.train()
    _preflight.check_first_batch(model, torch.zeros(2, 4), torch.tensor([0, 1]), None, stage="fit")
    assert model.training


def test_label_stats_by_hand():
    stats = _output_checks.label_stats(torch.tensor([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))
    assert stats == {"min": 0.0, "max": 1.0, "integral": True, "binary": True, "one_hot": True}
    stats = _output_checks.label_stats(torch.tensor([0.5, 2.0, -1.0]))
    assert stats == {"min": -1.0, "max": 2.0, "integral": False, "binary": False, "one_hot": False}


# -- the compat helpers ------------------------------------------------------------------------------


def test_renamed_kwargs_maps_old_names_and_rejects_unknown_ones():
    with pytest.warns(keras.errors.LayerfitDeprecationWarning, match=r"fit\(epochs=\.\.\.\)"):
        assert _compat.renamed_kwargs("fit", {"nb_epoch": 3}, _compat.FIT_RENAMES, ["epochs"]) == {
            "epochs": 3
        }
    with pytest.raises(LayerfitTypeError, match="Did you mean batch_size="):
        _compat.renamed_kwargs("fit", {"batchsize": 3}, {}, ["batch_size", "epochs"])
    assert _compat.parameter_names(lambda self, a, *rest, b=1, **kw: None) == ["a", "b"]
