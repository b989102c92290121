"""RandomShear, RandomPerspective, RandomElasticTransform without Keras: inference is the
identity, seeds repeat, draws have Keras's ranges and probabilities, errors are ours
(Keras itself: test_geometric_augment_keras.py)."""

import numpy as np
import pytest
import torch

from layerfit import layers
from layerfit.errors import LayerfitValueError

IMAGES = torch.rand(4, 12, 10, 3) * 255

MAKERS = {
    "shear": lambda seed: layers.RandomShear(0.3, 0.3, seed=seed),
    "perspective": lambda seed: layers.RandomPerspective(scale=0.5, seed=seed),
    "elastic": lambda seed: layers.RandomElasticTransform(seed=seed),
}


@pytest.mark.parametrize("name", MAKERS)
def test_identity_in_inference_seeded_in_training(name):
    layer = MAKERS[name](3)
    assert torch.equal(layer(IMAGES, training=False), IMAGES)
    first = layer(IMAGES, training=True)
    again = MAKERS[name](3)(IMAGES, training=True)
    assert torch.equal(first, again)
    assert not torch.equal(first, IMAGES)
    assert first.shape == IMAGES.shape and first.dtype == torch.float32
    one = MAKERS[name](3)(IMAGES[0], training=True)  # one image (H, W, C)
    assert one.shape == IMAGES[0].shape
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_channels_first_equals_channels_last():
    last = layers.RandomShear(0.3, 0.2, seed=5)(IMAGES, training=True)
    first = layers.RandomShear(0.3, 0.2, seed=5, data_format="channels_first")(
        IMAGES.permute(0, 3, 1, 2), training=True
    )
    torch.testing.assert_close(first.permute(0, 2, 3, 1), last)


def test_shear_draws_are_in_range_with_random_sign():
    layer = layers.RandomShear((0.2, 0.4), 0.0, seed=0)
    shear = layer._draw(4000)["shear_factor"]
    magnitude = shear[:, 0].abs()
    assert magnitude.min() >= 0.2 and magnitude.max() <= 0.4
    # Sign flips with probability 0.5: 4000 draws, 5 standard errors (0.04).
    assert abs((shear[:, 0] < 0).float().mean().item() - 0.5) < 0.04
    assert torch.all(shear[:, 1] == 0)


def test_shear_by_hand():
    # x_in = x + s_x * y: with s_x = 1 the row y reads the pixels y to the right.
    image = torch.arange(25.0).view(1, 1, 5, 5)
    layer = layers.RandomShear(1.0, fill_mode="constant", interpolation="nearest")
    out = layer._apply(image, {"shear_factor": torch.tensor([[1.0, 0.0]])})
    expected = torch.tensor([[0, 1, 2, 3, 4], [6, 7, 8, 9, 0], [12, 13, 14, 0, 0],
                             [18, 19, 0, 0, 0], [24, 0, 0, 0, 0]], dtype=torch.float32)  # fmt: skip
    torch.testing.assert_close(out[0, 0], expected)


def test_perspective_probability_and_fixed_corner():
    layer = layers.RandomPerspective(factor=(0.5, 0.5), scale=0.4, seed=0)
    params = layer._draw(4000, 12, 10)
    assert abs(params["apply_perspective"].float().mean().item() - 0.5) < 0.04
    moves = params["end_points"] - params["start_points"]
    assert torch.all(moves[:, 0] == 0)  # the top-left corner (0, 0) never moves, as in Keras
    relative = moves[:, 3] / params["start_points"][:, 3]
    assert relative.abs().max() <= 0.2 + 1e-6
    # Identity corners -> the image itself.
    same = {**params, "end_points": params["start_points"]}
    images = IMAGES.permute(0, 3, 1, 2)
    out = layer._apply(images, {k: v[:4] for k, v in same.items()})
    torch.testing.assert_close(out, images, atol=1e-3, rtol=0)


def test_elastic_strength_zero_is_identity_and_output_clipped():
    assert torch.equal(layers.RandomElasticTransform(scale=0.0)(IMAGES, training=True), IMAGES)
    assert torch.equal(layers.RandomElasticTransform(factor=0.0)(IMAGES, training=True), IMAGES)
    out = layers.RandomElasticTransform(value_range=(0, 100), seed=1)(IMAGES, training=True)
    assert out.max() <= 100 and out.min() >= 0


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: layers.RandomShear(1.5), "x_factor"),
        (lambda: layers.RandomShear(0.1, (-1.1, 0.2)), "y_factor"),
        (lambda: layers.RandomShear(-0.1), "x_factor"),
        (lambda: layers.RandomShear(0.1, fill_mode="mirror"), "fill_mode"),
        (lambda: layers.RandomShear(0.1, interpolation="bicubic"), "interpolation"),
        (lambda: layers.RandomPerspective(factor=2.0), "factor"),
        (lambda: layers.RandomPerspective(scale=1.5), "scale"),
        (lambda: layers.RandomPerspective(interpolation="area"), "interpolation"),
        (lambda: layers.RandomElasticTransform(scale=-2.0), "scale"),
        (lambda: layers.RandomElasticTransform(fill_mode="edge"), "fill_mode"),
        (lambda: layers.RandomElasticTransform(value_range=(1, 0)), "value_range"),
        (lambda: layers.RandomElasticTransform(seed=1.5), "seed"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(LayerfitValueError, match=match):
        make()


def test_bad_input_rank():
    with pytest.raises(LayerfitValueError, match="grayscale"):
        layers.RandomShear(0.1)(torch.zeros(2, 8), training=True)


def test_in_a_model_trains_and_predicts_unchanged():
    import layerfit

    model = layerfit.Sequential(
        [layerfit.Input((12, 10, 3)), layers.RandomShear(0.2, seed=1),
         layers.RandomPerspective(scale=0.2, seed=1), layers.RandomElasticTransform(value_range=(0, 1), seed=1),
         layers.Flatten(), layers.Dense(2)]
    )  # fmt: skip
    x = IMAGES.numpy() / 255.0
    y = np.eye(2)[np.arange(4) % 2].astype("float32")
    model.compile("sgd", "categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    plain = layerfit.Sequential([layerfit.Input((12, 10, 3)), layers.Flatten(), model.layers[-1]])
    np.testing.assert_allclose(model.predict(x, verbose=0), plain.predict(x, verbose=0), atol=1e-5)
