"""Metrics accumulated over batches equal numpy over the concatenation; lookup; state."""

import numpy as np
import pytest
import torch

from layerfit import metrics
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(1)
N, C, SPLITS = 24, 5, (0, 7, 15, 24)  # three uneven batches
LABELS = RNG.integers(0, C, size=N)
ONE_HOT = np.eye(C)[LABELS]
PROBS = RNG.dirichlet(np.ones(C), size=N)
BINARY = RNG.integers(0, 2, size=(N, 1)).astype(np.float64)
SIGMOID = RNG.uniform(size=(N, 1))
REG_TRUE = RNG.normal(size=(N, 3))
REG_PRED = RNG.normal(size=(N, 3))
WEIGHTS = RNG.uniform(0, 2, size=N)


def t(x):
    return torch.tensor(x, dtype=torch.float32)


def accumulate(metric, y_true, y_pred, weights=None):
    for lo, hi in zip(SPLITS[:-1], SPLITS[1:]):
        sw = None if weights is None else t(weights[lo:hi])
        metric.update_state(torch.as_tensor(y_true[lo:hi]), t(y_pred[lo:hi]), sample_weight=sw)
    result = metric.result()
    assert isinstance(result, torch.Tensor) and result.dim() == 0
    return result.item()


def weighted_mean(values, weights):
    return values.mean() if weights is None else (values * weights).sum() / weights.sum()


def top_k(labels, scores, k):
    kth = np.sort(scores, axis=-1)[:, -k]
    return (scores[np.arange(len(labels)), labels] >= kth).astype(float)


CASES = {
    "accuracy": (metrics.Accuracy, LABELS[:, None], LABELS[:, None] * (RNG.uniform(size=(N, 1)) > 0.3),
                 lambda y, p: (y == p).astype(float)[:, 0]),
    "binary_accuracy": (metrics.BinaryAccuracy, BINARY, SIGMOID,
                        lambda y, p: ((p > 0.5) == y).astype(float)[:, 0]),
    "categorical_accuracy": (metrics.CategoricalAccuracy, ONE_HOT, PROBS,
                             lambda y, p: (y.argmax(-1) == p.argmax(-1)).astype(float)),
    "sparse_categorical_accuracy": (metrics.SparseCategoricalAccuracy, LABELS, PROBS,
                                    lambda y, p: (y == p.argmax(-1)).astype(float)),
    "top_k": (lambda: metrics.TopKCategoricalAccuracy(k=2), ONE_HOT, PROBS,
              lambda y, p: top_k(y.argmax(-1), p, 2)),
    "sparse_top_k": (lambda: metrics.SparseTopKCategoricalAccuracy(k=3), LABELS, PROBS,
                     lambda y, p: top_k(y, p, 3)),
    "mse": (metrics.MeanSquaredError, REG_TRUE, REG_PRED, lambda y, p: ((y - p) ** 2).mean(-1)),
    "mae": (metrics.MeanAbsoluteError, REG_TRUE, REG_PRED, lambda y, p: np.abs(y - p).mean(-1)),
    "mape": (metrics.MeanAbsolutePercentageError, REG_TRUE, REG_PRED,
             lambda y, p: 100 * np.abs((y - p) / np.abs(y)).mean(-1)),
    "categorical_crossentropy": (metrics.CategoricalCrossentropy, ONE_HOT, PROBS,
                                 lambda y, p: -(y * np.log(p)).sum(-1)),
    "sparse_categorical_crossentropy": (metrics.SparseCategoricalCrossentropy, LABELS, PROBS,
                                        lambda y, p: -np.log(p[np.arange(N), y])),
    "binary_crossentropy": (metrics.BinaryCrossentropy, BINARY, SIGMOID,
                            lambda y, p: -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(-1)),
}  # fmt: skip


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_metric_over_batches_equals_numpy_over_concatenation(case, weighted):
    make, y_true, y_pred, per_sample = CASES[case]
    weights = WEIGHTS if weighted else None
    expected = weighted_mean(per_sample(y_true, y_pred), weights)
    got = accumulate(make(), y_true, y_pred, weights)
    assert got == pytest.approx(expected, rel=1e-5, abs=1e-5)


