"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2017), layer for layer as
``keras.applications.densenet`` builds them, with Keras's published weights and file hashes."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# Keras's md5 hashes of its published files: (with the classifier, without).
WEIGHTS_HASHES = {
    "densenet121": ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    "densenet169": ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    "densenet201": ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
# Building blocks per dense block (conv2..conv5).
_BLOCKS = {"densenet121": (6, 12, 24, 16), "densenet169": (6, 12, 32, 32), "densenet201": (6, 12, 48, 32)}  # fmt: skip

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]


def _densenet(
    weights_name,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
):
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 224, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn("conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, blocks in enumerate(_BLOCKS[weights_name]):
        for block in range(1, blocks + 1):
            x = _conv_block(x, 32, f"conv{stage + 2}_block{block}")
        if stage < 3:
            x = _transition_block(x, 0.5, f"pool{stage + 2}")
    x = _bn("bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pool(x, pooling)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        suffix = "" if include_top else "_notop"
        file = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
        weights = _common.download(BASE_WEIGHTS_PATH, file, file_hash=file_hash)
    if weights is not None:
        _common.load_weights(model, weights)
    return model


def _bn(name):
    from layerfit import layers

    return layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name)


def _conv_block(x, growth_rate, name):
    """BatchNormalization, ReLU, 1x1 (4x growth), again, 3x3 (growth): ``growth_rate`` new
    channels concatenated to the input."""
    from layerfit import layers

    x1 = _bn(f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = _bn(f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=3, name=f"{name}_concat")([x, x1])


def _transition_block(x, reduction, name):
    """Between dense blocks: a 1x1 convolution to ``reduction`` of the channels, 2x2 pooling."""
    from layerfit import layers

    x = _bn(f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    filters = int(x.shape[3] * reduction)
    x = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet121(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet121",
):
    return _densenet(
        "densenet121",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def DenseNet169(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet169",
):
    return _densenet(
        "densenet169",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def DenseNet201(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet201",
):
    return _densenet(
        "densenet201",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


_common.document((DenseNet121, DenseNet169, DenseNet201), "densenet")


def preprocess_input(x, data_format=None):
    """Scales pixels to [0, 1], then by the ImageNet mean and standard deviation per channel,
    as DenseNet was trained (Keras's 'torch' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
