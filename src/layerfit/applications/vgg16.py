"""``keras.applications.vgg16``: VGG16 with Keras's published weights, its preprocessing
(BGR minus the ImageNet mean) and ImageNet decoding."""

from __future__ import annotations

from layerfit.applications import _vgg
from layerfit.applications._vgg import decode_predictions, preprocess_input

# Keras's md5 hashes of its published files: (with the classifier, without).
WEIGHTS_HASHES = ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc")

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]


def VGG16(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16",
):
    return _vgg.vgg(
        "vgg16",
        WEIGHTS_HASHES,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


VGG16.__doc__ = _vgg.DOC.format(title="VGG16", lower="vgg16")
