"""Keras 2 legacy ``.h5`` files: whole models in and out, weights by topology and by name, and
hostile files refused with our error. Files are made here with h5py in the exact layout tf.keras
2.x writes (Keras itself is the oracle in tests/oracle/test_keras2_files_oracle.py)."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError, LayerfitWarning


def dense(name, units, activation="linear"):
    return {
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }


# tf.keras 2.x's config: the input shape on the first layer, axis as a list, no 'module'.
KERAS2_CONFIG = {
    "class_name": "Sequential",
    "config": {
        "name": "sequential",
        "layers": [
            {
                **dense("dense", 3, "relu"),
                "config": {**dense("dense", 3, "relu")["config"], "batch_input_shape": [None, 4]},
            },
            {
                "class_name": "BatchNormalization",
                "config": {
                    "name": "batch_normalization",
                    "trainable": True,
                    "dtype": "float32",
                    "axis": [1],
                    "momentum": 0.99,
                    "epsilon": 0.001,
                    "center": True,
                    "scale": True,
                },
            },
            dense("dense_1", 2, "softmax"),
        ],
    },
}
KERAS2_TRAINING = {
    "loss": "categorical_crossentropy",
    "metrics": [
        [
            {
                "class_name": "MeanMetricWrapper",
                "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"},
            }
        ]
    ],
    "weighted_metrics": None,
    "loss_weights": None,
    "optimizer_config": {
        "class_name": "Adam",
        "config": {
            "name": "Adam",
            "learning_rate": 0.0005,
            "decay": 0.0,
            "beta_1": 0.9,
            "beta_2": 0.999,
            "epsilon": 1e-07,
            "amsgrad": False,
        },
    },
}
RNG = np.random.default_rng(0)
WEIGHTS = {
    "dense": [RNG.normal(size=(4, 3)), RNG.normal(size=3)],
    "batch_normalization": [
        RNG.uniform(0.5, 1.5, 3),
        RNG.normal(size=3),
        RNG.normal(size=3),
        RNG.uniform(0.5, 1.5, 3),
    ],
    "dense_1": [RNG.normal(size=(3, 2)), RNG.normal(size=2)],
}
SUFFIXES = {
    "dense": ["kernel", "bias"],
    "dense_1": ["kernel", "bias"],
    "batch_normalization": ["gamma", "beta", "moving_mean", "moving_variance"],
}


def write_keras2(path, config=KERAS2_CONFIG, training=KERAS2_TRAINING, weights=WEIGHTS):
    with h5py.File(path, "w") as file:
        file.attrs["keras_version"] = b"2.13.1"
        file.attrs["backend"] = b"tensorflow"
        if config is not None:
            file.attrs["model_config"] = json.dumps(config).encode()
        if training is not None:
            file.attrs["training_config"] = json.dumps(training).encode()
        root = file.create_group("model_weights")
        root.attrs["layer_names"] = [name.encode() for name in weights]
        for layer, values in weights.items():
            group = root.create_group(layer)
            names = [f"{layer}/{s}:0" for s in SUFFIXES[layer][: len(values)]]
            group.attrs["weight_names"] = [n.encode() for n in names]
            for name, value in zip(names, values):
                group.create_dataset(name, data=np.asarray(value, "float32"))
    return path


def numpy_forward(x):
    kernel, bias = WEIGHTS["dense"]
    h = np.maximum(x @ kernel + bias, 0)
    gamma, beta, mean, var = WEIGHTS["batch_normalization"]
    h = gamma * (h - mean) / np.sqrt(var + 1e-3) + beta
    logits = h @ WEIGHTS["dense_1"][0] + WEIGHTS["dense_1"][1]
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_keras2_model_file_loads_compiled_with_its_numbers(tmp_path):
    model = keras.models.load_model(write_keras2(tmp_path / "k2.h5"))
    x = RNG.normal(size=(5, 4)).astype("float32")
    # float32 against float64 numpy: 1e-5 covers the summation order.
    np.testing.assert_allclose(model.predict(x, verbose=0), numpy_forward(x), atol=1e-5)
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0005)
    logs = model.evaluate(x, np.eye(2)[[0, 1, 0, 1, 1]], verbose=0, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}


def test_keras2_decay_is_ignored_with_a_warning(tmp_path):
    training = json.loads(json.dumps(KERAS2_TRAINING))
    training["optimizer_config"]["config"]["decay"] = 0.01
    with pytest.warns(LayerfitWarning, match="(?s)decay=0.01.*InverseTimeDecay"):
        keras.models.load_model(write_keras2(tmp_path / "k2.h5", training=training))


def test_legacy_h5_round_trip_keeps_weights_and_compile(tmp_path):
    model = keras.Sequential([layers.Input((4,)), layers.Dense(3), layers.Dense(2)])
    model.compile(keras.optimizers.SGD(0.05), "mse", metrics=["mae"])
    with pytest.warns(LayerfitWarning, match="legacy HDF5"):
        model.save(tmp_path / "m.h5")
    again = keras.models.load_model(tmp_path / "m.h5")
    x = RNG.normal(size=(3, 4)).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), again.predict(x, verbose=0))
    assert float(again.optimizer.learning_rate) == pytest.approx(0.05)
    with h5py.File(tmp_path / "m.h5") as file:  # Keras 3.15 cannot read "mse" back
        assert json.loads(file.attrs["training_config"])["loss"] == "mean_squared_error"


def small():
    return keras.Sequential(
        [
            layers.Input((4,)),
            layers.Dense(3, name="a"),
            layers.BatchNormalization(name="b"),
            layers.Dense(2, name="c"),
        ]
    )


def test_load_weights_by_topology_and_by_name(tmp_path):
    path = write_keras2(tmp_path / "w.h5")
    model = small()  # other layer names: by topology (Keras's default) still loads
    model.load_weights(path)
    np.testing.assert_array_equal(
        model.layers[0].kernel.detach().numpy(), np.float32(WEIGHTS["dense"][0])
    )
    with pytest.raises(LayerfitValueError, match="(?s)'c'.*shape.*by_name=True|shape mismatch"):
        keras.Sequential(
            [layers.Input((4,)), layers.Dense(3), layers.BatchNormalization(), layers.Dense(5)]
        ).load_weights(path)
    named = keras.Sequential(
        [layers.Input((4,)), layers.Dense(3, name="dense"), layers.Dense(9, name="other")]
    )
    before = named.layers[1].kernel.detach().clone()
    named.load_weights(path, by_name=True)  # 'other' is not in the file: left as it was
    np.testing.assert_array_equal(
        named.layers[0].bias.detach().numpy(), np.float32(WEIGHTS["dense"][1])
    )
    assert bool((named.layers[1].kernel.detach() == before).all())


def test_topology_count_mismatch_names_both_sides(tmp_path):
    path = write_keras2(tmp_path / "w.h5")
    model = keras.Sequential([layers.Input((4,)), layers.Dense(3), layers.Dense(2)])
    with pytest.raises(LayerfitValueError) as info:
        model.load_weights(path)
    message = str(info.value)
    assert "2 layers with weights" in message and "holds weights for 3" in message
    assert "by_name=True, skip_mismatch=True" in message


def test_by_name_skip_mismatch_warns_and_loads_the_rest(tmp_path):
    path = write_keras2(tmp_path / "w.h5")
    model = keras.Sequential(
        [layers.Input((4,)), layers.Dense(3, name="dense"), layers.Dense(7, name="dense_1")]
    )
    with pytest.warns(LayerfitWarning, match="dense_1/kernel"):
        model.load_weights(path, by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(
        model.layers[0].kernel.detach().numpy(), np.float32(WEIGHTS["dense"][0])
    )


def test_by_name_and_unknown_kwargs_are_refused_where_keras_refuses(tmp_path):
    model = small()
    model.save_weights(tmp_path / "m.weights.h5")
    with pytest.raises(LayerfitValueError, match="(?s)by_name only applies.*drop by_name"):
        model.load_weights(tmp_path / "m.weights.h5", by_name=True)
    with pytest.raises(LayerfitValueError, match="does not take: \\['bogus'\\]"):
        model.load_weights(tmp_path / "m.weights.h5", bogus=1)


# -- hostile and careless files -----------------------------------------------------------------


def test_weights_only_h5_to_load_model_says_what_to_do(tmp_path):
    message = _load_error(write_keras2(tmp_path / "w.h5", config=None, training=None))
    assert "without a model_config" in message and "model.load_weights(path)" in message


def test_lambda_in_a_legacy_file_is_refused_in_safe_mode(tmp_path):
    config = json.loads(json.dumps(KERAS2_CONFIG))
    config["config"]["layers"].append(
        {
            "class_name": "Lambda",
            "config": {
                "name": "lambda",
                "function": ["4wEAAAAA", None, None],
                "function_type": "lambda",
            },
        }
    )
    message = _load_error(write_keras2(tmp_path / "l.h5", config=config))
    assert "Lambda" in message and "safe_mode" in message


def test_external_link_and_string_weights_are_refused(tmp_path):
    path = write_keras2(tmp_path / "x.h5")
    with h5py.File(path, "a") as file:
        del file["model_weights/dense/dense/kernel:0"]
        file["model_weights/dense/dense/kernel:0"] = h5py.ExternalLink("/etc/passwd", "/x")
    assert "is a link" in _load_error(path)
    path = write_keras2(tmp_path / "s.h5")
    with h5py.File(path, "a") as file:
        del file["model_weights/dense/dense/bias:0"]
        file["model_weights/dense/dense/bias:0"] = np.array([b"a", b"b", b"c"])
    assert "not a number type we read" in _load_error(path)


def test_damaged_json_and_oversized_weights(tmp_path):
    path = write_keras2(tmp_path / "j.h5")
    with h5py.File(path, "a") as file:
        file.attrs["model_config"] = b"{not json"
    assert "JSON cannot be read" in _load_error(path)
    path = write_keras2(tmp_path / "big.h5")
    message = _load_error(path, max_bytes=100)
    assert "over the max_bytes limit" in message and "nothing was allocated" in message


def test_shape_in_file_differs_from_config(tmp_path):
    weights = dict(WEIGHTS, dense_1=[RNG.normal(size=(3, 5)), RNG.normal(size=5)])
    message = _load_error(write_keras2(tmp_path / "s.h5", weights=weights))
    assert "Weight shape mismatch in layer 'dense_1'" in message and "(3, 5)" in message


def _load_error(path, **kwargs) -> str:
    with pytest.raises(LayerfitValueError) as info:
        keras.models.load_model(path, **kwargs)
    return str(info.value)


# -- LossScaleOptimizer (layerfit.mixed_precision) is found when loading -------------------------


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_loss_scale_optimizer_saves_and_loads(tmp_path, name):
    model = keras.Sequential([layers.Input((4,)), layers.Dense(2)])
    optimizer = keras.mixed_precision.LossScaleOptimizer(
        keras.optimizers.Adam(0.01), initial_scale=256.0
    )
    model.compile(optimizer, "mse")
    if name.endswith(".h5"):
        with pytest.warns(LayerfitWarning, match="legacy HDF5"):
            model.save(tmp_path / name)
    else:
        model.save(tmp_path / name)
    restored = keras.models.load_model(tmp_path / name).optimizer
    assert type(restored).__name__ == "LossScaleOptimizer"
    assert restored.initial_scale == 256.0
    assert type(restored.inner_optimizer).__name__ == "Adam"
    assert float(restored.inner_optimizer.learning_rate) == pytest.approx(0.01)
