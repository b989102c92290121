"""MobileNetV2, layer for layer as ``keras.applications.mobilenet_v2`` builds it (same layer
names, shapes and parameter counts), so Keras's published weights load by name."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
_SIZES = (96, 128, 160, 192, 224)

__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]


def MobileNetV2(  # noqa: N802 (Keras's name)
    input_shape=None,
    alpha=1.0,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """MobileNetV2 (Sandler et al., 2018) for images, channels last.

    Args:
        input_shape: (height, width, 3) or None (224x224, or any size without the top).
        alpha: width multiplier: < 1 thins every layer, > 1 widens. Defaults to 1.0.
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once), None (random)
            or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        name: the model's name. Defaults to ``mobilenetv2_{alpha}_{rows}``.

    Example:
    >>> base = MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
    >>> base.trainable = False
    """
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    imagenet_utils.validate_activation(classifier_activation, weights)
    size = _common.default_size(input_shape, input_tensor, _SIZES, 224)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, size, 32, require_flatten=include_top, weights=weights
    )
    rows = input_shape[0]
    if weights == "imagenet":
        _common.check_choice("alpha", alpha, _ALPHAS)
        if rows != input_shape[1] or rows not in _SIZES:
            rows = _common.default_rows_warning(224)
    inputs = _common.input_for(input_shape, input_tensor)
    x = layers.Conv2D(
        _divisible(32 * alpha), 3, strides=(2, 2), padding="same", use_bias=False, name="Conv1"
    )(inputs)
    x = _bn("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    blocks = [(16, 1, 1)] + [(f, s, 6) for f, s in _EXPANDED]
    for block_id, (filters, stride, expansion) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last = _divisible(1280 * alpha) if alpha > 1.0 else 1280
    x = layers.Conv2D(last, 1, use_bias=False, name="Conv_1")(x)
    x = _bn("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    x = _common.top(x, include_top, pooling, classes, classifier_activation)
    model = _common.model(inputs, x, input_tensor, name or f"mobilenetv2_{alpha:0.2f}_{rows}")
    if weights == "imagenet":
        file = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
        file += ".h5" if include_top else "_no_top.h5"
        weights = _common.download(BASE_WEIGHT_PATH, file, file_hash=None)
    if weights is not None:
        model.load_weights(weights)
    return model


# (filters, stride) of blocks 1..16 (block 0 has no expansion).
_EXPANDED = [
    (24, 2), (24, 1),
    (32, 2), (32, 1), (32, 1),
    (64, 2), (64, 1), (64, 1), (64, 1),
    (96, 1), (96, 1), (96, 1),
    (160, 2), (160, 1), (160, 1),
    (320, 1),
]  # fmt: skip


def _divisible(value, divisor=8):
    """The nearest multiple of ``divisor``, never more than 10% below ``value``."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _bn(name):
    from layerfit import layers

    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    from layerfit import layers

    in_channels = inputs.shape[-1]
    pointwise = _divisible(int(filters * alpha))
    x = inputs
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels, 1, padding="same", use_bias=False, name=f"{prefix}expand"
        )(x)
        x = _bn(f"{prefix}expand_BN")(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    if stride == 2:
        pad = imagenet_utils.correct_pad(x, 3)
        x = layers.ZeroPadding2D(padding=pad, name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(
        3,
        strides=stride,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=f"{prefix}depthwise",
    )(x)
    x = _bn(f"{prefix}depthwise_BN")(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_BN")(x)
    if in_channels == pointwise and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as MobileNetV2 was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
