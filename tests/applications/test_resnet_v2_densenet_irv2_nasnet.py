"""ResNetV2, DenseNet, InceptionResNetV2 and NASNet without Keras: weights="imagenet"
downloads Keras's file through get_file (served from a local HTTP server) with the hash
checked, the bad arguments Keras refuses are refused with cause and fix, preprocessing.
Architectures and weights against real Keras: tests/oracle/test_applications_resnet_v2_
densenet_oracle.py and test_applications_inception_resnet_nasnet_oracle.py."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from test_mobilenet_v2 import server, write_legacy_weights  # noqa: F401 (fixture)

from layerfit.applications import densenet, inception_resnet_v2, nasnet, resnet, resnet_v2
from layerfit.errors import LayerfitValueError

# (model, input size, file served (Keras's URL name), file cached, module, URL attribute,
# how to replace Keras's hash). InceptionResNetV2's 54M weights (a 220 MB file) would cost
# 15 s here: its file request and weight reading are checked against Keras in the oracle.
CASES = [
    (resnet_v2.ResNet50V2, 32, "resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5", None, resnet, "BASE_WEIGHTS_PATH",
     lambda mp, digest: mp.setitem(resnet.WEIGHTS_HASHES, "resnet50v2", ("unused", digest))),
    (densenet.DenseNet121, 32, "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5", None, densenet, "BASE_WEIGHTS_PATH",
     lambda mp, digest: mp.setitem(densenet.WEIGHTS_HASHES, "densenet121", ("unused", digest))),
    (nasnet.NASNetMobile, 32, "NASNet-mobile-no-top.h5", "nasnet_mobile_no_top.h5", nasnet, "BASE_WEIGHTS_PATH",
     lambda mp, digest: mp.setitem(nasnet.WEIGHTS_FILES, 224, (None, ("nasnet_mobile_no_top.h5", "NASNet-mobile-no-top.h5", digest)))),
]  # fmt: skip


@pytest.mark.parametrize("function, size, served, cached, module, attribute, set_hash", CASES, ids=[c[0].__name__ for c in CASES])  # fmt: skip
def test_imagenet_weights_download_with_keras_hash_check(
    server,  # noqa: F811
    tmp_path,
    monkeypatch,
    function,
    size,
    served,
    cached,
    module,
    attribute,
    set_hash,
):
    root, url = server
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(module, attribute, url)
    kwargs = {"input_shape": (size, size, 3), "include_top": False}
    published = function(weights=None, **kwargs)
    file = root / served
    write_legacy_weights(published, file)
    if function is densenet.DenseNet121:
        # The served file is not Keras's: the real hash check (Keras's md5) refuses it.
        with pytest.raises(Exception, match="(?i)hash"):
            function(weights="imagenet", **kwargs)
    set_hash(monkeypatch, hashlib.md5(file.read_bytes()).hexdigest())
    # A second model in this session: counter names (zero_padding2d_2, ...) load as well.
    model = function(weights="imagenet", **kwargs)
    for ours, theirs in zip(model.get_weights(), published.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert (tmp_path / "cache" / "models" / (cached or served)).is_file()


FUNCTIONS = [
    (resnet_v2.ResNet50V2, 32, 224),
    (resnet_v2.ResNet152V2, 32, 224),
    (densenet.DenseNet121, 32, 224),
    (densenet.DenseNet201, 32, 224),
    (inception_resnet_v2.InceptionResNetV2, 75, 299),
    (nasnet.NASNetMobile, 32, 224),
    (nasnet.NASNetLarge, 32, 331),
]


@pytest.mark.parametrize("function, smallest, default", FUNCTIONS, ids=lambda c: getattr(c, "__name__", None))  # fmt: skip
@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"weights": "imagenet", "classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"weights": "nowhere.h5"}, "weights='nowhere.h5' is neither", "check the path"),
        ({"weights": None, "input_shape": "too small", "include_top": False}, "smaller", "Resizing"),
        ({"weights": "imagenet", "input_shape": (96, 96, 3)}, "include_top=True", "include_top=False"),
        ({"weights": "imagenet", "include_top": False, "input_shape": (96, 96, 1)}, "1 channels", "RGB"),
        ({"weights": None, "input_shape": (None, None, 3)}, "None size with include_top=True", "include_top=False"),
    ],
)  # fmt: skip
def test_bad_arguments_name_cause_and_fix(function, smallest, default, kwargs, cause, fix):
    """Keras's rules (refused before anything is built): ImageNet's classifier has 1000
    classes, a weights path must exist, the input at least the family's smallest size, the
    published weights' size with their classifier, and 3 channels."""
    if kwargs.get("input_shape") == "too small":
        kwargs = {**kwargs, "input_shape": (smallest - 1, smallest + 8, 3)}
    with pytest.raises(LayerfitValueError) as info:
        function(**kwargs)
    assert cause in str(info.value) and fix in str(info.value)
    if "include_top=True" in cause:
        assert f"({default}, {default}, 3)" in str(info.value)


def test_nasnet_imagenet_needs_fixed_sizes():
    for function in (nasnet.NASNetMobile, nasnet.NASNetLarge):
        with pytest.raises(LayerfitValueError, match=r"(?s)None size.*Fix: give both sizes"):
            function(input_shape=(None, None, 3), include_top=False)


def test_classifier_activation_with_imagenet_is_softmax_or_none():
    with pytest.raises(LayerfitValueError, match=r"(?s)classifier_activation='relu'.*Fix:"):
        densenet.DenseNet121(classifier_activation="relu")


def test_nasnet_mobile_without_top_defaults_to_224():
    """As Keras: NASNetMobile(include_top=False) builds for 224x224 inputs, not any size."""
    model = nasnet.NASNetMobile(include_top=False, weights=None, pooling="avg")
    assert tuple(model.input.shape) == (None, 224, 224, 3)
    assert tuple(model.output.shape) == (None, 1056)


@pytest.mark.parametrize(
    "module, expected",
    [
        (resnet_v2, [[[-1.0, 0.0, 1.0]]]),
        (inception_resnet_v2, [[[-1.0, 0.0, 1.0]]]),
        (nasnet, [[[-1.0, 0.0, 1.0]]]),
        (densenet, [[[(0 - 0.485) / 0.229, (0.5 - 0.456) / 0.224, (1 - 0.406) / 0.225]]]),
    ],
)
def test_preprocess_input_modes(module, expected):
    """'tf' mode ([-1, 1]) for ResNetV2, InceptionResNetV2, NASNet; 'torch' for DenseNet."""
    x = np.array([[[[0, 127.5, 255]]]], "float32")
    np.testing.assert_allclose(module.preprocess_input(x), [expected], rtol=1e-5, atol=1e-6)


def test_custom_scale_layer_sums_and_reloads(tmp_path):
    """InceptionResNetV2's residual sum (Keras's CustomScaleLayer): x + up * scale; a saved
    model loads back (the loader finds it in the application's LAYER_CLASSES)."""
    import layerfit as keras
    from layerfit.applications.inception_resnet_v2 import CustomScaleLayer

    inputs = keras.Input((4,))
    outputs = CustomScaleLayer(0.17)([inputs, keras.layers.Dense(4)(inputs)])
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    up = model.layers[1](x).detach().numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), x + 0.17 * up, rtol=1e-6)
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    assert again.layers[-1].scale == 0.17
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0))
