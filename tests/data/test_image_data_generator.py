"""Keras 2's ImageDataGenerator: transforms against scipy (Keras 2's own resampler), iterators."""

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import LayerfitDeprecationWarning

Image = pytest.importorskip("PIL.Image")


def _generator(**kwargs):
    from layerfit.preprocessing.image import ImageDataGenerator

    with pytest.warns(LayerfitDeprecationWarning, match=r"ImageDataGenerator[\s\S]*image_dataset"):
        return ImageDataGenerator(**kwargs)


def _keras2_affine(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, fill_mode="nearest", cval=0.0):
    """Keras 2's apply_affine_transform, written out with scipy.ndimage as Keras 2 did."""
    ndimage = pytest.importorskip("scipy.ndimage")
    theta, shear = np.deg2rad(theta), np.deg2rad(shear)
    rotation = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0],
                         [0, 0, 1]])  # fmt: skip
    matrix = rotation @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    matrix = matrix @ np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
    matrix = matrix @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    h, w = x.shape[:2]
    o_x, o_y = h / 2 + 0.5, w / 2 + 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    matrix = offset @ matrix @ reset
    channels = [
        ndimage.affine_transform(
            x[..., c], matrix[:2, :2], matrix[:2, 2], order=1, mode=fill_mode, cval=cval
        )
        for c in range(x.shape[-1])
    ]
    return np.stack(channels, axis=-1)


@pytest.mark.parametrize(
    "params",
    [
        {"theta": 30},
        {"tx": 3, "ty": -2},
        {"shear": 20},
        {"zx": 0.8, "zy": 1.3},
        {"theta": -15, "tx": 1.5, "shear": 10, "zx": 1.1, "zy": 0.9},
    ],
)
@pytest.mark.parametrize("fill_mode", ["nearest", "constant"])
def test_affine_transform_matches_keras2(params, fill_mode):
    x = np.random.default_rng(0).uniform(0, 255, size=(17, 23, 3)).astype("float32")
    generator = _generator(fill_mode=fill_mode, cval=7.0)
    ours = generator.apply_transform(x, params)
    expected = _keras2_affine(x, fill_mode=fill_mode, cval=7.0, **params)
    # Compared away from the border, where scipy's spline edge handling and grid_sample
    # differ by the half-pixel at the image edge.
    np.testing.assert_allclose(ours[2:-2, 2:-2], expected[2:-2, 2:-2], atol=1e-3)


def test_flips_brightness_channel_shift_and_standardize():
    x = np.random.default_rng(1).uniform(10, 200, size=(4, 5, 3)).astype("float32")
    generator = _generator(rescale=0.5, samplewise_center=True)
    flipped = generator.apply_transform(x, {"flip_horizontal": True, "flip_vertical": True})
    np.testing.assert_array_equal(flipped, x[::-1, ::-1])
    brighter = generator.apply_transform(x, {"brightness": 1.2})
    np.testing.assert_allclose(brighter, np.clip(x.astype("uint8") * 1.2, 0, 255), atol=1.0)
    shifted = generator.apply_transform(x, {"channel_shift_intensity": 500.0})
    assert shifted.max() == pytest.approx(x.max())  # clipped to the image's own range
    standardized = generator.standardize(x.copy())
    np.testing.assert_allclose(standardized, x * 0.5 - (x * 0.5).mean(), atol=1e-4)


def test_featurewise_statistics_from_fit():
    x = np.random.default_rng(2).normal(5, 3, size=(50, 4, 4, 2)).astype("float32")
    generator = _generator(featurewise_center=True, featurewise_std_normalization=True)
    with pytest.warns(keras.errors.LayerfitWarning, match="not fit"):
        generator.standardize(x[0].copy())
    generator.fit(x)
    out = np.stack([generator.standardize(i.copy()) for i in x])
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-3)


def test_flow_batches_labels_split_and_reproducibility():
    x = np.arange(10 * 2 * 2 * 1, dtype="float32").reshape(10, 2, 2, 1)
    y = np.arange(10)
    generator = _generator(validation_split=0.3)
    train = generator.flow(x, y, batch_size=4, seed=5, subset="training")
    val = generator.flow(x, y, batch_size=4, shuffle=False, subset="validation")
    assert len(train) == 2 and len(val) == 1
    assert sorted(np.concatenate([train[i][1] for i in range(2)]).tolist()) == list(range(3, 10))
    batch_x, batch_y = val[0]
    assert batch_y.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(batch_x, x[:3])  # no augmentation configured
    again = generator.flow(x, y, batch_size=4, seed=5, subset="training")
    assert train[0][1].tolist() == again[0][1].tolist()
    first = next(again)
    assert first[0].shape == (4, 2, 2, 1)


def test_flow_from_directory_and_dataframe_train_a_model(tmp_path):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    rows = []
    for name, low in (("dark", 0), ("light", 170)):
        (tmp_path / name).mkdir()
        for i in range(8):
            pixels = rng.integers(low, low + 85, size=(10, 10, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / name / f"{i}.png")
            rows.append({"filename": f"{name}/{i}.png", "class": name})
    generator = _generator(rescale=1 / 255, horizontal_flip=True, validation_split=0.25)
    train = generator.flow_from_directory(
        tmp_path, target_size=(8, 8), batch_size=4, class_mode="binary", subset="training", seed=0
    )
    val = generator.flow_from_directory(
        tmp_path, target_size=(8, 8), batch_size=4, class_mode="binary", subset="validation"
    )
    assert train.class_indices == {"dark": 0, "light": 1}
    assert train.samples == 12 and val.samples == 4
    assert val.filenames == ["dark/0.png", "dark/1.png", "light/0.png", "light/1.png"]
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((8, 8, 3)), keras.layers.GlobalAveragePooling2D(),
         keras.layers.Dense(1, activation="sigmoid")]
    )  # fmt: skip
    model.compile(keras.optimizers.Adam(0.1), "binary_crossentropy", metrics=["accuracy"])
    model.fit(train, validation_data=val, epochs=10, verbose=0)
    assert model.evaluate(val, verbose=0)[1] == 1.0
    frame = pd.DataFrame(rows + [{"filename": "missing.png", "class": "dark"}])
    with pytest.warns(keras.errors.LayerfitWarning, match="skips 1 rows"):
        from_frame = generator.flow_from_dataframe(
            frame, directory=str(tmp_path), target_size=(8, 8), batch_size=16, shuffle=False
        )
    images, labels = from_frame[0]
    assert images.shape == (16, 8, 8, 3) and labels.shape == (16, 2)
    assert labels[:8, 0].tolist() == [1.0] * 8


def test_bad_arguments():
    from layerfit.preprocessing.image import ImageDataGenerator

    with pytest.warns(LayerfitDeprecationWarning):
        with pytest.raises(ValueError, match=r"zca_whitening[\s\S]*featurewise_center"):
            ImageDataGenerator(zca_whitening=True)
    with pytest.warns(LayerfitDeprecationWarning):
        with pytest.raises(ValueError, match="fill_mode='mirror'"):
            ImageDataGenerator(fill_mode="mirror")
    generator = _generator()
    with pytest.raises(ValueError, match="class_mode='multi'"):
        generator.flow_from_directory(".", class_mode="multi", classes=[])
