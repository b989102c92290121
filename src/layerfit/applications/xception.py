"""Xception, layer for layer as ``keras.applications.xception`` builds it (same layer names,
shapes and parameter counts), so Keras's published weights load."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils

WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "xception/xception_weights_tf_dim_ordering_tf_kernels.h5"
)
WEIGHTS_PATH_NO_TOP = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "xception/xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
# Keras's md5 hashes of the two files.
_HASH_TOP = "0a58e3b7378bc2990ea3b43d5981f1f6"
_HASH_NO_TOP = "b0042744bf5b25fce3cb969f33bebb97"

__all__ = ["Xception", "decode_predictions", "preprocess_input"]


def Xception(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="xception",
):
    """Xception (Chollet, 2017) for images, channels last.

    Args:
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once), None (random)
            or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        input_shape: (height, width, 3), at least 71x71; None means 299x299, or any size
            without the top. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        name: the model's name. Defaults to "xception".

    Example:
    >>> base = Xception(include_top=False, weights=None, input_shape=(71, 71, 3))
    >>> base.output.shape
    (None, 3, 3, 2048)
    """
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 299, 71, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)

    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(inputs)
    x = layers.BatchNormalization(name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    # Entry flow: blocks 2-4 halve the size, with a strided 1x1 shortcut.
    x = _entry_block(x, 128, 2, relu_first=False)
    x = _entry_block(x, 256, 3)
    x = _entry_block(x, 728, 4)
    # Middle flow: eight residual blocks of three separable convolutions.
    for block in range(5, 13):
        residual = x
        for conv in (1, 2, 3):
            prefix = f"block{block}_sepconv{conv}"
            x = layers.Activation("relu", name=f"{prefix}_act")(x)
            x = _sepconv(728, prefix)(x)
            x = layers.BatchNormalization(name=f"{prefix}_bn")(x)
        x = layers.Add()([x, residual])
    # Exit flow.
    x = _entry_block(x, (728, 1024), 13, shortcut=1024)
    x = _sepconv(1536, "block14_sepconv1")(x)
    x = layers.BatchNormalization(name="block14_sepconv1_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sepconv(2048, "block14_sepconv2")(x)
    x = layers.BatchNormalization(name="block14_sepconv2_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pool(x, pooling, avg_name=None, max_name=None)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        url, file_hash = (
            (WEIGHTS_PATH, _HASH_TOP) if include_top else (WEIGHTS_PATH_NO_TOP, _HASH_NO_TOP)
        )
        weights = _common.download(*_common.split_url(url), file_hash=file_hash)
    if weights is not None:
        _common.load_weights(model, weights)
    return model


def _sepconv(filters, name):
    from layerfit import layers

    return layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)


def _entry_block(x, filters, block, relu_first=True, shortcut=None):
    """Two separable convolutions and a stride-2 max pool, plus a strided 1x1 shortcut."""
    from layerfit import layers

    first, second = filters if isinstance(filters, tuple) else (filters, filters)
    residual = layers.Conv2D(
        shortcut or second, (1, 1), strides=(2, 2), padding="same", use_bias=False
    )(x)
    residual = layers.BatchNormalization()(residual)
    prefix = f"block{block}_sepconv"
    if relu_first:
        x = layers.Activation("relu", name=f"{prefix}1_act")(x)
    x = _sepconv(first, f"{prefix}1")(x)
    x = layers.BatchNormalization(name=f"{prefix}1_bn")(x)
    x = layers.Activation("relu", name=f"{prefix}2_act")(x)
    x = _sepconv(second, f"{prefix}2")(x)
    x = layers.BatchNormalization(name=f"{prefix}2_bn")(x)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as Xception was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
