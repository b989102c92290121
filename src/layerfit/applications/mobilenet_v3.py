"""MobileNetV3Small and MobileNetV3Large (Howard et al., 2019), layer for layer as
``keras.applications`` builds them, with Keras's published weights and file hashes.

As in Keras, the model rescales its input itself (``include_preprocessing``), so this module's
``preprocess_input`` returns its input unchanged, and the public module names only
``preprocess_input`` and ``decode_predictions`` (the models are ``layerfit.applications.*``).
"""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils
from layerfit.errors import LayerfitValueError, explain

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
# Keras's md5 hashes of its published files: (with the classifier, without).
WEIGHTS_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}  # fmt: skip

# Inverted residual blocks: (expansion, filters, kernel, stride, squeeze-excite, activation);
# kernel "k", squeeze-excite "se" and activation "act" are the variant's (5 / 0.25 / hard
# swish, or 3 / none / relu when minimalistic).
_SMALL = [
    (1, 16, 3, 2, "se", "relu"),
    (72 / 16, 24, 3, 2, None, "relu"),
    (88 / 24, 24, 3, 1, None, "relu"),
    (4, 40, "k", 2, "se", "act"),
    (6, 40, "k", 1, "se", "act"),
    (6, 40, "k", 1, "se", "act"),
    (3, 48, "k", 1, "se", "act"),
    (3, 48, "k", 1, "se", "act"),
    (6, 96, "k", 2, "se", "act"),
    (6, 96, "k", 1, "se", "act"),
    (6, 96, "k", 1, "se", "act"),
]
_LARGE = [
    (1, 16, 3, 1, None, "relu"), (4, 24, 3, 2, None, "relu"), (3, 24, 3, 1, None, "relu"),
    (3, 40, "k", 2, "se", "relu"), (3, 40, "k", 1, "se", "relu"), (3, 40, "k", 1, "se", "relu"),
    (6, 80, 3, 2, None, "act"), (2.5, 80, 3, 1, None, "act"), (2.3, 80, 3, 1, None, "act"),
    (2.3, 80, 3, 1, None, "act"), (6, 112, 3, 1, "se", "act"), (6, 112, 3, 1, "se", "act"),
    (6, 160, "k", 2, "se", "act"), (6, 160, "k", 1, "se", "act"), (6, 160, "k", 1, "se", "act"),
]  # fmt: skip

__all__ = ["decode_predictions", "preprocess_input"]


