"""EfficientNetV2 B0-B3, S, M and L, layer for layer as ``keras.applications.efficientnet_v2``
builds them (same layer names, shapes and parameter counts), so Keras's published weights load.

With ``include_preprocessing=True`` (the default) the model rescales inside: it takes float
pixels in [0, 255], and ``preprocess_input`` passes its input through, as Keras's.
"""

from __future__ import annotations

import math

from layerfit.applications import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"

# Keras's md5 hashes of its published files: (with the top, without it).
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}

# Stages as (kernel, repeats, filters in, filters out, expand ratio, se ratio, strides, fused).
_B_STAGES = [
    (3, 1, 32, 16, 1, 0, 1, True),
    (3, 2, 16, 32, 4, 0, 2, True),
    (3, 2, 32, 48, 4, 0, 2, True),
    (3, 3, 48, 96, 4, 0.25, 2, False),
    (3, 5, 96, 112, 6, 0.25, 1, False),
    (3, 8, 112, 192, 6, 0.25, 2, False),
]
_STAGES = {
    "-s": [
        (3, 2, 24, 24, 1, 0, 1, True),
        (3, 4, 24, 48, 4, 0, 2, True),
        (3, 4, 48, 64, 4, 0, 2, True),
        (3, 6, 64, 128, 4, 0.25, 2, False),
        (3, 9, 128, 160, 6, 0.25, 1, False),
        (3, 15, 160, 256, 6, 0.25, 2, False),
    ],
    "-m": [
        (3, 3, 24, 24, 1, 0, 1, True),
        (3, 5, 24, 48, 4, 0, 2, True),
        (3, 5, 48, 80, 4, 0, 2, True),
        (3, 7, 80, 160, 4, 0.25, 2, False),
        (3, 14, 160, 176, 6, 0.25, 1, False),
        (3, 18, 176, 304, 6, 0.25, 2, False),
        (3, 5, 304, 512, 6, 0.25, 1, False),
    ],
    "-l": [
        (3, 4, 32, 32, 1, 0, 1, True),
        (3, 7, 32, 64, 4, 0, 2, True),
        (3, 7, 64, 96, 4, 0, 2, True),
        (3, 10, 96, 192, 4, 0.25, 2, False),
        (3, 19, 192, 224, 6, 0.25, 1, False),
        (3, 25, 224, 384, 6, 0.25, 2, False),
        (3, 7, 384, 640, 6, 0.25, 1, False),
    ],
    **{variant: _B_STAGES for variant in ("b0", "b1", "b2", "b3")},
}

# (width, depth, default size) per variant.
_SCALING = {
    "b0": (1.0, 1.0, 224),
    "b1": (1.0, 1.1, 240),
    "b2": (1.1, 1.2, 260),
    "b3": (1.2, 1.4, 300),
    "-s": (1.0, 1.0, 384),
    "-m": (1.0, 1.0, 480),
    "-l": (1.0, 1.0, 480),
}

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "decode_predictions",
    "preprocess_input",
]

_BN_MOMENTUM = 0.9


def _conv_init():
    from layerfit import initializers

    return initializers.VarianceScaling(2.0, "fan_out", "truncated_normal")


