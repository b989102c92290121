"""ResNet50, ResNet101 and ResNet152 (He et al., 2015), layer for layer as
``keras.applications.resnet`` builds them, with Keras's published weights and file hashes."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
# Keras's md5 hashes of its published files: (with the classifier, without).
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
# Residual blocks per stage (conv2..conv5).
_DEPTHS = {"resnet50": (3, 4, 6, 3), "resnet101": (3, 4, 23, 3), "resnet152": (3, 8, 36, 3)}

__all__ = ["ResNet50", "ResNet101", "ResNet152", "decode_predictions", "preprocess_input"]


def _resnet(
    stack_fn,
    preact,
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
    """The stem, ``stack_fn``'s residual stages and the top, as Keras's ``resnet.ResNet``:
    ResNet (``preact=False``, a BatchNormalization after the stem) and ResNetV2
    (``preact=True``, one after the last stage) share it (``resnet_v2``)."""
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 224, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    if not preact:
        x = _bn("conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _bn("post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
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


def _stack_v1(depths):
    """ResNet's four stages of bottleneck blocks, ``depths`` blocks each."""

    def stack_fn(x):
        for stage, (filters, blocks) in enumerate(zip((64, 128, 256, 512), depths)):
            for block in range(1, blocks + 1):
                stride = (1 if stage == 0 else 2) if block == 1 else 1
                x = _block(x, filters, stride, block == 1, f"conv{stage + 2}_block{block}")
        return x

    return stack_fn


def _bn(name):
    from layerfit import layers

    return layers.BatchNormalization(axis=-1, epsilon=1.001e-5, name=name)


def _block(x, filters, stride, conv_shortcut, name):
    """The bottleneck block: 1x1, 3x3, 1x1 (4x wider), added to the shortcut."""
    from layerfit import layers

    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def ResNet50(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50",
):
    return _resnet(
        _stack_v1(_DEPTHS["resnet50"]),
        False,
        "resnet50",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet101(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101",
):
    return _resnet(
        _stack_v1(_DEPTHS["resnet101"]),
        False,
        "resnet101",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet152(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152",
):
    return _resnet(
        _stack_v1(_DEPTHS["resnet152"]),
        False,
        "resnet152",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


_common.document((ResNet50, ResNet101, ResNet152), "resnet")


def preprocess_input(x, data_format=None):
    """Converts RGB [0, 255] images to BGR minus the ImageNet mean, as ResNet was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
