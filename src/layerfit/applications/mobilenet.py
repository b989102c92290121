"""``keras.applications.mobilenet``: MobileNet (Howard et al., 2017), layer for layer as Keras
builds it (depthwise separable blocks, width multiplier ``alpha``), with Keras's published
weights and its preprocessing (to [-1, 1])."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils
from layerfit.errors import LayerfitValueError, explain

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_ALPHAS = (0.25, 0.50, 0.75, 1.0)
_SIZES = (128, 160, 192, 224)
# (pointwise filters, stride) of depthwise separable blocks 1..13.
_BLOCKS = [
    (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
]  # fmt: skip

__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]


def MobileNet(  # noqa: N802 (Keras's name)
    input_shape=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """MobileNet (v1) for images, channels last.

    Args:
        input_shape: (height, width, 3), at least 32x32, or None (224x224, or any size
            without the top). Defaults to None.
        alpha: width multiplier: < 1 thins every layer, > 1 widens. Defaults to 1.0.
        depth_multiplier: channels each depthwise convolution makes per input channel
            (1 with weights="imagenet"). Defaults to 1.
        dropout: dropout rate before the classifier. Defaults to 1e-3.
        include_top: whether to end with the classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once), None (random)
            or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation; "softmax" or None with
            weights="imagenet". Defaults to "softmax".
        name: the model's name. Defaults to ``mobilenet_{alpha}_{rows}``.

    Example:
    >>> base = MobileNet(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
    >>> base.trainable = False
    """
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    # Keras picks the weights' size from input_shape alone (not from input_tensor).
    size = _common.default_size(input_shape, None, _SIZES, 224)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, size, 32, require_flatten=include_top, weights=weights
    )
    rows = input_shape[0]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise LayerfitValueError(
                explain(
                    f"depth_multiplier={depth_multiplier} with weights='imagenet'.",
                    "depth_multiplier=1: Keras published weights for that only.",
                    "drop depth_multiplier, or pass weights=None to train with it.",
                )
            )
        _common.check_choice("alpha", alpha, _ALPHAS)
        if rows != input_shape[1] or rows not in _SIZES:
            rows = _common.default_rows_warning(224)
    inputs = _common.input_for(input_shape, input_tensor)
    x = layers.Conv2D(
        int(32 * alpha), 3, padding="same", use_bias=False, strides=(2, 2), name="conv1"
    )(inputs)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, 1):
        x = _depthwise_block(x, int(filters * alpha), depth_multiplier, stride, block_id)
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.top(x, False, pooling, classes, classifier_activation)
    model = _common.model(inputs, x, input_tensor, name or f"mobilenet_{alpha:0.2f}_{rows}")
    if weights == "imagenet":
        alpha_text = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}[alpha]
        file = f"mobilenet_{alpha_text}_{rows}_tf{'' if include_top else '_no_top'}.h5"
        # Keras publishes no hash for these files (and passes none): cached unverified.
        weights = _common.download(BASE_WEIGHT_PATH, file, file_hash=None)
    if weights is not None:
        model.load_weights(weights)
    return model


def _depthwise_block(x, filters, depth_multiplier, stride, block_id):
    """Depthwise 3x3 (padded by one row and column at the bottom right when strided), then
    pointwise 1x1, each with BatchNormalization and ReLU6."""
    from layerfit import layers

    if stride == 2:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        filters, (1, 1), padding="same", use_bias=False, strides=(1, 1), name=f"conv_pw_{block_id}"
    )(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as MobileNet was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
