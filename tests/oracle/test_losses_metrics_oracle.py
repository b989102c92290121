"""Every loss (value and gradient) and every metric (state over batches) against Keras 3.

Tolerance: rtol 1e-5 / atol 1e-6 (float32 elementwise formulas and one reduction; both
clip probabilities at the same epsilon, 1e-7, so clipped values agree too).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

keras = pytest.importorskip("keras")

import layerfit  # noqa: E402

RNG = np.random.default_rng(3)
B, C = 6, 4


def _data(kind):
    """(y_true, y_pred) of one kind: what each loss family is fed in practice."""
    if kind == "regression":
        return RNG.normal(size=(B, 3)).astype("f4"), RNG.normal(size=(B, 3)).astype("f4")
    if kind == "positive":  # Poisson, MSLE, MAPE, KLD
        return RNG.uniform(0.1, 2, (B, 3)).astype("f4"), RNG.uniform(0.1, 2, (B, 3)).astype("f4")
    if kind == "binary":
        return RNG.integers(0, 2, (B, 1)).astype("f4"), RNG.uniform(0.05, 0.95, (B, 1)).astype("f4")
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
    if kind == "sparse_logits":
        return RNG.integers(0, C, (B, 1)), RNG.normal(size=(B, C)).astype("f4")
    if kind == "hinge":
        return RNG.choice([-1.0, 1.0], (B, 3)).astype("f4"), RNG.normal(size=(B, 3)).astype("f4")
    raise AssertionError(kind)


LOSSES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.3}, "regression"),
    ("LogCosh", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("Poisson", {}, "positive"),
    ("KLDivergence", {}, "positive"),
    ("Hinge", {}, "hinge"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "onehot_logits"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "logits"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": 0}, "logits"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("CategoricalCrossentropy", {"from_logits": True}, "onehot_logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "onehot"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "onehot_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}, "sparse_logits"),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"]


def _ids(cases):
    return [f"{n}-{k}" for n, k, _ in cases]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
@pytest.mark.parametrize("name, kwargs, kind", LOSSES, ids=_ids(LOSSES))
def test_loss_value_and_gradient(name, kwargs, kind, reduction, weighted):
    y_true, y_pred = _data(kind)
    per_sample = y_pred.shape[1] if kwargs.get("axis") == 0 else B  # axis=0 reduces the batch
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
    np.testing.assert_allclose(pred.grad.numpy(), expected_grad, rtol=1e-5, atol=1e-6)


def test_sparse_categorical_crossentropy_class_axis_1():
    # Classes on axis 1 of (batch, classes, steps); Keras's JAX backend takes only axis=-1, so
    # the reference is Keras on the same numbers with the class axis moved last.
    labels = RNG.integers(0, C, (B, 5))
    logits = RNG.normal(size=(B, C, 5)).astype("f4")
    expected = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        labels, np.moveaxis(logits, 1, -1)
    )
    got = layerfit.losses.SparseCategoricalCrossentropy(from_logits=True, axis=1)(labels, logits)
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), rtol=1e-5)


def test_sparse_crossentropy_metric_ignore_class_averages_the_kept_samples():
    # Keras's JAX arrays cannot carry the mask, so its metric divides by every sample; with
    # Keras's torch backend (and here) the ignored ones are left out. Reference: Keras's
    # metric on the kept samples only.
    y_true, y_pred = _data("sparse_logits")
    y_true[:2] = 2
    kept = y_true[:, 0] != 2
    theirs = keras.metrics.SparseCategoricalCrossentropy(from_logits=True)
    theirs.update_state(y_true[kept], y_pred[kept])
    ours = layerfit.metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)
    ours.update_state(y_true, y_pred)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-5)


def _metric_data(kind):
    if kind == "threshold":
        return RNG.integers(0, 2, (B, 1)).astype("f4"), RNG.uniform(0, 1, (B, 1)).astype("f4")
    return _data(kind)


METRICS = [
    ("Accuracy", {}, "sparse_ids"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True}, "sorted_ids"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("RootMeanSquaredError", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("Poisson", {}, "positive"),
    ("KLDivergence", {}, "positive"),
    ("Hinge", {}, "hinge"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "onehot_logits"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "onehot"),
    ("CategoricalCrossentropy", {"from_logits": True}, "onehot_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("Precision", {}, "threshold"),
    ("Precision", {"thresholds": [0.3, 0.6]}, "threshold"),
    ("Recall", {}, "threshold"),
    ("Recall", {"top_k": 1}, "onehot"),
    ("Precision", {"top_k": 2}, "onehot"),
    ("TruePositives", {}, "threshold"),
    ("FalsePositives", {"thresholds": [0.2, 0.8]}, "threshold"),
    ("TrueNegatives", {}, "threshold"),
    ("FalseNegatives", {}, "threshold"),
]


def _metric_batch(kind):
    if kind == "sparse_ids":
        return RNG.integers(0, 3, (B, 1)), RNG.integers(0, 3, (B, 1))
    if kind == "sorted_ids":
        ids = np.argsort(-RNG.normal(size=(B, C)), axis=1)
        return RNG.integers(0, C, (B,)), ids
    return _metric_data(kind)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
@pytest.mark.parametrize("name, kwargs, kind", METRICS, ids=_ids(METRICS))
def test_metric_state_over_three_batches(name, kwargs, kind, weighted):
    theirs = getattr(keras.metrics, name)(**kwargs)
    ours = getattr(layerfit.metrics, name)(**kwargs)
    for _ in range(3):
        y_true, y_pred = _metric_batch(kind)
        weight = RNG.uniform(0, 2, (B,)).astype("f4") if weighted else None
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        ours.update_state(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(
        np.asarray(ours.result()), np.asarray(theirs.result()), rtol=1e-5, atol=1e-6
    )
    ours.reset_state()
    theirs.reset_state()
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()), atol=0)


def test_mean_and_sum_metrics():
    values = RNG.normal(size=(4, 3)).astype("f4")
    weights = RNG.uniform(0, 1, (4, 3)).astype("f4")
    for name in ("Mean", "Sum"):
        theirs, ours = getattr(keras.metrics, name)(), getattr(layerfit.metrics, name)()
        for row, weight in zip(values, weights):
            theirs.update_state(row, sample_weight=weight)
            ours.update_state(row, sample_weight=weight)
        np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-6)