def _mobilenet_v3(model_type, blocks, last_point_ch, arguments):
    from layerfit import layers

    input_shape, alpha, minimalistic, include_top, weights, input_tensor = arguments[:6]
    classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name = arguments[
        6:
    ]
    _common.check_weights(weights, include_top, classes)
    if input_shape is not None and input_tensor is not None:
        _check_tensor_shape(input_shape, input_tensor)
    if input_shape is None and input_tensor is not None:
        input_shape = tuple(input_tensor.shape[1:])
    # Keras checks only the size here (no fixed size with the top: it pools globally).
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 224, 32, require_flatten=False, weights=None
    )
    if weights == "imagenet":
        _common.check_choice("alpha", alpha, (1.0,) if minimalistic else (0.75, 1.0))
        if input_shape[0] != input_shape[1] or input_shape[0] != 224:
            _common.default_rows_warning(224)
    kernel, se_ratio, act = (3, None, _relu) if minimalistic else (5, 0.25, _hard_swish)
    inputs = _common.input_for(input_shape, input_tensor)
    x = inputs
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = act(_bn("conv_bn")(x))
    for block_id, (expansion, filters, size, stride, se, activation) in enumerate(blocks):
        x = _inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            kernel if size == "k" else size,
            stride,
            se_ratio if se else None,
            act if activation == "act" else _relu,
            block_id,
        )
    last_conv_ch = _depth(x.shape[-1] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = act(_bn("conv_1_bn")(x))
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = act(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling in ("avg", "max"):
        pool = layers.GlobalAveragePooling2D if pooling == "avg" else layers.GlobalMaxPooling2D
        x = pool(name=f"{pooling}_pool")(x)
    else:
        x = _common.top(x, False, pooling, classes, classifier_activation)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        variant = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{float(alpha)}_float"
        if include_top:
            file, file_hash = f"weights_mobilenet_v3_{variant}.h5", WEIGHTS_HASHES[variant][0]
        else:
            file = f"weights_mobilenet_v3_{variant}_no_top_v2.h5"
            file_hash = WEIGHTS_HASHES[variant][1]
        weights = _common.download(BASE_WEIGHT_PATH, file, file_hash=file_hash)
    if weights is not None:
        model.load_weights(weights)
    return model


def _check_tensor_shape(input_shape, input_tensor):
    # Keras compares the widths only; both sizes are compared here (the tensor is used).
    if tuple(input_tensor.shape[1:3]) != tuple(input_shape[:2]):
        raise LayerfitValueError(
            explain(
                f"input_shape={tuple(input_shape)} does not match input_tensor's shape "
                f"{tuple(input_tensor.shape)}.",
                "the same height and width in both (the model is built on input_tensor).",
                "drop input_shape when you pass input_tensor.",
            )
        )


def _bn(name):
    from layerfit import layers

    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)


def _relu(x):
    from layerfit import layers

    return layers.ReLU()(x)


def _hard_swish(x):
    from layerfit import layers

    return layers.Activation("hard_swish")(x)


def _hard_sigmoid(x):
    """relu6(x + 3) / 6. Keras writes it as two tensor operations around a ``ReLU(6.0)``
    layer; layerfit's symbolic tensors have no arithmetic, so it is one ``Activation`` layer
    with the same function, named as Keras's ReLU layer is (``re_lu_<n>``)."""
    from layerfit import backend, layers

    return layers.Activation("hard_sigmoid", name=backend.unique_name("re_lu"))(x)


def _depth(value, divisor=8):
    """The nearest multiple of ``divisor``, never more than 10% below ``value``."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _se_block(inputs, filters, se_ratio, prefix):
    """Squeeze and excite: channel weights from the pooled features."""
    from layerfit import layers

    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs
    )
    x = layers.Conv2D(
        _depth(filters * se_ratio), 1, padding="same", name=f"{prefix}squeeze_excite_conv"
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, 1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block):
    from layerfit import layers

    shortcut = x
    prefix = f"expanded_conv_{block}_" if block else "expanded_conv_"
    in_filters = x.shape[-1]
    if block:
        x = layers.Conv2D(
            _depth(in_filters * expansion),
            1,
            padding="same",
            use_bias=False,
            name=f"{prefix}expand",
        )(x)
        x = activation(_bn(f"{prefix}expand_bn")(x))
    if stride == 2:
        pad = imagenet_utils.correct_pad(x, kernel_size)
        x = layers.ZeroPadding2D(padding=pad, name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)
    x = activation(_bn(f"{prefix}depthwise_bn")(x))
    if se_ratio:
        x = _se_block(x, _depth(in_filters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_bn")(x)
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


_DOC = """{title}, as ``keras.applications.{title}``, for images, channels last.

    Args:
        input_shape: (height, width, 3), at least 32x32, or None (any size). The pretrained
            weights are for 224x224. Defaults to None.
        alpha: width multiplier: < 1 thins every layer, > 1 widens (0.75 or 1.0 with
            weights="imagenet"; 1.0 when minimalistic). Defaults to 1.0.
        minimalistic: 3x3 kernels, ReLU and no squeeze-and-excite blocks (faster on some
            hardware). Defaults to False.
        include_top: whether to end with the classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once and checked against
            Keras's hash), None (random) or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        dropout_rate: dropout before the classifier's last convolution (0 for none).
            Defaults to 0.2.
        classifier_activation: the classifier's activation; "softmax" or None with
            weights="imagenet". Defaults to "softmax".
        include_preprocessing: whether the model rescales [0, 255] pixels to [-1, 1] itself
            (a ``Rescaling`` layer first). Defaults to True.
        name: the model's name. Defaults to "{title}".

    Example:
    >>> base = {title}(input_shape=(224, 224, 3), include_top=False, weights="imagenet")
    >>> base.trainable = False
    """


def MobileNetV3Small(  # noqa: N802 (Keras's name)
    input_shape=None,
    alpha=1.0,
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="MobileNetV3Small",
):
    arguments = (input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes)
    arguments += (pooling, dropout_rate, classifier_activation, include_preprocessing, name)
    return _mobilenet_v3("small", _SMALL, 1024, arguments)


def MobileNetV3Large(  # noqa: N802 (Keras's name)
    input_shape=None,
    alpha=1.0,
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="MobileNetV3Large",
):
    arguments = (input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes)
    arguments += (pooling, dropout_rate, classifier_activation, include_preprocessing, name)
    return _mobilenet_v3("large", _LARGE, 1280, arguments)


for _function in (MobileNetV3Small, MobileNetV3Large):
    _function.__doc__ = _DOC.format(title=_function.__name__)


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: MobileNetV3 rescales its input itself (its first layer, with
    ``include_preprocessing=True``). Kept for the same call in every family's code."""
    return x


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
