"""Ready-made image models with Keras's architectures and Keras's pretrained weights, in
``keras.applications``'s layout: ``layerfit.applications.MobileNetV2`` and
``layerfit.applications.mobilenet_v2.{MobileNetV2, preprocess_input, decode_predictions}``."""

from layerfit.applications import imagenet_utils, mobilenet_v2
from layerfit.applications.mobilenet_v2 import MobileNetV2

__all__ = ["MobileNetV2", "imagenet_utils", "mobilenet_v2"]
