"""Ready-made image models with Keras's architectures and Keras's pretrained weights, in
``keras.applications``'s layout: ``layerfit.applications.MobileNetV2`` and
``layerfit.applications.mobilenet_v2.{MobileNetV2, preprocess_input, decode_predictions}``,
likewise ``resnet`` (ResNet50/101/152) and ``resnet50``."""

from layerfit.applications import (
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_v3,
    mobilenet_v2,
    resnet,
    resnet50,
    xception,
)
from layerfit.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from layerfit.applications.efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from layerfit.applications.inception_v3 import InceptionV3
from layerfit.applications.mobilenet_v2 import MobileNetV2
from layerfit.applications.resnet import ResNet50, ResNet101, ResNet152
from layerfit.applications.xception import Xception

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "efficientnet",
    "efficientnet_v2",
    "MobileNetV2",
    "ResNet101",
    "ResNet152",
    "ResNet50",
    "imagenet_utils",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "Xception",
    "xception",
    "InceptionV3",
    "inception_v3",
]
