"""NASNetMobile and NASNetLarge (Zoph et al., 2018), layer for layer as
``keras.applications.nasnet`` builds them (same layer names, shapes and parameter counts), so
Keras's published weights load."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils
from layerfit.errors import LayerfitValueError, explain

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
# Keras's published files per default size: {size: ((name, URL file, md5) with the
# classifier, without)}; Keras caches them under names other than the URL's.
WEIGHTS_FILES = {
    224: (
        ("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
        ("nasnet_mobile_no_top.h5", "NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63"),
    ),
    331: (
        ("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
        ("nasnet_large_no_top.h5", "NASNet-large-no-top.h5", "d81d89dc07e6e56530c4e77faddd61b5"),
    ),
}
_MOMENTUM, _EPSILON = 0.9997, 1e-3

__all__ = ["NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]


def _nasnet(
    input_shape,
    penultimate_filters,
    num_blocks,
    stem_block_filters,
    skip_reduction,
    filter_multiplier,
    include_top,
    weights,
    input_tensor,
    pooling,
    classes,
    default_size,
    classifier_activation,
    name,
):
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise LayerfitValueError(
            explain(
                f"input_shape={input_shape} has a None size with weights='imagenet'.",
                "a fixed (height, width, 3) input_shape: NASNet's cells depend on the sizes.",
                "give both sizes, e.g. input_shape=(224, 224, 3), or pass weights=None.",
            )
        )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)
    filters = penultimate_filters // 24

    x = layers.Conv2D(
        stem_block_filters,
        (3, 3),
        strides=(2, 2),
        padding="valid",
        use_bias=False,
        name="stem_conv1",
        kernel_initializer="he_normal",
    )(inputs)
    x = _bn("stem_bn1")(x)
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), "stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, "stem_2")
    for stage in range(3):
        if stage:
            x, p0 = _reduction_a_cell(
                x, p, filters * filter_multiplier**stage, f"reduce_{stage * num_blocks}"
            )
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = f"{stage * num_blocks + i + (1 if stage else 0)}"
            x, p = _normal_a_cell(x, p, filters * filter_multiplier**stage, block_id)
    x = layers.Activation("relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pool(x, pooling, avg_name=None, max_name=None)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        file, url_file, file_hash = WEIGHTS_FILES[default_size][0 if include_top else 1]
        from layerfit.utils import get_file

        weights = get_file(
            file, BASE_WEIGHTS_PATH + url_file, cache_subdir="models", file_hash=file_hash
        )
    if weights is not None:
        _common.load_weights(model, weights)
    return model


def _bn(name):
    from layerfit import layers

    return layers.BatchNormalization(axis=-1, momentum=_MOMENTUM, epsilon=_EPSILON, name=name)


def _conv1x1(filters, name):
    from layerfit import layers

    return layers.Conv2D(
        filters,
        (1, 1),
        padding="same",
        use_bias=False,
        name=name,
        kernel_initializer="he_normal",
    )


def _separable_conv_block(ip, filters, kernel_size=3, strides=1, block_id=None):
    """ReLU, separable convolution (strided with Keras's padding), BatchNormalization, twice."""
    from layerfit import layers

    x = layers.Activation("relu")(ip)
    if strides == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"separable_conv_1_pad_{block_id}",
        )(x)
    x = layers.SeparableConv2D(
        filters,
        kernel_size,
        strides=strides,
        name=f"separable_conv_1_{block_id}",
        padding="valid" if strides == 2 else "same",
        use_bias=False,
    )(x)
    x = _bn(f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(
        filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same", use_bias=False
    )(x)
    return _bn(f"separable_conv_2_bn_{block_id}")(x)


def _adjust_block(p, ip, filters, block_id):
    """The previous cell's output ``p`` brought to ``ip``'s size (two offset strided 1x1
    paths) or channels (a 1x1 projection)."""
    from layerfit import layers

    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}"
        )(p)
        p1 = _conv1x1(filters // 2, f"adjust_conv_1_{block_id}")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}"
        )(p2)
        p2 = _conv1x1(filters // 2, f"adjust_conv_2_{block_id}")(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return _bn(f"adjust_bn_{block_id}")(p)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(p)
        return _bn(f"adjust_bn_{block_id}")(p)
    return p


def _squeeze(ip, filters, kind, block_id):
    """ReLU, 1x1 convolution, BatchNormalization: the cell's input at ``filters`` channels."""
    from layerfit import layers

    h = layers.Activation("relu")(ip)
    h = _conv1x1(filters, f"{kind}_conv_1_{block_id}")(h)
    return _bn(f"{kind}_bn_1_{block_id}")(h)


def _avg_pool(name, strides=1, padding="same"):
    from layerfit import layers

    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)


