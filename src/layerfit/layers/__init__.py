"""Keras's ``keras.layers``: every layer is a ``torch.nn.Module``."""

from layerfit.layers._bidirectional import Bidirectional
from layerfit.layers._categorical import CategoryEncoding, Discretization
from layerfit.layers._conv import Conv1D, Conv2D, Convolution1D, Convolution2D
from layerfit.layers._conv_depthwise import DepthwiseConv2D, SeparableConv2D, SeparableConvolution2D
from layerfit.layers._conv_transpose import Conv2DTranspose, Convolution2DTranspose
from layerfit.layers._core import Activation, Dense, Dropout, Flatten, Reshape
from layerfit.layers._embedding import Embedding
from layerfit.layers._feature_normalization import Normalization
from layerfit.layers._hashing import Hashing
from layerfit.layers._image_crop import CenterCrop, RandomBrightness, RandomCrop
from layerfit.layers._input import Input, InputLayer
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import IntegerLookup, StringLookup
from layerfit.layers._merge import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from layerfit.layers._normalization import BatchNormalization, LayerNormalization
from layerfit.layers._pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)
from layerfit.layers._preprocessing import (
    RandomContrast,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Rescaling,
    Resizing,
)
from layerfit.layers._recurrent import GRU, LSTM, SimpleRNN
from layerfit.layers._regularization import SpatialDropout1D, SpatialDropout2D
from layerfit.layers._reshaping import Cropping2D, UpSampling2D, ZeroPadding2D
from layerfit.layers._serialization import deserialize, serialize
from layerfit.layers._symbolic import KerasTensor
from layerfit.layers._text_vectorization import TextVectorization
from layerfit.layers._torch_module import TorchModuleWrapper

__all__ = [
    "Activation",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "CategoryEncoding",
    "CenterCrop",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Convolution1D",
    "Convolution2D",
    "Convolution2DTranspose",
    "Cropping2D",
    "Dense",
    "DepthwiseConv2D",
    "Discretization",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Hashing",
    "Input",
    "InputLayer",
    "IntegerLookup",
    "KerasTensor",
    "Layer",
    "LayerNormalization",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Reshape",
    "Resizing",
    "SeparableConv2D",
    "SeparableConvolution2D",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "StringLookup",
    "TextVectorization",
    "UpSampling2D",
    "ZeroPadding2D",
]

# Merge layers and TorchModuleWrapper (functional API, issue 8).
__all__ += [
    "Add",
    "Average",
    "Concatenate",
    "Dot",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "TorchModuleWrapper",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]

# Text ids and feature standardisation, used throughout Keras's examples.
__all__ += ["Embedding", "Normalization"]

__all__ += ["deserialize", "serialize"]

# Recurrent layers, used by Keras's text and time-series examples.
__all__ += ["Bidirectional", "GRU", "LSTM", "SimpleRNN"]