def _efficientnet_v2(
    variant,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    include_preprocessing,
    name,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    activation="swish",
):
    from layerfit import initializers, layers

    width, depth, size = _SCALING[variant]
    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, size, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)

    def round_filters(filters):
        return int(max(8, int(filters * width + 4) // 8 * 8))

    x = inputs
    if include_preprocessing:
        # The B variants were trained on ImageNet mean/std inputs, S/M/L on [-1, 1]. Keras
        # tells them apart by the model's name (and fails on any other name); the variant
        # decides here, so a renamed model keeps its preprocessing.
        if variant.startswith("b") and input_shape[-1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=3,
            )(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    stages = _STAGES[variant]
    x = layers.Conv2D(
        round_filters(stages[0][2]),
        3,
        strides=2,
        kernel_initializer=_conv_init(),
        padding="same",
        use_bias=False,
        name="stem_conv",
    )(x)
    x = layers.BatchNormalization(axis=3, momentum=_BN_MOMENTUM, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    total, index = float(sum(stage[1] for stage in stages)), 0
    for i, (kernel, repeats, f_in, f_out, expand, se_ratio, strides, fused) in enumerate(stages):
        f_in, f_out = round_filters(f_in), round_filters(f_out)
        block = _fused_mbconv if fused else _mbconv
        for j in range(int(math.ceil(depth * repeats))):
            x = block(
                x,
                f_in if j == 0 else f_out,
                f_out,
                expand,
                kernel,
                strides if j == 0 else 1,
                se_ratio,
                activation,
                # Keras's argument is called survival_probability, but it is the drop rate.
                drop_connect_rate * index / total,
                f"block{i + 1}{chr(j + 97)}_",
            )
            index += 1

    x = layers.Conv2D(
        round_filters(1280),
        1,
        strides=1,
        kernel_initializer=_conv_init(),
        padding="same",
        use_bias=False,
        name="top_conv",
    )(x)
    x = layers.BatchNormalization(axis=3, momentum=_BN_MOMENTUM, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=initializers.VarianceScaling(1.0 / 3.0, "fan_out", "uniform"),
            bias_initializer=initializers.Constant(0.0),
            name="predictions",
        )(x)
    else:
        x = _common.pool(x, pooling)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        file = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[variant][0 if include_top else 1]
        weights = _common.download(BASE_WEIGHTS_PATH, file, file_hash=file_hash)
    if weights is not None:
        _common.load_weights(model, weights)
    return model


def _bn(name):
    from layerfit import layers

    return layers.BatchNormalization(axis=3, momentum=_BN_MOMENTUM, name=name)


def _conv(filters, kernel, name, strides=1, activation=None, use_bias=False):
    from layerfit import layers

    return layers.Conv2D(
        filters,
        kernel,
        strides=strides,
        kernel_initializer=_conv_init(),
        padding="same",
        use_bias=use_bias,
        activation=activation,
        name=name,
    )


def _squeeze_excite(x, f_in, filters, se_ratio, activation, name):
    from layerfit import layers

    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
    reduced = max(1, int(f_in * se_ratio))
    se = _conv(reduced, 1, f"{name}se_reduce", activation=activation, use_bias=True)(se)
    se = _conv(filters, 1, f"{name}se_expand", activation="sigmoid", use_bias=True)(se)
    return layers.Multiply(name=f"{name}se_excite")([x, se])


def _residual(x, inputs, f_in, f_out, strides, drop_rate, name):
    from layerfit import layers

    if strides != 1 or f_in != f_out:
        return x
    if drop_rate:
        # Stochastic depth: drops the whole residual branch per sample while training.
        x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.Add(name=f"{name}add")([x, inputs])


def _mbconv(inputs, f_in, f_out, expand, kernel, strides, se_ratio, activation, drop, name):
    """Mobile inverted residual bottleneck: 1x1 expand, depthwise, squeeze-excite, 1x1."""
    from layerfit import layers

    filters = f_in * expand
    x = inputs
    if expand != 1:
        x = _conv(filters, 1, f"{name}expand_conv")(x)
        x = _bn(f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    x = layers.DepthwiseConv2D(
        kernel,
        strides=strides,
        depthwise_initializer=_conv_init(),
        padding="same",
        use_bias=False,
        name=f"{name}dwconv2",
    )(x)
    x = _bn(f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, f_in, filters, se_ratio, activation, name)
    x = _conv(f_out, 1, f"{name}project_conv")(x)
    x = _bn(f"{name}project_bn")(x)
    return _residual(x, inputs, f_in, f_out, strides, drop, name)


def _fused_mbconv(inputs, f_in, f_out, expand, kernel, strides, se_ratio, activation, drop, name):
    """The expansion and depthwise convolutions fused into one full convolution."""
    from layerfit import layers

    filters = f_in * expand
    x = inputs
    if expand != 1:
        x = _conv(filters, kernel, f"{name}expand_conv", strides=strides)(x)
        x = _bn(f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, f_in, filters, se_ratio, activation, name)
    if expand != 1:
        x = _conv(f_out, 1, f"{name}project_conv")(x)
    else:
        x = _conv(f_out, kernel, f"{name}project_conv", strides=strides)(x)
    x = _bn(f"{name}project_bn")(x)
    if expand == 1:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    return _residual(x, inputs, f_in, f_out, strides, drop, name)


def _variant(variant, title):
    default_name = f"efficientnetv2-{variant.lstrip('-')}"

    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        include_preprocessing=True,
        name=default_name,
    ):
        return _efficientnet_v2(
            variant,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            include_preprocessing,
            name,
        )

    size = _SCALING[variant][2]
    build.__name__ = build.__qualname__ = title
    build.__module__ = __name__
    build.__doc__ = f"""{title} (Tan and Le, 2021) for images, channels last.

    Args:
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once), None (random)
            or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        input_shape: (height, width, 3), at least 32x32; None means {size}x{size}, or any
            size without the top. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        include_preprocessing: whether the model rescales its input itself (then pass
            float pixels in [0, 255]). Defaults to True.
        name: the model's name. Defaults to "{default_name}".

    Example:
    >>> base = {title}(include_top=False, weights=None, input_shape=(64, 64, 3))
    >>> base.output.shape[-1] > 0
    True
    """
    return build


EfficientNetV2B0 = _variant("b0", "EfficientNetV2B0")
EfficientNetV2B1 = _variant("b1", "EfficientNetV2B1")
EfficientNetV2B2 = _variant("b2", "EfficientNetV2B2")
EfficientNetV2B3 = _variant("b3", "EfficientNetV2B3")
EfficientNetV2S = _variant("-s", "EfficientNetV2S")
EfficientNetV2M = _variant("-m", "EfficientNetV2M")
EfficientNetV2L = _variant("-l", "EfficientNetV2L")


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: EfficientNetV2 models rescale inside (with
    ``include_preprocessing=True``; Keras keeps this for compatibility)."""
    return x


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
