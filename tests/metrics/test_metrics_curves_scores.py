"""AUC, the *AtRecall family, F-scores, R2, IoU, correlations and the newer losses without
Keras: numpy references, names, configs, state summed over processes, and every error path.

(Their numbers against Keras 3 are in tests/oracle/test_metrics_curves_scores_oracle.py.)
"""

import numpy as np
import pytest
import torch

import layerfit
from layerfit import losses, metrics
from layerfit.errors import LayerfitValueError, LayerfitWarning

RNG = np.random.default_rng(4)
N = 40
Y = RNG.integers(0, 2, (N, 1)).astype("f4")
P = np.clip(Y * 0.3 + RNG.uniform(0, 0.7, (N, 1)), 0, 1).astype("f4")
MULTI_Y = RNG.integers(0, 2, (N, 3)).astype("f4")
MULTI_P = RNG.uniform(0, 1, (N, 3)).astype("f4")


def _roc_auc(y, p):
    """The exact ROC AUC: the chance that a positive outranks a negative (ties count half)."""
    pos, neg = p[y == 1], p[y == 0]
    return np.mean((pos[:, None] > neg[None]) + 0.5 * (pos[:, None] == neg[None]))


def test_auc_approaches_the_exact_roc_area():
    m = metrics.AUC(num_thresholds=2000)
    m.update_state(Y, P)
    assert abs(float(m.result()) - _roc_auc(Y[:, 0], P[:, 0])) < 2e-3  # 2000 buckets


def test_auc_three_thresholds_by_hand():
    # thresholds (-eps, 0.5, 1+eps): ROC points (1, 1), (0.5, 0.5), (0, 0) -> trapezoids 0.5...
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    np.testing.assert_allclose(m.true_positives.numpy(), [2, 1, 0])
    np.testing.assert_allclose(m.false_positives.numpy(), [2, 0, 0])
    np.testing.assert_allclose(float(m.result()), 0.75, rtol=1e-6)


def test_uneven_thresholds_compare_each_prediction():
    m = metrics.AUC(thresholds=[0.1, 0.35, 0.6])
    m.update_state([0, 0, 1, 1], [0.05, 0.5, 0.3, 0.9])
    np.testing.assert_allclose(m.true_positives.numpy(), [2, 2, 1, 1, 0])
    np.testing.assert_allclose(m.false_positives.numpy(), [2, 1, 1, 0, 0])
    assert m.get_config()["thresholds"] == pytest.approx([0.1, 0.35, 0.6])


def test_multi_label_auc_is_the_mean_of_the_label_aucs():
    both = metrics.AUC(multi_label=True, num_thresholds=500)
    both.update_state(MULTI_Y, MULTI_P)
    singles = []
    for j in range(3):
        single = metrics.AUC(num_thresholds=500)
        single.update_state(MULTI_Y[:, j], MULTI_P[:, j])
        singles.append(float(single.result()))
    np.testing.assert_allclose(float(both.result()), np.mean(singles), rtol=1e-6)
    weighted = metrics.AUC(multi_label=True, num_thresholds=500, label_weights=[1, 0, 3])
    weighted.update_state(MULTI_Y, MULTI_P)
    np.testing.assert_allclose(
        float(weighted.result()), (singles[0] + 3 * singles[2]) / 4, rtol=1e-6
    )


def test_from_logits_equals_sigmoid_first():
    logits = RNG.normal(0, 2, (N, 1)).astype("f4")
    a, b = metrics.AUC(from_logits=True), metrics.AUC()
    a.update_state(Y, logits)
    b.update_state(Y, 1 / (1 + np.exp(-logits)))
    np.testing.assert_allclose(float(a.result()), float(b.result()), rtol=1e-6)


