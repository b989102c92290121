"""EfficientNetB0 to B7, layer for layer as ``keras.applications.efficientnet`` builds them
(same layer names, shapes and parameter counts), so Keras's published weights load by name.

The preprocessing is inside the model (Rescaling to [0, 1], then Normalization): the models
take float pixels in [0, 255], and ``preprocess_input`` passes its input through, as Keras's.
"""

from __future__ import annotations

import math

from layerfit.applications import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"

# Keras's md5 hashes of its published files: (with the top, without it).
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}

# The ImageNet standard deviations; the published weights expect (x - mean) / std**2 after
# Normalization's (x - mean) / std, hence a second Rescaling by 1 / sqrt(std) (as in Keras).
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]

# (kernel size, repeats, filters in, filters out, expand ratio, strides) per stage of B0;
# every block has id_skip and se_ratio 0.25.
_STAGES = [
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
]

# (width, depth, default size, dropout) of B0..B7.
_SCALING = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "decode_predictions",
    "preprocess_input",
]


def _conv_init():
    from layerfit import initializers

    return initializers.VarianceScaling(2.0, "fan_out", "truncated_normal")


def _dense_init():
    from layerfit import initializers

    return initializers.VarianceScaling(1.0 / 3.0, "fan_out", "uniform")


def _efficientnet(
    variant,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
    drop_connect_rate=0.2,
    depth_divisor=8,
    activation="swish",
):
    """EfficientNet with the scaling of ``variant`` ("b0".."b7")."""
    from layerfit import layers

    width, depth, size, dropout_rate = _SCALING[variant]
    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, size, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)

    def round_filters(filters):
        return _round_filters(filters * width, depth_divisor)

    x = layers.Rescaling(1.0 / 255.0)(inputs)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(std) for std in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(
        round_filters(32),
        3,
        strides=2,
        padding="valid",
        use_bias=False,
        kernel_initializer=_conv_init(),
        name="stem_conv",
    )(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    repeats = [int(math.ceil(depth * stage[1])) for stage in _STAGES]
    total, index = float(sum(repeats)), 0
    for stage, (kernel, _, filters_in, filters_out, expand, strides) in enumerate(_STAGES):
        filters_in, filters_out = round_filters(filters_in), round_filters(filters_out)
        for j in range(repeats[stage]):
            x = _block(
                x,
                activation,
                drop_connect_rate * index / total,
                f"block{stage + 1}{chr(j + 97)}_",
                filters_in if j == 0 else filters_out,
                filters_out,
                kernel,
                strides if j == 0 else 1,
                expand,
            )
            index += 1

    x = layers.Conv2D(
        round_filters(1280),
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=_conv_init(),
        name="top_conv",
    )(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=_dense_init(),
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


def _round_filters(filters, divisor):
    """The nearest multiple of ``divisor``, never more than 10% below ``filters``."""
    rounded = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    return int(rounded + divisor if rounded < 0.9 * filters else rounded)


def _block(inputs, activation, drop_rate, name, filters_in, filters_out, kernel, strides, expand):
    """An inverted residual block with squeeze-and-excitation (se_ratio 0.25)."""
    from layerfit import layers

    filters = filters_in * expand
    x = inputs
    if expand != 1:
        x = layers.Conv2D(
            filters,
            1,
            padding="same",
            use_bias=False,
            kernel_initializer=_conv_init(),
            name=f"{name}expand_conv",
        )(x)
        x = layers.BatchNormalization(axis=3, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        pad = imagenet_utils.correct_pad(x, kernel)
        x = layers.ZeroPadding2D(padding=pad, name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel,
        strides=strides,
        padding="valid" if strides == 2 else "same",
        use_bias=False,
        depthwise_initializer=_conv_init(),
        name=f"{name}dwconv",
    )(x)
    x = layers.BatchNormalization(axis=3, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)

    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
    se = layers.Conv2D(
        max(1, int(filters_in * 0.25)),
        1,
        padding="same",
        activation=activation,
        kernel_initializer=_conv_init(),
        name=f"{name}se_reduce",
    )(se)
    se = layers.Conv2D(
        filters,
        1,
        padding="same",
        activation="sigmoid",
        kernel_initializer=_conv_init(),
        name=f"{name}se_expand",
    )(se)
    x = layers.Multiply(name=f"{name}se_excite")([x, se])

    x = layers.Conv2D(
        filters_out,
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=_conv_init(),
        name=f"{name}project_conv",
    )(x)
    x = layers.BatchNormalization(axis=3, name=f"{name}project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            # Stochastic depth: drops the whole residual branch per sample while training.
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.Add(name=f"{name}add")([x, inputs])
    return x


def _variant(variant):
    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=f"efficientnet{variant}",
    ):
        return _efficientnet(
            variant,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name,
        )

    title = f"EfficientNet{variant.upper()}"
    size = _SCALING[variant][2]
    build.__name__ = build.__qualname__ = title
    build.__doc__ = f"""{title} (Tan and Le, 2019) for images, channels last.

    The model rescales its input itself: pass float pixels in [0, 255].

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
        name: the model's name. Defaults to "efficientnet{variant}".

    Example:
    >>> base = {title}(include_top=False, weights=None, input_shape=(64, 64, 3))
    >>> base.output.shape[-1] > 0
    True
    """
    build.__module__ = __name__
    return build


EfficientNetB0 = _variant("b0")
EfficientNetB1 = _variant("b1")
EfficientNetB2 = _variant("b2")
EfficientNetB3 = _variant("b3")
EfficientNetB4 = _variant("b4")
EfficientNetB5 = _variant("b5")
EfficientNetB6 = _variant("b6")
EfficientNetB7 = _variant("b7")


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: EfficientNet models rescale inside (Keras keeps this for
    compatibility)."""
    return x


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
