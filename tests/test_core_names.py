"""Keras 3's top-level names, Variable, clone_model, utils.Progbar and keras.config."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitValueError, LayerfitWarning


def test_top_level_base_classes_are_the_family_base_classes():
    assert keras.Layer is keras.layers.Layer and keras.Loss is keras.losses.Loss
    assert keras.Metric is keras.metrics.Metric and keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert keras.KerasTensor is type(keras.Input((3,)))
    assert keras.version() == keras.__version__


def test_variable_takes_keras_arguments():
    value = keras.Variable(np.ones((2, 3)), name="w")
    assert value.dtype == torch.float32 and value.name == "w" and value.trainable
    np.testing.assert_array_equal(value.numpy(), np.ones((2, 3)))
    drawn = keras.Variable("zeros", shape=(4,), dtype="float64", trainable=False)
    assert drawn.shape == (4,) and drawn.dtype == torch.float64 and not drawn.trainable
    assert keras.Variable(3.0).shape == ()  # a Python float stays a scalar
    assert not keras.Variable(np.arange(3)).trainable  # integer values take no gradient
    value.assign(np.zeros((2, 3)))
    np.testing.assert_array_equal(value.numpy(), np.zeros((2, 3)))


def test_trainable_and_non_trainable_variables():
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.BatchNormalization()]
    )
    model.layers[0].trainable = False
    assert [tuple(v.shape) for v in model.trainable_variables] == [(4,), (4,)]  # gamma, beta
    assert len(model.non_trainable_variables) == 4  # kernel, bias, moving mean and variance
    assert model.layers[1].non_trainable_variables == model.layers[1].non_trainable_weights


def test_clone_model_has_the_config_and_new_weights():
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)],
        name="original",
    )
    clone = keras.models.clone_model(model)
    assert clone is not model and clone.name == "original"
    assert [layer.get_config() for layer in clone.layers] == [
        layer.get_config() for layer in model.layers
    ]
    assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_clone_function_and_input_tensors_for_a_sequential():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="head")])
    shared = keras.models.clone_model(model, clone_function=lambda layer: layer)
    assert shared.layers[0] is model.layers[0]  # the function may return the layer to share it
    wider = keras.models.clone_model(model, input_tensors=keras.Input((3,), name="new_input"))
    assert wider.layers[0] is not model.layers[0] and wider.output_shape == (None, 2)


def test_clone_of_a_functional_model_with_keras_hooks():
    inputs = keras.Input((3,), name="features")
    shared = keras.layers.Dense(5, name="shared")
    outputs = keras.layers.Dense(2, name="head")(shared(shared(keras.layers.Dense(5)(inputs))))
    model = keras.Model(inputs, outputs)
    clone = keras.models.clone_model(model)
    assert clone.count_params() == model.count_params() and clone is not model
    assert clone.input.name == "features" and clone.get_layer("shared") is not shared
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    clone.set_weights(model.get_weights())  # the shared layer is cloned once, still shared
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))

    same = keras.models.clone_model(model, clone_function=lambda layer: layer)
    assert same.get_layer("shared") is shared
    np.testing.assert_array_equal(same.predict(x, verbose=0), model.predict(x, verbose=0))

    def add_dropout(layer, *args, **kwargs):  # Keras's documented call_function example
        output = layer(*args, **kwargs)
        if isinstance(layer, keras.layers.Dense):
            output = keras.layers.Dropout(0.5)(output)
        return output

    noisy = keras.models.clone_model(model, call_function=add_dropout)
    dropouts = [layer for layer in noisy.layers if isinstance(layer, keras.layers.Dropout)]
    assert len(dropouts) == 4  # one per Dense call, the shared layer's two calls included
    noisy.set_weights(model.get_weights())
    np.testing.assert_allclose(noisy.predict(x, verbose=0), model.predict(x, verbose=0))

    renamed = keras.models.clone_model(model, input_tensors=keras.Input((3,), name="new_input"))
    assert renamed.input.name == "new_input" and renamed.output_shape == (None, 2)
    with pytest.raises(LayerfitValueError, match="1 symbolic tensor"):
        keras.models.clone_model(model, input_tensors=[keras.Input((3,)), keras.Input((3,))])


def test_clone_compiles_as_the_original_and_refuses_what_keras_refuses():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    clone = keras.models.clone_model(model)
    assert clone.get_compile_config()["loss"] == "mse"
    clone.fit(np.zeros((4, 3)), np.zeros((4, 2)), verbose=0)  # compiled: fit runs
    with pytest.raises(LayerfitValueError, match="call_function for the Sequential"):
        keras.models.clone_model(model, call_function=lambda layer, *a, **k: layer(*a, **k))

    class Plain(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    with pytest.raises(LayerfitValueError, match="Sequential and functional models only"):
        keras.models.clone_model(Plain(), clone_function=lambda layer: layer)


def test_progbar_averages_values_over_steps_and_keeps_stateful_ones(capsys):
    bar = keras.utils.Progbar(4, verbose=2, stateful_metrics=["lr"])
    bar.update(1, values=[("loss", 4.0), ("lr", 0.1)])
    bar.update(3, values=[("loss", 1.0), ("lr", 0.05)])  # two steps at 1.0
    bar.add(1, values=[("loss", 2.0)])
    assert bar.value("loss") == pytest.approx((4.0 + 2 * 1.0 + 2.0) / 4)
    assert bar.value("lr") == 0.05
    out = capsys.readouterr().out
    assert out.startswith("4/4 - ") and "loss: 2.0000" in out and out.count("\n") == 1


def test_config_getters_setters_and_what_they_cannot_apply():
    assert keras.config.backend() == "torch" and keras.config.is_nnx_enabled() is False
    keras.config.set_backend("torch")
    with pytest.raises(LayerfitValueError, match="PyTorch only"):
        keras.config.set_backend("jax")
    keras.config.set_dtype_policy("float64")
    try:
        assert keras.config.dtype_policy() == "float64" == keras.config.floatx()
    finally:
        keras.config.set_floatx("float32")
    keras.config.set_dtype_policy("mixed_float16")  # keras.mixed_precision's global policy
    try:
        assert keras.config.dtype_policy() == "mixed_float16" and keras.config.floatx() == "float32"
    finally:
        keras.config.set_dtype_policy("float32")
    with pytest.raises(LayerfitValueError, match="names no dtype policy"):
        keras.config.set_dtype_policy("mixed_int8")
    keras.config.set_max_epochs(3)
    assert keras.config.max_epochs() == 3
    keras.config.set_max_epochs(None)
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    keras.config.enable_traceback_filtering()
    with pytest.warns(LayerfitWarning, match="always prints its progress"):
        keras.config.disable_interactive_logging()
    keras.config.enable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled()


def test_progbar_stateless_metrics_average_only_those_names(capsys):
    bar = keras.utils.Progbar(2, verbose=0, stateless_metrics=["loss"])
    bar.update(1, values=[("loss", 3.0), ("lr", 0.1)])
    bar.update(2, values=[("loss", 1.0), ("lr", 0.2)])
    assert bar.value("loss") == pytest.approx(2.0) and bar.value("lr") == 0.2
    with pytest.raises(LayerfitValueError, match="both stateful_metrics and stateless_metrics"):
        keras.utils.Progbar(2, stateful_metrics=["a"], stateless_metrics=["b"])


def test_variable_layout_is_not_silently_ignored():
    with pytest.warns(LayerfitWarning, match=r"Variable\(layout=...\) is ignored"):
        keras.Variable(np.ones(2), layout="model")
