"""Keras 2's ImageDataGenerator: random augmentation of arrays and image folders, in batches.

Keras 3 removed it, but many notebooks still use it, so layerfit keeps it with one
deprecation notice pointing at the Keras 3 way (``image_dataset_from_directory`` plus
augmentation layers). The iterators are ``PyDataset``s, so ``fit`` reads them as any other.
Geometric transforms follow Keras 2's matrices (rotation, shift, shear, zoom about
``(h/2 + 0.5, w/2 + 0.5)``) and are resampled with torch; brightness uses Pillow as Keras 2.
"""

from __future__ import annotations

import os

import numpy as np
import torch

from layerfit import _compat, config
from layerfit.errors import LayerfitValueError, explain, localize, warn
from layerfit.layers._preprocessing import affine_transform
from layerfit.utils import _image_utils as images
from layerfit.utils._py_dataset import PyDataset

FORMATS = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".tif", ".tiff")
CLASS_MODES = ("categorical", "binary", "sparse", "input", "raw", None)


def _range(value, name: str):
    """A number r -> (-r, r) draws; Keras 2 takes ints as pixels and floats < 1 as fractions."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return value
    raise LayerfitValueError(
        explain(f"ImageDataGenerator got {name}={value!r}.", "a number >= 0.", f"{name}=0.1")
    )


class ImageDataGenerator:
    """Keras 2's real-time image augmentation (deprecated in Keras 3; kept with a notice).

    Args: as Keras 2: rescale, rotation_range (degrees), width_shift_range and
        height_shift_range (fraction of the size if < 1, else pixels), shear_range (degrees),
        zoom_range (a number z for [1 - z, 1 + z], or a pair), horizontal_flip, vertical_flip,
        brightness_range (a pair of factors), channel_shift_range, fill_mode ('nearest',
        'constant', 'reflect', 'wrap'), cval, samplewise_center, samplewise_std_normalization,
        featurewise_center, featurewise_std_normalization (after ``fit(x)``),
        preprocessing_function, data_format, validation_split, interpolation_order (0 or 1),
        dtype. ``zca_whitening`` is not available.

    Example:
    >>> generator = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True)  # doctest: +SKIP
    >>> model.fit(generator.flow(x_train, y_train, batch_size=32), epochs=5)  # doctest: +SKIP
    """

    def __init__(
        self,
        featurewise_center=False,
        samplewise_center=False,
        featurewise_std_normalization=False,
        samplewise_std_normalization=False,
        zca_whitening=False,
        zca_epsilon=1e-6,
        rotation_range=0,
        width_shift_range=0.0,
        height_shift_range=0.0,
        brightness_range=None,
        shear_range=0.0,
        zoom_range=0.0,
        channel_shift_range=0.0,
        fill_mode="nearest",
        cval=0.0,
        horizontal_flip=False,
        vertical_flip=False,
        rescale=None,
        preprocessing_function=None,
        data_format=None,
        validation_split=0.0,
        interpolation_order=1,
        dtype=None,
    ):
        _compat.notice(
            "ImageDataGenerator",
            "keras.utils.image_dataset_from_directory(...) and augmentation layers "
            "(layers.RandomFlip, RandomRotation, RandomZoom, ...) in the model",
            "Keras 3 removed ImageDataGenerator.",
        )
        if zca_whitening:
            raise LayerfitValueError(
                explain(
                    "ImageDataGenerator(zca_whitening=True) is not available in layerfit.",
                    "zca_whitening=False.",
                    "standardise instead: featurewise_center=True, "
                    "featurewise_std_normalization=True, then generator.fit(x_train).",
                )
            )
        if fill_mode not in ("nearest", "constant", "reflect", "wrap"):
            raise LayerfitValueError(
                explain(
                    f"ImageDataGenerator got fill_mode={fill_mode!r}.",
                    "'nearest', 'constant', 'reflect' or 'wrap'.",
                    "fill_mode='nearest'",
                )
            )
        if not 0 <= validation_split < 1:
            raise LayerfitValueError(
                explain(
                    f"validation_split={validation_split!r}.",
                    "a fraction in [0, 1).",
                    "validation_split=0.2",
                )
            )
        if isinstance(zoom_range, (int, float)):
            zoom_range = (1 - zoom_range, 1 + zoom_range)
        self.zoom_range = tuple(float(z) for z in zoom_range)
        self.rotation_range = _range(rotation_range, "rotation_range")
        self.width_shift_range = _range(width_shift_range, "width_shift_range")
        self.height_shift_range = _range(height_shift_range, "height_shift_range")
        self.shear_range = _range(shear_range, "shear_range")
        self.channel_shift_range = _range(channel_shift_range, "channel_shift_range")
        self.brightness_range = brightness_range
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.fill_mode, self.cval = fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.data_format = data_format or config.image_data_format()
        self.validation_split = validation_split
        self.interpolation_order = interpolation_order
        self.dtype = dtype or config.floatx()
        self.mean = self.std = None
        self._channel_axis = 2 if self.data_format == "channels_last" else 0

    # -- per-image steps, in Keras 2's order ---------------------------------------------
    def get_random_transform(self, img_shape, seed=None) -> dict:
        """Draws one image's transform parameters."""
        rng = np.random.RandomState(seed) if seed is not None else np.random
        rows, cols = (img_shape[0], img_shape[1]) if self._channel_axis == 2 else img_shape[1:]

        def shift(r, size):
            if not r:
                return 0.0
            return rng.uniform(-r, r) * (size if r < 1 else 1)

        zx, zy = (1.0, 1.0) if self.zoom_range == (1.0, 1.0) else rng.uniform(*self.zoom_range, 2)
        params = {
            "theta": rng.uniform(-self.rotation_range, self.rotation_range)
            if self.rotation_range
            else 0.0,
            "tx": shift(self.height_shift_range, rows),
            "ty": shift(self.width_shift_range, cols),
            "shear": rng.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0.0,
            "zx": zx,
            "zy": zy,
            "flip_horizontal": bool(self.horizontal_flip and rng.rand() < 0.5),
            "flip_vertical": bool(self.vertical_flip and rng.rand() < 0.5),
            "channel_shift_intensity": rng.uniform(
                -self.channel_shift_range, self.channel_shift_range
            )
            if self.channel_shift_range
            else None,
            "brightness": rng.uniform(*self.brightness_range)
            if self.brightness_range is not None
            else None,
        }
        return params

    def apply_transform(self, x, transform_parameters) -> np.ndarray:
        """Applies drawn parameters to one image ``x`` (H, W, C)."""
        p = transform_parameters
        x = np.asarray(x, dtype=self.dtype)
        hwc = x if self._channel_axis == 2 else x.transpose(1, 2, 0)
        matrix = _keras2_matrix(p, *hwc.shape[:2])
        if matrix is not None:
            chw = torch.from_numpy(np.ascontiguousarray(hwc.transpose(2, 0, 1)))[None]
            mode = "nearest" if self.interpolation_order == 0 else "bilinear"
            out = affine_transform(chw.float(), matrix[None], mode, self.fill_mode, self.cval)
            hwc = out[0].permute(1, 2, 0).numpy()
            if self.fill_mode == "constant":  # scipy's rule: a source outside the grid is cval
                hwc = np.where(_outside(matrix, *hwc.shape[:2])[..., None], self.cval, hwc)
        if p.get("channel_shift_intensity") is not None:
            low, high = hwc.min(), hwc.max()
            hwc = np.clip(hwc + p["channel_shift_intensity"], low, high)
        if p.get("flip_horizontal"):
            hwc = hwc[:, ::-1]
        if p.get("flip_vertical"):
            hwc = hwc[::-1]
        if p.get("brightness") is not None:
            hwc = _brightness(hwc, p["brightness"])
        hwc = np.ascontiguousarray(hwc, dtype=self.dtype)
        return hwc if self._channel_axis == 2 else hwc.transpose(2, 0, 1)

    def random_transform(self, x, seed=None) -> np.ndarray:
        """One randomly augmented copy of image ``x``."""
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))

    def standardize(self, x) -> np.ndarray:
        """preprocessing_function, rescale, then centring and scaling, as Keras 2."""
        if self.preprocessing_function is not None:
            x = self.preprocessing_function(x)
        x = np.asarray(x, dtype=self.dtype)
        if self.rescale:
            x = x * self.rescale
        if self.samplewise_center:
            x = x - np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, keepdims=True) + 1e-6)
        if self.featurewise_center or self.featurewise_std_normalization:
            if self.mean is None:
                warn(
                    "ImageDataGenerator has featurewise_center / featurewise_std_normalization "
                    "but was not fit: the images are not standardised.",
                    fix="call generator.fit(x_train) before flow().",
                )
            else:
                if self.featurewise_center:
                    x = x - self.mean
                if self.featurewise_std_normalization:
                    x = x / (self.std + 1e-6)
        return x

    def fit(self, x, augment=False, rounds=1, seed=None) -> None:
        """Computes the per-channel mean and std used by the featurewise options."""
        x = np.asarray(x, dtype=self.dtype)
        if augment:
            x = np.concatenate(
                [np.stack([self.random_transform(i, seed) for i in x]) for _ in range(rounds)]
            )
        axes = (0, 1, 2) if self._channel_axis == 2 else (0, 2, 3)
        shape = (1, 1, -1) if self._channel_axis == 2 else (-1, 1, 1)
        self.mean = np.mean(x, axis=axes).reshape(shape)
        self.std = np.std(x, axis=axes).reshape(shape)

    # -- iterators -----------------------------------------------------------------------
    def flow(
        self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
        save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
        subset=None,
    ):  # fmt: skip
        """Batches of augmented arrays ``x`` (N, H, W, C) with labels ``y``."""
        x = np.asarray(x)
        parts = [x] + [np.asarray(v) for v in (y, sample_weight) if v is not None]
        if subset is not None:
            split = int(len(x) * self.validation_split)
            keep = slice(None, split) if subset == "validation" else slice(split, None)
            parts = [p[keep] for p in parts]
        x, rest = parts[0], parts[1:]
        y = rest.pop(0) if y is not None else None
        weights = rest.pop(0) if sample_weight is not None else None

        def load(indices):
            return np.stack([x[i] for i in indices])

        labels = None if y is None else (lambda indices: y[indices])
        return ImageIterator(
            self, len(x), load, labels, batch_size, shuffle, seed, weights,
            (save_to_dir, save_prefix, save_format),
        )  # fmt: skip

    def flow_from_directory(
        self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
        class_mode="categorical", batch_size=32, shuffle=True, seed=None, save_to_dir=None,
        save_prefix="", save_format="png", follow_links=False, subset=None,
        interpolation="nearest", keep_aspect_ratio=False,
    ):  # fmt: skip
        """Batches of augmented images read from class subfolders of ``directory``."""
        if classes is None:
            classes = sorted(
                d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d))
            )
        paths, labels = [], []
        for index, name in enumerate(classes):
            found = [
                os.path.join(root, f)
                for root, _, files in sorted(
                    os.walk(os.path.join(directory, name), followlinks=follow_links)
                )
                for f in sorted(files)
                if f.lower().endswith(FORMATS)
            ]
            found = self._subset(found, subset)
            paths += found
            labels += [index] * len(found)
        print(localize(f"Found {len(paths)} images belonging to {len(classes)} classes."))
        iterator = self._files_iterator(
            paths, np.asarray(labels, dtype="int32"), len(classes), class_mode, target_size,
            color_mode, interpolation, keep_aspect_ratio, batch_size, shuffle, seed,
            (save_to_dir, save_prefix, save_format),
        )  # fmt: skip
        iterator.class_indices = {name: i for i, name in enumerate(classes)}
        iterator.filenames = [os.path.relpath(p, directory) for p in paths]
        iterator.directory = directory
        return iterator

    def flow_from_dataframe(
        self, dataframe, directory=None, x_col="filename", y_col="class", weight_col=None,
        target_size=(256, 256), color_mode="rgb", classes=None, class_mode="categorical",
        batch_size=32, shuffle=True, seed=None, save_to_dir=None, save_prefix="",
        save_format="png", subset=None, interpolation="nearest", validate_filenames=True,
    ):  # fmt: skip
        """Batches of augmented images listed in a DataFrame (file names and labels)."""
        frame = self._subset_frame(dataframe, subset)
        paths = [os.path.join(directory, f) if directory else f for f in frame[x_col]]
        if validate_filenames:
            ok = [os.path.isfile(p) and p.lower().endswith(FORMATS) for p in paths]
            if not all(ok):
                warn(
                    f"flow_from_dataframe skips {ok.count(False)} rows whose file is missing "
                    "or not an image.",
                    fix="check the file names in x_col (and the directory argument).",
                )
            frame = frame[ok]
            paths = [p for p, keep in zip(paths, ok) if keep]
        if class_mode in ("raw", "input", None):
            labels = frame[y_col].to_numpy() if class_mode == "raw" else None
            names = []
        else:
            names = sorted(set(frame[y_col])) if classes is None else list(classes)
            labels = np.asarray([names.index(c) for c in frame[y_col]], dtype="int32")
        weights = frame[weight_col].to_numpy() if weight_col else None
        print(
            localize(
                f"Found {len(paths)} validated image filenames"
                + (f" belonging to {len(names)} classes." if names else ".")
            )
        )
        iterator = self._files_iterator(
            paths, labels, len(names), class_mode, target_size, color_mode, interpolation,
            False, batch_size, shuffle, seed, (save_to_dir, save_prefix, save_format), weights,
        )  # fmt: skip
        iterator.class_indices = {name: i for i, name in enumerate(names)}
        iterator.filenames = list(frame[x_col])
        return iterator

    def _subset(self, items, subset):
        """Keras 2's per-class split: the first ``validation_split`` part is validation."""
        if subset is None or not self.validation_split:
            return items
        split = int(len(items) * self.validation_split)
        return items[:split] if subset == "validation" else items[split:]

    def _subset_frame(self, frame, subset):
        if subset is None or not self.validation_split:
            return frame
        split = int(len(frame) * self.validation_split)
        return frame.iloc[:split] if subset == "validation" else frame.iloc[split:]

    def _files_iterator(
        self, paths, labels, num_classes, class_mode, target_size, color_mode, interpolation,
        keep_aspect_ratio, batch_size, shuffle, seed, saving, weights=None,
    ):  # fmt: skip
        if class_mode not in CLASS_MODES:
            raise LayerfitValueError(
                explain(
                    f"class_mode={class_mode!r}.",
                    f"one of {list(CLASS_MODES)}.",
                    "class_mode='categorical' (one-hot labels).",
                )
            )

        def load(indices):
            return np.stack(
                [
                    images.img_to_array(
                        images.load_img(
                            paths[i], color_mode=color_mode, target_size=tuple(target_size),
                            interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio,
                        ),
                        data_format=self.data_format, dtype=self.dtype,
                    )
                    for i in indices
                ]
            )  # fmt: skip

        def label(indices):
            if class_mode == "categorical":
                return np.eye(num_classes, dtype=self.dtype)[labels[indices]]
            if class_mode in ("binary", "sparse"):
                return labels[indices].astype(self.dtype)
            return labels[indices]

        iterator = ImageIterator(
            self, len(paths), load, None if class_mode in ("input", None) else label,
            batch_size, shuffle, seed, weights, saving, inputs_as_targets=class_mode == "input",
        )  # fmt: skip
        iterator.classes = labels
        iterator.samples = len(paths)
        return iterator


