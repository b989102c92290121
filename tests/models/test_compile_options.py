"""compile()'s execution options and the caller's lists, as Keras takes them."""

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError, LayerfitWarning


def small_model():
    return keras.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])


def test_keras_defaults_are_accepted_silently_and_exposed():
    model = small_model()
    model.compile(
        loss="sparse_categorical_crossentropy",
        run_eagerly=True,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=False,
    )
    assert model.run_eagerly is True and model.jit_compile is False  # Keras's 'auto' on torch
    assert model.steps_per_execution == 1 and model.auto_scale_loss is False


def test_options_that_change_execution_warn_naming_what_is_ignored(monkeypatch):
    from layerfit.training import _arguments

    monkeypatch.setattr(_arguments, "_noted", [])  # the note is given once per session
    model = small_model()
    model.compile(loss="mse", jit_compile=True)  # applied (torch.compile): no warning
    assert model.jit_compile is True
    with pytest.warns(
        LayerfitWarning, match=r"steps_per_execution=4\) is accepted and has no effect"
    ):
        model.compile(loss="mse", steps_per_execution=4)
    # Training still runs, with the same numbers as without the option.
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    history = model.fit(x, np.zeros((16, 2), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize(
    "options, cause",
    [
        ({"steps_per_execution": 0}, "steps_per_execution=0"),
        ({"steps_per_execution": "2"}, "a positive whole number"),
        ({"jit_compile": "xla"}, "True, False or 'auto'"),
    ],
)
def test_bad_execution_options_are_explained(options, cause):
    with pytest.raises(LayerfitValueError, match=cause):
        small_model().compile(loss="mse", **options)


def test_compile_keeps_a_copy_of_the_callers_metric_list():
    metrics = ["accuracy"]
    model = small_model()
    model.compile(loss="sparse_categorical_crossentropy", metrics=metrics)
    metrics.append("mae")
    assert model.compiled.raw["metrics"] == ["accuracy"]
    x = np.zeros((4, 3), "float32")
    logs = model.evaluate(x, np.zeros(4), verbose=0, return_dict=True)
    assert sorted(logs) == ["accuracy", "loss"]


def test_precision_and_recall_configs_do_not_share_the_callers_thresholds():
    for cls in (keras.metrics.Precision, keras.metrics.Recall):
        thresholds = [0.3, 0.7]
        metric = cls(thresholds=thresholds)
        thresholds.append(0.9)
        config = metric.get_config()
        assert config["thresholds"] == [0.3, 0.7]
        config["thresholds"].append(0.1)
        assert metric.get_config()["thresholds"] == [0.3, 0.7]