def test_root_mean_squared_error_over_batches():
    expected = np.sqrt(weighted_mean(((REG_TRUE - REG_PRED) ** 2).mean(-1), WEIGHTS))
    got = accumulate(metrics.RootMeanSquaredError(), REG_TRUE, REG_PRED, WEIGHTS)
    assert got == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_precision_and_recall_over_batches(weighted):
    weights = WEIGHTS if weighted else np.ones(N)
    predicted = (SIGMOID > 0.5)[:, 0]
    actual = BINARY[:, 0] == 1
    tp = (weights * (predicted & actual)).sum()
    fp = (weights * (predicted & ~actual)).sum()
    fn = (weights * (~predicted & actual)).sum()
    sw = WEIGHTS if weighted else None
    assert accumulate(metrics.Precision(), BINARY, SIGMOID, sw) == pytest.approx(tp / (tp + fp))
    assert accumulate(metrics.Recall(), BINARY, SIGMOID, sw) == pytest.approx(tp / (tp + fn))
    assert accumulate(metrics.TruePositives(), BINARY, SIGMOID, sw) == pytest.approx(tp)


def test_precision_thresholds_list_class_id_and_top_k():
    m = metrics.Precision(thresholds=[0.3, 0.7])
    m.update_state(t(BINARY), t(SIGMOID))
    for value, threshold in zip(m.result().tolist(), [0.3, 0.7]):
        predicted, actual = SIGMOID[:, 0] > threshold, BINARY[:, 0] == 1
        assert value == pytest.approx((predicted & actual).sum() / predicted.sum(), rel=1e-6)
    m = metrics.Recall(class_id=2)
    m.update_state(t(ONE_HOT), t(PROBS))
    predicted, actual = PROBS[:, 2] > 0.5, LABELS == 2
    assert m.result().item() == pytest.approx(
        (predicted & actual).sum() / max(actual.sum(), 1), abs=1e-6
    )
    m = metrics.Precision(top_k=1)
    m.update_state(t(ONE_HOT), t(PROBS))  # precision of the argmax = categorical accuracy
    assert m.result().item() == pytest.approx((PROBS.argmax(-1) == LABELS).mean(), rel=1e-6)


def test_keras_docstring_values():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[1, 1, 0, 0])
    assert m.result().item() == pytest.approx(0.5)
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert m.result().item() == pytest.approx(0.75)
    m = metrics.CategoricalAccuracy()
    y_true, y_pred = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m.update_state(y_true, y_pred, sample_weight=[0.7, 0.3])
    assert m.result().item() == pytest.approx(0.3)
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    assert m.result().item() == pytest.approx(0.5)
    m = metrics.Precision()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert m.result().item() == pytest.approx(1.0)
    m = metrics.Precision(top_k=4)
    m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert m.result().item() == pytest.approx(0.5)
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert m.result().item() == pytest.approx(2.0)
    m = metrics.Sum()
    m.update_state([1, 3, 5, 7])
    assert m.result().item() == pytest.approx(16.0)
    m = metrics.RootMeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    assert m.result().item() == pytest.approx(0.5)


def test_mean_of_batch_losses_weighted_by_batch_size():
    m = metrics.Mean()
    m.update_state(torch.tensor(2.0), sample_weight=3)
    m.update_state(torch.tensor(4.0), sample_weight=1)
    assert m.result().item() == pytest.approx(2.5)


def test_reset_state_and_empty_result():
    m = metrics.MeanAbsoluteError()
    assert m.result().item() == 0.0  # no division by zero
    m.update_state(t(REG_TRUE), t(REG_PRED))
    m.reset_state()
    assert m.result().item() == 0.0 and m.count.value.item() == 0.0