def _keras2_matrix(p, rows: int, cols: int):
    """Keras 2's affine map (about its centre h/2 + 0.5) as (x, y) pixel matrix, or None."""
    theta, shear = np.deg2rad(p.get("theta", 0.0)), np.deg2rad(p.get("shear", 0.0))
    tx, ty, zx, zy = p.get("tx", 0.0), p.get("ty", 0.0), p.get("zx", 1.0), p.get("zy", 1.0)
    if not (theta or shear or tx or ty) and zx == 1 and zy == 1:
        return None
    rotation = np.array(
        [[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]]
    )
    shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    shearing = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
    zoom = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    matrix = rotation @ shift @ shearing @ zoom  # in (row, col) coordinates
    centre = np.array([[1, 0, rows / 2 + 0.5], [0, 1, cols / 2 + 0.5], [0, 0, 1]])
    back = np.array([[1, 0, -(rows / 2 + 0.5)], [0, 1, -(cols / 2 + 0.5)], [0, 0, 1]])
    m = centre @ matrix @ back
    # (row, col) -> (x = col, y = row) for affine_transform.
    xy = [[m[1, 1], m[1, 0], m[1, 2]], [m[0, 1], m[0, 0], m[0, 2]]]
    return torch.tensor(xy, dtype=torch.float32)


