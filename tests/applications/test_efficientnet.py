"""layerfit.applications.efficientnet without Keras: weights="imagenet" downloads through
get_file (served from a local HTTP server) with the hash checked, and adds the stem's
standard-deviation Rescaling the published weights expect. Against real Keras:
tests/oracle/test_applications_efficientnet_oracle.py."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from test_mobilenet_v2 import server, write_legacy_weights  # noqa: F401 (fixture)

from layerfit.applications import efficientnet, efficientnet_v2


def test_imagenet_weights_download_with_keras_hash_check(server, tmp_path, monkeypatch):  # noqa: F811
    root, url = server
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(efficientnet, "BASE_WEIGHTS_PATH", url)
    kwargs = {"input_shape": (32, 32, 3), "include_top": False}
    published = efficientnet.EfficientNetB0(weights=None, **kwargs)
    file = root / "efficientnetb0_notop.h5"
    write_legacy_weights(published, file)
    # The served file is not Keras's: the real hash check (Keras's md5) refuses it.
    with pytest.raises(Exception, match="(?i)hash"):
        efficientnet.EfficientNetB0(weights="imagenet", **kwargs)
    digest = hashlib.md5(file.read_bytes()).hexdigest()
    monkeypatch.setitem(efficientnet.WEIGHTS_HASHES, "b0", ("unused", digest))
    model = efficientnet.EfficientNetB0(weights="imagenet", **kwargs)
    for ours, theirs in zip(model.get_weights(), published.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    # Pretrained: x / 255, (x - mean) / std, then / sqrt(std), as the weights were trained.
    stem = [type(layer).__name__ for layer in model.layers[1:5]]
    assert stem == ["Rescaling", "Normalization", "Rescaling", "ZeroPadding2D"]
    assert [type(layer).__name__ for layer in published.layers[1:4]] == [
        "Rescaling",
        "Normalization",
        "ZeroPadding2D",
    ]


def test_v2_imagenet_weights_download_keras_file_name(server, tmp_path, monkeypatch):  # noqa: F811
    root, url = server
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(efficientnet_v2, "BASE_WEIGHTS_PATH", url)
    kwargs = {"input_shape": (32, 32, 3), "include_top": False}
    published = efficientnet_v2.EfficientNetV2B0(weights=None, **kwargs)
    file = root / "efficientnetv2-b0_notop.h5"  # Keras's published file name
    write_legacy_weights(published, file)
    digest = hashlib.md5(file.read_bytes()).hexdigest()
    monkeypatch.setitem(efficientnet_v2.WEIGHTS_HASHES, "b0", ("unused", digest))
    model = efficientnet_v2.EfficientNetV2B0(weights="imagenet", **kwargs)
    for ours, theirs in zip(model.get_weights(), published.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