def test_at_constraint_family_reads_the_curve():
    m = metrics.PrecisionAtRecall(0.5)
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    np.testing.assert_allclose(float(m.result()), 0.5)
    m = metrics.SpecificityAtSensitivity(0.5)
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    np.testing.assert_allclose(float(m.result()), 2 / 3, rtol=1e-6)
    m = metrics.RecallAtPrecision(1.0, class_id=1)
    m.update_state(np.eye(2)[[0, 1, 1]], [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
    np.testing.assert_allclose(float(m.result()), 1.0)  # one of the two at 0.8 > 0.3


def test_fbeta_against_numpy():
    y, p = MULTI_Y, MULTI_P
    pred = (p > 0.5).astype("f4")
    tp, fp, fn = (pred * y).sum(0), (pred * (1 - y)).sum(0), ((1 - pred) * y).sum(0)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f2 = 5 * precision * recall / (4 * precision + recall)
    m = metrics.FBetaScore(beta=2.0, threshold=0.5)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), f2, rtol=1e-5)
    macro = metrics.F1Score(average="macro", threshold=0.5)
    macro.update_state(y, p)
    f1 = 2 * precision * recall / (precision + recall)
    np.testing.assert_allclose(float(macro.result()), f1.mean(), rtol=1e-5)
    weighted = metrics.F1Score(average="weighted", threshold=0.5)
    weighted.update_state(y, p)
    np.testing.assert_allclose(float(weighted.result()), (f1 * y.sum(0)).sum() / y.sum(), rtol=1e-5)


def test_r2_against_numpy():
    y = RNG.normal(size=(N, 2)).astype("f4")
    p = (y + RNG.normal(0, 0.5, (N, 2))).astype("f4")
    r2 = 1 - ((y - p) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0)
    m = metrics.R2Score(class_aggregation=None)
    m.update_state(y[:15], p[:15])
    m.update_state(y[15:], p[15:])
    np.testing.assert_allclose(m.result().numpy(), r2, rtol=1e-4)
    adjusted = metrics.R2Score(num_regressors=3)
    adjusted.update_state(y[:, :1], p[:, :1])
    np.testing.assert_allclose(
        float(adjusted.result()), 1 - (1 - r2[0]) * (N - 1) / (N - 3 - 1), rtol=1e-4
    )


def test_mean_iou_against_numpy_and_ignore_class():
    y, p = RNG.integers(0, 3, 50), RNG.integers(0, 3, 50)
    ious = [((y == c) & (p == c)).sum() / ((y == c) | (p == c)).sum() for c in range(3)]
    m = metrics.MeanIoU(num_classes=3)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), np.mean(ious), rtol=1e-5)
    kept = y != 1
    ignoring = metrics.MeanIoU(num_classes=3, ignore_class=1)
    ignoring.update_state(y, p)
    yk, pk = y[kept], p[kept]
    ious = [((yk == c) & (pk == c)).sum() / ((yk == c) | (pk == c)).sum() for c in range(3)]
    ious = [v for v in ious if not np.isnan(v)]
    np.testing.assert_allclose(float(ignoring.result()), np.mean(ious), rtol=1e-5)