def _outside(matrix, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) mask of output pixels whose source lies outside the input image."""
    ys, xs = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    m = matrix.numpy().astype("float64")
    x = m[0, 0] * xs + m[0, 1] * ys + m[0, 2]
    y = m[1, 0] * xs + m[1, 1] * ys + m[1, 2]
    tolerance = 1e-4
    return (
        (x < -tolerance)
        | (x > cols - 1 + tolerance)
        | (y < -tolerance)
        | (y > rows - 1 + tolerance)
    )


def _brightness(hwc, factor):
    """Pillow's ImageEnhance.Brightness on the image as 8-bit pixels, as Keras 2 does."""
    from PIL import ImageEnhance

    image = images.array_to_img(hwc, data_format="channels_last", scale=False)
    return images.img_to_array(
        ImageEnhance.Brightness(image).enhance(factor), data_format="channels_last"
    )


class ImageIterator(PyDataset):
    """Batches from an ImageDataGenerator: indexable (``fit``) and ``next()``-able (Keras 2)."""

    def __init__(
        self, generator, n, load, labels, batch_size, shuffle, seed, weights=None,
        saving=(None, "", "png"), inputs_as_targets=False,
    ):  # fmt: skip
        super().__init__()
        self.generator, self.n, self.batch_size = generator, n, batch_size
        self.shuffle, self.seed = shuffle, seed
        self._load, self._labels, self._weights = load, labels, weights
        self._saving, self._inputs_as_targets = saving, inputs_as_targets
        self._rng = np.random.RandomState(seed)
        self._position = 0
        self.on_epoch_end()

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)

    def on_epoch_end(self) -> None:
        self.index_array = self._rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __getitem__(self, index):
        indices = self.index_array[index * self.batch_size : (index + 1) * self.batch_size]
        batch = self._load(indices).astype(self.generator.dtype)
        for i in range(len(batch)):
            seed = int(self._rng.randint(2**31 - 1))
            batch[i] = self.generator.standardize(self.generator.random_transform(batch[i], seed))
            self._save(batch[i], indices[i])
        if self._inputs_as_targets:
            return batch, batch.copy()
        if self._labels is None:
            return batch
        labels = self._labels(indices)
        if self._weights is not None:
            return batch, labels, np.asarray(self._weights)[indices]
        return batch, labels

    def _save(self, image, index) -> None:
        directory, prefix, file_format = self._saving
        if directory:
            name = f"{prefix}_{index}_{self._rng.randint(10**4)}.{file_format}"
            images.save_img(os.path.join(directory, name), image, self.generator.data_format)

    def __iter__(self):
        return self

    def __next__(self):
        """Keras 2's endless iteration: the next batch, reshuffling after each pass."""
        if self._position >= len(self):
            self._position = 0
            self.on_epoch_end()
        self._position += 1
        return self[self._position - 1]