def test_functions_return_per_sample_values():
    assert metrics.binary_accuracy(t(BINARY), t(SIGMOID)).shape == (N,)
    assert metrics.sparse_categorical_accuracy(torch.tensor(LABELS), t(PROBS)).shape == (N,)
    assert metrics.categorical_accuracy(t(ONE_HOT), t(PROBS)).shape == (N,)
    assert metrics.accuracy(t(LABELS[:, None]), t(LABELS[:, None])).tolist() == [1.0] * N
    assert metrics.accuracy(t(LABELS), t(LABELS)).dim() == 0  # Keras: rank 1 -> batch mean
    np.testing.assert_allclose(
        metrics.mse(t(REG_TRUE), t(REG_PRED)).numpy(), ((REG_TRUE - REG_PRED) ** 2).mean(-1),
        rtol=1e-5,
    )  # fmt: skip
    np.testing.assert_allclose(
        metrics.mae(t(REG_TRUE), t(REG_PRED)).numpy(), np.abs(REG_TRUE - REG_PRED).mean(-1),
        rtol=1e-5,
    )  # fmt: skip


def test_custom_metric_written_for_keras_works():
    class BinaryTruePositives(metrics.Metric):
        def __init__(self, name="binary_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_weight(name="tp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            values = (y_true.bool() & y_pred.bool()).float()
            self.true_positives.assign(self.true_positives + torch.sum(values))

        def result(self):
            return self.true_positives

    m = BinaryTruePositives()
    m.update_state(torch.tensor([0, 1, 1, 1]), torch.tensor([1, 0, 1, 1]))
    m.update_state(torch.tensor([1]), torch.tensor([1]))
    assert float(m.result()) == 3.0
    m.reset_state()
    assert float(m.result()) == 0.0
    assert m.get_config() == {"name": "binary_true_positives", "dtype": "float32"}


def test_mean_metric_wrapper_with_custom_function_and_mask():
    def squared(y_true, y_pred):
        return (y_true - y_pred) ** 2

    m = metrics.MeanMetricWrapper(squared)
    assert m.name == "squared"
    m.update_state(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]))
    assert m.result().item() == pytest.approx(2.5)
    ignore = metrics.MeanMetricWrapper(
        metrics.sparse_categorical_crossentropy, name="masked", ignore_class=0
    )
    ignore.update_state(torch.tensor([0, 1]), t([[0.5, 0.5], [0.2, 0.8]]))
    assert ignore.result().item() == pytest.approx(-np.log(0.8), rel=1e-5)


