"""AUC, the *AtRecall family, F-scores, R2, IoU, correlations and the newer losses, against
Keras 3 (JAX backend): state over three batches, with and without sample weights, and whole fits.

Tolerance: rtol 1e-5 / atol 1e-6 for metrics (the same float32 counts; the AUC sums ~200
terms in one order in both), rtol 1e-5 / atol 1e-6 for losses and their gradients, and
rtol 1e-4 for CTC (torch's and JAX's dynamic programs sum in different orders). Fits: the
tolerance of ``test_callbacks_fit_oracle`` (rtol 1e-4 / atol 1e-6).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

keras = pytest.importorskip("keras")

from _compare import keras_weights  # noqa: E402

import layerfit  # noqa: E402

# Keras's own warnings about its int32 IoU state (float weights, int64 ids under JAX).
pytestmark = [
    pytest.mark.filterwarnings("ignore:You are passing weight as `float`:UserWarning"),
    pytest.mark.filterwarnings("ignore:Explicitly requested dtype int64:UserWarning"),
]

RNG = np.random.default_rng(11)
B, C = 8, 3


def _batch(kind):
    if kind == "binary":
        return RNG.integers(0, 2, (B, 1)).astype("f4"), RNG.uniform(0, 1, (B, 1)).astype("f4")
    if kind == "binary_flat":
        return RNG.integers(0, 2, (B,)).astype("f4"), RNG.uniform(0, 1, (B,)).astype("f4")
    if kind == "rounded":  # predictions on the thresholds themselves (0, 0.25, ..., 1)
        return RNG.integers(0, 2, (B, 1)).astype("f4"), (RNG.integers(0, 5, (B, 1)) / 4).astype(
            "f4"
        )
    if kind == "logits":
        return RNG.integers(0, 2, (B, 1)).astype("f4"), RNG.normal(0, 2, (B, 1)).astype("f4")
    if kind == "multilabel":
        return RNG.integers(0, 2, (B, C)).astype("f4"), RNG.uniform(0, 1, (B, C)).astype("f4")
    if kind == "onehot":
        probs = RNG.uniform(0.05, 1, (B, C)).astype("f4")
        return np.eye(C, dtype="f4")[RNG.integers(0, C, B)], probs / probs.sum(1, keepdims=True)
    if kind == "regression":
        y = RNG.normal(size=(B, C)).astype("f4")
        return y, (y + RNG.normal(0, 0.5, (B, C))).astype("f4")
    if kind == "regression1":
        y = RNG.normal(size=(B, 1)).astype("f4")
        return y, (y + RNG.normal(0, 0.5, (B, 1))).astype("f4")
    if kind == "ids":
        return RNG.integers(0, C, (B,)).astype("i4"), RNG.integers(0, C, (B,)).astype("i4")
    if kind == "ids_scores":
        return RNG.integers(0, C, (B, 2)).astype("i4"), RNG.uniform(0, 1, (B, 2, C)).astype("f4")
    raise AssertionError(kind)


METRICS = [
    ("AUC", {}, "binary"),
    ("AUC", {}, "binary_flat"),
    ("AUC", {"num_thresholds": 5}, "rounded"),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, "binary"),
    ("AUC", {"summation_method": "majoring"}, "binary"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"curve": "pr", "num_thresholds": 5}, "rounded"),
    ("AUC", {"curve": "PR", "summation_method": "minoring"}, "binary"),
    ("AUC", {"curve": "PRGAIN"}, "binary"),
    ("AUC", {"thresholds": [0.1, 0.5, 0.7]}, "binary"),
    ("AUC", {"thresholds": [0.75, 0.25, 0.5]}, "rounded"),
    ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {}, "multilabel"),
    ("AUC", {"label_weights": [1.0, 2.0, 0.5]}, "multilabel"),
    ("AUC", {"multi_label": True}, "multilabel"),
    ("AUC", {"multi_label": True, "num_labels": 3, "label_weights": [1.0, 2.0, 0.5]}, "multilabel"),
    ("AUC", {"multi_label": True, "curve": "PR", "thresholds": [0.2, 0.3, 0.9]}, "multilabel"),
    ("PrecisionAtRecall", {"recall": 0.5}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.7, "num_thresholds": 1}, "binary"),
    ("RecallAtPrecision", {"precision": 0.6}, "binary"),
    ("RecallAtPrecision", {"precision": 0.5, "num_thresholds": 5}, "rounded"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.4, "class_id": 2}, "onehot"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5}, "multilabel"),
    ("F1Score", {}, "multilabel"),
    ("F1Score", {"threshold": 0.5}, "multilabel"),
    ("F1Score", {"average": "micro", "threshold": 0.4}, "multilabel"),
    ("F1Score", {"average": "macro"}, "onehot"),
    ("F1Score", {"average": "weighted", "threshold": 0.3}, "multilabel"),
    ("FBetaScore", {"beta": 2.0, "average": "macro", "threshold": 0.5}, "multilabel"),
    ("FBetaScore", {"beta": 0.5}, "onehot"),
    ("R2Score", {}, "regression"),
    ("R2Score", {}, "regression1"),
    ("R2Score", {"class_aggregation": None}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression"),
    ("R2Score", {"num_regressors": 2}, "regression1"),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "ids"),
    ("MeanIoU", {"num_classes": 3}, "ids"),
    ("MeanIoU", {"num_classes": 3, "ignore_class": 1}, "ids"),
    ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False}, "ids_scores"),
    ("BinaryIoU", {}, "binary"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary"),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}, "onehot"),
    ("OneHotMeanIoU", {"num_classes": 3}, "onehot"),
    ("PearsonCorrelation", {}, "regression"),
    ("ConcordanceCorrelation", {}, "regression"),
]


def _ids(cases):
    return [f"{n}-{k}-{kind}" for n, k, kind in cases]


def _weights(name, kind):
    shape = (B, 2) if kind == "ids_scores" else (B,)
    if "IoU" in name:  # Keras's IoU state is int32: whole-number weights agree exactly
        return RNG.integers(0, 3, shape).astype("f4")
    return RNG.uniform(0, 2, shape).astype("f4")


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
@pytest.mark.parametrize("name, kwargs, kind", METRICS, ids=_ids(METRICS))
def test_metric_state_over_three_batches(name, kwargs, kind, weighted):
    theirs = getattr(keras.metrics, name)(**kwargs)
    ours = getattr(layerfit.metrics, name)(**kwargs)
    for _ in range(3):
        y_true, y_pred = _batch(kind)
        weight = _weights(name, kind) if weighted else None
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        ours.update_state(y_true, y_pred, sample_weight=weight)
    expected = np.asarray(theirs.result())
    np.testing.assert_allclose(np.asarray(ours.result()), expected, rtol=1e-5, atol=1e-6)
    # The same metric rebuilt from its config (as Keras rebuilds it) gives the same numbers.
    config = ours.get_config()
    assert sorted(config) == sorted(theirs.get_config())
    twin = type(ours).from_config(config)
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred = _batch(kind)
    for metric in (theirs, ours, twin):
        metric.update_state(y_true, y_pred)
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(twin.result()), np.asarray(theirs.result()), rtol=1e-5)


def test_metric_functions_match():
    y_true, y_pred = _batch("regression")
    for name in ("pearson_correlation", "concordance_correlation"):
        np.testing.assert_allclose(
            getattr(layerfit.metrics, name)(y_true, y_pred).numpy(),
            np.asarray(getattr(keras.metrics, name)(y_true, y_pred)),
            rtol=1e-5,
            atol=1e-6,
        )


def _loss_data(kind):
    if kind == "binary":
        return RNG.integers(0, 2, (B, 3)).astype("f4"), RNG.uniform(0.05, 0.95, (B, 3)).astype("f4")
    if kind == "logits":
        return RNG.integers(0, 2, (B, 3)).astype("f4"), RNG.normal(size=(B, 3)).astype("f4")
    if kind == "onehot":
        probs = RNG.uniform(0.05, 1, (B, C)).astype("f4")
        return np.eye(C, dtype="f4")[RNG.integers(0, C, B)], probs / probs.sum(1, keepdims=True)
    if kind == "onehot_logits":
        return np.eye(C, dtype="f4")[RNG.integers(0, C, B)], RNG.normal(size=(B, C)).astype("f4")
    if kind == "sparse":
        probs = RNG.uniform(0.05, 1, (B, C)).astype("f4")
        return RNG.integers(0, C, (B,)), probs / probs.sum(1, keepdims=True)
    if kind == "embeddings":  # every label twice, so every sample has a positive pair
        e = RNG.normal(size=(B, 4)).astype("f4")
        return np.repeat(np.arange(B // 2), 2), e / np.linalg.norm(e, axis=1, keepdims=True)
    raise AssertionError(kind)


LOSSES = [
    ("BinaryFocalCrossentropy", {}, "binary"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4}, "binary"),
    ("BinaryFocalCrossentropy", {"from_logits": True, "gamma": 3.0}, "logits"),
    ("BinaryFocalCrossentropy", {"label_smoothing": 0.1, "axis": 0}, "binary"),
    ("CategoricalFocalCrossentropy", {}, "onehot"),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "alpha": 0.5}, "onehot_logits"),
    ("CategoricalFocalCrossentropy", {"label_smoothing": 0.2, "gamma": 1.0}, "onehot"),
    ("Dice", {"axis": -1}, "binary"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": 1}, "binary"),
    ("CategoricalGeneralizedCrossEntropy", {}, "sparse"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, "sparse"),
    ("Circle", {}, "embeddings"),
    ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, "embeddings"),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
@pytest.mark.parametrize("name, kwargs, kind", LOSSES, ids=_ids(LOSSES))
def test_loss_value_and_gradient(name, kwargs, kind, reduction, weighted):
    y_true, y_pred = _loss_data(kind)
    per_sample = y_pred.shape[1] if kwargs.get("axis") == 0 else B
    weight = RNG.uniform(0, 2, (per_sample,)).astype("f4") if weighted else None
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    ours = getattr(layerfit.losses, name)(reduction=reduction, **kwargs)

    def keras_loss(pred):
        return theirs(jnp.asarray(y_true), pred, sample_weight=weight)

    expected = np.asarray(keras_loss(jnp.asarray(y_pred)))
    expected_grad = np.asarray(jax.grad(lambda p: jnp.sum(keras_loss(p)))(jnp.asarray(y_pred)))
    pred = torch.tensor(y_pred, requires_grad=True)
    got = ours(y_true, pred, sample_weight=weight)
    got.sum().backward()
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(pred.grad.numpy(), expected_grad, rtol=1e-5, atol=1e-5)
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("name", ["dice", "tversky"])
def test_overlap_losses_over_everything(name):
    y_true, y_pred = _loss_data("binary")
    np.testing.assert_allclose(
        getattr(layerfit.losses, name)(y_true, y_pred).numpy(),
        np.asarray(getattr(keras.losses, name)(y_true, y_pred)),
        rtol=1e-5,
    )
    cls = {"dice": "Dice", "tversky": "Tversky"}[name]
    np.testing.assert_allclose(
        getattr(layerfit.losses, cls)()(y_true, y_pred).numpy(),
        np.asarray(getattr(keras.losses, cls)()(y_true, y_pred)),
        rtol=1e-5,
    )


def test_circle_with_reference_embeddings():
    y_true, y_pred = _loss_data("embeddings")
    ref_labels, refs = _loss_data("embeddings")
    expected = keras.losses.circle(y_true, y_pred, ref_labels=ref_labels, ref_embeddings=refs)
    got = layerfit.losses.circle(y_true, y_pred, ref_labels=ref_labels, ref_embeddings=refs)
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), rtol=1e-5, atol=1e-6)


def test_ctc_loss_and_gradient():
    labels = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0]])
    logits = RNG.normal(size=(3, 7, 4)).astype("f4")

    def keras_loss(p):
        return keras.losses.CTC()(jnp.asarray(labels), p)

    expected = np.asarray(keras_loss(jnp.asarray(logits)))
    expected_grad = np.asarray(jax.grad(keras_loss)(jnp.asarray(logits)))
    pred = torch.tensor(logits, requires_grad=True)
    got = layerfit.losses.CTC()(labels, pred)
    got.backward()
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-4)
    np.testing.assert_allclose(pred.grad.numpy(), expected_grad, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        layerfit.losses.ctc(labels, logits).numpy(),
        np.asarray(keras.losses.ctc(labels, logits)),
        rtol=1e-4,
    )


X = np.random.default_rng(5).normal(size=(60, 8)).astype("f4")
Y = (X[:, :3].sum(1, keepdims=True) > 0).astype("f4")  # (60, 1): F1Score wants rank 2


def _binary(lib):
    return lib.Sequential(
        [lib.Input(shape=(8,)), lib.layers.Dense(12, activation="relu"),
         lib.layers.Dense(1, activation="sigmoid")]
    )  # fmt: skip


def _metrics(lib):
    m = lib.metrics
    return [
        "auc",  # the string works wherever Keras takes it
        m.AUC(curve="PR", name="pr_auc", num_thresholds=50),
        m.PrecisionAtRecall(0.8),
        m.SensitivityAtSpecificity(0.5),
        m.F1Score(average="micro", threshold=0.5),
        m.BinaryIoU(),
        m.R2Score(name="r2"),
    ]


@pytest.mark.parametrize("loss", ["binary_crossentropy", "binary_focal_crossentropy"])
def test_fit_and_evaluate_logs_match(loss):
    theirs, ours = _binary(keras), _binary(layerfit)
    ours.set_weights(keras_weights(theirs))
    histories, evaluated = [], []
    for model, lib in ((theirs, keras), (ours, layerfit)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss=loss, metrics=_metrics(lib))
        history = model.fit(
            X, Y, batch_size=16, epochs=3, shuffle=False, validation_split=0.2, verbose=0
        )
        histories.append(history.history)
        evaluated.append(model.evaluate(X, Y, verbose=0, return_dict=True))
    got, expected = histories[1], histories[0]
    assert sorted(got) == sorted(expected), (sorted(got), sorted(expected))
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-4, atol=1e-6, err_msg=key)
    assert sorted(evaluated[0]) == sorted(evaluated[1])
    for key in evaluated[0]:
        np.testing.assert_allclose(evaluated[1][key], evaluated[0][key], rtol=1e-4, atol=1e-6)
