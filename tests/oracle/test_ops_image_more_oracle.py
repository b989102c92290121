"""The ops.image functions added to complete Keras's submodule, against Keras 3.15 (JAX).

Tolerance 1e-4: filters and interpolation sum float32 terms in another order. gaussian_blur is
compared with data_format='channels_last' given: Keras 3.15 treats the default (None) as
channels_first in that function (DECISIONS). The affine transforms avoid sample points within
0.003 of a half pixel, where nearest-neighbour rounding flips on float32 noise.
"""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from layerfit import ops  # noqa: E402

RNG = np.random.default_rng(0)
IMAGES = RNG.random((2, 7, 9, 3)).astype(np.float32)
LARGE = RNG.random((2, 16, 14, 3)).astype(np.float32)
VOLUMES = RNG.random((2, 6, 6, 6, 2)).astype(np.float32)
TRANSFORMS = np.array(
    [
        [1.0713, 0.2093, -1.1477, 0.1123, 0.9317, 0.3711, 0, 0],
        [0.8129, -0.3347, 2.0917, 0.2891, 1.0313, -1.4129, 0, 0],
    ],
    np.float32,
)
START = np.array([[[0, 0], [8, 0], [0, 6], [8, 6]]] * 2, np.float32)
END = np.array(
    [
        [[0.37, 0.21], [7.13, 0.71], [0.53, 5.33], [8.29, 6.41]],
        [[0.3, 0.3], [8.3, 0.3], [0.3, 6.3], [8.3, 6.3]],
    ],
    np.float32,
)
COORDINATES = RNG.random((2, 4, 5)).astype(np.float32) * 12 - 2

CASES = (
    [
        ("rgb_to_hsv", (IMAGES,), {}),
        ("hsv_to_rgb", (IMAGES,), {}),
        ("rgb_to_hsv", (IMAGES.transpose(0, 3, 1, 2),), {"data_format": "channels_first"}),
        ("gaussian_blur", (IMAGES,), {"data_format": "channels_last"}),
        (
            "gaussian_blur",
            (IMAGES,),
            {"kernel_size": (3, 5), "sigma": (1.0, 2.0), "data_format": "channels_last"},
        ),
        ("sobel_edges", (IMAGES,), {}),
        ("ssim", (LARGE, LARGE[::-1] * 0.7), {}),
        ("ssim", (LARGE[0], LARGE[1]), {"filter_size": 5, "max_val": 2.0}),
        ("map_coordinates", (IMAGES[0, :, :, 0], COORDINATES, 1), {}),
        ("map_coordinates", (IMAGES[0, :, :, 0], COORDINATES, 0), {"fill_mode": "reflect"}),
        ("map_coordinates", (IMAGES[0, :, :, 0], COORDINATES, 1), {"fill_mode": "mirror"}),
        ("extract_patches_3d", (VOLUMES, 2), {}),
        ("extract_patches_3d", (VOLUMES, (3, 2, 2)), {"strides": (1, 2, 3), "padding": "same"}),
        ("perspective_transform", (IMAGES, START, END), {}),
        (
            "perspective_transform",
            (IMAGES, START, END),
            {"interpolation": "nearest", "fill_value": 0.3},
        ),
        ("perspective_transform", (IMAGES[0], START[0], END[0]), {}),
    ]
    + [
        (
            "scale_and_translate",
            (IMAGES, shape, np.float32(scale), np.float32(shift), (1, 2), method),
            {"antialias": antialias},
        )
        for method in ("linear", "bicubic", "lanczos3", "lanczos5")
        for antialias in (True, False)
        for shape, scale, shift in [
            ((2, 14, 5, 3), [2.0, 0.55], [0.3, -0.7]),
            ((2, 4, 12, 3), [0.6, 1.3], [1.0, 0.0]),
        ]
    ]
    + [
        (
            "affine_transform",
            (IMAGES, TRANSFORMS),
            {"interpolation": interpolation, "fill_mode": fill_mode, "fill_value": 0.5},
        )
        for interpolation in ("nearest", "bilinear")
        for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect")
    ]
)


@pytest.mark.parametrize(
    "name, args, kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_image_op_matches_keras(name, args, kwargs):
    expected = np.asarray(getattr(keras.ops.image, name)(*args, **kwargs))
    got = getattr(ops.image, name)(*args, **kwargs).numpy()
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-4)
