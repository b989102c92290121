"""Every loss against numpy float64, Keras's documented values, reductions, lookup, errors."""

import numpy as np
import pytest
import torch

from layerfit import losses
from layerfit.errors import LayerfitValueError, LayerfitWarning

EPS = 1e-7
RNG = np.random.default_rng(0)
B, C = 6, 4
REG_TRUE = RNG.normal(size=(B, C))
REG_PRED = RNG.normal(size=(B, C))
POS_TRUE = RNG.uniform(0.0, 3.0, size=(B, C))
POS_PRED = RNG.uniform(0.0, 3.0, size=(B, C))
BIN_TRUE = RNG.integers(0, 2, size=(B, C)).astype(np.float64)
PROBS = RNG.uniform(0.01, 0.99, size=(B, C))
LOGITS = RNG.normal(scale=3.0, size=(B, C))
LABELS = RNG.integers(0, C, size=(B,))
ONE_HOT = np.eye(C)[LABELS]
SOFTMAX = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)


def t(x):
    return torch.tensor(x, dtype=torch.float32)


def close(got, expected, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), expected, rtol=tol, atol=tol)


# -- numpy references (float64) ------------------------------------------------------------


def np_bce(y, p, from_logits=False, smoothing=0.0):
    y = y * (1 - smoothing) + 0.5 * smoothing
    if from_logits:
        p = 1 / (1 + np.exp(-p))
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(-1)


def np_cce(y, p, from_logits=False, smoothing=0.0):
    y = y * (1 - smoothing) + smoothing / y.shape[-1]
    if from_logits:
        logp = p - p.max(-1, keepdims=True)
        logp = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
    else:
        logp = np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS))
    return -(y * logp).sum(-1)


def np_hinge_labels(y):
    return 2 * y - 1 if np.isin(y, [0, 1]).all() else y


