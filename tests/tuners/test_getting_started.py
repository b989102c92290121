"""KerasTuner's "Getting started with KerasTuner" guide (keras.io), run with one changed line.

The guide's code is kept as written there, with ``import layerfit.keras_tuner as keras_tuner``
(and ``import layerfit as keras``) in place of KerasTuner's and Keras's imports; only the data
is cut to a few hundred MNIST images so each section runs in seconds. Each test checks what
the section shows: the search ran its trials, and the best model is the best trial's.
"""

import os

import numpy as np
import pytest

import layerfit as keras
import layerfit.keras_tuner as keras_tuner
from layerfit import layers, ops


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the guide writes to "my_dir" and "/tmp"-like paths


@pytest.fixture
def mnist(data_dir):
    (x, y), (x_test, y_test) = keras.datasets.mnist.load_data()
    x, y = x[:360], y[:360]  # the guide uses all 60,000
    x_train = x[:-120]
    x_val = x[-120:]
    y_train = y[:-120]
    y_val = y[-120:]
    x_train = np.expand_dims(x_train, -1).astype("float32") / 255.0
    x_val = np.expand_dims(x_val, -1).astype("float32") / 255.0
    num_classes = 10
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_val = keras.utils.to_categorical(y_val, num_classes)
    return x_train, y_train, x_val, y_val


def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten())
    # Tune the number of layers.
    for i in range(hp.Int("num_layers", 1, 3)):
        model.add(
            layers.Dense(
                # Tune number of units separately.
                units=hp.Int(f"units_{i}", min_value=32, max_value=512, step=32),
                activation=hp.Choice("activation", ["relu", "tanh"]),
            )
        )
    if hp.Boolean("dropout"):
        model.add(layers.Dropout(rate=0.25))
    model.add(layers.Dense(10, activation="softmax"))
    learning_rate = hp.Float("lr", min_value=1e-4, max_value=1e-2, sampling="log")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_define_the_search_space():
    hp = keras_tuner.HyperParameters()
    model = build_model(hp)
    # The defaults: one layer of 32 relu units, no dropout, lr at its minimum.
    assert hp.values == {
        "num_layers": 1,
        "units_0": 32,
        "activation": "relu",
        "dropout": False,
        "lr": 1e-4,
    }
    assert isinstance(model, keras.Sequential)


