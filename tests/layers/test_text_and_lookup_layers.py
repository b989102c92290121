"""TextVectorization, StringLookup, IntegerLookup: Keras's documented outputs and rules.

Keras runs these layers only on TensorFlow (not installed here), so the expected values are
the ones Keras's docstrings print, and hand-countable vocabularies.
"""

import json
import math

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.layers import IntegerLookup, StringLookup, TextVectorization

VOCAB = ["a", "b", "c", "d"]
DATA = np.array([["a", "c", "d", "d"], ["d", "z", "b", "z"]])


def test_string_lookup_int_and_invert_as_keras_docs():
    layer = StringLookup(vocabulary=VOCAB)
    assert layer(np.array([["a", "c", "d"], ["d", "z", "b"]])).tolist() == [[1, 3, 4], [4, 0, 2]]
    inverse = StringLookup(vocabulary=VOCAB, invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [
        ["a", "c", "d"],
        ["d", "[UNK]", "b"],
    ]
    masked = StringLookup(vocabulary=VOCAB, mask_token="")
    assert masked(np.array([["a", "c", ""], ["", "z", "b"]])).tolist() == [[2, 4, 0], [0, 1, 3]]
    assert masked.get_vocabulary() == ["", "[UNK]", *VOCAB]
    assert layer(np.array([b"a", b"d"])).tolist() == [1, 4]  # bytes, as tf.string gives


def test_string_lookup_adapt_orders_by_count_then_token_descending():
    layer = StringLookup()
    layer.adapt(np.array([["d", "z", "b"], ["a", "c", "d"]]))
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]  # Keras's docstring
    assert layer.vocabulary_size() == 6
    capped = StringLookup(max_tokens=3)
    capped.adapt(["x", "y", "y", "z", "z", "z"])
    assert capped.get_vocabulary() == ["[UNK]", "z", "y"]
    assert capped.get_vocabulary(include_special_tokens=False) == ["z", "y"]


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("multi_hot", [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]),
        ("count", [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]),
        ("tf_idf", [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]]),
    ],
)
def test_string_lookup_encodings_as_keras_docs(mode, expected):
    weights = [0.25, 0.75, 0.6, 0.4] if mode == "tf_idf" else None
    layer = StringLookup(vocabulary=VOCAB, output_mode=mode, idf_weights=weights)
    np.testing.assert_allclose(layer(DATA).numpy(), expected, atol=1e-6)
    padded = StringLookup(
        vocabulary=VOCAB,
        output_mode=mode,
        idf_weights=weights,
        max_tokens=8,
        pad_to_max_tokens=True,
    )
    assert padded(DATA).shape == (2, 8)


def test_one_hot_and_zero_oov_indices():
    one_hot = StringLookup(vocabulary=VOCAB, output_mode="one_hot")(np.array(["a", "z"]))
    assert one_hot.tolist() == [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]]
    strict = StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    assert strict(["a", "d"]).tolist() == [0, 3]
    with pytest.raises(ValueError, match=r"'z' is not in the vocabulary[\s\S]*num_oov_indices=1"):
        strict(["z"])


def test_integer_lookup_as_keras_docs():
    vocab = [12, 36, 1138, 42]
    layer = IntegerLookup(vocabulary=vocab)
    assert layer(np.array([[12, 1138, 42], [42, 1000, 36]])).tolist() == [[1, 3, 4], [4, 0, 2]]
    two_oov = IntegerLookup(vocabulary=vocab, num_oov_indices=2)
    assert two_oov(np.array([[12, 1138, 42], [37, 1000, 36]])).tolist() == [[2, 4, 5], [1, 0, 3]]
    adapted = IntegerLookup()
    adapted.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    inverse = IntegerLookup(vocabulary=vocab, invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [[12, 1138, 42], [42, -1, 36]]
    assert layer(torch.tensor([42, 7])).tolist() == [4, 0]


def test_text_vectorization_int_output():
    layer = TextVectorization(output_sequence_length=4)
    layer.adapt(["the cat sat", "the dog"])
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "sat", "dog", "cat"]
    out = layer(["The cat ran!", "dog"])
    assert out.dtype == torch.int64 and out.tolist() == [[2, 5, 1, 0], [4, 0, 0, 0]]
    assert layer(np.array([["the dog sat the cat"]])).tolist() == [[2, 4, 3, 2]]  # cut to 4
    ragged = TextVectorization(vocabulary=["the", "cat"])
    assert ragged(["the cat", "cat"]).tolist() == [[2, 3], [3, 0]]  # padded to the longest


def test_text_vectorization_docstring_example():
    # Keras's docstring: vocab ["earth", "wind", "and", "fire"], output_sequence_length=4.
    layer = TextVectorization(vocabulary=["earth", "wind", "and", "fire"], output_sequence_length=4)
    assert layer([["earth wind and also fire"]]).tolist() == [[2, 3, 4, 1]]
    multi = TextVectorization(vocabulary=["earth", "wind", "and", "fire"], output_mode="multi_hot")
    assert multi(["earth wind and also fire"]).tolist() == [[1, 1, 1, 1, 1]]