NUMPY = {
    "mean_squared_error": (lambda y, p: ((y - p) ** 2).mean(-1), REG_TRUE, REG_PRED),
    "mean_absolute_error": (lambda y, p: np.abs(y - p).mean(-1), REG_TRUE, REG_PRED),
    "mean_absolute_percentage_error": (
        lambda y, p: 100 * np.abs((y - p) / np.maximum(np.abs(y), EPS)).mean(-1),
        REG_TRUE,
        REG_PRED,
    ),
    "mean_squared_logarithmic_error": (
        lambda y, p: ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(y, EPS) + 1)) ** 2).mean(
            -1
        ),
        POS_TRUE,
        REG_PRED,  # negatives are floored at epsilon
    ),
    "huber": (
        lambda y, p: np.where(np.abs(p - y) <= 1.0, 0.5 * (p - y) ** 2, np.abs(p - y) - 0.5).mean(
            -1
        ),
        REG_TRUE,
        2 * REG_PRED,
    ),
    "log_cosh": (lambda y, p: np.log(np.cosh(p - y)).mean(-1), REG_TRUE, REG_PRED),
    "cosine_similarity": (
        lambda y, p: (
            -(
                y
                / np.linalg.norm(y, axis=-1, keepdims=True)
                * p
                / np.linalg.norm(p, axis=-1, keepdims=True)
            ).sum(-1)
        ),
        REG_TRUE,
        REG_PRED,
    ),
    "hinge": (lambda y, p: np.maximum(1 - np_hinge_labels(y) * p, 0).mean(-1), BIN_TRUE, REG_PRED),
    "squared_hinge": (
        lambda y, p: (np.maximum(1 - np_hinge_labels(y) * p, 0) ** 2).mean(-1),
        2 * BIN_TRUE - 1,
        REG_PRED,
    ),
    "categorical_hinge": (
        lambda y, p: np.maximum(((1 - y) * p).max(-1) - (y * p).sum(-1) + 1, 0),
        ONE_HOT,
        REG_PRED,
    ),
    "kl_divergence": (
        lambda y, p: (np.clip(y, EPS, 1) * np.log(np.clip(y, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
        ONE_HOT,
        PROBS,
    ),
    "poisson": (lambda y, p: (p - y * np.log(p + EPS)).mean(-1), POS_TRUE, POS_PRED),
    "binary_crossentropy": (np_bce, BIN_TRUE, PROBS),
    "categorical_crossentropy": (np_cce, ONE_HOT, PROBS),
}


@pytest.mark.parametrize("name", sorted(NUMPY))
def test_loss_function_matches_numpy(name):
    reference, y_true, y_pred = NUMPY[name]
    got = getattr(losses, name)(t(y_true), t(y_pred))
    assert got.shape == (B,)
    close(got, reference(y_true, y_pred))


@pytest.mark.parametrize("name", sorted(NUMPY))
def test_loss_class_reduces_like_keras(name):
    reference, y_true, y_pred = NUMPY[name]
    per_sample = reference(y_true, y_pred)
    loss = losses.as_loss(name)
    close(loss(t(y_true), t(y_pred)), per_sample.mean())
    weights = RNG.uniform(0, 2, size=B)
    weighted = type(loss)(reduction="sum_over_batch_size")
    # Keras divides the weighted sum by the number of elements, not by the weights' sum.
    close(weighted(t(y_true), t(y_pred), sample_weight=t(weights)), (per_sample * weights).mean())
    close(type(loss)(reduction="sum")(t(y_true), t(y_pred)), per_sample.sum())
    close(type(loss)(reduction="none")(t(y_true), t(y_pred)), per_sample)
    close(type(loss)(reduction=None)(t(y_true), t(y_pred)), per_sample)
    mean_sw = type(loss)(reduction="mean_with_sample_weight")
    expected = (per_sample * weights).sum() / weights.sum()
    close(mean_sw(t(y_true), t(y_pred), sample_weight=t(weights)), expected)


def test_crossentropies_from_logits_and_label_smoothing():
    close(losses.binary_crossentropy(t(BIN_TRUE), t(LOGITS), from_logits=True),
          np_bce(BIN_TRUE, LOGITS, from_logits=True))  # fmt: skip
    close(losses.binary_crossentropy(t(BIN_TRUE), t(PROBS), label_smoothing=0.2),
          np_bce(BIN_TRUE, PROBS, smoothing=0.2))  # fmt: skip
    close(losses.categorical_crossentropy(t(ONE_HOT), t(LOGITS), from_logits=True),
          np_cce(ONE_HOT, LOGITS, from_logits=True))  # fmt: skip
    close(losses.categorical_crossentropy(t(ONE_HOT), t(LOGITS), True, label_smoothing=0.1),
          np_cce(ONE_HOT, LOGITS, from_logits=True, smoothing=0.1))  # fmt: skip
    close(losses.categorical_crossentropy(t(ONE_HOT), t(PROBS), label_smoothing=0.1),
          np_cce(ONE_HOT, PROBS, smoothing=0.1))  # fmt: skip


def test_probabilities_at_0_and_1_are_clipped_to_epsilon():
    y = np.array([[1.0, 0.0, 1.0, 0.0]])
    p = np.array([[0.0, 1.0, 1.0, 0.0]])
    # As in Keras on float32, the upper bound 1 - 1e-7 rounds to 1 - 2**-23.
    upper = float(np.float32(1 - EPS))
    expected = -(np.log(EPS) + np.log(1 - upper) + np.log(upper) + np.log(1 - EPS)) / 4
    close(losses.binary_crossentropy(t(y), t(p)), [expected], tol=1e-4)
    assert torch.isfinite(losses.binary_crossentropy(t(y), t(p))).all()
    one_hot, probs = np.array([[0.0, 1.0, 0.0]]), np.array([[1.0, 0.0, 0.0]])
    close(losses.categorical_crossentropy(t(one_hot), t(probs)), [-np.log(EPS)], tol=1e-4)
    close(losses.sparse_categorical_crossentropy([1], t(probs)), [-np.log(EPS)], tol=1e-4)


def test_categorical_crossentropy_renormalizes_probabilities():
    p = np.array([[0.2, 0.2, 0.6]]) * 3  # sums to 3
    close(losses.categorical_crossentropy(t([[0.0, 0.0, 1.0]]), t(p)), [-np.log(0.6)])


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_matches_categorical_on_one_hot(from_logits):
    y_pred = t(LOGITS if from_logits else PROBS)
    expected = np_cce(ONE_HOT, LOGITS if from_logits else PROBS, from_logits=from_logits)
    fn = losses.sparse_categorical_crossentropy
    close(fn(torch.tensor(LABELS), y_pred, from_logits=from_logits), expected)
    close(fn(torch.tensor(LABELS).reshape(-1, 1), y_pred, from_logits=from_logits), expected)
    close(fn(t(LABELS), y_pred, from_logits=from_logits), expected)  # float labels
    close(fn(torch.tensor(LABELS, dtype=torch.int32), y_pred, from_logits), expected)


def test_sparse_crossentropy_along_another_axis():
    logits = RNG.normal(size=(2, C, 3))  # classes on axis 1
    labels = RNG.integers(0, C, size=(2, 3))
    one_hot = np.moveaxis(np.eye(C)[labels], -1, 1)
    got = losses.sparse_categorical_crossentropy(
        torch.tensor(labels), t(logits), from_logits=True, axis=1
    )
    expected = np_cce(np.moveaxis(one_hot, 1, -1), np.moveaxis(logits, 1, -1), from_logits=True)
    close(got, expected)


def test_sparse_ignore_class_zeroes_loss_and_averages_over_valid_samples():
    labels = np.array([0, -1, 2, -1])
    probs = PROBS[:4, :3]
    per_sample = np_cce(np.eye(3)[[0, 0, 2, 0]], probs)
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="none")
    close(loss(torch.tensor(labels), t(probs)), per_sample * [1, 0, 1, 0])
    mean = losses.SparseCategoricalCrossentropy(ignore_class=-1)(torch.tensor(labels), t(probs))
    close(mean, (per_sample[0] + per_sample[2]) / 2)
    logits = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    close(logits(torch.tensor(labels), t(np.log(probs))), (per_sample[0] + per_sample[2]) / 2)


def test_binary_crossentropy_accepts_labels_without_trailing_axis():
    y_true, probs = BIN_TRUE[:, 0], PROBS[:, :1]
    loss = losses.BinaryCrossentropy(reduction="none")
    close(loss(t(y_true), t(probs)), np_bce(y_true[:, None], probs))


def test_keras_docstring_values():
    y_true, y_pred = np.array([0, 1, 0, 0]), np.array([-18.6, 0.51, 2.94, -12.8])
    assert losses.BinaryCrossentropy(from_logits=True)(y_true, y_pred).item() == pytest.approx(
        0.8654, abs=2e-4
    )
    y_true, y_pred = np.array([[0, 1], [0, 0]]), np.array([[-18.6, 0.51], [2.94, -12.8]])
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert bce(y_true, y_pred).item() == pytest.approx(0.8654, abs=2e-4)
    assert bce(y_true, y_pred, sample_weight=[0.8, 0.2]).item() == pytest.approx(0.243, abs=1e-3)
    summed = losses.BinaryCrossentropy(from_logits=True, reduction="sum")
    assert summed(y_true, y_pred).item() == pytest.approx(1.730, abs=1e-3)
    none = losses.BinaryCrossentropy(from_logits=True, reduction=None)(y_true, y_pred)
    close(none, [0.235, 1.496], tol=1e-3)
    y_true, y_pred = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    cce = losses.CategoricalCrossentropy()
    assert cce(y_true, y_pred).item() == pytest.approx(1.177, abs=1e-3)
    assert cce(y_true, y_pred, sample_weight=[0.3, 0.7]).item() == pytest.approx(0.814, abs=1e-3)
    scce = losses.SparseCategoricalCrossentropy()
    assert scce([1, 2], y_pred).item() == pytest.approx(1.177, abs=1e-3)
    assert scce([1, 2], y_pred, sample_weight=[0.3, 0.7]).item() == pytest.approx(0.814, abs=1e-3)
    close(losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]),
          [0.916, 0.714], tol=1e-3)  # fmt: skip
    assert losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).mean().item() == pytest.approx(
        0.155, abs=1e-3
    )
    log_cosh = losses.log_cosh([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    assert log_cosh.mean().item() == pytest.approx(0.108, abs=1e-3)


def test_class_arguments_reach_the_function():
    huber = losses.Huber(delta=0.5, reduction="none")
    e = REG_PRED - REG_TRUE
    expected = np.where(np.abs(e) <= 0.5, 0.5 * e**2, 0.5 * np.abs(e) - 0.125).mean(-1)
    close(huber(t(REG_TRUE), t(REG_PRED)), expected)
    close(losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(
        t(ONE_HOT), t(LOGITS)), np_cce(ONE_HOT, LOGITS, True, 0.1).mean())  # fmt: skip


def test_loss_gradient_flows_to_logits():
    logits = torch.tensor(LOGITS, dtype=torch.float32, requires_grad=True)
    losses.SparseCategoricalCrossentropy(from_logits=True)(torch.tensor(LABELS), logits).backward()
    expected = (SOFTMAX - ONE_HOT) / B
    close(logits.grad, expected)


def test_loss_casts_predictions_to_float32():
    value = losses.MeanSquaredError()(torch.zeros(2, 2, dtype=torch.float64), torch.ones(2, 2))
    assert value.dtype == torch.float32
    assert losses.MeanSquaredError().dtype == "float32"


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_losses_on_the_gpu_match_numpy():
    for name in sorted(NUMPY):
        reference, y_true, y_pred = NUMPY[name]
        value = losses.as_loss(name)(t(y_true).cuda(), t(y_pred).cuda())
        assert value.device.type == "cuda"
        close(value.cpu(), reference(y_true, y_pred).mean())
    sparse = losses.SparseCategoricalCrossentropy(from_logits=True)
    close(sparse(torch.tensor(LABELS).cuda(), t(LOGITS).cuda()).cpu(),
          np_cce(ONE_HOT, LOGITS, from_logits=True).mean())  # fmt: skip


# -- errors --------------------------------------------------------------------------------


def test_categorical_crossentropy_with_integer_labels_points_to_sparse():
    with pytest.raises(LayerfitValueError) as info:
        losses.CategoricalCrossentropy()(torch.tensor(LABELS), t(PROBS))
    message = str(info.value)
    assert "(6,)" in message and "(6, 4)" in message
    assert "sparse_categorical_crossentropy" in message and "to_categorical" in message


def test_sparse_crossentropy_with_one_hot_labels_points_to_categorical():
    with pytest.raises(LayerfitValueError) as info:
        losses.sparse_categorical_crossentropy(t(ONE_HOT), t(PROBS))
    message = str(info.value)
    assert "one-hot" in message and "loss='categorical_crossentropy'" in message


def test_sparse_crossentropy_with_wrong_batch_shape():
    with pytest.raises(LayerfitValueError, match="one integer class index per sample"):
        losses.sparse_categorical_crossentropy(torch.tensor([0, 1]), t(PROBS))


def test_binary_crossentropy_shape_mismatch_explains():
    with pytest.raises(LayerfitValueError) as info:
        losses.binary_crossentropy(torch.tensor([0.0, 1.0]), t(PROBS[:2]))
    assert "sparse_categorical_crossentropy" in str(info.value)


def test_categorical_crossentropy_single_class_warns():
    with pytest.warns(LayerfitWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(t([[1.0]]), t([[0.7]]))


def test_bad_reduction_and_axis_explain():
    with pytest.raises(LayerfitValueError, match="sum_over_batch_size"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(LayerfitValueError, match="type `int`"):
        losses.categorical_crossentropy(t(ONE_HOT), t(PROBS), axis=True)


# -- lookup and config ---------------------------------------------------------------------

CLASSES = {
    "mean_squared_error": losses.MeanSquaredError,
    "mse": losses.MeanSquaredError,
    "MAE": losses.MeanAbsoluteError,
    "mape": losses.MeanAbsolutePercentageError,
    "msle": losses.MeanSquaredLogarithmicError,
    "cosine_similarity": losses.CosineSimilarity,
    "huber": losses.Huber,
    "huber_loss": losses.Huber,
    "log_cosh": losses.LogCosh,
    "logcosh": losses.LogCosh,
    "hinge": losses.Hinge,
    "squared_hinge": losses.SquaredHinge,
    "categorical_hinge": losses.CategoricalHinge,
    "kld": losses.KLDivergence,
    "KLDivergence": losses.KLDivergence,
    "poisson": losses.Poisson,
    "bce": losses.BinaryCrossentropy,
    "binary_crossentropy": losses.BinaryCrossentropy,
    "CategoricalCrossentropy": losses.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": losses.SparseCategoricalCrossentropy,
    "Sparse-Categorical-Crossentropy": losses.SparseCategoricalCrossentropy,
}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_get_returns_loss_instance_with_canonical_fn_name(name):
    loss = losses.as_loss(name)
    assert type(loss) is CLASSES[name]
    assert isinstance(loss, losses.LossFunctionWrapper)
    assert loss.fn_name == losses.canonical_name(name)
    assert loss.from_logits is False


def test_get_wraps_functions_and_passes_losses_through():
    wrapped = losses.as_loss(losses.categorical_crossentropy)
    assert isinstance(wrapped, losses.LossFunctionWrapper)
    assert wrapped.fn is losses.categorical_crossentropy
    assert wrapped.fn_name == "categorical_crossentropy"

    def my_loss(y_true, y_pred):
        return (y_true - y_pred).abs().mean(-1)

    custom = losses.as_loss(my_loss)
    assert custom.fn_name == "my_loss" and custom.name == "my_loss"
    close(custom(t(REG_TRUE), t(REG_PRED)), np.abs(REG_TRUE - REG_PRED).mean())
    instance = losses.CategoricalCrossentropy(from_logits=True)
    assert losses.as_loss(instance) is instance and instance.from_logits is True
    assert type(losses.as_loss(losses.Huber)) is losses.Huber
    assert losses.as_loss(None) is None


def test_custom_loss_subclass_gets_fn_name_and_from_logits():
    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return (y_pred - y_true).mean(-1)

    loss = MyLoss()
    assert loss.fn_name == "my_loss" and loss.from_logits is False and loss.name == "my_loss"
    close(loss(t(REG_TRUE), t(REG_PRED)), (REG_PRED - REG_TRUE).mean())


def test_misspelled_loss_suggests_the_closest_name():
    with pytest.raises(LayerfitValueError) as info:
        losses.as_loss("sparse_categorical_coressentropy")
    message = str(info.value)
    assert "Did you mean 'sparse_categorical_crossentropy'" in message
    with pytest.raises(LayerfitValueError, match="Could not interpret loss"):
        losses.as_loss(42)


def test_resolve_crossentropy_from_shapes():
    assert losses.resolve("crossentropy", (8, 1), (8, 1)).fn_name == "binary_crossentropy"
    assert losses.resolve("ce", (8,), (8, 3)).fn_name == "sparse_categorical_crossentropy"
    assert losses.resolve("ce", (8, 3), (8, 3)).fn_name == "categorical_crossentropy"
    assert losses.resolve("mse", (8, 1), (8, 1)).fn_name == "mean_squared_error"


@pytest.mark.parametrize("cls", sorted(set(CLASSES.values()), key=lambda c: c.__name__))
def test_serialize_round_trip(cls):
    loss = cls(reduction="sum", name="custom_name")
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is cls and restored.get_config() == loss.get_config()


def test_round_trip_keeps_arguments_and_wrapped_functions():
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)
    restored = losses.as_loss(losses.serialize(loss))
    assert restored.from_logits is True and restored.ignore_class == 255
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=2.0)
    restored = losses.deserialize(losses.serialize(wrapper))
    assert restored.fn is losses.huber and restored.get_config()["delta"] == 2.0
    assert losses.serialize(losses.mse)["config"] == "mean_squared_error"
    assert type(losses.deserialize(losses.serialize(losses.mse))) is losses.MeanSquaredError


def test_public_names_snapshot():
    assert {"Loss", "LossFunctionWrapper", "get", "serialize", "deserialize", "mse", "mae",
            "binary_crossentropy", "categorical_crossentropy",
            "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy",
            "CategoricalCrossentropy", "BinaryCrossentropy", "Huber", "huber", "log_cosh",
            "hinge", "kl_divergence"} <= set(losses.__all__)  # fmt: skip
    assert all(hasattr(losses, name) for name in losses.__all__)


def test_wrapper_exposes_function_arguments_as_attributes():
    wrapper = losses.LossFunctionWrapper(losses.categorical_crossentropy, label_smoothing=0.1)
    assert wrapper.label_smoothing == 0.1 and wrapper.fn_name == "categorical_crossentropy"
    assert losses.CategoricalCrossentropy(axis=1).axis == 1
    assert losses.SparseCategoricalCrossentropy(ignore_class=3).ignore_class == 3


def test_get_follows_keras_function_names_give_functions_class_names_instances():
    # Keras 3.15: losses.get("mse") is the per-sample function mean_squared_error,
    # losses.get("MeanSquaredError") an instance; a function is returned as is.
    function = losses.get("mse")
    assert function is losses.mean_squared_error and function.__name__ == "mean_squared_error"
    close(function(t(REG_TRUE), t(REG_PRED)), ((REG_TRUE - REG_PRED) ** 2).mean(-1))
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert type(losses.get("MeanSquaredError")) is losses.MeanSquaredError
    assert type(losses.get("CategoricalCrossentropy")) is losses.CategoricalCrossentropy

    def my_loss(y_true, y_pred):
        return (y_true - y_pred).abs().mean(-1)

    assert losses.get(my_loss) is my_loss
    assert losses.get(None) is None
