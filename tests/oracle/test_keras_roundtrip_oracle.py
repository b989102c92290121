"""Round trips with real Keras 3.15: Keras -> layerfit -> Keras and layerfit -> Keras ->
layerfit, for the seed models, a two-input functional model, a registered subclassed model and
compiled models, predictions compared; and the optimizer state of a ``.keras`` file: after
loading, one more training step gives the same weights on both sides."""

from __future__ import annotations

import keras as real_keras
import numpy as np
import pytest

import layerfit
from layerfit.errors import LayerfitValueError

# float32 on both sides with the same weights: only summation order differs.
ATOL = 1e-5
RTOL = 1e-5
# One Adam/RMSprop step from the same state: the update's rounding (sqrt, division) differs.
STEP_ATOL = 1e-5


def seed_mlp(k):
    return k.Sequential(
        [
            k.Input((8,)),
            k.layers.Dense(16, activation="relu"),
            k.layers.Dropout(0.2),
            k.layers.Dense(3, activation="softmax"),
        ]
    )


def seed_cnn(k):
    return k.Sequential(
        [
            k.Input((10, 10, 2)),
            k.layers.Conv2D(4, 3, activation="relu"),
            k.layers.MaxPooling2D(),
            k.layers.Flatten(),
            k.layers.Dense(3, activation="softmax"),
        ]
    )


def seed_batchnorm(k):
    return k.Sequential(
        [
            k.Input((6,)),
            k.layers.Dense(8),
            k.layers.BatchNormalization(),
            k.layers.Activation("relu"),
            k.layers.Dense(1),
        ]
    )


def two_inputs(k):
    a, b = k.Input((4,), name="a"), k.Input((3,), name="b")
    x = k.layers.Concatenate()([k.layers.Dense(5, name="da")(a), k.layers.Dense(5, name="db")(b)])
    return k.Model([a, b], k.layers.Dense(2, name="out")(x))


def batchnorm_no_bias(k):
    """BatchNormalization after a Dense without bias: a bias there gets a gradient of ~0 (the
    normalization cancels it), and Adam's m / sqrt(v) of ~0 / ~0 is rounding noise."""
    return k.Sequential(
        [
            k.Input((6,)),
            k.layers.Dense(8, use_bias=False),
            k.layers.BatchNormalization(),
            k.layers.Activation("relu"),
            k.layers.Dense(1),
        ]
    )


BUILDERS = [seed_mlp, seed_cnn, seed_batchnorm, two_inputs]


def inputs_for(model, rows=5, seed=0):
    rng = np.random.default_rng(seed)
    shapes = model.input_shape if isinstance(model.input_shape, list) else [model.input_shape]
    xs = [rng.random((rows, *s[1:])).astype("float32") for s in shapes]
    return xs if len(xs) > 1 else xs[0]


def randomize(model):
    rng = np.random.default_rng(0)
    shapes = [np.shape(w) for w in model.get_weights()]
    model.set_weights([rng.uniform(0.05, 0.3, s).astype("float32") for s in shapes])


