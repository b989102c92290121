"""The optimizer state in Keras-format files layerfit writes (``optimizer/vars`` in
``model.weights.h5``): restored on load so training continues exactly; a damaged or foreign
state is warned about (or refused when unsafe), never guessed."""

from __future__ import annotations

import zipfile

import h5py
import numpy as np
import pytest

import layerfit
from layerfit.errors import LayerfitValueError, LayerfitWarning


def trained(optimizer="adam"):
    model = layerfit.Sequential(
        [
            layerfit.Input((6, 6, 2)),
            layerfit.layers.Conv2D(3, 3),
            layerfit.layers.Flatten(),
            layerfit.layers.Dense(2),
        ]
    )
    model.compile(optimizer, "mse")
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 6, 6, 2)).astype("float32"), rng.random((8, 2)).astype("float32")
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    return model, x, y


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop", "nadam", "adadelta"])
def test_training_continues_exactly_after_a_keras_format_round_trip(tmp_path, optimizer):
    model, x, y = trained(optimizer)
    model.save(tmp_path / "m.keras", format="keras")
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer.iterations == model.optimizer.iterations == 4
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-6)


def spoil_optimizer(tmp_path, change):
    model, _, _ = trained()
    model.save(tmp_path / "m.keras", format="keras")
    bad = tmp_path / "bad.keras"
    with zipfile.ZipFile(tmp_path / "m.keras") as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "model.weights.h5":
                (tmp_path / "w.h5").write_bytes(data)
                with h5py.File(tmp_path / "w.h5", "a") as file:
                    change(file["optimizer/vars"])
                data = (tmp_path / "w.h5").read_bytes()
            dst.writestr(name, data)
    return bad


def test_a_state_of_another_shape_is_warned_about_and_not_used(tmp_path):
    def reshape(group):
        del group["2"]
        group["2"] = np.zeros((1, 1, 1, 1), "float32")

    with pytest.warns(LayerfitWarning, match=r"not restored \(optimizer/vars/2 has shape"):
        model = layerfit.models.load_model(spoil_optimizer(tmp_path, reshape))
    assert model.optimizer.iterations == 0  # nothing was half-restored


def test_a_state_with_another_count_is_warned_about(tmp_path):
    def drop(group):
        del group[str(len(group) - 1)]

    with pytest.warns(LayerfitWarning, match="optimizer variables where Adam on this model has"):
        layerfit.models.load_model(spoil_optimizer(tmp_path, drop))


def test_a_state_that_is_not_numbers_is_refused(tmp_path):
    def strings(group):
        del group["3"]
        group["3"] = np.array([b"x"] * 3)

    with pytest.raises(LayerfitValueError, match="not a number type we read"):
        layerfit.models.load_model(spoil_optimizer(tmp_path, strings))


def test_a_link_in_the_optimizer_group_is_refused(tmp_path):
    def link(group):
        del group["3"]
        group["3"] = h5py.ExternalLink("/etc/passwd", "/x")

    with pytest.raises(LayerfitValueError, match="is a link"):
        layerfit.models.load_model(spoil_optimizer(tmp_path, link))
