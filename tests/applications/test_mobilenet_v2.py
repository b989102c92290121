"""layerfit.applications.MobileNetV2: arguments, Keras's weight download (served from a local
HTTP server, through get_file), preprocessing and decoding, and transfer learning that learns.
The architecture and weights against real Keras: tests/oracle/test_applications_oracle.py."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading

import numpy as np
import pytest

import layerfit as keras
from layerfit.applications import imagenet_utils, mobilenet_v2
from layerfit.errors import LayerfitValueError

h5py = pytest.importorskip("h5py")


@pytest.fixture
def server(tmp_path):
    """Serves the files of a folder on 127.0.0.1 (no network)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def write_legacy_weights(model, path):
    """A Keras 2 weights file (the layout of Keras's published application weights)."""
    with h5py.File(path, "w") as file:
        named = [layer for layer in model.layers if layer.weights]
        file.attrs["layer_names"] = [layer.name.encode() for layer in model.layers]
        for layer in model.layers:
            group = file.create_group(layer.name)
            own = layer._own_weights() if layer in named else []
            names = [f"{layer.name}/w{i}:0" for i in range(len(own))]
            group.attrs["weight_names"] = [n.encode() for n in names]
            for name, param in zip(names, own):
                group.create_dataset(name, data=np.asarray(layer.weight_to_keras(param)))


def test_imagenet_weights_download_through_get_file_and_cache(server, tmp_path, monkeypatch):
    root, url = server
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(mobilenet_v2, "BASE_WEIGHT_PATH", url)
    published = mobilenet_v2.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights=None
    )
    write_legacy_weights(
        published, root / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
    )
    model = mobilenet_v2.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights="imagenet"
    )
    for ours, theirs in zip(model.get_weights(), published.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    assert (tmp_path / "cache" / "models").is_dir()
    for served in root.iterdir():
        served.unlink()  # the second build reads the cache, not the server
    again = mobilenet_v2.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights="imagenet"
    )
    np.testing.assert_array_equal(again.get_weights()[0], published.get_weights()[0])


def test_decode_predictions_checks_the_class_index_hash(server, tmp_path, monkeypatch):
    root, url = server
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", url + "index.json")
    monkeypatch.setattr(imagenet_utils, "_CLASS_INDEX", None)
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    data = json.dumps(index).encode()
    (root / "index.json").write_bytes(data)
    preds = np.zeros((2, 1000), "float32")
    preds[0, 7], preds[1, 999] = 0.9, 0.8
    # The file served is not Keras's: the real hash check refuses it.
    with pytest.raises(Exception, match="(?i)hash"):
        mobilenet_v2.decode_predictions(preds)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", hashlib.md5(data).hexdigest())
    decoded = mobilenet_v2.decode_predictions(preds, top=2)
    assert decoded[0][0] == ("n00000007", "class_7", pytest.approx(0.9))
    assert decoded[1][0] == ("n00000999", "class_999", pytest.approx(0.8))
    with pytest.raises(LayerfitValueError, match=r"shape \(samples, 1000\)"):
        mobilenet_v2.decode_predictions(preds[:, :10])


def test_preprocess_input_scales_to_minus_one_one():
    x = np.array([[[[0, 127.5, 255]]]], "float32")
    np.testing.assert_allclose(mobilenet_v2.preprocess_input(x), [[[[-1.0, 0.0, 1.0]]]])
    caffe = imagenet_utils.preprocess_input(x, mode="caffe")
    np.testing.assert_allclose(caffe, [[[[255 - 103.939, 127.5 - 116.779, 0 - 123.68]]]], rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, cause, fix",
    [
        ({"weights": "imagenet", "classes": 10}, "classes=10 with weights='imagenet'", "include_top=False"),
        ({"weights": "nowhere.h5"}, "weights='nowhere.h5' is neither", "check the path"),
        ({"weights": "imagenet", "alpha": 0.4, "include_top": False}, "alpha=0.4", "weights=None"),
        ({"weights": None, "include_top": False, "pooling": "sum"}, "pooling='sum'", "pooling='avg'"),
        ({"weights": None, "input_shape": (16, 16, 3), "include_top": False}, "smaller", "Resizing"),
    ],
)  # fmt: skip
def test_bad_arguments_name_cause_and_fix(kwargs, cause, fix):
    with pytest.raises(LayerfitValueError) as info:
        mobilenet_v2.MobileNetV2(**{"input_shape": (32, 32, 3), "alpha": 0.35, **kwargs})
    assert cause in str(info.value) and fix in str(info.value)


def dark_or_bright(count, seed):
    """Noisy 32x32 RGB images, dark (class 0) or bright (class 1), in [-1, 1] as MobileNetV2
    expects."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, count)
    level = np.where(labels == 1, rng.uniform(0.55, 0.8, count), rng.uniform(0.2, 0.45, count))
    images = level[:, None, None, None] * 255 + rng.normal(0, 30, (count, 32, 32, 3))
    return mobilenet_v2.preprocess_input(np.clip(images, 0, 255).astype("float32")), labels


def calibrate(base, x):
    """Sets each BatchNormalization's statistics to those of its inputs on ``x``, in order, as
    a pretrained base has them (a random base's are 0 and 1, and its features vanish)."""
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            inputs = keras.Model(base.inputs, layer.input).predict(x, verbose=0)
            gamma, beta, _, _ = layer.get_weights()
            layer.set_weights([gamma, beta, inputs.mean((0, 1, 2)), inputs.var((0, 1, 2))])


def test_transfer_learning_frozen_base_new_head_then_fine_tune(tmp_path, capsys):
    keras.utils.set_random_seed(0)
    base = mobilenet_v2.MobileNetV2(
        input_shape=(32, 32, 3), alpha=0.35, include_top=False, pooling="avg", weights=None
    )
    base.save_weights(tmp_path / "base.weights.h5")  # the weights=path form, as with a file
    base = mobilenet_v2.MobileNetV2(
        input_shape=(32, 32, 3),
        alpha=0.35,
        include_top=False,
        pooling="avg",
        weights=str(tmp_path / "base.weights.h5"),
    )
    x, y = dark_or_bright(128, seed=0)
    calibrate(base, dark_or_bright(64, seed=1)[0])
    base.trainable = False
    inputs = keras.Input((32, 32, 3))
    outputs = keras.layers.Dense(2, activation="softmax")(base(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(
        keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.summary()
    printed = capsys.readouterr().out
    assert f"Non-trainable params: {base.count_params():,}" in printed
    assert f"Trainable params: {model.count_params() - base.count_params():,}" in printed
    moving = [w.detach().clone() for w in base.non_trainable_weights]
    before = model.evaluate(x, y, verbose=0)[1]
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    after = model.evaluate(x, y, verbose=0)[1]
    assert after >= 0.85 and after > before, (before, after, history.history["loss"])
    # Frozen: BatchNormalization ran in inference mode, its statistics did not move.
    for old, new in zip(moving, base.non_trainable_weights):
        assert np.array_equal(old.numpy(), new.detach().numpy())
    base.trainable = True
    model.compile(
        keras.optimizers.Adam(1e-5), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    kernel = base.get_layer("Conv1").get_weights()[0]
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert not np.array_equal(kernel, base.get_layer("Conv1").get_weights()[0])
    assert model.evaluate(x, y, verbose=0)[1] >= 0.8
