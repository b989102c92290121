"""Vocabulary layers (assets/) both ways against real Keras 3.15: a Keras model with adapted
TextVectorization / StringLookup / IntegerLookup loads in layerfit with identical outputs on
strings, and layerfit's ``save(format="keras")`` loads in Keras with identical outputs.

Keras's vocabulary layers need TensorFlow (not in the oracle extra): skipped without it.
Keras's JAX backend cannot run a model on a numpy string array, so Keras's outputs are the
layers called one after another (the vocabulary layer on the strings first)."""

from __future__ import annotations

import keras as real_keras
import numpy as np
import pytest

import layerfit

pytest.importorskip("tensorflow")

TEXTS = np.array([["the cat sat"], ["the dog ran far"], ["a cat and a dog"], ["zebra cat!"]])
# Token ids are exact; the float head (float32, same weights) differs by summation order only.
ATOL = 1e-6


def keras_outputs(model, x):
    for layer in model.layers:
        if not isinstance(layer, real_keras.layers.InputLayer):
            x = layer(x)
    return np.asarray(x)


def keras_text_model():
    k = real_keras
    vectorize = k.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(TEXTS[:3, 0])
    inputs = k.Input((1,), dtype="string")
    x = k.layers.Embedding(20, 3)(vectorize(inputs))
    x = k.layers.GlobalAveragePooling1D()(x)
    return k.Model(inputs, k.layers.Dense(2)(x))


def keras_lookup_model():
    k = real_keras
    lookup = k.layers.StringLookup(output_mode="tf_idf")
    lookup.adapt(np.array([["a", "b"], ["a", "c"], ["b", "b"]]))
    return k.Sequential([k.Input((2,), dtype="string"), lookup, k.layers.Dense(2)])


def keras_integer_model():
    k = real_keras
    lookup = k.layers.IntegerLookup(output_mode="multi_hot", num_oov_indices=2)
    lookup.adapt(np.array([3, 3, 7, 9, 9, 9]))
    return k.Sequential([k.Input((2,), dtype="int64"), lookup, k.layers.Dense(2)])


CASES = [
    (keras_text_model, TEXTS),
    (keras_lookup_model, np.array([["a", "b"], ["c", "zz"], ["b", "b"]])),
    (keras_integer_model, np.array([[3, 9], [4, 7], [11, 12]])),
]


@pytest.mark.parametrize("build, x", CASES)
def test_keras_vocabularies_load_with_identical_outputs(tmp_path, build, x):
    original = build()
    original.save(tmp_path / "k.keras")
    model = layerfit.models.load_model(tmp_path / "k.keras")
    expected = keras_outputs(original, x)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=ATOL, rtol=1e-6)
    theirs = next(x for x in original.layers if hasattr(x, "get_vocabulary"))
    ours = next(x for x in model.layers if hasattr(x, "get_vocabulary"))
    assert ours.get_vocabulary() == [
        v.decode() if isinstance(v, bytes) else v for v in theirs.get_vocabulary()
    ]


@pytest.mark.parametrize("build, x", CASES)
def test_round_trip_keras_layerfit_keras_keeps_vocabularies(tmp_path, build, x):
    original = build()
    original.save(tmp_path / "k.keras")
    layerfit.models.load_model(tmp_path / "k.keras").save(tmp_path / "back.keras", format="keras")
    reloaded = real_keras.saving.load_model(tmp_path / "back.keras")
    np.testing.assert_allclose(
        keras_outputs(reloaded, x), keras_outputs(original, x), atol=ATOL, rtol=1e-6
    )


def test_a_layerfit_text_model_loads_in_keras(tmp_path):
    vectorize = layerfit.layers.TextVectorization(max_tokens=20, output_mode="tf_idf")
    vectorize.adapt(TEXTS[:3, 0])
    model = layerfit.Sequential(
        [layerfit.Input((1,), dtype="string"), vectorize, layerfit.layers.Dense(2)]
    )
    model.save(tmp_path / "m.keras", format="keras")
    theirs = real_keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        keras_outputs(theirs, TEXTS), model.predict(TEXTS, verbose=0), atol=ATOL, rtol=1e-6
    )
    again = layerfit.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        again.predict(TEXTS, verbose=0), model.predict(TEXTS, verbose=0), atol=0, rtol=0
    )
