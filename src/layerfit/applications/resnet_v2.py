"""ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., 2016: pre-activation blocks), layer
for layer as ``keras.applications.resnet_v2`` builds them on ResNet's stem and top
(``resnet._resnet``, as Keras's ``resnet.ResNet``), with Keras's published weights."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils, resnet

# Residual blocks per stage (conv2..conv5).
_DEPTHS = {"resnet50v2": (3, 4, 6, 3), "resnet101v2": (3, 4, 23, 3), "resnet152v2": (3, 8, 36, 3)}

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]


def _stack_v2(depths):
    """Four stages of pre-activation blocks; each stage but the last halves the size in its
    last block (Keras's ``stack_residual_blocks_v2``)."""

    def stack_fn(x):
        for stage, (filters, blocks) in enumerate(zip((64, 128, 256, 512), depths)):
            name = f"conv{stage + 2}"
            x = _block_v2(x, filters, 1, True, f"{name}_block1")
            for block in range(2, blocks):
                x = _block_v2(x, filters, 1, False, f"{name}_block{block}")
            x = _block_v2(x, filters, 1 if stage == 3 else 2, False, f"{name}_block{blocks}")
        return x

    return stack_fn


def _block_v2(x, filters, stride, conv_shortcut, name):
    """BatchNormalization and ReLU first, then 1x1, 3x3 (strided), 1x1 (4x wider), added to
    the shortcut (a 1x1 convolution, a strided 1x1 max pool, or the input)."""
    from layerfit import layers

    preact = resnet._bn(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = resnet._bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = resnet._bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def _resnet_v2(weights_name, *args):
    return resnet._resnet(_stack_v2(_DEPTHS[weights_name]), True, weights_name, *args)


def ResNet50V2(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50v2",
):
    return _resnet_v2(
        "resnet50v2",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet101V2(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101v2",
):
    return _resnet_v2(
        "resnet101v2",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet152V2(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152v2",
):
    return _resnet_v2(
        "resnet152v2",
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


_common.document((ResNet50V2, ResNet101V2, ResNet152V2), "resnet_v2")


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as ResNetV2 was trained (Keras's 'tf' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
