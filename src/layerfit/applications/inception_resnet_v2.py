"""InceptionResNetV2 (Szegedy et al., 2017), layer for layer as
``keras.applications.inception_resnet_v2`` builds it (same layer names, shapes and parameter
counts), so Keras's published weights load."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils
from layerfit.layers import Layer

BASE_WEIGHT_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"
)
# Keras's md5 hashes of its published files: (with the classifier, without).
WEIGHTS_HASHES = ("e693bd0210a403b3192acc6073ad2e96", "d19885ff4a710c122648d3b5c3b684e4")

__all__ = ["InceptionResNetV2", "decode_predictions", "preprocess_input"]


class CustomScaleLayer(Layer):
    """``inputs[0] + inputs[1] * scale``: the scaled residual sum of an Inception-ResNet
    block (Keras's layer of this name, so layer tables and names match)."""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])


# Found by layerfit.saving when a file names this module (as ConvNeXt's LayerScale).
LAYER_CLASSES = {"CustomScaleLayer": CustomScaleLayer}


def InceptionResNetV2(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_resnet_v2",
):
    """InceptionResNetV2 (Szegedy et al., 2017) for images, channels last.

    Args:
        include_top: whether to end with the 1000-class classifier. Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once and checked against
            Keras's hash), None (random) or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        input_shape: (height, width, 3), at least 75x75; None means 299x299, or any size
            without the top. Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation. Defaults to "softmax".
        name: the model's name. Defaults to "inception_resnet_v2".

    Example:
    >>> base = InceptionResNetV2(include_top=False, weights=None, input_shape=(75, 75, 3))
    >>> base.output.shape
    (None, 1, 1, 1536)
    """
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 299, 75, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)

    # Stem: 35 x 35 x 192 at 299.
    x = _conv_bn(inputs, 32, 3, strides=2, padding="valid")
    x = _conv_bn(x, 32, 3, padding="valid")
    x = _conv_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _conv_bn(x, 80, 1, padding="valid")
    x = _conv_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    # Mixed 5b (Inception-A): 35 x 35 x 320.
    branch_0 = _conv_bn(x, 96, 1)
    branch_1 = _conv_bn(_conv_bn(x, 48, 1), 64, 5)
    branch_2 = _conv_bn(_conv_bn(_conv_bn(x, 64, 1), 96, 3), 96, 3)
    branch_pool = _conv_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    x = layers.Concatenate(axis=3, name="mixed_5b")([branch_0, branch_1, branch_2, branch_pool])
    for index in range(1, 11):
        x = _block(x, 0.17, "block35", index)
    # Mixed 6a (Reduction-A): 17 x 17 x 1088.
    branch_0 = _conv_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 256, 3), 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=3, name="mixed_6a")([branch_0, branch_1, branch_pool])
    for index in range(1, 21):
        x = _block(x, 0.1, "block17", index)
    # Mixed 7a (Reduction-B): 8 x 8 x 2080.
    branch_0 = _conv_bn(_conv_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    branch_1 = _conv_bn(_conv_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    branch_2 = _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 288, 3), 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=3, name="mixed_7a")([branch_0, branch_1, branch_2, branch_pool])
    for index in range(1, 10):
        x = _block(x, 0.2, "block8", index)
    x = _block(x, 1.0, "block8", 10, activation=None)
    x = _conv_bn(x, 1536, 1, name="conv_7b")  # 8 x 8 x 1536

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pool(x, pooling, avg_name=None, max_name=None)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        suffix = "" if include_top else "_notop"
        file = f"inception_resnet_v2_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        file_hash = WEIGHTS_HASHES[0 if include_top else 1]
        weights = _common.download(BASE_WEIGHT_URL, file, file_hash=file_hash)
    if weights is not None:
        _common.load_weights(model, weights)
    return model


def _conv_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None):  # fmt: skip
    """Conv2D, then (without a bias) BatchNormalization without scale, then the activation;
    unnamed (session-counter names) unless ``name``."""
    from layerfit import layers

    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name
    )(x)
    if not use_bias:
        bn_name = None if name is None else f"{name}_bn"
        x = layers.BatchNormalization(axis=3, scale=False, name=bn_name)(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def _block(x, scale, block_type, index, activation="relu"):
    """An Inception-ResNet block: branches concatenated, a 1x1 convolution back to the
    input's channels, added to the input times ``scale``."""
    from layerfit import layers

    if block_type == "block35":
        branches = [
            _conv_bn(x, 32, 1),
            _conv_bn(_conv_bn(x, 32, 1), 32, 3),
            _conv_bn(_conv_bn(_conv_bn(x, 32, 1), 48, 3), 64, 3),
        ]
    elif block_type == "block17":
        branches = [_conv_bn(x, 192, 1), _conv_bn(_conv_bn(_conv_bn(x, 128, 1), 160, [1, 7]), 192, [7, 1])]  # fmt: skip
    else:  # block8
        branches = [_conv_bn(x, 192, 1), _conv_bn(_conv_bn(_conv_bn(x, 192, 1), 224, [1, 3]), 256, [3, 1])]  # fmt: skip
    name = f"{block_type}_{index}"
    mixed = layers.Concatenate(axis=3, name=f"{name}_mixed")(branches)
    up = _conv_bn(mixed, x.shape[3], 1, activation=None, use_bias=True, name=f"{name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{name}_ac")(x)
    return x


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as InceptionResNetV2 was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