def _normal_a_cell(ip, p, filters, block_id):
    """NASNet-A's normal cell: five pairs of operations on the two inputs, summed and
    concatenated with the adjusted previous output. Returns (output, ip)."""
    from layerfit import layers

    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "normal", block_id)
    x1_1 = _separable_conv_block(h, filters, 5, block_id=f"normal_left1_{block_id}")
    x1_2 = _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"normal_add_1_{block_id}")
    x2_1 = _separable_conv_block(p, filters, 5, block_id=f"normal_left2_{block_id}")
    x2_2 = _separable_conv_block(p, filters, 3, block_id=f"normal_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"normal_add_2_{block_id}")
    x3 = _avg_pool(f"normal_left3_{block_id}")(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4_1 = _avg_pool(f"normal_left4_{block_id}")(p)
    x4_2 = _avg_pool(f"normal_right4_{block_id}")(p)
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
    x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id):
    """NASNet-A's reduction cell: as the normal cell, with stride-2 operations (half the
    size). Returns (output, ip)."""
    from layerfit import layers

    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(
        padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
    )(h)
    x1_1 = _separable_conv_block(h, filters, 5, 2, f"reduction_left1_{block_id}")
    x1_2 = _separable_conv_block(p, filters, 7, 2, f"reduction_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
    x2_1 = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}"
    )(h3)
    x2_2 = _separable_conv_block(p, filters, 7, 2, f"reduction_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
    x3_1 = _avg_pool(f"reduction_left3_{block_id}", strides=2, padding="valid")(h3)
    x3_2 = _separable_conv_block(p, filters, 5, 2, f"reduction_right3_{block_id}")
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
    x4 = _avg_pool(f"reduction_left4_{block_id}")(x1)
    x4 = layers.add([x2, x4])
    x5_1 = _separable_conv_block(x1, filters, 3, block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}"
    )(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


_DOC = """{title} (Zoph et al., 2018), as ``keras.applications.nasnet.{title}``, for images,
    channels last.

    Args:
        input_shape: (height, width, 3), at least 32x32; None is {size}x{size}. With
            weights="imagenet", both sizes fixed ({size}x{size} with the top). Defaults to None.
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once and checked against
            Keras's hash), None (random) or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        name: the model's name. Defaults to "{lower}".

    Example:
    >>> base = {title}(input_shape=({size}, {size}, 3), include_top=False, weights="imagenet")
    >>> base.trainable = False
    """


def NASNetMobile(  # noqa: N802 (Keras's name)
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_mobile",
):
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return _nasnet(
        input_shape,
        1056,
        4,
        32,
        False,
        2,
        include_top,
        weights,
        input_tensor,
        pooling,
        classes,
        224,
        classifier_activation,
        name,
    )


def NASNetLarge(  # noqa: N802 (Keras's name)
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_large",
):
    return _nasnet(
        input_shape,
        4032,
        6,
        96,
        True,
        2,
        include_top,
        weights,
        input_tensor,
        pooling,
        classes,
        331,
        classifier_activation,
        name,
    )


NASNetMobile.__doc__ = _DOC.format(title="NASNetMobile", lower="nasnet_mobile", size=224)
NASNetLarge.__doc__ = _DOC.format(title="NASNetLarge", lower="nasnet_large", size=331)


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as NASNet was trained (Keras's 'tf' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
