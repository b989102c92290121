"""image_dataset_from_directory on folders of real image files written with Pillow."""

import io
import os

import numpy as np
import pytest

import layerfit as keras
from layerfit.utils import image_dataset_from_directory

Image = pytest.importorskip("PIL.Image")

FORMATS = ("png", "jpg", "bmp", "gif")


def _keras(module):
    """Real Keras (the oracle) on JAX, or skip."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    pytest.importorskip("jax")
    pytest.importorskip("keras")
    return pytest.importorskip(module)


@pytest.fixture
def folder(tmp_path):
    """Three classes of 7 images each, mixed formats and sizes, one in a nested folder."""
    rng = np.random.default_rng(0)
    for name in ("cat", "dog", "bird"):
        (tmp_path / name / "more").mkdir(parents=True)
        for i in range(7):
            height, width = rng.integers(12, 40, size=2)
            pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
            sub = "more/" if i == 5 else ""
            Image.fromarray(pixels).save(tmp_path / name / f"{sub}{name}{i}.{FORMATS[i % 4]}")
    (tmp_path / "cat" / "readme.txt").write_text("not an image")  # skipped: not an image suffix
    (tmp_path / ".hidden").mkdir()
    return tmp_path


def test_classes_labels_and_shapes(folder, capsys):
    ds = image_dataset_from_directory(folder, image_size=(16, 24), batch_size=5, seed=1)
    assert capsys.readouterr().out == "Found 21 files belonging to 3 classes.\n"
    assert ds.class_names == ["bird", "cat", "dog"]
    assert len(ds.file_paths) == 21 and len(ds) == 5
    batches = list(ds)
    assert [x.shape for x, _ in batches] == [(5, 16, 24, 3)] * 4 + [(1, 16, 24, 3)]
    labels = np.concatenate([y for _, y in batches])
    assert labels.dtype == np.int32 and np.bincount(labels).tolist() == [7, 7, 7]
    # Every label is the class folder of its file.
    order = {
        p: ds.class_names.index(os.path.relpath(p, folder).split(os.sep)[0]) for p in ds.file_paths
    }
    assert sorted(order.values()) == sorted(labels.tolist())


def test_file_order_and_split_match_keras(folder, capsys):
    dataset_utils = _keras("keras.src.utils.dataset_utils")
    train, val = image_dataset_from_directory(
        folder, validation_split=0.3, subset="both", seed=42, image_size=(8, 8)
    )
    out = capsys.readouterr().out
    assert "Using 15 files for training." in out and "Using 6 files for validation." in out
    formats = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
    paths, labels, names = dataset_utils.index_directory(str(folder), "inferred", formats, seed=42)
    assert names == train.class_names
    for subset, ours in (("training", train), ("validation", val)):
        expected, expected_labels = dataset_utils.get_training_or_validation_split(
            paths, labels, 0.3, subset
        )
        assert ours.file_paths == expected
    assert set(train.file_paths).isdisjoint(val.file_paths)
    # Separate calls with the same seed give the same parts as subset="both".
    alone = image_dataset_from_directory(
        folder, validation_split=0.3, subset="validation", seed=42, image_size=(8, 8)
    )
    assert alone.file_paths == val.file_paths
    # Validation keeps file order; its labels follow its files.
    val_labels = np.concatenate([y for _, y in val])
    assert val_labels.tolist() == [
        val.class_names.index(os.path.relpath(p, folder).split(os.sep)[0]) for p in val.file_paths
    ]


def test_pixels_match_keras_loader(tmp_path):
    keras_images = _keras("keras.src.utils.image_dataset_utils")
    rng = np.random.default_rng(1)
    (tmp_path / "only").mkdir()
    for i, (height, width) in enumerate([(17, 31), (29, 13), (20, 20)]):
        pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / "only" / f"{i}.{FORMATS[i]}")
    cases = [(i, a, "rgb", 3) for i in ("bilinear", "nearest") for a in ("none", "crop", "pad")]
    cases += [("bilinear", "none", "grayscale", 1), ("bilinear", "crop", "rgba", 4)]
    for interpolation, aspect, color_mode, channels in cases:
        ds = image_dataset_from_directory(
            tmp_path,
            image_size=(10, 14),
            shuffle=False,
            batch_size=None,
            interpolation=interpolation,
            color_mode=color_mode,
            crop_to_aspect_ratio=aspect == "crop",
            pad_to_aspect_ratio=aspect == "pad",
            verbose=False,
        )
        for path, (image, _) in zip(ds.file_paths, ds):
            # Keras's own per-file loader (its backend-agnostic path: Pillow and
            # ops.image.resize); a BytesIO because it leaves GIF files open.
            with open(path, "rb") as file:
                data = io.BytesIO(file.read())
            expected = keras_images._load_image_grain(
                data,
                (10, 14),
                channels,
                interpolation,
                "channels_last",
                aspect == "crop",
                aspect == "pad",
            )
            assert image.dtype == np.float32 and image.shape == (10, 14, channels)
            # float32 rounding of the same arithmetic
            np.testing.assert_allclose(image, np.asarray(expected), atol=1e-3)


def test_label_modes_channels_first_and_no_labels(folder):
    kwargs = dict(image_size=(6, 6), shuffle=False, verbose=False)
    _, y = next(iter(image_dataset_from_directory(folder, label_mode="categorical", **kwargs)))
    assert y.shape == (21, 3)
    assert y.dtype == np.float32 and (y.sum(axis=1) == 1).all()
    x, _ = next(iter(image_dataset_from_directory(folder, data_format="channels_first", **kwargs)))
    assert x.shape == (21, 3, 6, 6)
    images_only = image_dataset_from_directory(folder, labels=None, **kwargs)
    batch = next(iter(images_only))
    assert isinstance(batch, np.ndarray) and batch.shape == (21, 6, 6, 3)
    assert not hasattr(images_only, "class_names") or images_only.class_names is None
    two = image_dataset_from_directory(
        folder, class_names=["dog", "cat"], label_mode="binary", **kwargs
    )
    assert two.class_names == ["dog", "cat"] and len(two.file_paths) == 14
    _, y = next(iter(two))
    assert y.shape == (14, 1) and y.dtype == np.float32
    dog_first = [os.path.relpath(p, folder).startswith("dog") for p in two.file_paths]
    assert (y[:, 0] == 1 - np.asarray(dog_first)).all()  # 'dog' is class 0


def test_explicit_label_list_in_sorted_file_order(tmp_path):
    for i in range(4):
        Image.fromarray(np.full((4, 4, 3), i * 60, dtype=np.uint8)).save(tmp_path / f"{i}.png")
    ds = image_dataset_from_directory(
        tmp_path, labels=[1, 0, 1, 0], image_size=(4, 4), shuffle=False, verbose=False
    )
    x, y = next(iter(ds))
    assert ds.class_names == ["0", "1"]
    assert y.tolist() == [1, 0, 1, 0] and x[:, 0, 0, 0].tolist() == [0, 60, 120, 180]


def test_follow_links(folder, tmp_path_factory):
    outside = tmp_path_factory.mktemp("linked")
    Image.fromarray(np.zeros((5, 5, 3), dtype=np.uint8)).save(outside / "extra.png")
    os.symlink(outside, folder / "cat" / "link")

    def count(**kw):
        return len(
            image_dataset_from_directory(folder, image_size=(4, 4), verbose=False, **kw).file_paths
        )

    assert count() == 21 and count(follow_links=True) == 22


def test_fit_on_a_folder_learns_the_classes(tmp_path):
    # Dark images are class "dark", bright ones "light": a real model must separate them.
    rng = np.random.default_rng(0)
    for name, low in (("dark", 0), ("light", 170)):
        (tmp_path / name).mkdir()
        for i in range(16):
            pixels = rng.integers(low, low + 85, size=(12, 12, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / name / f"{i}.png")
    train, val = image_dataset_from_directory(
        tmp_path,
        validation_split=0.25,
        subset="both",
        seed=3,
        image_size=(8, 8),
        batch_size=8,
        label_mode="binary",
        verbose=False,
    )
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(keras.optimizers.Adam(0.1), "binary_crossentropy", metrics=["accuracy"])
    model.fit(train, validation_data=val, epochs=15, verbose=0)
    loss, accuracy = model.evaluate(val, verbose=0)
    assert accuracy == 1.0
    assert model.predict(val, verbose=0).shape == (8, 1)


def test_a_corrupt_image_is_named_in_the_error(folder):
    (folder / "dog" / "broken.jpg").write_bytes(b"not really a jpeg")
    ds = image_dataset_from_directory(folder, image_size=(4, 4), shuffle=False, verbose=False)
    with pytest.raises(ValueError, match=r"broken\.jpg[\s\S]*Fix: check that the file exists"):
        list(ds)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"labels": "folders"}, "labels='folders'"),
        ({"label_mode": "sparse"}, "label_mode='sparse'"),
        ({"color_mode": "cmyk"}, "color_mode='cmyk'"),
        ({"image_size": (3, 3, 3)}, "image_size="),
        ({"batch_size": 0}, "batch_size=0"),
        ({"format": "torch"}, "format='torch'"),
        ({"interpolation": "gaussian"}, "interpolation='gaussian'"),
        ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, "at most one"),
        ({"validation_split": 0.2}, "both or neither"),
        ({"validation_split": 0.2, "subset": "training"}, "needs a seed"),
        ({"validation_split": 1.5, "subset": "training", "seed": 1}, "between 0 and 1"),
        ({"validation_split": 0.2, "subset": "test", "seed": 1}, "subset='test'"),
        ({"label_mode": "binary"}, "exactly 2 classes"),
        ({"class_names": ["cow"]}, "class_names="),
        ({"labels": None, "class_names": ["cat"]}, "class_names only"),
        ({"labels": [0, 1]}, "labels has 2 entries but 21 files"),
    ],
)
def test_bad_arguments_say_what_and_how(folder, kwargs, match):
    with pytest.raises(ValueError, match=match) as info:
        image_dataset_from_directory(folder, verbose=False, **kwargs)
    assert "Expected:" in str(info.value) or "Fix:" in str(info.value)


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(ValueError, match=r"does not exist[\s\S]*Fix"):
        image_dataset_from_directory(tmp_path / "nowhere")
    (tmp_path / "empty_class").mkdir()
    with pytest.raises(ValueError, match=r"No images found[\s\S]*subfolders"):
        image_dataset_from_directory(tmp_path, verbose=False)


def test_grain_format_gives_the_same_dataset(folder):
    ds = image_dataset_from_directory(
        folder, format="grain", image_size=(4, 4), shuffle=False, verbose=False
    )
    assert isinstance(ds, keras.data.Dataset) and len(ds.file_paths) == 21
    assert keras.preprocessing.image_dataset_from_directory is image_dataset_from_directory


def test_epochs_are_reshuffled_reproducibly(folder):
    def orders(seed):
        ds = image_dataset_from_directory(
            folder, image_size=(4, 4), batch_size=2, seed=seed, verbose=False
        )
        return [np.concatenate([y for _, y in ds]).tolist() for _ in range(2)]

    first = orders(5)
    assert first == orders(5) and first[0] != first[1]


@pytest.mark.parametrize("method", ["lanczos3", "lanczos5"])
def test_lanczos_interpolation_resizes_like_the_resizing_layer(tmp_path, method):
    import torch

    rng = np.random.RandomState(3)
    pixels = rng.randint(0, 256, (23, 31, 3)).astype("uint8")
    (tmp_path / "a").mkdir()
    Image.fromarray(pixels).save(tmp_path / "a" / "x.png")
    ds = image_dataset_from_directory(
        tmp_path, image_size=(9, 14), interpolation=method, batch_size=None, verbose=False
    )
    image, _ = next(iter(ds))
    expected = keras.layers.Resizing(9, 14, interpolation=method)(
        torch.tensor(pixels.astype("float32"))
    )
    np.testing.assert_allclose(np.asarray(image), expected.numpy(), atol=1e-4)
    assert np.asarray(image).dtype == np.float32
