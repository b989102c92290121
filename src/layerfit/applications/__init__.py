"""Ready-made image models with Keras's architectures and Keras's pretrained weights, in
``keras.applications``'s layout: ``layerfit.applications.MobileNetV2`` and
``layerfit.applications.mobilenet_v2.{MobileNetV2, preprocess_input, decode_predictions}``,
likewise ``resnet`` (ResNet50/101/152) and ``resnet50``."""

from layerfit.applications import (
    imagenet_utils,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    resnet,
    resnet50,
    vgg16,
    vgg19,
)
from layerfit.applications.mobilenet import MobileNet
from layerfit.applications.mobilenet_v2 import MobileNetV2
from layerfit.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from layerfit.applications.resnet import ResNet50, ResNet101, ResNet152
from layerfit.applications.vgg16 import VGG16
from layerfit.applications.vgg19 import VGG19

__all__ = [
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "ResNet101",
    "ResNet152",
    "ResNet50",
    "VGG16",
    "VGG19",
    "imagenet_utils",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "resnet",
    "resnet50",
    "vgg16",
    "vgg19",
]
