"""InceptionResNetV2 and NASNetMobile/Large against keras.applications: layers, counts and
predictions from the layout of Keras's published files (NASNetLarge by layers and counts
only); the published file each asks for; signatures; preprocessing."""

from __future__ import annotations

import numpy as np
import pytest
from _apps_compare import (
    assert_same_architecture,
    assert_same_signature,
    compare,
    keras,
    keras_model,
    requested_files,
)

import layerfit

ALL = [
    ("inception_resnet_v2", "InceptionResNetV2"),
    ("nasnet", "NASNetMobile"),
    ("nasnet", "NASNetLarge"),
]


@pytest.mark.parametrize(
    "function, kwargs",
    [
        ("InceptionResNetV2", {"input_shape": (75, 75, 3), "classes": 10}),
        ("NASNetMobile", {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"}),
    ],
)
def test_predictions_match_keras(tmp_path, function, kwargs):
    # ATOL/RTOL 1e-4 (_apps_compare): same float32 weights, XLA's and torch's summation orders.
    compare(tmp_path, None, function, kwargs)


def test_nasnet_large_layers_and_counts_match_keras():
    kwargs = {"input_shape": (32, 32, 3), "include_top": False, "pooling": "max"}
    theirs = keras_model("nasnet", "NASNetLarge", weights=None, **kwargs)
    ours = layerfit.applications.NASNetLarge(weights=None, **kwargs)
    assert_same_architecture(ours, theirs)


@pytest.mark.parametrize(
    "module, function, kwargs",
    [
        ("inception_resnet_v2", "InceptionResNetV2", {}),
        ("inception_resnet_v2", "InceptionResNetV2", {"include_top": False, "input_shape": (75, 75, 3)}),
        ("nasnet", "NASNetMobile", {}),
        ("nasnet", "NASNetMobile", {"include_top": False, "input_shape": (32, 32, 3)}),
    ],
)  # fmt: skip
def test_imagenet_asks_for_keras_published_file(monkeypatch, module, function, kwargs):
    calls = requested_files(monkeypatch, module, function, kwargs)
    assert calls[0] == calls[1] and calls[0][3]  # same file, URL, folder and (present) hash
    assert_same_signature(module, function)


@pytest.mark.parametrize("include_top", [True, False])
def test_nasnet_large_files_are_keras(include_top):
    """Without building NASNetLarge (85M weights) twice: the file name, URL and hash are those
    in Keras's source (which file NASNet picks is tested above with NASNetMobile)."""
    import inspect

    from keras.src.applications import nasnet

    ours = layerfit.applications.nasnet
    file, url_file, file_hash = ours.WEIGHTS_FILES[331][0 if include_top else 1]
    url = nasnet.NASNET_LARGE_WEIGHT_PATH if include_top else nasnet.NASNET_LARGE_WEIGHT_PATH_NO_TOP
    assert ours.BASE_WEIGHTS_PATH + url_file == url
    constant = "NASNET_LARGE_WEIGHT_PATH" + ("" if include_top else "_NO_TOP")
    source = inspect.getsource(nasnet.NASNet)
    assert f'"{file}",\n                    {constant},' in source
    assert f'file_hash="{file_hash}"' in source
    assert_same_signature("nasnet", "NASNetLarge")


@pytest.mark.parametrize("module", ["inception_resnet_v2", "nasnet"])
def test_preprocess_input_matches_keras(module):
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        getattr(layerfit.applications, module).preprocess_input(x),
        getattr(keras.applications, module).preprocess_input(x.copy()),
        rtol=1e-6,
        atol=1e-6,
    )