def test_pearson_against_numpy():
    y, p = RNG.normal(size=(5, 6)), RNG.normal(size=(5, 6))
    expected = [np.corrcoef(a, b)[0, 1] for a, b in zip(y, p)]
    np.testing.assert_allclose(metrics.pearson_correlation(y, p).numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize(
    "make, y_true, y_pred",
    [
        (lambda: metrics.AUC(), Y, P),
        (lambda: metrics.AUC(curve="PR", multi_label=True), MULTI_Y, MULTI_P),
        (lambda: metrics.PrecisionAtRecall(0.6), Y, P),
        (lambda: metrics.F1Score(average="weighted"), MULTI_Y, MULTI_P),
        (lambda: metrics.F1Score(average="micro", threshold=0.5), MULTI_Y, MULTI_P),
        (lambda: metrics.R2Score(num_regressors=1), MULTI_Y, MULTI_P),
        (lambda: metrics.OneHotMeanIoU(num_classes=3), np.eye(3)[Y[:, 0].astype(int)], MULTI_P),
    ],
)
def test_state_summed_over_processes_equals_one_process(make, y_true, y_pred):
    # What torchrun's epoch_logs does: every state variable is summed over the processes.
    whole, first, second = make(), make(), make()
    whole.update_state(y_true, y_pred)
    first.update_state(y_true[:17], y_pred[:17])
    second.update_state(y_true[17:], y_pred[17:])
    for a, b in zip(first.variables, second.variables):
        a.value = a.value + b.value
    np.testing.assert_allclose(
        np.asarray(first.result()), np.asarray(whole.result()), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize(
    "name, cls",
    [
        ("auc", metrics.AUC),
        ("AUC", metrics.AUC),
        ("f1_score", metrics.F1Score),
        ("fbeta_score", metrics.FBetaScore),
        ("r2_score", metrics.R2Score),
        ("pearson_correlation", metrics.PearsonCorrelation),
        ("concordance_correlation", metrics.ConcordanceCorrelation),
        ("binary_iou", metrics.BinaryIoU),
    ],
)
def test_metric_names_resolve(name, cls):
    assert type(metrics.get(name)) is cls


def test_configs_round_trip_through_serialize():
    for metric in (
        metrics.AUC(curve="PR", thresholds=[0.2, 0.4], multi_label=True, label_weights=[1, 2]),
        metrics.FBetaScore(average="macro", beta=0.5, threshold=0.3),
        metrics.SensitivityAtSpecificity(0.3, num_thresholds=20, class_id=1),
        metrics.IoU(num_classes=4, target_class_ids=[1, 3], ignore_class=0),
        metrics.R2Score(class_aggregation=None, num_regressors=2),
    ):
        twin = metrics.deserialize(metrics.serialize(metric))
        assert type(twin) is type(metric) and twin.get_config() == metric.get_config()
    for loss in (
        losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=3.0),
        losses.Tversky(alpha=0.2, beta=0.8),
        losses.Circle(gamma=30.0),
        losses.CategoricalGeneralizedCrossEntropy(q=0.3),
        losses.CTC(),
    ):
        twin = losses.deserialize(losses.serialize(loss))
        assert type(twin) is type(loss) and twin.get_config() == loss.get_config()


@pytest.mark.parametrize(
    "name, cls",
    [
        ("binary_focal_crossentropy", losses.BinaryFocalCrossentropy),
        ("categorical_focal_crossentropy", losses.CategoricalFocalCrossentropy),
        ("dice", losses.Dice),
        ("tversky", losses.Tversky),
        ("circle", losses.Circle),
        ("ctc", losses.CTC),
        ("categorical_generalized_cross_entropy", losses.CategoricalGeneralizedCrossEntropy),
    ],
)
def test_loss_names_resolve(name, cls):
    assert type(losses.as_loss(name)) is cls
    assert losses.get(name) is getattr(losses, name)


def test_per_class_f1_logs_an_array_in_fit_and_evaluate():
    x = RNG.normal(size=(32, 4)).astype("f4")
    y = np.eye(3, dtype="f4")[RNG.integers(0, 3, 32)]
    model = layerfit.Sequential([layerfit.Input((4,)), layerfit.layers.Dense(3, "softmax")])
    model.compile("adam", "categorical_focal_crossentropy", metrics=[metrics.F1Score(), "auc"])
    history = model.fit(x, y, epochs=2, verbose=2, validation_split=0.25)
    assert np.shape(history.history["f1_score"][0]) == (3,)
    assert np.shape(history.history["val_f1_score"][0]) == (3,)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert np.shape(logs["f1_score"]) == (3,) and isinstance(logs["auc"], float)


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: metrics.AUC(num_thresholds=1), "num_thresholds` must be an integer > 1"),
        (lambda: metrics.AUC(curve="ROCK"), "Invalid AUC curve"),
        (lambda: metrics.AUC(summation_method="left"), "summation method"),
        (lambda: metrics.AUC(thresholds=[0.5, 1.5]), r"thresholds must be in \[0, 1\]"),
        (lambda: metrics.AUC(num_labels=3), "num_labels=3 with multi_label=False"),
        (lambda: metrics.PrecisionAtRecall(1.5), r"`recall` of PrecisionAtRecall.*\[0, 1\]"),
        (lambda: metrics.RecallAtPrecision(0.5, num_thresholds=0), "integer > 0"),
        (lambda: metrics.F1Score(average="samples"), "Invalid `average`"),
        (lambda: metrics.FBetaScore(beta=2), "Invalid `beta`"),
        (lambda: metrics.F1Score(threshold=1.5), "Invalid `threshold`"),
        (lambda: metrics.R2Score(class_aggregation="max"), "class_aggregation"),
        (lambda: metrics.R2Score(num_regressors=-1), "num_regressors"),
        (lambda: metrics.IoU(num_classes=2, target_class_ids=[2]), "out of range"),
        (lambda: metrics.MeanIoU(num_classes=0), "num_classes=0"),
        (lambda: losses.CategoricalGeneralizedCrossEntropy(q=1.0), "q=1.0"),
    ],
)
def test_bad_arguments_say_why(make, match):
    with pytest.raises(LayerfitValueError, match=match):
        make()


