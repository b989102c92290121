"""Xception and InceptionV3 without Keras: weights="imagenet" downloads Keras's file through
get_file (served from a local HTTP server) with the hash checked, and Keras's argument rules
with cause and fix. Architectures, weights, file requests and signatures against real Keras:
tests/oracle/test_applications_inception_oracle.py."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from test_mobilenet_v2 import server, write_legacy_weights  # noqa: F401 (fixture)

from layerfit.applications import inception_v3, xception
from layerfit.errors import LayerfitValueError


def test_inception_v3_imagenet_weights_download_with_keras_hash_check(
    server,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    root, url = server
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    served = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"  # Keras's file name
    monkeypatch.setattr(inception_v3, "WEIGHTS_PATH_NO_TOP", url + served)
    kwargs = {"input_shape": (75, 75, 3), "include_top": False}
    published = inception_v3.InceptionV3(weights=None, **kwargs)
    write_legacy_weights(published, root / served)
    # The served file is not Keras's: the real hash check (Keras's md5) refuses it.
    with pytest.raises(Exception, match="(?i)hash"):
        inception_v3.InceptionV3(weights="imagenet", **kwargs)
    digest = hashlib.md5((root / served).read_bytes()).hexdigest()
    monkeypatch.setattr(inception_v3, "_HASH_NO_TOP", digest)
    # Another model in this session: its counter names (conv2d_188, ...) load in order.
    model = inception_v3.InceptionV3(weights="imagenet", **kwargs)
    for ours, theirs in zip(model.get_weights(), published.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert (tmp_path / "cache" / "models" / served).is_file()


@pytest.mark.parametrize(
    "function, smallest, default",
    [(xception.Xception, 71, 299), (inception_v3.InceptionV3, 75, 299)],
    ids=["Xception", "InceptionV3"],
)
@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"weights": "imagenet", "classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"weights": "nowhere.h5"}, "weights='nowhere.h5' is neither", "check the path"),
        ({"weights": None, "input_shape": "too small", "include_top": False}, "smaller", "Resizing"),
        ({"weights": "imagenet", "input_shape": (96, 96, 3)}, "include_top=True", "include_top=False"),
        ({"weights": "imagenet", "include_top": False, "input_shape": (96, 96, 1)}, "1 channels", "RGB"),
        ({"weights": None, "input_shape": (None, None, 3)}, "None size with include_top=True", "include_top=False"),
        ({"weights": None, "input_shape": (96, 96), "include_top": False}, "input_shape=(96, 96)", "3)"),
    ],
)  # fmt: skip
def test_bad_arguments_name_cause_and_fix(function, smallest, default, kwargs, cause, fix):
    if kwargs.get("input_shape") == "too small":
        kwargs = {**kwargs, "input_shape": (smallest + 8, smallest - 1, 3)}
    with pytest.raises(LayerfitValueError) as info:
        function(**kwargs)
    assert cause in str(info.value) and fix in str(info.value)
    if "include_top=True" in cause:
        assert f"({default}, {default}, 3)" in str(info.value)


@pytest.mark.parametrize("module", [xception, inception_v3])
def test_preprocess_input_scales_to_minus_one_one(module):
    x = np.array([[[[0, 127.5, 255]]]], "float32")
    np.testing.assert_allclose(module.preprocess_input(x), [[[[-1.0, 0.0, 1.0]]]])
