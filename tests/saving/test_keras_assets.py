"""Vocabulary layers in Keras 3 ``.keras`` files: written to ``assets/`` as Keras does
(``save(format="keras")``), read back, and hostile ``assets/`` members refused."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import layerfit
from layerfit.errors import LayerfitValueError

TEXTS = np.array([["the cat sat"], ["the dog ran far"], ["a cat and a dog"], ["zebra cat"]])


def text_model():
    vectorize = layerfit.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(TEXTS[:3, 0])
    inputs = layerfit.Input((1,), dtype="string")
    x = layerfit.layers.Embedding(20, 3)(vectorize(inputs))
    x = layerfit.layers.GlobalAveragePooling1D()(x)
    return layerfit.Model(inputs, layerfit.layers.Dense(2)(x))


def lookup_model():
    lookup = layerfit.layers.StringLookup(output_mode="tf_idf")
    lookup.adapt(np.array([["a", "b"], ["a", "c"]]))
    return layerfit.Sequential([layerfit.Input((2,), dtype="string"), lookup])


def integer_model():
    lookup = layerfit.layers.IntegerLookup(output_mode="multi_hot")
    lookup.adapt(np.array([3, 3, 7, 9]))
    return layerfit.Sequential([layerfit.Input((2,), dtype="int64"), lookup])


@pytest.mark.parametrize(
    "build, x, member",
    [
        (text_model, TEXTS, "assets/layers/text_vectorization/vocabulary.txt"),
        (
            lookup_model,
            np.array([["a", "b"], ["c", "z"]]),
            "assets/layers/string_lookup/vocabulary.txt",
        ),
        (integer_model, np.array([[3, 9], [4, 7]]), "assets/layers/integer_lookup/vocabulary.txt"),
    ],
)
def test_vocabularies_travel_in_assets_as_keras_writes_them(tmp_path, build, x, member):
    model = build()
    model.save(tmp_path / "m.keras", format="keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert member in archive.namelist()
        config = json.loads(archive.read("config.json"))
    layers = config["config"]["layers"]
    vocabulary_layer = next(
        x for x in layers if x["class_name"].endswith(("Lookup", "Vectorization"))
    )
    assert vocabulary_layer["config"]["vocabulary"] is None  # as Keras writes adapted layers
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    old = next(x for x in model.layers if hasattr(x, "get_vocabulary"))
    new = next(x for x in loaded.layers if hasattr(x, "get_vocabulary"))
    assert new.get_vocabulary() == old.get_vocabulary()


def test_text_vectorization_writes_its_lookup_folder_too(tmp_path):
    text_model().save(tmp_path / "m.keras", format="keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        names = archive.namelist()
        inner = archive.read("assets/layers/text_vectorization/_lookup_layer/vocabulary.txt")
    # The bytes real Keras 3.15 writes for the same adapt (checked by hand against its file).
    assert inner == b"\n[UNK]\nthe\ndog\ncat\na\nsat\nran\nfar\nand"
    assert "assets/layers/text_vectorization/vocabulary.txt" in names


def test_a_vocabulary_lines_would_change_stays_in_the_config(tmp_path):
    lookup = layerfit.layers.StringLookup(vocabulary=["a\nb", "c"])
    model = layerfit.Sequential([layerfit.Input((1,), dtype="string"), lookup])
    model.save(tmp_path / "m.keras", format="keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert not [n for n in archive.namelist() if n.startswith("assets/")]
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[0].get_vocabulary() == ["[UNK]", "a\nb", "c"]


def rewrite(source, target, change):
    """A copy of a zip with members changed by ``change(name, data) -> [(name, data)]``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for name in src.namelist():
            for new_name, data in change(name, src.read(name)):
                dst.writestr(new_name, data)
    return target


@pytest.mark.parametrize(
    "bad",
    [
        "assets/../evil.txt",
        "assets/layers/../../x",
        "assets//etc/x",
        "assets/a\\..\\b",
        "assets/./x",
    ],
)
def test_asset_paths_that_could_leave_the_folder_are_refused(tmp_path, bad):
    text_model().save(tmp_path / "m.keras", format="keras")

    def add(name, data):
        return [(name, data)] + ([(bad, b"x")] if name == "config.json" else [])

    path = rewrite(tmp_path / "m.keras", tmp_path / "bad.keras", add)
    with pytest.raises(LayerfitValueError, match="could reach outside the assets folder"):
        layerfit.models.load_model(path)


def test_an_asset_no_layer_reads_is_refused(tmp_path):
    text_model().save(tmp_path / "m.keras", format="keras")

    def add(name, data):
        extra = [("assets/layers/dense/payload.py", b"print(1)")] if name == "config.json" else []
        return [(name, data)] + extra

    path = rewrite(tmp_path / "m.keras", tmp_path / "bad.keras", add)
    with pytest.raises(LayerfitValueError, match="which no layer of the model reads"):
        layerfit.models.load_model(path)


def test_a_non_integer_in_an_integer_vocabulary_is_our_error(tmp_path):
    integer_model().save(tmp_path / "m.keras", format="keras")

    def spoil(name, data):
        return [(name, b"-1\n3\nrm -rf\n" if name.endswith("vocabulary.txt") else data)]

    path = rewrite(tmp_path / "m.keras", tmp_path / "bad.keras", spoil)
    with pytest.raises(LayerfitValueError, match="holds 'rm -rf', not an integer"):
        layerfit.models.load_model(path)


def test_a_missing_vocabulary_file_is_our_error(tmp_path):
    text_model().save(tmp_path / "m.keras", format="keras")

    def drop(name, data):
        keep = not name.endswith("text_vectorization/vocabulary.txt")
        return [(name, data)] if keep else []

    path = rewrite(tmp_path / "m.keras", tmp_path / "bad.keras", drop)
    with pytest.raises(LayerfitValueError, match="has no vocabulary.txt for this layer"):
        layerfit.models.load_model(path)


def test_asset_sizes_are_checked_before_reading(tmp_path):
    text_model().save(tmp_path / "m.keras", format="keras")

    def grow(name, data):
        return [(name, data + b"\nx" * 50_000 if name.endswith("_layer/vocabulary.txt") else data)]

    path = rewrite(tmp_path / "m.keras", tmp_path / "big.keras", grow)
    h5_size = zipfile.ZipFile(path).getinfo("model.weights.h5").file_size
    with pytest.raises(LayerfitValueError, match="its assets"):
        layerfit.models.load_model(path, max_bytes=h5_size + 1000)


def test_a_hostile_idf_weights_dataset_is_refused(tmp_path):
    import h5py

    lookup_model().save(tmp_path / "m.keras", format="keras")

    def spoil(name, data):
        if name != "model.weights.h5":
            return [(name, data)]
        (tmp_path / "w.h5").write_bytes(data)
        with h5py.File(tmp_path / "w.h5", "a") as file:
            del file["layers/string_lookup/vars/idf_weights"]
            file["layers/string_lookup/vars/idf_weights"] = np.zeros((2, 2), "float32")
        return [(name, (tmp_path / "w.h5").read_bytes())]

    path = rewrite(tmp_path / "m.keras", tmp_path / "bad.keras", spoil)
    with pytest.raises(LayerfitValueError, match="cannot be read safely"):
        layerfit.models.load_model(path)
