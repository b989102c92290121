"""CLAHE and MaxNumBoundingBoxes without Keras: hand cases, configs, errors
(Keras itself: test_clahe_keras.py)."""

import numpy as np
import pytest
import torch

from layerfit import layers
from layerfit.errors import LayerfitValueError

CLAHE = layers.ContrastLimitedAdaptiveHistogramEqualization


def test_one_tile_without_clip_is_plain_histogram_equalization():
    # One tile, no clip: the output is 255 * (cdf(v) - cdf_min) / (count - cdf_min).
    image = torch.tensor([10.0, 10.0, 20.0, 30.0]).view(1, 2, 2, 1)
    out = CLAHE(clip_limit=0, tile_grid_size=(1, 1))(image).flatten().tolist()
    # cdf: 10 -> 2, 20 -> 3, 30 -> 4; Keras's cdf_min is over all 256 bins, so 0 here.
    assert out == pytest.approx([127.5, 127.5, 191.25, 255.0])


def test_same_in_training_and_inference_and_config_round_trip():
    images = torch.rand(2, 16, 16, 3) * 255
    layer = CLAHE(clip_limit=2.0, tile_grid_size=(4, 4))
    assert torch.equal(layer(images, training=True), layer(images, training=False))
    clone = CLAHE.from_config(layer.get_config())
    assert torch.equal(clone(images), layer(images))
    assert layer.compute_output_shape((None, 16, 16, 3)) == (None, 16, 16, 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"tile_grid_size": (8,)}, "tile_grid_size"),
        ({"tile_grid_size": (0, 2)}, "tile_grid_size"),
        ({"clip_limit": "high"}, "clip_limit"),
        ({"value_range": (1, 0)}, "value_range"),
    ],
)
def test_clahe_bad_arguments(kwargs, match):
    with pytest.raises(LayerfitValueError, match=match):
        CLAHE(**kwargs)


def test_max_num_bounding_boxes_pads_truncates_and_passes_images():
    layer = layers.MaxNumBoundingBoxes(2, bounding_box_format="xyxy")
    images = torch.zeros(1, 4, 4, 3)
    assert layer(images) is images
    data = {
        "images": images,
        "bounding_boxes": {"boxes": torch.arange(12.0).view(1, 3, 4), "labels": [[4, 5, 6]]},
    }
    out = layer(data)
    assert out["bounding_boxes"]["labels"].tolist() == [[4, 5]]
    assert out["bounding_boxes"]["boxes"].shape == (1, 2, 4)
    shape = {"images": (None, 4, 4, 3), "bounding_boxes": {"boxes": (None, 7, 4),
                                                           "labels": (None, 7)}}  # fmt: skip
    assert layer.compute_output_shape(shape)["bounding_boxes"] == {
        "boxes": (None, 2, 4), "labels": (None, 2)
    }  # fmt: skip
    clone = layers.MaxNumBoundingBoxes.from_config(layer.get_config())
    assert (clone.max_number, clone.bounding_box_format) == (2, "xyxy")


def test_max_num_bounding_boxes_errors():
    boxes = {"boxes": np.zeros((1, 1, 4)), "labels": np.zeros((1, 1))}
    with pytest.raises(LayerfitValueError, match="bounding_box_format"):
        layers.MaxNumBoundingBoxes(2)({"images": torch.zeros(1, 4, 4, 3), "bounding_boxes": boxes})
    with pytest.raises(LayerfitValueError, match="keys"):
        layers.MaxNumBoundingBoxes(2, bounding_box_format="xyxy")(
            {"images": torch.zeros(1, 4, 4, 3),
             "bounding_boxes": {**boxes, "scores": np.zeros((1, 1))}}
        )  # fmt: skip
    with pytest.raises(LayerfitValueError, match="max_number"):
        layers.MaxNumBoundingBoxes(0)
    with pytest.raises(LayerfitValueError, match="fill_value"):
        layers.MaxNumBoundingBoxes(3, fill_value="none")
