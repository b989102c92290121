"""model.save / load_model: identical predictions, training continues, custom objects load."""

import json
import zipfile

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError, LayerfitWarning


def data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    x = (rng.normal(size=(n, 4)) + y[:, None]).astype("float32")
    return x, y


def classifier(optimizer="adam"):
    model = keras.Sequential(
        [
            layers.Input(shape=(4,)),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.25),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def same_weights(a, b) -> bool:
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))


def test_loaded_model_predicts_bitwise_identically(tmp_path):
    x, y = data()
    model = classifier()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    assert type(restored) is keras.Sequential and restored.name == model.name
    assert [layer.name for layer in restored.layers] == [layer.name for layer in model.layers]
    assert same_weights(model, restored)
    assert np.array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))


def test_archive_holds_config_metadata_weights_and_optimizer(tmp_path):
    x, y = data()
    model = classifier()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "model.keras")
    with zipfile.ZipFile(tmp_path / "model.keras") as archive:
        names = set(archive.namelist())
        meta = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert names == {
        "config.json",
        "metadata.json",
        "model.weights.safetensors",
        "optimizer.safetensors",
    }
    assert meta["format"] == "layerfit" and meta["format_version"] == 1
    assert meta["layerfit_version"] == keras.__version__ and "@" in meta["date_saved"]
    assert config["class_name"] == "Sequential" and config["module"] == "keras.models"
    dense = config["config"]["layers"][1]
    assert dense["module"] == "keras.layers" and dense["class_name"] == "Dense"
    assert dense["config"]["units"] == 8 and dense["registered_name"] is None
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"


def test_training_continues_as_if_never_saved(tmp_path):
    x, y = data()
    model = classifier()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    assert restored.optimizer.iterations == model.optimizer.iterations == 6
    keras.utils.set_random_seed(7)
    original_history = model.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    keras.utils.set_random_seed(7)
    restored_history = restored.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    assert restored_history == original_history
    assert same_weights(model, restored)  # bitwise: same Adam moments, step count, shuffling


def test_fresh_optimizer_would_diverge(tmp_path):
    """The test above can fail: without the optimizer state the weights differ."""
    x, y = data()
    model = classifier()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras", compile=False)
    assert restored.compiled is None
    restored.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    keras.utils.set_random_seed(7)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    keras.utils.set_random_seed(7)
    restored.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert not same_weights(model, restored)


def test_uncompiled_and_unbuilt_models_round_trip(tmp_path):
    plain = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    plain.save(tmp_path / "plain.keras")
    restored = keras.models.load_model(tmp_path / "plain.keras")
    assert restored.compiled is None and same_weights(plain, restored)
    empty = keras.Sequential([layers.Dense(2)])  # never built: no weights yet
    empty.save(tmp_path / "empty.keras")
    assert keras.models.load_model(tmp_path / "empty.keras").weights == []


def functional_model():
    left = layers.Input(shape=(4,), name="left")
    right = layers.Input(shape=(2,), name="right")
    shared = layers.Dense(5, activation="tanh", name="shared")
    merged = layers.Dense(3, name="merge")(shared(left))
    out = layers.Activation("softmax", name="probs")(merged)
    aux = layers.Dense(1, name="aux")(shared(layers.Dense(4, name="lift")(right)))
    return keras.Model([left, right], [out, aux], name="two_heads")


def test_functional_model_with_shared_layer_round_trips(tmp_path):
    model = functional_model()
    model.save(tmp_path / "f.keras")
    restored = keras.models.load_model(tmp_path / "f.keras")
    inputs = [np.random.rand(6, 4).astype("float32"), np.random.rand(6, 2).astype("float32")]
    expected, got = model.predict(inputs, verbose=0), restored.predict(inputs, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(expected, got))
    assert restored.name == "two_heads" and same_weights(model, restored)
    assert [t.shape for t in restored.inputs] == [(None, 4), (None, 2)]


@keras.saving.register_serializable(package="tests")
class Scale(layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, inputs):
        return inputs * self.scale * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_serializable(package="tests")
def doubled_tanh(x):
    return 2 * torch.tanh(x)


@keras.saving.register_serializable(package="tests")
def half_mse(y_true, y_pred):
    return 0.5 * torch.mean((y_true - y_pred) ** 2, dim=-1)


