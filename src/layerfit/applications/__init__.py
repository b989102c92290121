"""Ready-made image models with Keras's architectures and Keras's pretrained weights, in
``keras.applications``'s layout: ``layerfit.applications.MobileNetV2`` and
``layerfit.applications.mobilenet_v2.{MobileNetV2, preprocess_input, decode_predictions}``,
likewise for every family below."""

from layerfit.applications import (
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from layerfit.applications.convnext import (
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from layerfit.applications.densenet import DenseNet121, DenseNet169, DenseNet201
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
from layerfit.applications.inception_resnet_v2 import InceptionResNetV2
from layerfit.applications.inception_v3 import InceptionV3
from layerfit.applications.mobilenet import MobileNet
from layerfit.applications.mobilenet_v2 import MobileNetV2
from layerfit.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from layerfit.applications.nasnet import NASNetLarge, NASNetMobile
from layerfit.applications.resnet import ResNet50, ResNet101, ResNet152
from layerfit.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from layerfit.applications.vgg16 import VGG16
from layerfit.applications.vgg19 import VGG19
from layerfit.applications.xception import Xception

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
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
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "NASNetLarge",
    "NASNetMobile",
    "ResNet101",
    "ResNet152",
    "ResNet101V2",
    "ResNet152V2",
    "ResNet50",
    "ResNet50V2",
    "VGG16",
    "VGG19",
    "Xception",
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
