"""Keras's keras.utils names that live elsewhere in layerfit, and utils.Config."""

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import LayerfitValueError


def test_custom_object_scope_and_registration_through_utils(tmp_path):
    # keras-io's serialization guide: a custom layer and function through keras.utils.
    class CustomLayer(keras.layers.Layer):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

        def call(self, inputs):
            return keras.ops.matmul(inputs, self.w)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    def custom_activation(x):
        return keras.ops.tanh(x) ** 2

    inputs = keras.Input((3,))
    outputs = keras.layers.Activation(custom_activation)(CustomLayer(4)(inputs))
    model = keras.Model(inputs, outputs)
    config = model.get_config()
    custom = {"CustomLayer": CustomLayer, "custom_activation": custom_activation}
    with keras.utils.custom_object_scope(custom):
        rebuilt = keras.Model.from_config(config)
    x = np.full((2, 3), 0.1, dtype="float32")
    expected = np.tanh(np.full((2, 4), 0.3)) ** 2  # ones kernel: each unit sums 3 x 0.1
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), expected, rtol=1e-6)
    assert keras.utils.get_custom_objects() is keras.saving.get_custom_objects()

    @keras.utils.register_keras_serializable(package="demo")
    class Doubler(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2

    assert keras.utils.get_registered_name(Doubler) == "demo>Doubler"
    assert keras.utils.get_registered_object("demo>Doubler") is Doubler
    model = keras.Sequential([keras.Input((2,)), Doubler()])
    model.save(tmp_path / "d.keras")
    loaded = keras.models.load_model(tmp_path / "d.keras")
    np.testing.assert_array_equal(loaded.predict(np.ones((1, 2)), verbose=0), [[2.0, 2.0]])
    config = keras.utils.serialize_keras_object(Doubler(name="x"))
    assert type(keras.utils.deserialize_keras_object(config)) is Doubler


def test_config_is_a_dict_with_attributes_that_freezes():
    config = keras.utils.Config(learning_rate=0.1)
    config.momentum = 0.9
    config["nesterov"] = True
    assert config.learning_rate == 0.1 and config["momentum"] == 0.9 and "nesterov" in config
    assert config.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}
    config.freeze()
    with pytest.raises(LayerfitValueError, match="frozen"):
        config.momentum = 0.5
    config.unfreeze()
    config.momentum = 0.5
    assert config.momentum == 0.5
    with pytest.raises(AttributeError, match="no entry 'beta'"):
        _ = config.beta


def test_logging_switches_and_clear_session_through_utils():
    assert (
        keras.utils.is_interactive_logging_enabled()
        is keras.config.is_interactive_logging_enabled()
    )
    keras.utils.clear_session(free_memory=False)
    assert keras.layers.Dense(1).name == "dense"


def test_backend_and_graph_helpers_name_the_cause_and_fix():
    assert keras.backend.result_type("string", "string") == "string"
    with pytest.raises(LayerfitValueError, match="cannot combine strings with numbers") as error:
        keras.backend.result_type("string", "int32")
    assert "convert the strings to numbers first" in str(error.value)
    with pytest.raises(TypeError, match="get_source_inputs\\(\\) got ndarray") as error:
        keras.utils.get_source_inputs(np.zeros(3))
    assert "keras.Input" in str(error.value)


def test_hashed_crossing_runs_in_a_model_on_symbolic_inputs():
    # FeatureSpace.get_encoded_features crosses symbolic features, as Keras does.
    a, b = keras.Input((1,), dtype="int64"), keras.Input((1,), dtype="int64")
    layer = keras.layers.HashedCrossing(num_bins=5)
    crossed = layer((a, b))
    assert crossed.dtype == "int64" and tuple(crossed.shape) == (None, 1)
    model = keras.Model([a, b], crossed)
    x = (np.array([[1], [2]]), np.array([[3], [4]]))
    assert model(list(x)).tolist() == layer(x).tolist()