def test_registered_custom_objects_load_without_custom_objects(tmp_path):
    x = np.random.rand(8, 4).astype("float32")
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(3, activation=doubled_tanh)(Scale(1.5)(inputs))
    model = keras.Model(inputs, layers.Dense(2)(hidden))
    model.compile(optimizer="sgd", loss=half_mse)
    model.fit(x, np.zeros((8, 2), "float32"), epochs=1, verbose=0)
    model.save(tmp_path / "custom.keras")
    entry = json.loads(zipfile.ZipFile(tmp_path / "custom.keras").read("config.json"))
    assert any(e.get("registered_name") == "tests>Scale" for e in entry["config"]["layers"])
    restored = keras.models.load_model(tmp_path / "custom.keras")
    assert np.array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert restored.compiled.losses[0].fn is half_mse
    assert restored.layers[2].activation is doubled_tanh


class Unregistered(layers.Layer):
    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, inputs):
        return inputs + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


def test_unregistered_class_needs_custom_objects(tmp_path):
    model = keras.Sequential([layers.Input(shape=(2,)), Unregistered(3.0), layers.Dense(1)])
    model.save(tmp_path / "u.keras")
    with pytest.raises(LayerfitValueError) as info:
        keras.models.load_model(tmp_path / "u.keras")
    assert "Could not locate class 'Unregistered'" in str(info.value)
    assert "register_serializable" in str(info.value) and "custom_objects" in str(info.value)
    restored = keras.models.load_model(
        tmp_path / "u.keras", custom_objects={"Unregistered": Unregistered}
    )
    assert restored.layers[0].offset == 3.0 and same_weights(model, restored)


def test_custom_layer_without_get_config_fails_at_save_time(tmp_path):
    class NoConfig(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    model = keras.Sequential([layers.Input(shape=(2,)), NoConfig(3)])
    with pytest.raises(LayerfitValueError) as info:
        model.save(tmp_path / "n.keras")
    assert "NoConfig needs constructor arguments ['units']" in str(info.value)
    assert "'units': self.units" in str(info.value)
    assert not (tmp_path / "n.keras").exists()


@keras.saving.register_serializable(package="tests")
class TwoLayerNet(keras.Model):
    def __init__(self, hidden=4, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.first = layers.Dense(hidden, activation="relu")
        self.second = layers.Dense(1)

    def call(self, inputs, training=None):
        return self.second(self.first(inputs))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden}


def test_registered_subclassed_model_round_trips(tmp_path):
    x = np.random.rand(10, 3).astype("float32")
    model = TwoLayerNet(hidden=6)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, x[:, :1], epochs=2, verbose=0)
    model.save(tmp_path / "net.keras")
    restored = keras.models.load_model(tmp_path / "net.keras")
    assert isinstance(restored, TwoLayerNet) and restored.hidden == 6
    assert np.array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert restored.optimizer.iterations == model.optimizer.iterations


def test_own_extension_and_save_model_function(tmp_path):
    model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    keras.models.save_model(model, tmp_path / "m.layerfit")
    assert same_weights(model, keras.saving.load_model(str(tmp_path / "m.layerfit")))


def test_h5_name_warns_and_writes_the_legacy_format(tmp_path):
    model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    with pytest.warns(LayerfitWarning, match="(?s)legacy HDF5 format.*Fix: save as 'model.keras'"):
        model.save(tmp_path / "old.h5")
    assert (tmp_path / "old.h5").read_bytes()[:8] == b"\x89HDF\r\n\x1a\n"
    assert same_weights(model, keras.models.load_model(tmp_path / "old.h5"))


@pytest.mark.parametrize(
    "name, cause, fix",
    [
        ("model", "Invalid filepath extension", "model.save('my_model.keras')"),
        ("model.weights.h5", "a weights file name", "model.save_weights(path)"),
    ],
)
def test_bad_extensions_are_refused(tmp_path, name, cause, fix):
    model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    with pytest.raises(LayerfitValueError) as info:
        model.save(tmp_path / name)
    assert cause in str(info.value) and fix in str(info.value)


def test_overwrite_false_and_missing_folder(tmp_path):
    model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(LayerfitValueError, match="(?s)already exists.*overwrite=True"):
        model.save(tmp_path / "m.keras", overwrite=False)
    with pytest.raises(LayerfitValueError, match="(?s)does not exist.*os.makedirs"):
        model.save(tmp_path / "nowhere" / "m.keras")
