"""load_img, img_to_array, array_to_img, save_img and smart_resize against Keras's."""

import builtins
import io
import os

import numpy as np
import pytest

import layerfit as keras
from layerfit.preprocessing import image as preprocessing_image
from layerfit.utils import array_to_img, img_to_array, load_img, save_img, smart_resize

Image = pytest.importorskip("PIL.Image")


def _keras_image_utils():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    pytest.importorskip("jax")
    return pytest.importorskip("keras.src.utils.image_utils")


@pytest.fixture
def photo(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, size=(30, 50, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    Image.fromarray(pixels).save(path)
    return path, pixels


def test_load_img_and_img_to_array(photo):
    path, pixels = photo
    array = img_to_array(load_img(path))
    assert array.shape == (30, 50, 3) and array.dtype == np.float32
    np.testing.assert_array_equal(array, pixels)
    gray = img_to_array(load_img(str(path), color_mode="grayscale"))
    assert gray.shape == (30, 50, 1)
    assert img_to_array(load_img(path, color_mode="rgba")).shape == (30, 50, 4)
    assert img_to_array(load_img(path), data_format="channels_first").shape == (3, 30, 50)
    with open(path, "rb") as file:
        assert load_img(io.BytesIO(file.read())).size == (50, 30)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos"])
@pytest.mark.parametrize("keep_aspect_ratio", [False, True])
def test_load_img_resizes_as_keras(photo, interpolation, keep_aspect_ratio):
    image_utils = _keras_image_utils()
    path, _ = photo
    ours = load_img(
        path, target_size=(20, 20), interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio
    )
    theirs = image_utils.load_img(
        path, target_size=(20, 20), interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio
    )
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))  # the same Pillow call


def test_array_to_img_and_save_img_round_trip(tmp_path):
    x = np.linspace(0, 1, 4 * 5 * 3, dtype="float32").reshape(4, 5, 3)
    image = array_to_img(x)
    assert image.mode == "RGB" and image.size == (5, 4)
    np.testing.assert_array_equal(np.asarray(image), (x * 255).astype("uint8"))  # scaled
    unscaled = array_to_img(np.full((2, 2, 1), 7.0), scale=False)
    assert unscaled.mode == "L" and np.asarray(unscaled).max() == 7
    save_img(tmp_path / "out.png", x * 255, scale=False)
    np.testing.assert_array_equal(
        img_to_array(load_img(tmp_path / "out.png")), (x * 255).astype("uint8")
    )
    with pytest.warns(keras.errors.LayerfitWarning, match="JPEG has no alpha"):
        save_img(tmp_path / "out.jpg", np.zeros((3, 3, 4)))
    assert load_img(tmp_path / "out.jpg").size == (3, 3)


def test_smart_resize_matches_keras():
    image_utils = _keras_image_utils()
    x = np.random.default_rng(1).uniform(0, 255, size=(2, 30, 50, 3)).astype("float32")
    for size in ((20, 20), (10, 40)):
        ours = smart_resize(x, size)
        theirs = np.asarray(image_utils.smart_resize(x, size))
        np.testing.assert_allclose(ours, theirs, atol=1e-3)  # float32 rounding
        assert smart_resize(x[0], size).shape == (*size, 3)


def test_preprocessing_image_has_the_same_functions():
    assert preprocessing_image.load_img is load_img
    assert preprocessing_image.smart_resize is smart_resize


def test_errors_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(ValueError, match=r"missing\.png[\s\S]*Fix"):
        load_img(tmp_path / "missing.png")
    (tmp_path / "fake.png").write_text("hello")
    with pytest.raises(ValueError, match=r"fake\.png"):
        load_img(tmp_path / "fake.png")
    with pytest.raises(TypeError, match="path is a int"):
        load_img(3)
    with pytest.raises(ValueError, match="color_mode='cmyk'"):
        load_img(tmp_path / "fake.png", color_mode="cmyk")
    with pytest.raises(ValueError, match="shape"):
        array_to_img(np.zeros((1, 2, 2, 3)))
    with pytest.raises(ValueError, match="2 channels"):
        array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="interpolation='mitchellcubic'"):
        smart_resize(np.zeros((4, 4, 3)), (2, 2), interpolation="mitchellcubic")


def test_missing_pillow_says_how_to_install(monkeypatch, photo):
    real_import = builtins.__import__

    def no_pillow(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pillow)
    with pytest.raises(ImportError, match=r'pip install "layerfit\[image\]"'):
        load_img(photo[0])