def test_standardize_split_and_ngrams():
    def shout(texts):
        return np.char.upper(texts)

    layer = TextVectorization(standardize=shout, split="character")
    layer.adapt(["ab", "b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "A"]
    bigrams = TextVectorization(ngrams=2, standardize=None, split=lambda s: s.split("-"))
    bigrams.adapt(["x-y-z"])
    assert sorted(bigrams.get_vocabulary()[2:]) == ["x", "x y", "y", "y z", "z"]
    assert TextVectorization(standardize="lower", vocabulary=["a.b"])(["A.B"]).tolist() == [[2]]
    stripped = TextVectorization(standardize="strip_punctuation", vocabulary=["Hi"])
    assert stripped(["Hi!!"]).tolist() == [[2]]


def test_tf_idf_weights_from_adapt():
    layer = TextVectorization(output_mode="tf_idf")
    docs = ["a a b", "a c", "c"]
    layer.adapt(docs)
    vocab = layer.get_vocabulary()  # no mask token outside int mode
    assert vocab[0] == "[UNK]" and sorted(vocab[1:]) == ["a", "b", "c"]
    document_counts = {"a": 2, "b": 1, "c": 2}
    idf = {t: math.log(1 + 3 / (1 + n)) for t, n in document_counts.items()}
    out = layer(["a a b"]).numpy()[0]
    assert out[vocab.index("a")] == pytest.approx(2 * idf["a"], rel=1e-6)
    assert out[vocab.index("b")] == pytest.approx(idf["b"], rel=1e-6)
    assert out[vocab.index("c")] == 0
    assert out[0] == 0  # no unknown words


def test_adapt_on_a_dataset_and_vectorize_inside_map(tmp_path):
    ds = keras.data.Dataset.from_tensor_slices(
        (np.array(["good movie", "bad movie", "good good"]), np.array([1, 0, 1]))
    ).batch(2)
    layer = TextVectorization(max_tokens=10, output_mode="multi_hot")
    with pytest.raises(ValueError, match=r"\(x, y\) pairs[\s\S]*map\(lambda x, y: x\)"):
        layer.adapt(ds)
    layer.adapt(ds.map(lambda x, y: x))
    assert layer.get_vocabulary() == ["[UNK]", "good", "movie", "bad"]
    vectorized = ds.map(lambda x, y: (layer(x), y))
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    history = model.fit(vectorized, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_config_round_trip_keeps_the_vocabulary():
    layer = TextVectorization(output_mode="tf_idf", ngrams=2)
    layer.adapt(["the cat sat", "the dog sat down"])
    copy = keras.layers.deserialize(keras.layers.serialize(layer))
    assert copy.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_allclose(copy(["the cat"]).numpy(), layer(["the cat"]).numpy(), atol=1e-6)
    lookup = StringLookup(vocabulary=VOCAB, output_mode="count")
    assert StringLookup.from_config(lookup.get_config())(DATA).tolist() == lookup(DATA).tolist()
    with pytest.raises(ValueError, match=r"cannot be written to a config[\s\S]*get_vocabulary"):
        TextVectorization(standardize=str.upper).get_config()


def test_integer_lookup_model_saves_and_loads(tmp_path):
    lookup = IntegerLookup(vocabulary=[3, 5, 7], output_mode="multi_hot")
    model = keras.Sequential([keras.Input((2,), dtype="int64"), lookup, keras.layers.Dense(1)])
    x = np.array([[3, 7], [5, 9]])
    before = model.predict(x, verbose=0)
    model.save(tmp_path / "lookup.keras")
    loaded = keras.models.load_model(tmp_path / "lookup.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), before, atol=1e-6)
    assert loaded.layers[0].get_vocabulary() == [-1, 3, 5, 7]


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: StringLookup(output_mode="bag"), "Unknown output_mode 'bag'"),
        (lambda: StringLookup(sparse=True), "sparse=True"),
        (lambda: StringLookup(invert=True, output_mode="count"), "invert=True only"),
        (lambda: StringLookup(vocabulary=["a", "a"]), "repeats"),
        (lambda: StringLookup(vocabulary=["a", "b"], max_tokens=2), "exceeds max_tokens"),
        (lambda: StringLookup(vocabulary=["a"], output_mode="tf_idf"), "no idf_weights"),
        (lambda: StringLookup(pad_to_max_tokens=True), "without max_tokens"),
        (lambda: TextVectorization(split="comma"), "split='comma'"),
        (lambda: TextVectorization(standardize="upper"), "standardize='upper'"),
        (lambda: TextVectorization(output_mode="one_hot"), "output_mode='one_hot'"),
        (lambda: TextVectorization(output_mode="count", output_sequence_length=3), "only with"),
        (lambda: TextVectorization(ngrams=0), "ngrams=0"),
        (lambda: TextVectorization(ragged=True), "dense tensors only"),
        (lambda: TextVectorization()(np.zeros((2, 2))), "batch of strings"),
    ],
)
def test_bad_arguments_explain_the_fix(make, match):
    with pytest.raises(ValueError, match=match) as info:
        make()
    assert "Expected:" in str(info.value)


# -- Hashing (FarmHash Fingerprint64, as TensorFlow) -------------------------------------------


@pytest.mark.parametrize(
    "expected, text",
    [  # published Fingerprint64 test vectors, one per code path (0-16, 17-32, 33-64, >64 bytes)
        (0x9AE16A3B2F90404F, ""),
        (0xC22F4663E54E04D4, "abcde"),
        (0xAD052244B781C4EB, "0123456789"),
        (0x46A7416ED4861E3B, "0123456789=012345"),
        (0xDEBCBA8E6F3EABD1, "0123456789^0123456789"),
        (0xE8F89AB6DF9BDD25, "Discard medicine more than two years old."),
        (0x55182F8859ECA4CE, "For every action there is an equal and opposite government program."),
    ],
)
def test_fingerprint64_test_vectors(expected, text):
    from layerfit.layers._farmhash import fingerprint64

    assert fingerprint64(text.encode()) == expected


def test_hashing_buckets_as_keras_tests():
    words = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]
    assert keras.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).tolist() == [
        [1], [0], [1], [1], [2]
    ]  # fmt: skip
    assert keras.layers.Hashing(num_bins=2)(words).tolist() == [[0], [0], [1], [0], [0]]
    masked = keras.layers.Hashing(num_bins=3, mask_value="")
    assert masked(np.array(words)).tolist() == [[1], [1], [2], [1], [1]]
    omar = keras.layers.Hashing(num_bins=3, mask_value="omar")
    assert omar(words).tolist() == [[0], [1], [2], [1], [1]]
    integers = keras.layers.Hashing(num_bins=3)(np.array([[0], [1], [2], [3], [4]]))
    assert integers.tolist() == [[1], [0], [1], [0], [2]]
    counts = keras.layers.Hashing(num_bins=3, output_mode="count")(np.array([["A", "B", "C"]]))
    assert counts.tolist() == [[1, 2, 0]]
    with pytest.raises(ValueError, match=r"Hashing got salt='key'[\s\S]*pair of integers"):
        keras.layers.Hashing(num_bins=3, salt="key")
    with pytest.raises(ValueError, match=r"sparse=True[\s\S]*dense"):
        keras.layers.Hashing(num_bins=3, sparse=True)
    with pytest.raises(ValueError, match="float inputs"):
        keras.layers.Hashing(num_bins=3)(np.array([0.5]))