def test_start_the_search_and_query_the_results(mnist, capsys):
    x_train, y_train, x_val, y_val = mnist
    tuner = keras_tuner.RandomSearch(
        hypermodel=build_model,
        objective="val_accuracy",
        max_trials=3,
        executions_per_trial=2,
        overwrite=True,
        directory="my_dir",
        project_name="helloworld",
    )
    tuner.search_space_summary()
    summary = capsys.readouterr().out
    # As in the guide's output: one build with the defaults declares five hyperparameters
    # (units_1 and units_2 appear when a trial draws more layers).
    assert "Default search space size: 5" in summary
    assert "units_0 (Int)" in summary and "units_1" not in summary

    tuner.search(x_train, y_train, epochs=2, validation_data=(x_val, y_val), verbose=0)
    assert len(tuner.oracle.get_space().space) == 5 + max(
        t.hyperparameters.values["num_layers"] - 1 for t in tuner.oracle.trials.values()
    )
    trials = tuner.oracle.get_best_trials(3)
    assert [t.status for t in trials] == ["COMPLETED"] * 3
    scores = [t.score for t in trials]
    assert scores == sorted(scores, reverse=True)  # val_accuracy: higher is better

    # Get the top 2 models.
    models = tuner.get_best_models(num_models=2)
    best_model = models[0]
    best_model.summary()
    tuner.results_summary()
    printed = capsys.readouterr().out
    assert 'Objective(name="val_accuracy", direction="max")' in printed
    assert f"Score: {scores[0]}" in printed

    # The best model holds the weights of the best epoch of its two executions; the trial's
    # score is the mean of the two executions' best epochs, so the model scores at least that.
    _, accuracy = best_model.evaluate(x_val, y_val, verbose=0)
    assert accuracy >= scores[0] - 1e-6

    best_hps = tuner.get_best_hyperparameters(5)
    assert best_hps[0].values == trials[0].hyperparameters.values
    # Build the model with the best hp.
    model = build_model(best_hps[0])
    # Fit with the entire dataset.
    x_all = np.concatenate((x_train, x_val))
    y_all = np.concatenate((y_train, y_val))
    history = model.fit(x=x_all, y=y_all, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


class MyHyperModel(keras_tuner.HyperModel):
    def build(self, hp):
        model = keras.Sequential()
        model.add(layers.Flatten())
        model.add(
            layers.Dense(
                units=hp.Int("units", min_value=32, max_value=512, step=32),
                activation="relu",
            )
        )
        model.add(layers.Dense(10, activation="softmax"))
        model.compile(
            optimizer="adam",
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )
        return model

    def fit(self, hp, model, *args, **kwargs):
        return model.fit(
            *args,
            # Tune whether to shuffle the data in each epoch.
            shuffle=hp.Boolean("shuffle"),
            **kwargs,
        )


def test_tune_model_training(mnist):
    hp = keras_tuner.HyperParameters()
    hypermodel = MyHyperModel()
    model = hypermodel.build(hp)
    history = hypermodel.fit(
        hp, model, np.random.rand(100, 28, 28), np.random.rand(100, 10), verbose=0
    )
    assert hp.values == {"units": 32, "shuffle": False}
    assert len(history.history["loss"]) == 1

    x_train, y_train, x_val, y_val = mnist
    tuner = keras_tuner.RandomSearch(
        MyHyperModel(),
        objective="val_accuracy",
        max_trials=3,
        overwrite=True,
        directory="my_dir",
        project_name="tune_hypermodel",
    )
    tuner.search(x_train, y_train, epochs=2, validation_data=(x_val, y_val), verbose=0)
    # "shuffle", declared in fit, joined the space and is drawn like "units".
    assert {"units", "shuffle"} <= set(tuner.oracle.get_space().values)
    assert all("shuffle" in t.hyperparameters.values for t in tuner.oracle.trials.values())


def build_regressor(hp):
    model = keras.Sequential(
        [
            layers.Dense(units=hp.Int("units", 32, 128, 32), activation="relu"),
            layers.Dense(units=1),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="mean_squared_error",
        # Objective is one of the metrics.
        metrics=[keras.metrics.MeanAbsoluteError()],
    )
    return model


def test_builtin_metric_as_the_objective():
    tuner = keras_tuner.RandomSearch(
        hypermodel=build_regressor,
        # The objective name and direction.
        # Name is the f"val_{snake_case_metric_class_name}".
        objective="val_mean_absolute_error",
        max_trials=3,
        overwrite=True,
        directory="my_dir",
        project_name="built_in_metrics",
    )
    assert tuner.oracle.objective.direction == "min"
    tuner.search(
        x=np.random.rand(100, 10),
        y=np.random.rand(100, 1),
        validation_data=(np.random.rand(20, 10), np.random.rand(20, 1)),
        verbose=0,
    )
    tuner.results_summary()
    best = tuner.oracle.get_best_trials(3)
    assert [t.score for t in best] == sorted(t.score for t in best)


class CustomMetric(keras.metrics.Metric):
    def __init__(self, **kwargs):
        # Specify the name of the metric as "custom_metric".
        super().__init__(name="custom_metric", **kwargs)
        self.sum = self.add_weight(
            name="sum",
            initializer="zeros",
        )
        self.count = self.add_weight(
            name="count",
            dtype="int32",
            initializer="zeros",
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = ops.square(y_true - y_pred)
        count = ops.shape(y_true)[0]
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, self.dtype)
            values *= sample_weight
            count *= sample_weight
        self.sum.assign_add(ops.sum(values))
        self.count.assign_add(count)

    def result(self):
        return self.sum / ops.cast(self.count, "float32")

    def reset_state(self):
        self.sum.assign(0)
        self.count.assign(0)


def build_custom_regressor(hp):
    model = keras.Sequential(
        [
            layers.Dense(units=hp.Int("units", 32, 128, 32), activation="relu"),
            layers.Dense(units=1),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="mean_squared_error",
        # Put custom metric into the metrics.
        metrics=[CustomMetric()],
    )
    return model


def test_custom_metric_as_the_objective():
    tuner = keras_tuner.RandomSearch(
        hypermodel=build_custom_regressor,
        # Specify the name and direction of the objective.
        objective=keras_tuner.Objective("val_custom_metric", direction="min"),
        max_trials=3,
        overwrite=True,
        directory="my_dir",
        project_name="custom_metrics",
    )
    x_val, y_val = np.random.rand(20, 10), np.random.rand(20, 1)
    tuner.search(
        x=np.random.rand(100, 10),
        y=np.random.rand(100, 1),
        validation_data=(x_val, y_val),
        verbose=0,
    )
    tuner.results_summary()
    best = tuner.oracle.get_best_trials(1)[0]
    # The custom metric is the mean squared error: the best model's, on the validation data,
    # is the trial's score (one epoch, so the checkpoint is that epoch's weights).
    prediction = tuner.get_best_models()[0].predict(x_val, verbose=0)
    np.testing.assert_allclose(np.mean((prediction - y_val) ** 2), best.score, rtol=1e-5)


class HyperRegressor(keras_tuner.HyperModel):
    def build(self, hp):
        model = keras.Sequential(
            [
                layers.Dense(units=hp.Int("units", 32, 128, 32), activation="relu"),
                layers.Dense(units=1),
            ]
        )
        model.compile(
            optimizer="adam",
            loss="mean_squared_error",
        )
        return model

    def fit(self, hp, model, x, y, validation_data, **kwargs):
        model.fit(x, y, **kwargs)
        x_val, y_val = validation_data
        y_pred = model.predict(x_val)
        # Return a single float to minimize.
        return np.mean(np.abs(y_pred - y_val))


def test_custom_objective_returned_by_fit():
    tuner = keras_tuner.RandomSearch(
        hypermodel=HyperRegressor(),
        # No objective to specify.
        # Objective is the return value of `HyperModel.fit()`.
        max_trials=3,
        overwrite=True,
        directory="my_dir",
        project_name="custom_eval",
    )
    tuner.search(
        x=np.random.rand(100, 10),
        y=np.random.rand(100, 1),
        validation_data=(np.random.rand(20, 10), np.random.rand(20, 1)),
        verbose=0,
    )
    tuner.results_summary()
    assert str(tuner.oracle.objective) == 'Objective(name="default_objective", direction="min")'
    assert len(tuner.oracle.trials) == 3


class HyperRegressorDict(HyperRegressor):
    def fit(self, hp, model, x, y, validation_data, **kwargs):
        model.fit(x, y, **kwargs)
        x_val, y_val = validation_data
        y_pred = model.predict(x_val)
        # Return a dictionary of metrics for KerasTuner to track.
        return {
            "metric_a": -np.mean(np.abs(y_pred - y_val)),
            "metric_b": np.mean(np.square(y_pred - y_val)),
        }


def test_dictionary_of_metrics_returned_by_fit():
    tuner = keras_tuner.RandomSearch(
        hypermodel=HyperRegressorDict(),
        # Specify the name and direction of the objective.
        objective=keras_tuner.Objective("metric_a", "max"),
        max_trials=3,
        overwrite=True,
        directory="my_dir",
        project_name="custom_eval_dict",
    )
    tuner.search(
        x=np.random.rand(100, 10),
        y=np.random.rand(100, 1),
        validation_data=(np.random.rand(20, 10), np.random.rand(20, 1)),
        verbose=0,
    )
    tuner.results_summary()
    best = tuner.oracle.get_best_trials(3)
    assert [t.score for t in best] == sorted((t.score for t in best), reverse=True)
    assert all(t.metrics.get_last_value("metric_b") > 0 for t in best)


class MyTuner(keras_tuner.RandomSearch):
    def run_trial(self, trial, *args, **kwargs):
        # Get the hp from trial.
        hp = trial.hyperparameters
        # Define "x" as a hyperparameter.
        x = hp.Float("x", min_value=-1.0, max_value=1.0)
        # Return the objective value to minimize.
        return x * x + 1


def test_tune_end_to_end_workflows(capsys):
    tuner = MyTuner(
        # No hypermodel or objective specified.
        max_trials=20,
        overwrite=True,
        directory="my_dir",
        project_name="tune_anything",
    )
    # No need to pass anything to search() unless you use them in run_trial().
    tuner.search()
    best = tuner.get_best_hyperparameters()[0].get("x")
    scores = [t.score for t in tuner.oracle.trials.values()]
    assert len(scores) == 20
    assert best * best + 1 == min(scores)
    assert abs(best) < 0.3  # 20 draws of x in [-1, 1]; one lands near 0


def keras_code(units, optimizer, saving_path):
    # Build model
    model = keras.Sequential(
        [
            layers.Dense(units=units, activation="relu"),
            layers.Dense(units=1),
        ]
    )
    model.compile(
        optimizer=optimizer,
        loss="mean_squared_error",
    )

    # Prepare data
    x_train = np.random.rand(100, 10)
    y_train = np.random.rand(100, 1)
    x_val = np.random.rand(20, 10)
    y_val = np.random.rand(20, 1)

    # Train & eval model
    model.fit(x_train, y_train)

    # Save model
    model.save(saving_path)

    # Return a single float as the objective value.
    # You may also return a dictionary
    # of {metric_name: metric_value}.
    y_pred = model.predict(x_val)
    return np.mean(np.abs(y_pred - y_val))


class MyKerasCodeTuner(keras_tuner.RandomSearch):
    def run_trial(self, trial, **kwargs):
        hp = trial.hyperparameters
        return keras_code(
            units=hp.Int("units", 32, 128, 32),
            optimizer=hp.Choice("optimizer", ["adam", "adadelta"]),
            saving_path=os.path.join(".", f"{trial.trial_id}.keras"),
        )


def test_keep_keras_code_separate(tmp_path):
    tuner = MyKerasCodeTuner(
        max_trials=3,
        overwrite=True,
        directory="my_dir",
        project_name="keep_code_separate",
    )
    tuner.search()
    # Retraining the model
    best_hp = tuner.get_best_hyperparameters()[0]
    keras_code(**best_hp.values, saving_path="./best_model.keras")
    assert sorted(p.name for p in tmp_path.glob("*.keras")) == [
        "0.keras",
        "1.keras",
        "2.keras",
        "best_model.keras",
    ]


def test_the_premade_applications_say_what_to_do_instead():
    with pytest.raises(AttributeError, match="HyperResNet") as caught:
        keras_tuner.applications.HyperResNet(input_shape=(28, 28, 1), classes=10)
    assert "Fix:" in str(caught.value)
