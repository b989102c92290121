"""``keras.applications.vgg19``: VGG19 with Keras's published weights, its preprocessing
(BGR minus the ImageNet mean) and ImageNet decoding."""

from __future__ import annotations

from layerfit.applications import _vgg
from layerfit.applications._vgg import decode_predictions, preprocess_input

# Keras's md5 hashes of its published files: (with the classifier, without).
WEIGHTS_HASHES = ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]


def VGG19(  # noqa: N802 (Keras's name)
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg19",
):
    return _vgg.vgg(
        "vgg19",
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


VGG19.__doc__ = _vgg.DOC.format(title="VGG19", lower="vgg19")