@pytest.mark.parametrize(
    "metric, y_true, y_pred, match",
    [
        (metrics.AUC(), np.zeros((4, 2)), np.zeros((4, 3)), "same shape"),
        (metrics.AUC(multi_label=True), np.zeros((4, 2, 2)), np.zeros((4, 2, 2)), "rank 2"),
        (metrics.AUC(multi_label=True, num_labels=3), np.zeros((4, 2)), np.zeros((4, 2)), "built"),
        (metrics.SensitivityAtSpecificity(0.5, class_id=1), [0, 1], [0.2, 0.4], "class_id=1"),
        (metrics.F1Score(), [0, 1, 1], [0.2, 0.4, 0.9], "2D inputs"),
        (metrics.R2Score(), np.zeros((4, 2)), np.zeros((4, 3)), "2D inputs"),
        (metrics.MeanIoU(num_classes=3), [0, 1, 2], np.eye(3), "sparse_y_pred=False"),
    ],
)
def test_bad_shapes_say_why(metric, y_true, y_pred, match):
    with pytest.raises(LayerfitValueError, match=match):
        metric.update_state(y_true, y_pred)


def test_adjusted_r2_with_too_few_samples_warns_and_falls_back():
    m = metrics.R2Score(num_regressors=3)
    m.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    with pytest.warns(LayerfitWarning, match="falls back to the plain R2"):
        value = float(m.result())
    plain = metrics.R2Score()
    plain.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    assert value == pytest.approx(float(plain.result()))


@pytest.mark.parametrize(
    "fn, y_true, y_pred, match",
    [
        (losses.binary_focal_crossentropy, np.zeros((2, 3)), np.zeros((2, 1)), "same shape"),
        (losses.categorical_focal_crossentropy, [0, 1], np.full((2, 3), 0.3), "to_categorical"),
        (losses.dice, np.zeros((2, 3)), np.zeros((2, 4)), "same shape"),
        (losses.tversky, np.zeros((2, 3)), np.zeros((3, 3)), "same shape"),
        (losses.circle, [0, 1], np.zeros((2, 2, 2)), "embeddings of shape"),
        (losses.circle, [0, 1, 1], np.zeros((2, 2)), "3 labels for 2 embeddings"),
        (losses.ctc, [1, 2], np.zeros((1, 4, 3)), r"\(batch_size, max_length\)"),
        (losses.ctc, [[1, 2]], np.zeros((4, 3)), r"\(batch_size, time_steps, num_classes\)"),
    ],
)
def test_loss_shape_errors_say_why(fn, y_true, y_pred, match):
    with pytest.raises(LayerfitValueError, match=match):
        fn(y_true, torch.as_tensor(y_pred, dtype=torch.float32))


def test_generalized_crossentropy_wrong_labels_say_why():
    with pytest.raises(LayerfitValueError, match="argmax"):
        losses.categorical_generalized_cross_entropy(np.eye(3), np.full((3, 3), 0.3), q=0.5)