def test_salted_hashing_is_keras_siphash():
    from layerfit.layers._siphash import siphash24

    # The SipHash paper's reference vectors: key 00..0f, messages 00, 00 01, ... (lengths 0, 15).
    key = (int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(8, 16)), "little"))
    assert siphash24(*key, b"") == 0x726FDB47DD0E0E31
    assert siphash24(*key, bytes(range(15))) == 0xA129CA6149BE45E5
    # Keras's hashing_test.py expectations (TensorFlow's to_hash_bucket_strong).
    letters = [["A"], ["B"], ["C"], ["D"], ["E"]]
    words = np.asarray([["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]])
    salted = keras.layers.Hashing(num_bins=3, salt=[133, 137])
    assert salted(letters).tolist() == [[1], [2], [1], [0], [2]]
    assert keras.layers.Hashing(num_bins=3, salt=133)(letters).tolist() == [[0], [0], [2], [1], [0]]
    assert keras.layers.Hashing(2, salt=[133, 137])(words).tolist() == [[0], [1], [0], [1], [0]]
    assert keras.layers.Hashing(2, salt=[211, 137])(words).tolist() == [[1], [0], [1], [0], [1]]
    integers = salted(np.asarray([[0], [1], [2], [3], [4]]))
    assert integers.tolist() == [[1], [1], [2], [0], [1]]
    again = keras.layers.Hashing.from_config(salted.get_config())
    assert again(letters).tolist() == [[1], [2], [1], [0], [2]]


def test_string_lookup_spreads_unknown_words_over_oov_indices():
    layer = StringLookup(vocabulary=["a", "b"], num_oov_indices=3)
    from layerfit.layers._farmhash import fingerprint64

    out = layer(["a", "x", "yy", "b"]).tolist()
    assert out[0] == 3 and out[3] == 4
    assert out[1:3] == [fingerprint64(b"x") % 3, fingerprint64(b"yy") % 3]


def test_string_layers_round_trip_through_json():
    from layerfit.saving import deserialize_keras_object, serialize_keras_object

    words = np.array([["omar", "wire"], ["a", "stringer"]])
    for layer in (
        keras.layers.Hashing(num_bins=5, mask_value="a", output_mode="multi_hot"),
        StringLookup(vocabulary=VOCAB, num_oov_indices=2, mask_token="", output_mode="count"),
        TextVectorization(max_tokens=6, ngrams=(1, 2), vocabulary=["omar", "wire", "omar wire"]),
    ):
        entry = json.loads(json.dumps(serialize_keras_object(layer)))
        clone = deserialize_keras_object(entry)
        assert type(clone) is type(layer)
        assert json.dumps(clone.get_config()) == json.dumps(layer.get_config())
        inputs = words[:, 0] if isinstance(layer, TextVectorization) else words
        assert torch.equal(clone(inputs), layer(inputs))
