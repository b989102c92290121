"""InceptionV3, layer for layer as ``keras.applications.inception_v3`` builds it (same layer
names, shapes and parameter counts), so Keras's published weights load."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils

WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
)
WEIGHTS_PATH_NO_TOP = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
# Keras's md5 hashes of the two files.
_HASH_TOP = "9a0d58056eeedaa3f26cb7ebd46da564"
_HASH_NO_TOP = "bcbd6486424b2319ff4ef7d526e38f63"

__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]


def InceptionV3(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_v3",
):
    """InceptionV3 (Szegedy et al., 2016) for images, channels last.

    Args:
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once), None (random)
            or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        input_shape: (height, width, 3), at least 75x75; None means 299x299, or any size
            without the top. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        name: the model's name. Defaults to "inception_v3".

    Example:
    >>> base = InceptionV3(include_top=False, weights=None, input_shape=(75, 75, 3))
    >>> base.output.shape
    (None, 1, 1, 2048)
    """
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 299, 75, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)

    x = _conv_bn(inputs, 32, 3, 3, strides=(2, 2), padding="valid")
    x = _conv_bn(x, 32, 3, 3, padding="valid")
    x = _conv_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _conv_bn(x, 80, 1, 1, padding="valid")
    x = _conv_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for index, pool_filters in enumerate((32, 64, 64)):
        x = _block_35(x, pool_filters, f"mixed{index}")
    x = _reduction_a(x)
    for index, filters in zip((4, 5, 6, 7), (128, 160, 160, 192)):
        x = _block_17(x, filters, f"mixed{index}")
    x = _reduction_b(x)
    for index in range(2):
        x = _block_8(x, index)

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


def _conv_bn(x, filters, rows, cols, padding="same", strides=(1, 1), name=None):
    """Conv2D (no bias), BatchNormalization (no scale), ReLU; unnamed unless ``name``."""
    from layerfit import layers

    x = layers.Conv2D(
        filters,
        (rows, cols),
        strides=strides,
        padding=padding,
        use_bias=False,
        name=None if name is None else f"{name}_conv",
    )(x)
    x = layers.BatchNormalization(axis=3, scale=False, name=None if name is None else f"{name}_bn")(
        x
    )
    return layers.Activation("relu", name=name)(x)


def _avg_pool_branch(x, filters):
    from layerfit import layers

    pooled = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return _conv_bn(pooled, filters, 1, 1)


def _block_35(x, pool_filters, name):
    """mixed0-2 (35x35 at 299): 1x1, 5x5, double 3x3 and pooled branches."""
    from layerfit import layers

    branch1x1 = _conv_bn(x, 64, 1, 1)
    branch5x5 = _conv_bn(_conv_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = _conv_bn(_conv_bn(_conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _avg_pool_branch(x, pool_filters)
    return layers.Concatenate(axis=3, name=name)([branch1x1, branch5x5, branch3x3dbl, branch_pool])


def _reduction_a(x):
    """mixed3: halves the size."""
    from layerfit import layers

    branch3x3 = _conv_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _conv_bn(_conv_bn(x, 64, 1, 1), 96, 3, 3)
    branch3x3dbl = _conv_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return layers.Concatenate(axis=3, name="mixed3")([branch3x3, branch3x3dbl, branch_pool])


def _block_17(x, filters, name):
    """mixed4-7 (17x17 at 299): factorised 7x7 convolutions."""
    from layerfit import layers

    branch1x1 = _conv_bn(x, 192, 1, 1)
    branch7x7 = _conv_bn(x, filters, 1, 1)
    branch7x7 = _conv_bn(branch7x7, filters, 1, 7)
    branch7x7 = _conv_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = _conv_bn(x, filters, 1, 1)
    for out, rows, cols in ((filters, 7, 1), (filters, 1, 7), (filters, 7, 1), (192, 1, 7)):
        branch7x7dbl = _conv_bn(branch7x7dbl, out, rows, cols)
    branch_pool = _avg_pool_branch(x, 192)
    return layers.Concatenate(axis=3, name=name)([branch1x1, branch7x7, branch7x7dbl, branch_pool])


def _reduction_b(x):
    """mixed8: halves the size."""
    from layerfit import layers

    branch3x3 = _conv_bn(x, 192, 1, 1)
    branch3x3 = _conv_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _conv_bn(x, 192, 1, 1)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return layers.Concatenate(axis=3, name="mixed8")([branch3x3, branch7x7x3, branch_pool])


def _block_8(x, index):
    """mixed9-10 (8x8 at 299): branches split into 1x3 and 3x1 halves."""
    from layerfit import layers

    branch1x1 = _conv_bn(x, 320, 1, 1)
    branch3x3 = _conv_bn(x, 384, 1, 1)
    branch3x3 = layers.Concatenate(axis=3, name=f"mixed9_{index}")(
        [_conv_bn(branch3x3, 384, 1, 3), _conv_bn(branch3x3, 384, 3, 1)]
    )
    branch3x3dbl = _conv_bn(_conv_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = layers.Concatenate(axis=3)(
        [_conv_bn(branch3x3dbl, 384, 1, 3), _conv_bn(branch3x3dbl, 384, 3, 1)]
    )
    branch_pool = _avg_pool_branch(x, 192)
    return layers.Concatenate(axis=3, name=f"mixed{9 + index}")(
        [branch1x1, branch3x3, branch3x3dbl, branch_pool]
    )


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as InceptionV3 was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