def test_update_state_stays_on_device_and_never_syncs(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("host sync in update_state")

    metric_list = [metrics.get(name) for name in ("accuracy", "mae", "precision", "recall")]
    metric_list += [metrics.SparseCategoricalAccuracy(), metrics.RootMeanSquaredError()]
    for name in ("item", "tolist", "__bool__", "__float__", "__int__", "numpy"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    for m in metric_list[:4]:
        m.update_state(t(BINARY), t(SIGMOID), sample_weight=t(WEIGHTS))
    metric_list[4].update_state(torch.tensor(LABELS), t(PROBS))
    metric_list[5].update_state(t(REG_TRUE), t(REG_PRED))
    results = [m.result() for m in metric_list]
    monkeypatch.undo()
    assert all(r.device == torch.device("cpu") and r.dim() == 0 for r in results)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_metrics_accumulate_on_the_gpu():
    for case in ("sparse_categorical_accuracy", "binary_accuracy", "mse"):
        make, y_true, y_pred, per_sample = CASES[case]
        metric = make()
        for lo, hi in zip(SPLITS[:-1], SPLITS[1:]):
            metric.update_state(torch.as_tensor(y_true[lo:hi]).cuda(), t(y_pred[lo:hi]).cuda())
        result = metric.result()
        assert result.device.type == "cuda"
        assert result.item() == pytest.approx(per_sample(y_true, y_pred).mean(), rel=1e-5)
    precision = metrics.Precision()
    precision.update_state(t(BINARY).cuda(), t(SIGMOID).cuda())
    assert precision.result().device.type == "cuda"


def test_state_variables_follow_the_data_device():
    m = metrics.Mean()
    meta = torch.ones(3, device="meta")
    m.update_state(meta)
    assert m.total.value.device.type == "meta" and m.count.value.device.type == "meta"


# -- lookup --------------------------------------------------------------------------------

NAMES = {
    "accuracy": metrics.Accuracy,
    "acc": metrics.Accuracy,
    "binary_accuracy": metrics.BinaryAccuracy,
    "categorical_accuracy": metrics.CategoricalAccuracy,
    "sparse_categorical_accuracy": metrics.SparseCategoricalAccuracy,
    "top_k_categorical_accuracy": metrics.TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": metrics.SparseTopKCategoricalAccuracy,
    "mse": metrics.MeanSquaredError,
    "mae": metrics.MeanAbsoluteError,
    "mape": metrics.MeanAbsolutePercentageError,
    "msle": metrics.MeanSquaredLogarithmicError,
    "RootMeanSquaredError": metrics.RootMeanSquaredError,
    "binary_crossentropy": metrics.BinaryCrossentropy,
    "categorical_crossentropy": metrics.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": metrics.SparseCategoricalCrossentropy,
    "kl_divergence": metrics.KLDivergence,
    "hinge": metrics.Hinge,
    "logcosh": metrics.LogCoshError,
    "precision": metrics.Precision,
    "Recall": metrics.Recall,
    "auc_is_not_here": None,
}


@pytest.mark.parametrize("name", sorted(n for n, cls in NAMES.items() if cls))
def test_get_by_name(name):
    assert type(metrics.get(name)) is NAMES[name]


@pytest.mark.parametrize(
    "y_true_shape, y_pred_shape, expected",
    [
        ((32, 1), (32, 1), metrics.BinaryAccuracy),
        ((32,), (32, 1), metrics.BinaryAccuracy),
        ((32,), (32, 10), metrics.SparseCategoricalAccuracy),
        ((32, 1), (32, 10), metrics.SparseCategoricalAccuracy),
        ((32, 10), (32, 10), metrics.CategoricalAccuracy),
    ],
)
def test_resolve_accuracy_follows_keras_compile(y_true_shape, y_pred_shape, expected):
    for typed in ("accuracy", "acc"):
        metric = metrics.resolve_accuracy(typed, y_true_shape, y_pred_shape)
        assert type(metric) is expected and metric.name == typed
        assert type(metrics.resolve(typed, y_true_shape, y_pred_shape)) is expected


def test_resolve_keeps_the_typed_name():
    assert metrics.resolve("mae", (4, 1), (4, 1)).name == "mae"
    assert type(metrics.resolve("mae", (4, 1), (4, 1))) is metrics.MeanAbsoluteError
    precision = metrics.Precision(name="p")
    assert metrics.resolve(precision, (4, 1), (4, 1)) is precision


def test_get_wraps_functions_and_loss_objects():
    wrapped = metrics.get(metrics.binary_accuracy)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "binary_accuracy"
    from layerfit import losses

    loss_metric = metrics.get(losses.MeanSquaredError())
    assert loss_metric.name == "mean_squared_error"
    loss_metric.update_state(t(REG_TRUE), t(REG_PRED))
    assert loss_metric.result().item() == pytest.approx(((REG_TRUE - REG_PRED) ** 2).mean(), 1e-5)


def test_misspelled_metric_suggests_closest():
    with pytest.raises(LayerfitValueError) as info:
        metrics.get("acuracy")
    assert "'accuracy'" in str(info.value)
    with pytest.raises(LayerfitValueError, match="metrics=\\['accuracy'\\]"):
        metrics.get(3)


def test_invalid_arguments_explain():
    with pytest.raises(LayerfitValueError, match="open interval"):
        metrics.BinaryAccuracy(threshold=1.5)
    with pytest.raises(LayerfitValueError, match="thresholds=0.0"):
        metrics.Precision(thresholds=2.0)


@pytest.mark.parametrize("name", sorted(n for n, cls in NAMES.items() if cls))
def test_serialize_round_trip(name):
    metric = metrics.get(name)
    restored = metrics.deserialize(metrics.serialize(metric))
    assert type(restored) is type(metric) and restored.get_config() == metric.get_config()


def test_round_trip_keeps_arguments():
    m = metrics.Precision(thresholds=[0.2, 0.4], class_id=1, name="p1")
    restored = metrics.get(metrics.serialize(m))
    assert restored.thresholds == [0.2, 0.4] and restored.class_id == 1 and restored.name == "p1"
    k = metrics.get(metrics.serialize(metrics.SparseTopKCategoricalAccuracy(k=3)))
    assert k.k == 3
