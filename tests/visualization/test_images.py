"""show_images: every accepted layout shows the same pixels; wrong predictions are marked."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.visualization import show_images
from layerfit.visualization._images import to_images

NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


@pytest.fixture
def gray():
    return np.random.default_rng(0).integers(0, 256, size=(12, 28, 28)).astype(np.uint8)


def shown(figure):
    """The axes that hold an image, in grid order."""
    return [axis for axis in figure.axes if axis.images]


@pytest.mark.parametrize(
    "layout",
    [
        lambda x: x,  # (N, 28, 28)
        lambda x: x[..., None],  # (N, 28, 28, 1)
        lambda x: x.reshape(len(x), 784),  # flattened, reshaped back
        lambda x: x[:, None],  # channels first (N, 1, 28, 28)
        lambda x: torch.from_numpy(x.astype(np.float32)),  # a tensor
        lambda x: x.tolist(),  # nested lists
    ],
)
def test_gray_layouts_become_the_same_images(gray, layout):
    np.testing.assert_array_equal(to_images(layout(gray)), gray.astype(float))


def test_color_layouts_become_channels_last():
    rgb = np.random.default_rng(1).random((4, 32, 32, 3))
    np.testing.assert_array_equal(to_images(rgb), rgb)
    np.testing.assert_array_equal(to_images(np.moveaxis(rgb, -1, 1)), rgb)
    np.testing.assert_array_equal(to_images(rgb.reshape(4, 32 * 32 * 3)), rgb)


def test_the_grid_shows_the_first_n_images_with_their_pixels(gray):
    figure = show_images(gray, n=5)
    axes = shown(figure)
    assert len(axes) == 5
    for index, axis in enumerate(axes):
        np.testing.assert_array_equal(axis.images[0].get_array(), gray[index])
        assert axis.images[0].get_clim() == (0.0, 255.0)  # byte images keep their scale


def test_n_beyond_the_data_shows_all_and_twelve_wrap_to_two_rows(gray):
    figure = show_images(gray, n=50)
    axes = shown(figure)
    assert len(axes) == 12
    rows = {round(axis.get_position().y0, 3) for axis in axes}
    assert len(rows) == 2  # ten per row


def test_scaled_and_standardized_images_keep_a_common_scale(gray):
    scaled = show_images(gray / 255.0, n=3)
    assert shown(scaled)[0].images[0].get_clim() == (0.0, 1.0)
    standardized = (gray - gray.mean()) / gray.std()
    axis = shown(show_images(standardized, n=3))[0]
    low, high = axis.images[0].get_clim()
    np.testing.assert_allclose([low, high], [standardized[:3].min(), standardized[:3].max()])


def test_titles_use_the_class_names(gray):
    labels = np.arange(12) % 10
    figure = show_images(gray, labels, class_names=NAMES, n=4)
    assert [a.get_title() for a in shown(figure)] == NAMES[:4]
    one_hot = np.eye(10)[labels]
    figure = show_images(gray, one_hot, n=3)
    assert [a.get_title() for a in shown(figure)] == ["0", "1", "2"]


def test_wrong_predictions_are_marked_and_counted(gray):
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    predicted = labels.copy()
    predicted[[1, 4]] = [7, 0]  # two wrong
    probabilities = np.eye(10)[predicted] * 0.9 + 0.01
    figure = show_images(gray, labels, class_names=NAMES, predictions=probabilities, n=6)
    axes = shown(figure)
    assert [a.get_gid() for a in axes] == ["right", "wrong", "right", "right", "wrong", "right"]
    assert axes[1].get_title() == "Sneaker\n(true: Trouser)"
    assert axes[0].get_title() == "T-shirt/top"
    assert axes[1].title.get_color() != axes[0].title.get_color()
    assert all(spine.get_linewidth() > 2 for spine in axes[1].spines.values())
    assert figure._suptitle.get_text() == "2 of 6 predictions wrong"


def test_predictions_without_labels_are_titles(gray):
    figure = show_images(gray, predictions=np.arange(12) % 3, n=3)
    assert [a.get_title() for a in shown(figure)] == ["0", "1", "2"]
    assert all(a.get_gid() is None for a in shown(figure))


def test_save_writes_a_png(tmp_path, gray, assert_drawn):
    show_images(gray, np.arange(12) % 10, class_names=NAMES, save=tmp_path / "grid.png")
    assert_drawn(tmp_path / "grid.png")


def test_a_single_image_gets_the_fix():
    with pytest.raises(LayerfitValueError) as error:
        show_images(np.zeros((28, 28)))
    assert "length 28" in str(error.value) and "x[None]" in str(error.value)


def test_a_shape_that_is_no_image_is_refused():
    with pytest.raises(LayerfitValueError) as error:
        show_images(np.zeros((2, 5, 28, 28)))
    assert "(2, 5, 28, 28)" in str(error.value) and "(N, H, W)" in str(error.value)


def test_labels_that_do_not_match_the_images_are_refused(gray):
    with pytest.raises(LayerfitValueError) as error:
        show_images(gray, np.arange(5))
    assert "12 images but 5 y" in str(error.value) and "x_test with y_test" in str(error.value)


def test_too_few_class_names_are_refused(gray):
    with pytest.raises(LayerfitValueError) as error:
        show_images(gray, np.full(12, 9), class_names=["a", "b"])
    assert "Label 9" in str(error.value) and "class_names" in str(error.value)


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_n_must_be_a_positive_whole_number(gray, n):
    with pytest.raises(LayerfitTypeError, match="n=10"):
        show_images(gray, n=n)


def test_empty_x_is_refused():
    with pytest.raises(LayerfitValueError, match="no images"):
        show_images(np.zeros((0, 28, 28)))
