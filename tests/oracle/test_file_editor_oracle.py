"""keras.saving.KerasFileEditor against Keras 3.15's: the same weights_dict, metadata and
config for the same files, and edits saved that Keras loads."""

from __future__ import annotations

import keras as real_keras
import numpy as np
import pytest

import layerfit
from layerfit.errors import LayerfitValueError


def keras_model():
    k = real_keras
    return k.Sequential(
        [k.Input((4,)), k.layers.Dense(3), k.layers.BatchNormalization(), k.layers.Dense(2)]
    )


def assert_same_tree(ours, theirs):
    assert list(ours) == list(theirs)
    for key in ours:
        if isinstance(theirs[key], dict):
            assert_same_tree(ours[key], theirs[key])
        else:
            np.testing.assert_array_equal(ours[key], np.asarray(theirs[key]))


@pytest.mark.parametrize("name", ["k.keras", "k.weights.h5"])
def test_the_editor_reads_what_keras_reads(tmp_path, name):
    model = keras_model()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 4)), np.ones((4, 2)), verbose=0)
    path = str(tmp_path / name)
    model.save(path) if name.endswith(".keras") else model.save_weights(path)
    ours = layerfit.saving.KerasFileEditor(path)
    theirs = real_keras.saving.KerasFileEditor(path)
    assert_same_tree(ours.weights_dict, theirs.weights_dict)
    assert ours.config == theirs.config and ours.metadata == theirs.metadata
    assert sorted(ours.object_metadata) == sorted(theirs.object_metadata)


def test_edits_saved_load_in_keras(tmp_path, capsys):
    model = keras_model()
    model.save(tmp_path / "k.keras")
    editor = layerfit.saving.KerasFileEditor(tmp_path / "k.keras")
    editor.summary()
    printed = capsys.readouterr().out
    assert "Saved with Keras 3." in printed and "0: shape=(4, 3), dtype=float32" in printed
    editor.delete_object("layers/dense_1")
    editor.add_object("layers/dense_1", {"0": np.full((3, 2), 0.5, "float32")})
    editor.add_weights("dense_1", {"1": np.full((2,), 0.25, "float32")})
    editor.rename_object("batch_normalization", "batch_normalization")
    editor.save(tmp_path / "edited.weights.h5")
    fresh = keras_model()
    fresh.load_weights(tmp_path / "edited.weights.h5")
    np.testing.assert_array_equal(np.asarray(fresh.layers[-1].kernel), np.full((3, 2), 0.5))
    np.testing.assert_array_equal(np.asarray(fresh.layers[-1].bias), np.full((2,), 0.25))
    np.testing.assert_array_equal(
        np.asarray(fresh.layers[0].kernel), np.asarray(model.layers[0].kernel)
    )


def test_bad_uses_are_our_errors(tmp_path):
    model = keras_model()
    model.save(tmp_path / "k.keras")
    editor = layerfit.saving.KerasFileEditor(tmp_path / "k.keras")
    with pytest.raises(LayerfitValueError, match="'layers/nothing' is not in the file"):
        editor.delete_object("layers/nothing")
    with pytest.raises(LayerfitValueError, match="Weight '7' not found"):
        editor.delete_weight("dense", "7")
    with pytest.raises(LayerfitValueError, match="a leaf name"):
        editor.rename_object("dense", "layers/x")
    with pytest.raises(LayerfitValueError, match="a dict of weight names"):
        editor.add_weights("dense", [1, 2])
    with pytest.raises(LayerfitValueError, match="a path ending in .weights.h5"):
        editor.save(tmp_path / "x.keras")
    (tmp_path / "k.keras.bak").write_bytes((tmp_path / "k.keras").read_bytes())
    with pytest.raises(LayerfitValueError, match="a path ending in .keras or .weights.h5"):
        layerfit.saving.KerasFileEditor(tmp_path / "k.keras.bak")


def test_hostile_files_are_refused(tmp_path):
    import h5py

    keras_model().save_weights(tmp_path / "k.weights.h5")
    with h5py.File(tmp_path / "k.weights.h5", "a") as file:
        file["layers/dense/vars/2"] = h5py.ExternalLink("/etc/passwd", "/x")
    with pytest.raises(LayerfitValueError, match="is a link"):
        layerfit.saving.KerasFileEditor(tmp_path / "k.weights.h5")
