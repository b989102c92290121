"""SKLearnClassifier / SKLearnRegressor / SKLearnTransformer: scikit-learn's own estimator
checks, and GridSearchCV, cross_val_score and Pipeline scores equal to models trained by hand.
"""

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

import layerfit as keras  # noqa: E402
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError  # noqa: E402
from layerfit.wrappers import (  # noqa: E402
    SKLearnClassifier,
    SKLearnRegressor,
    SKLearnTransformer,
)

SEED = 42


def classifier_model(X, y, units=8, seed=SEED):
    """Seeds itself, as the seed notebooks do, so a wrapper fit equals a fit by hand."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(y.shape[1], activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def regressor_model(X, y, units=8, seed=SEED):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(y.shape[1]),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def tabular(n=90, seed=0):
    """Unscaled features (as the seeds load them) and a label from two of them."""
    rng = np.random.default_rng(seed)
    X = rng.normal(50.0, 10.0, size=(n, 4))
    y = (X[:, 0] > X[:, 1]).astype(int)
    return X, y


FIT = {"epochs": 3, "batch_size": 16, "verbose": 0}

# The build functions seed themselves, so the checks that assume a reproducible fit pass
# (Keras 3 expects them to fail). A zero sample weight is not ignored by a few epochs of
# training (Keras 3 lists it too).
EXPECTED_FAILURES = {
    "SKLearnClassifier": {"check_classifiers_one_label_sample_weights"},
    "SKLearnRegressor": set(),
    "SKLearnTransformer": set(),
}

ESTIMATORS = [
    SKLearnClassifier(classifier_model, fit_kwargs={"epochs": 5, "verbose": 0}),
    SKLearnRegressor(regressor_model, fit_kwargs={"verbose": 0}),
    SKLearnTransformer(regressor_model, fit_kwargs={"verbose": 0}),
]


@pytest.mark.filterwarnings("ignore::layerfit.errors.LayerfitWarning")  # checks feed raw data
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")  # reported as skipped
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_scikit_learn_estimator_checks(estimator):
    """Every check scikit-learn runs, in one test (a test each would cost a session reset)."""
    results = check_estimator(estimator, on_fail=None)
    failed = {r["check_name"] for r in results if r["status"] == "failed"}
    passed = {r["check_name"] for r in results if r["status"] == "passed"}
    assert failed == EXPECTED_FAILURES[type(estimator).__name__], [
        (r["check_name"], str(r["exception"])[:300]) for r in results if r["status"] == "failed"
    ]
    assert len(passed) >= 35


def by_hand_accuracy(X_train, y_train, X_test, y_test, units):
    scaler = MinMaxScaler().fit(X_train)
    one_hot = np.eye(2, dtype=np.float32)[y_train]
    model = classifier_model(X_train, one_hot, units=units)
    model.fit(scaler.transform(X_train), one_hot, **FIT)
    predicted = model.predict(scaler.transform(X_test), verbose=0).argmax(axis=1)
    return float(np.mean(predicted == y_test))


def test_grid_search_cv_over_a_pipeline_scores_as_the_models_trained_by_hand():
    X, y = tabular()
    pipeline = make_pipeline(MinMaxScaler(), SKLearnClassifier(classifier_model, fit_kwargs=FIT))
    folds = KFold(3)
    grid = GridSearchCV(
        pipeline, {"sklearnclassifier__model_kwargs": [{"units": 4}, {"units": 16}]}, cv=folds
    )
    grid.fit(X, y)
    for index, units in enumerate([4, 16]):
        for fold, (train, test) in enumerate(folds.split(X)):
            expected = by_hand_accuracy(X[train], y[train], X[test], y[test], units)
            assert grid.cv_results_[f"split{fold}_test_score"][index] == pytest.approx(
                expected, abs=1e-12
            )
    assert (
        grid.best_estimator_.predict(X[:5]).tolist()
        == grid.best_estimator_[-1]
        .classes_[grid.best_estimator_.predict_proba(X[:5]).argmax(1)]
        .tolist()
    )


def test_cross_val_score_of_a_regressor_equals_r2_by_hand():
    from sklearn.metrics import r2_score

    X, _ = tabular()
    y = X[:, 0] * 0.1 - X[:, 2] * 0.05
    fit = {"epochs": 4, "batch_size": 16, "verbose": 0}
    scores = cross_val_score(
        make_pipeline(MinMaxScaler(), SKLearnRegressor(regressor_model, fit_kwargs=fit)),
        X,
        y,
        cv=KFold(3),
    )
    for fold, (train, test) in enumerate(KFold(3).split(X)):
        scaler = MinMaxScaler().fit(X[train])
        model = regressor_model(X[train], y[train].reshape(-1, 1))
        model.fit(scaler.transform(X[train]), y[train].reshape(-1, 1), **fit)
        predicted = model.predict(scaler.transform(X[test]), verbose=0)[:, 0]
        assert scores[fold] == pytest.approx(r2_score(y[test], predicted), abs=1e-12)


def test_classifier_labels_probabilities_and_target_shapes():
    X, y = tabular(n=60)
    X = MinMaxScaler().fit_transform(X)
    labels = np.where(y == 1, "yes", "no")
    clf = SKLearnClassifier(classifier_model, fit_kwargs=FIT).fit(X, labels)
    assert clf.classes_.tolist() == ["no", "yes"]
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert clf.predict(X).tolist() == clf.classes_[proba.argmax(axis=1)].tolist()
    from sklearn.exceptions import DataConversionWarning

    with pytest.warns(DataConversionWarning, match="column-vector y"):  # as Keras 3: raveled
        column = SKLearnClassifier(classifier_model, fit_kwargs=FIT).fit(X, labels[:, None])
    assert column.predict(X).shape == (60,)
    assert clf.n_features_in_ == 4 and clf.epoch_ == 3
    assert clf.history_.history["loss"] and len(clf.history_.history["loss"]) == 3


def test_regressor_gives_the_model_one_target_column_and_predicts_a_flat_array():
    X, _ = tabular(n=40)
    X = MinMaxScaler().fit_transform(X)
    seen = {}

    def spy(X, y):
        seen["y"] = y.shape
        return regressor_model(X, y)

    reg = SKLearnRegressor(spy, fit_kwargs=FIT).fit(X, X[:, 0])
    assert seen["y"] == (40, 1)
    assert reg.predict(X).shape == (40,)
    np.testing.assert_array_equal(reg.predict(X), reg.model_.predict(X, verbose=0)[:, 0])


def test_transformer_outputs_the_model_predictions():
    X, _ = tabular(n=40)
    X = MinMaxScaler().fit_transform(X)
    embed = SKLearnTransformer(regressor_model, fit_kwargs=FIT).fit(X, X[:, 0])
    np.testing.assert_array_equal(embed.transform(X), embed.model_.predict(X, verbose=0))
    assert embed.transform(X).shape == (40, 1)


def test_clone_keeps_every_argument_and_fit_does_not_change_them():
    fit_kwargs = {"epochs": 2, "verbose": 0}
    clf = SKLearnClassifier(classifier_model, model_kwargs={"units": 4}, fit_kwargs=fit_kwargs)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    X, y = tabular(n=40)
    clf.fit(MinMaxScaler().fit_transform(X), y, epochs=1)
    assert fit_kwargs == {"epochs": 2, "verbose": 0} and clf.epoch_ == 1  # fit's kwargs win


def test_a_model_instance_is_copied_unless_warm_start():
    X, y = tabular(n=40)
    X = MinMaxScaler().fit_transform(X)
    model = classifier_model(X, np.eye(2)[y])
    before = [w.copy() for w in model.get_weights()]
    cold = SKLearnClassifier(model, fit_kwargs=FIT).fit(X, y)
    assert cold.model_ is not model
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    warm = SKLearnClassifier(model, warm_start=True, fit_kwargs=FIT).fit(X, y)
    assert warm.model_ is model
    first = [w.copy() for w in model.get_weights()]
    warm.fit(X, y)
    assert warm.model_ is model
    assert not np.array_equal(first[0], model.get_weights()[0])  # trained on from there


def test_mistakes_name_the_cause_and_the_fix():
    X, y = tabular(n=30)

    def uncompiled(X, y):
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])

    with pytest.raises(LayerfitRuntimeError, match="not compiled(.|\n)*model.compile"):
        SKLearnClassifier(uncompiled).fit(X, y)
    with pytest.raises(
        LayerfitValueError, match="one class: every label in y is 0(.|\n)*check the labels"
    ):
        SKLearnClassifier(classifier_model).fit(X, np.zeros(30, dtype=int))
    with pytest.raises(LayerfitValueError, match="'continuous'(.|\n)*SKLearnRegressor"):
        SKLearnClassifier(classifier_model).fit(X, X[:, 0])

    def one_unit(X, y):
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        return model

    clf = SKLearnClassifier(one_unit, fit_kwargs=FIT)
    clf.model_, clf.classes_, clf._target_ndim, clf.n_features_in_ = (
        one_unit(X, y),
        np.array([0, 1]),
        1,
        4,
    )
    with pytest.raises(LayerfitValueError, match=r"\(30, 1\) for 2 classes(.|\n)*Dense\(2, "):
        clf.predict(MinMaxScaler().fit_transform(X))
