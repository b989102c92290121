"""Records real Keras's FeatureSpace outputs (Keras 3 + TensorFlow, which Keras's FeatureSpace
needs on every backend) on the synthetic heart frame, for test_feature_space.py.

Run: KERAS_BACKEND=jax python tests/layers/make_feature_space_golden.py   (TensorFlow installed)
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(__file__))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from _feature_space_data import (  # noqa: E402
    SAMPLE,
    dict_space,
    heart_frame,
    keras_io_crosses,
    keras_io_features,
)
from keras.utils import FeatureSpace  # noqa: E402


def keras_outputs() -> dict:
    """Keras's FeatureSpace outputs on the synthetic frame, by name (numpy arrays)."""
    data, target = heart_frame()
    out = {}
    ds = tf.data.Dataset.from_tensor_slices((data, target)).batch(16)
    fs = FeatureSpace(
        features=keras_io_features(FeatureSpace),
        crosses=keras_io_crosses(FeatureSpace),
        output_mode="concat",
    )
    fs.adapt(ds.map(lambda x, _: x))
    out["concat"] = np.asarray(fs(data))
    out["concat_sample"] = np.asarray(fs(SAMPLE))
    first = next(iter(ds))[0]
    out["concat_batch"] = np.asarray(fs(first))

    keys = ("age", "trestbps", "chol", "thal", "cp", "ca", "sex")
    data2 = {k: data[k] for k in keys} | {"thal2": data["thal"]}
    space = dict_space(FeatureSpace)
    space.adapt(tf.data.Dataset.from_tensor_slices(data2))  # unbatched: Keras batches by 32
    for name, value in space(data2).items():
        out[f"dict_{name}"] = np.asarray(value)
    sample2 = {k: SAMPLE[k] for k in keys} | {"thal2": "normal"}
    for name, value in space(sample2).items():
        out[f"dict_sample_{name}"] = np.asarray(value)
    return out


def main() -> None:
    out = keras_outputs()
    path = os.path.join(os.path.dirname(__file__), "feature_space_keras.npz")
    np.savez_compressed(path, **out)
    for key, value in out.items():
        print(key, value.shape, value.dtype)


if __name__ == "__main__":
    main()
