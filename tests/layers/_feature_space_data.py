"""A synthetic stand-in for keras-io's heart-disease CSV (same kinds of columns), shared by
the FeatureSpace tests and the script that records Keras's outputs on it."""

from __future__ import annotations

import numpy as np

SAMPLE = {  # keras-io's inference sample
    "age": 60.0, "sex": 1, "cp": 1, "fbs": 1, "restecg": 2, "exang": 0, "ca": 0,
    "thal": "fixed", "trestbps": 145.0, "chol": 233.0, "thalach": 150.0, "oldpeak": 2.3,
    "slope": 3.0,
}  # fmt: skip


def heart_frame(rows: int = 96, seed: int = 0) -> tuple[dict, np.ndarray]:
    """Columns as in keras-io's example: integer codes, a string code, floats; and a target."""
    rng = np.random.RandomState(seed)
    data = {
        "age": rng.randint(29, 78, rows).astype("float32"),
        "sex": rng.randint(0, 2, rows).astype("int64"),
        "cp": rng.randint(0, 5, rows).astype("int64"),
        "fbs": rng.randint(0, 2, rows).astype("int64"),
        "restecg": rng.randint(0, 3, rows).astype("int64"),
        "exang": rng.randint(0, 2, rows).astype("int64"),
        "ca": rng.randint(0, 4, rows).astype("int64"),
        "thal": rng.choice(["fixed", "normal", "reversible"], rows, p=[0.2, 0.5, 0.3]),
        "trestbps": rng.normal(130, 17, rows).round().astype("float32"),
        "chol": rng.normal(246, 51, rows).round().astype("float32"),
        "thalach": rng.normal(150, 22, rows).round().astype("float32"),
        "oldpeak": np.abs(rng.normal(1.0, 1.1, rows)).round(1).astype("float32"),
        "slope": rng.randint(1, 4, rows).astype("float32"),
    }
    score = (
        (data["age"] - 54) / 9
        + data["exang"]
        + (data["thal"] == "reversible")
        - data["thalach"] / 60
    )
    target = (score + rng.normal(0, 0.5, rows) > np.median(score)).astype("int64")
    return data, target


def keras_io_features(fs) -> dict:
    """keras-io's feature specification, made with ``fs`` (Keras's or layerfit's FeatureSpace)."""
    return {
        "sex": fs.integer_categorical(num_oov_indices=0),
        "cp": fs.integer_categorical(num_oov_indices=0),
        "fbs": fs.integer_categorical(num_oov_indices=0),
        "restecg": fs.integer_categorical(num_oov_indices=0),
        "exang": fs.integer_categorical(num_oov_indices=0),
        "ca": fs.integer_categorical(num_oov_indices=0),
        "thal": fs.string_categorical(num_oov_indices=0),
        "age": fs.float_discretized(num_bins=30),
        "trestbps": fs.float_normalized(),
        "chol": fs.float_normalized(),
        "thalach": fs.float_normalized(),
        "oldpeak": fs.float_normalized(),
        "slope": fs.float_normalized(),
    }


def keras_io_crosses(fs) -> list:
    return [
        fs.cross(feature_names=("sex", "age"), crossing_dim=64),
        fs.cross(feature_names=("thal", "ca"), crossing_dim=16),
    ]


# A second space: every other feature kind, string shorthands, tuple crosses, dict output.
DICT_FEATURES = {
    "age": "float_discretized",
    "trestbps": "float_rescaled",
    "chol": "float",
    "thal": "string_hashed",
    "cp": "integer_hashed",
    "ca": "integer_categorical",
}


def dict_space(fs_class):
    features = dict(DICT_FEATURES)  # and two made with the class's methods:
    features["sex"] = fs_class.integer_categorical(max_tokens=3, output_mode="int")
    features["thal2"] = fs_class.string_categorical(output_mode="int")
    return fs_class(
        features=features,
        crosses=[("thal", "cp"), fs_class.cross(("ca", "sex"), crossing_dim=8, output_mode="int")],
        crossing_dim=12,
        hashing_dim=7,
        num_discretization_bins=5,
        output_mode="dict",
    )