@pytest.mark.parametrize("build", BUILDERS)
def test_keras_layerfit_keras(tmp_path, build):
    original = build(real_keras)
    randomize(original)
    original.compile("adam", "mse", metrics=["mae"])
    original.save(tmp_path / "k.keras")
    x = inputs_for(original)
    expected = original.predict(x, verbose=0)
    ours = layerfit.models.load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    assert type(ours.optimizer).__name__ == "Adam"  # compile config restored
    ours.save(tmp_path / "back.keras", format="keras")
    back = real_keras.saving.load_model(tmp_path / "back.keras")
    np.testing.assert_allclose(back.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    assert back.get_compile_config()["loss"] == "mse"


@pytest.mark.parametrize("build", BUILDERS)
def test_layerfit_keras_layerfit(tmp_path, build):
    model = build(layerfit)
    randomize(model)
    model.compile(layerfit.optimizers.RMSprop(0.01), "mae", metrics=["mse"])
    x = inputs_for(model, seed=1)
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "ours.keras", format="keras")
    theirs = real_keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(theirs.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    assert type(theirs.optimizer).__name__ == "RMSprop"
    theirs.save(tmp_path / "k.keras")
    again = layerfit.models.load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    config = again.get_compile_config()
    assert config["loss"] == "mae" and config["metrics"] == ["mse"]
    assert again.optimizer.learning_rate == pytest.approx(0.01)


def fit_data(model, seed=3):
    x = inputs_for(model, rows=8, seed=seed)
    rows = 8
    out = model.output_shape[-1]
    y = np.random.default_rng(seed).random((rows, out)).astype("float32")
    return x, y


@pytest.mark.parametrize(
    "optimizer", ["adam", "rmsprop", "sgd_momentum", "adagrad", "adamw", "nadam", "adam_schedule"]
)
@pytest.mark.parametrize("build", [batchnorm_no_bias, seed_cnn])
def test_keras_optimizer_state_continues_training_identically(tmp_path, build, optimizer):
    def make(lib):
        o = lib.optimizers
        return {
            "adam": lambda: o.Adam(0.01),
            "rmsprop": lambda: o.RMSprop(0.01, momentum=0.5, centered=True),
            "sgd_momentum": lambda: o.SGD(0.05, momentum=0.9),
            "adagrad": lambda: o.Adagrad(0.05),
            "adamw": lambda: o.AdamW(0.01, amsgrad=True),
            "nadam": lambda: o.Nadam(0.01),
            "adam_schedule": lambda: o.Adam(o.schedules.ExponentialDecay(0.01, 3, 0.5)),
        }[optimizer]()

    original = build(real_keras)
    original.compile(make(real_keras), "mse", jit_compile=False)  # XLA compiling: seconds
    x, y = fit_data(original)
    original.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    original.save(tmp_path / "k.keras")
    ours = layerfit.models.load_model(tmp_path / "k.keras")  # no warning: state restored
    assert ours.optimizer.iterations == 4
    original.train_on_batch(x, y)
    ours.train_on_batch(x, y)
    for a, b in zip(ours.get_weights(), original.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), atol=STEP_ATOL, rtol=1e-4)
    # ... and back: Keras continues from layerfit's state.
    ours.save(tmp_path / "back.keras", format="keras")
    theirs = real_keras.saving.load_model(tmp_path / "back.keras")
    assert int(theirs.optimizer.iterations) == 5
    theirs.train_on_batch(x, y)
    ours.train_on_batch(x, y)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), atol=STEP_ATOL, rtol=1e-4)


@real_keras.saving.register_keras_serializable(package="files_test")
class KerasSubclassed(real_keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = real_keras.layers.Dense(units, activation="relu")
        self.out = real_keras.layers.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@layerfit.saving.register_keras_serializable(package="files_test")
class OurSubclassed(layerfit.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layerfit.layers.Dense(units, activation="relu")
        self.out = layerfit.layers.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_a_registered_subclassed_model_round_trips(tmp_path):
    original = KerasSubclassed(units=5)
    x = np.random.default_rng(5).random((3, 6)).astype("float32")
    original(x)
    randomize(original)
    original.save(tmp_path / "k.keras")
    expected = original.predict(x, verbose=0)
    # Keras names it "files_test>KerasSubclassed"; ours is registered under another class name.
    with pytest.raises(LayerfitValueError, match="custom_objects="):
        layerfit.models.load_model(tmp_path / "k.keras")
    ours = layerfit.models.load_model(
        tmp_path / "k.keras", custom_objects={"files_test>KerasSubclassed": OurSubclassed}
    )
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
    assert ours.units == 5
    ours.save(tmp_path / "back.keras", format="keras")
    back = real_keras.saving.load_model(
        tmp_path / "back.keras", custom_objects={"files_test>OurSubclassed": KerasSubclassed}
    )
    np.testing.assert_allclose(back.predict(x, verbose=0), expected, atol=ATOL, rtol=RTOL)
