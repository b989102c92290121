"""keras.utils.FeatureSpace against real Keras's outputs on the same data.

Keras's FeatureSpace needs TensorFlow on every backend, so its outputs on the synthetic heart
frame (``_feature_space_data.py``) were recorded once by ``make_feature_space_golden.py``
(Keras 3.15.1 + TensorFlow 2.21) into ``feature_space_keras.npz``; the test compares to them.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.data import AUTOTUNE, Dataset
from layerfit.errors import LayerfitValueError
from layerfit.utils import FeatureSpace

sys.path.insert(0, os.path.dirname(__file__))
from _feature_space_data import (  # noqa: E402
    SAMPLE,
    dict_space,
    heart_frame,
    keras_io_crosses,
    keras_io_features,
)

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "feature_space_keras.npz"))
DICT_KEYS = ("age", "trestbps", "chol", "thal", "cp", "ca", "sex")


def _keras_io_space():
    return FeatureSpace(
        features=keras_io_features(FeatureSpace),
        crosses=keras_io_crosses(FeatureSpace),
        output_mode="concat",
    )


@pytest.fixture(scope="module")
def adapted():
    data, target = heart_frame()
    ds = Dataset.from_tensor_slices((data, target)).batch(16)
    space = _keras_io_space()
    space.adapt(ds.map(lambda x, _: x))
    return space, data, target, ds


def test_concat_equals_keras_on_batches_and_one_sample(adapted):
    space, data, _, ds = adapted
    out = space(data)
    assert out.dtype == torch.float32 and tuple(out.shape) == (96, 136)
    np.testing.assert_allclose(out.numpy(), GOLDEN["concat"], atol=1e-5)
    np.testing.assert_allclose(space(SAMPLE).numpy(), GOLDEN["concat_sample"], atol=1e-5)
    first = next(iter(ds))[0]
    np.testing.assert_allclose(space(first).numpy(), GOLDEN["concat_batch"], atol=1e-5)


def test_pandas_columns_give_the_same_result(adapted):
    pd = pytest.importorskip("pandas")
    space, data, _, _ = adapted
    frame = pd.DataFrame(data)
    np.testing.assert_allclose(space(frame).numpy(), GOLDEN["concat"], atol=1e-5)
    fresh = _keras_io_space()
    fresh.adapt(frame)  # a DataFrame (or dict(frame)) adapts in one batch
    np.testing.assert_allclose(fresh(dict(frame)).numpy(), GOLDEN["concat"], atol=1e-5)


def test_dict_mode_every_feature_kind_equals_keras():
    data, _ = heart_frame()
    data2 = {k: data[k] for k in DICT_KEYS} | {"thal2": data["thal"]}
    space = dict_space(FeatureSpace)
    space.adapt(Dataset.from_tensor_slices(data2))  # unbatched: batched by 32 as Keras
    out = space(data2)
    assert sorted(out) == sorted(
        k[5:] for k in GOLDEN.files if k.startswith("dict_") and "sample" not in k
    )
    for key, value in out.items():
        np.testing.assert_allclose(value.numpy(), GOLDEN[f"dict_{key}"], atol=1e-6, err_msg=key)
    sample = {k: SAMPLE[k] for k in DICT_KEYS} | {"thal2": "normal"}
    for key, value in space(sample).items():
        expected = GOLDEN[f"dict_sample_{key}"]
        assert tuple(value.shape) == expected.shape, key
        np.testing.assert_allclose(value.numpy(), expected, atol=1e-6, err_msg=key)


def test_keras_io_flow_trains_and_the_inference_model_takes_raw_dicts(adapted):
    space, data, target, ds = adapted
    keras.utils.set_random_seed(1)
    train = ds.map(lambda x, y: (space(x), y), num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)
    dict_inputs = space.get_inputs()
    encoded = space.get_encoded_features()
    assert sorted(dict_inputs) == sorted(data) and tuple(encoded.shape) == (None, 136)
    x = keras.layers.Dense(32, activation="relu")(encoded)
    x = keras.layers.Dropout(0.5)(x)
    predictions = keras.layers.Dense(1, activation="sigmoid")(x)
    training_model = keras.Model(inputs=encoded, outputs=predictions)
    training_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)
    history = training_model.fit(train, epochs=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    raw = {name: np.array([value]) for name, value in SAMPLE.items()}
    expected = training_model.predict(space(SAMPLE)[None].numpy(), verbose=0)
    np.testing.assert_allclose(inference_model.predict(raw, verbose=0), expected, atol=1e-6)
    batch = inference_model.predict(data, verbose=0)
    np.testing.assert_allclose(
        batch, training_model.predict(space(data).numpy(), verbose=0), atol=1e-6
    )


def test_preprocessors_and_crossers_are_reachable(adapted):
    space = adapted[0]
    assert isinstance(space.preprocessors["thal"], keras.layers.StringLookup)
    assert space.preprocessors["thal"].get_vocabulary() == ["normal", "reversible", "fixed"]
    assert isinstance(space.crossers["sex_X_age"], keras.layers.HashedCrossing)
    assert space.crossers["thal_X_ca"].num_bins == 16


def test_save_and_load_round_trip(adapted, tmp_path):
    space, data, _, _ = adapted
    path = str(tmp_path / "featurespace.keras")
    space.save(path)
    restored = keras.models.load_model(path)  # written as keras.utils.FeatureSpace, as Keras does
    assert isinstance(restored, FeatureSpace)
    np.testing.assert_allclose(restored(data).numpy(), GOLDEN["concat"], atol=1e-5)
    again = FeatureSpace.from_config(space.get_config())
    np.testing.assert_allclose(again(SAMPLE).numpy(), GOLDEN["concat_sample"], atol=1e-5)


def test_a_model_with_crosses_saves_and_loads(adapted, tmp_path):
    # HashedCrossing writes dtype int64 (as Keras): the loader's dtype check once refused it.
    space, data, _, _ = adapted
    inputs = space.get_inputs()
    model = keras.Model(inputs, keras.layers.Dense(1)(space.get_encoded_features()))
    model.save(tmp_path / "with_crosses.keras")
    restored = keras.models.load_model(tmp_path / "with_crosses.keras")
    raw = {name: np.asarray(values)[:, None] for name, values in data.items()}
    np.testing.assert_allclose(
        restored.predict(raw, verbose=0), model.predict(raw, verbose=0), rtol=1e-6, atol=1e-7
    )


def test_custom_feature_with_a_given_layer():
    texts = {"text": np.array(["a b", "b c", "c c c"])}
    layer = keras.layers.TextVectorization(output_mode="multi_hot")
    space = FeatureSpace(
        {"text": FeatureSpace.feature(dtype="string", preprocessor=layer, output_mode="float")}
    )
    space.adapt(texts)
    assert space(texts).tolist() == [[0, 0, 1, 1], [0, 1, 1, 0], [0, 1, 0, 0]]


# -- our errors -------------------------------------------------------------------------------
def test_bad_features_argument():
    with pytest.raises(LayerfitValueError, match="non-empty dict"):
        FeatureSpace({})
    with pytest.raises(LayerfitValueError, match="feature type 'floaty'"):
        FeatureSpace({"x": "floaty"})


def test_bad_output_modes():
    with pytest.raises(LayerfitValueError, match="output_mode='stack'"):
        FeatureSpace({"x": "float"}, output_mode="stack")
    with pytest.raises(LayerfitValueError, match="output_mode='float'"):
        FeatureSpace.cross(("a", "b"), crossing_dim=4, output_mode="float")
    with pytest.raises(LayerfitValueError, match="output_mode='multi_hot'"):
        FeatureSpace.string_categorical(output_mode="multi_hot")


def test_cross_of_unknown_feature():
    with pytest.raises(LayerfitValueError, match="cross \\('x', 'nope'\\)"):
        FeatureSpace({"x": "integer_categorical"}, crosses=[("x", "nope")])


def test_crossing_dim_needed_for_tuple_crosses():
    with pytest.raises(LayerfitValueError, match="crossing_dim=None"):
        FeatureSpace(
            {"a": "string_hashed", "b": "string_hashed"}, crosses=[("a", "b")], crossing_dim=None
        )


def test_feature_needs_a_layer():
    with pytest.raises(LayerfitValueError, match="preprocessor='tfidf'"):
        FeatureSpace.feature(dtype="string", preprocessor="tfidf", output_mode="float")


def test_used_before_adapt():
    space = FeatureSpace({"x": "float_normalized"})
    with pytest.raises(LayerfitValueError, match="before adapt"):
        space({"x": [1.0]})
    with pytest.raises(LayerfitValueError, match="before adapt"):
        space.get_inputs()


def test_called_on_a_non_dict_and_on_wrong_keys():
    space = FeatureSpace({"x": "float", "c": "string_hashed"})  # nothing to adapt
    with pytest.raises(LayerfitValueError, match="called on ndarray"):
        space(np.zeros((2, 2)))
    with pytest.raises(LayerfitValueError, match=r"missing \['c'\] and unknown keys \['label'\]"):
        space({"x": [1.0], "label": [0]})


def test_adapt_on_labelled_pairs_or_non_dicts():
    space = FeatureSpace({"x": "float_normalized"})
    pairs = Dataset.from_tensor_slices(({"x": np.arange(4.0)}, np.arange(4))).batch(2)
    with pytest.raises(LayerfitValueError, match="\\(features, label\\) pairs") as error:
        space.adapt(pairs)
    assert "map(lambda x, y: x)" in str(error.value)
    with pytest.raises(LayerfitValueError, match="elements of type ndarray"):
        space.adapt([np.zeros(3)])
    with pytest.raises(LayerfitValueError, match="got ndarray"):
        space.adapt(np.zeros(3))
    with pytest.raises(LayerfitValueError, match="empty dataset"):
        space.adapt(Dataset.from_tensor_slices({"x": np.zeros(0)}))


def test_integer_feature_given_floats():
    space = FeatureSpace({"n": "integer_hashed"})
    with pytest.raises(LayerfitValueError, match="integer feature got float values"):
        space({"n": [1.5, 2.0]})


def test_concat_of_an_int_feature_and_one_hot_without_cardinality():
    space = FeatureSpace({"c": FeatureSpace.string_categorical(output_mode="int")})
    with pytest.raises(LayerfitValueError, match="Cannot concatenate feature 'c'"):
        space.adapt({"c": ["a", "b"]})  # checked when adapt finishes, as Keras
    custom = FeatureSpace.feature("float32", keras.layers.Rescaling(2.0), "one_hot")
    with pytest.raises(LayerfitValueError, match="no known number of categories"):
        FeatureSpace({"r": custom})({"r": [1.0]})


def test_bad_saved_entry():
    with pytest.raises(LayerfitValueError, match="saved entry") as error:
        FeatureSpace({"x": "float"}, crosses=[{"class_name": "Feature", "config": {}}])
    assert "a serialized Cross" in str(error.value)


def test_keras_io_pandas_cells():
    # keras-io's dataframe_to_dataset: a shuffled Dataset of (dict(frame), labels), batched.
    pd = pytest.importorskip("pandas")
    data, target = heart_frame()
    frame = pd.DataFrame(data).assign(target=target)
    labels = frame.pop("target")
    ds = Dataset.from_tensor_slices((dict(frame), labels)).shuffle(len(frame), seed=3)
    x, y = next(iter(ds.take(1)))
    assert sorted(x) == sorted(data) and isinstance(x["thal"], str) and y in (0, 1)
    space = _keras_io_space()
    space.adapt(ds.batch(32).map(lambda x, _: x))
    np.testing.assert_allclose(space(data).numpy(), GOLDEN["concat"], atol=1e-5)


def test_inference_model_saves_and_loads(tmp_path):
    # Without crosses: saving's dtype check refuses HashedCrossing's int64 dtype for now
    # (noted for the saving owner).
    data, _ = heart_frame()
    space = FeatureSpace(features=keras_io_features(FeatureSpace), output_mode="concat")
    space.adapt(data)
    model = keras.Model(space.get_inputs(), keras.layers.Dense(1)(space.get_encoded_features()))
    expected = model.predict(data, verbose=0)
    model.save(tmp_path / "inference.keras")
    restored = keras.models.load_model(tmp_path / "inference.keras")
    np.testing.assert_allclose(restored.predict(data, verbose=0), expected, atol=1e-6)
