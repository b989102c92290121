"""VGG16 and VGG19 (Simonyan and Zisserman, 2014), layer for layer as
``keras.applications.vgg16``/``vgg19`` build them: five blocks of 3x3 convolutions, each
ending in a 2x2 max pooling, then three dense layers."""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/"
# Convolutions per block (64, 128, 256, 512, 512 filters).
DEPTHS = {"vgg16": (2, 2, 3, 3, 3), "vgg19": (2, 2, 4, 4, 4)}


def vgg(
    family,
    hashes,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
):
    """Builds ``family`` ("vgg16" or "vgg19"); ``hashes`` are Keras's md5 of its published
    files (with the classifier, without)."""
    from layerfit import layers

    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 224, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)
    x = inputs
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), DEPTHS[family]), 1):
        for conv in range(1, convs + 1):
            x = layers.Conv2D(
                filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{conv}"
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        # Keras checks the activation only when there is a classifier to apply it to.
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.top(x, False, pooling, classes, classifier_activation)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        suffix = "" if include_top else "_notop"
        file = f"{family}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        weights = _common.download(
            f"{BASE_WEIGHTS_PATH}{family}/", file, file_hash=hashes[0 if include_top else 1]
        )
    if weights is not None:
        model.load_weights(weights)
    return model


DOC = """{title}, as ``keras.applications.{title}``, for images, channels last.

    Args:
        include_top: whether to end with the 3 dense layers (flatten, fc1, fc2 and the
            classifier). Defaults to True.
        weights: "imagenet" (Keras's published weights, downloaded once and checked against
            Keras's hash), None (random) or the path of a weights file. Defaults to "imagenet".
        input_tensor: a tensor from ``layerfit.Input`` to build on. Defaults to None.
        input_shape: (height, width, 3), at least 32x32; None is 224x224 (or any size
            without the top). With the top, the size fixes the dense layers' shapes.
            Defaults to None.
        pooling: without the top, None (4D output), "avg" or "max". Defaults to None.
        classes: classes of the classifier (weights=None only). Defaults to 1000.
        classifier_activation: the classifier's activation; "softmax" or None with
            weights="imagenet". Defaults to "softmax".
        name: the model's name. Defaults to "{lower}".

    Example:
    >>> base = {title}(include_top=False, weights="imagenet", input_shape=(160, 160, 3))
    >>> base.trainable = False
    """


def preprocess_input(x, data_format=None):
    """Converts RGB [0, 255] images to BGR minus the ImageNet mean, as VGG was trained."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes per image: ``[(class id, name, score), ...]``."""
    return imagenet_utils.decode_predictions(preds, top=top)
