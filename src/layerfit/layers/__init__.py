"""Keras's ``keras.layers``: every layer is a ``torch.nn.Module``."""

from layerfit.layers import _op_layer  # noqa: F401 (ops on KerasTensors record nodes)
from layerfit.layers._activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from layerfit.layers._adaptive_pooling import (
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)
from layerfit.layers._attention import GroupQueryAttention, MultiHeadAttention
from layerfit.layers._audio import MelSpectrogram, STFTSpectrogram
from layerfit.layers._bidirectional import Bidirectional
from layerfit.layers._categorical import CategoryEncoding, Discretization
from layerfit.layers._clahe import (
    ContrastLimitedAdaptiveHistogramEqualization,
    MaxNumBoundingBoxes,
)
from layerfit.layers._conv import Conv1D, Conv2D, Convolution1D, Convolution2D
from layerfit.layers._conv3d import Conv3D, Convolution3D
from layerfit.layers._conv_depthwise import (
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from layerfit.layers._conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from layerfit.layers._conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
)
from layerfit.layers._core import Activation, Dense, Dropout, Flatten, Reshape
from layerfit.layers._dot_attention import AdditiveAttention, Attention
from layerfit.layers._einsum_dense import EinsumDense
from layerfit.layers._embedding import Embedding
from layerfit.layers._feature_normalization import Normalization
from layerfit.layers._foreign import FlaxLayer, JaxLayer, TFSMLayer
from layerfit.layers._geometric_augment import (
    RandomElasticTransform,
    RandomPerspective,
    RandomShear,
)
from layerfit.layers._group_normalization import (
    GroupNormalization,
    RMSNormalization,
    UnitNormalization,
)
from layerfit.layers._hashed_crossing import HashedCrossing
from layerfit.layers._hashing import Hashing
from layerfit.layers._image_crop import CenterCrop, RandomBrightness, RandomCrop
from layerfit.layers._input import Input, InputLayer
from layerfit.layers._input_spec import InputSpec
from layerfit.layers._layer import Layer
from layerfit.layers._lookup import IntegerLookup, StringLookup
from layerfit.layers._masking import Masking
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
from layerfit.layers._noise import (
    ActivityRegularization,
    AlphaDropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout3D,
)
from layerfit.layers._normalization import BatchNormalization, LayerNormalization
from layerfit.layers._policy_augment import AugMix, RandAugment
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
from layerfit.layers._pooling3d import (
    AveragePooling3D,
    AvgPool3D,
    GlobalAveragePooling3D,
    GlobalAvgPool3D,
    GlobalMaxPool3D,
    GlobalMaxPooling3D,
    MaxPool3D,
    MaxPooling3D,
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
from layerfit.layers._reshaping_nd import (
    Cropping1D,
    Cropping3D,
    Identity,
    Permute,
    RepeatVector,
    UpSampling1D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding3D,
)
from layerfit.layers._reversible_embedding import ReversibleEmbedding
from layerfit.layers._rnn import RNN
from layerfit.layers._rnn_cells import GRUCell, LSTMCell, SimpleRNNCell, StackedRNNCells
from layerfit.layers._serialization import deserialize, serialize
from layerfit.layers._spectral_normalization import SpectralNormalization
from layerfit.layers._symbolic import KerasTensor
from layerfit.layers._text_vectorization import TextVectorization
from layerfit.layers._torch_module import TorchModuleWrapper
from layerfit.layers._variable import Variable
from layerfit.layers._wrappers import Lambda, TimeDistributed, Wrapper

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
    "Variable",
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

# Activation layers with arguments (issue 19).
__all__ += ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]

# Attention (issue 19).
__all__ += [
    "AdditiveAttention",
    "Attention",
    "EinsumDense",
    "GroupQueryAttention",
    "MultiHeadAttention",
]

# Wrappers and recurrent cells (issue 19).
__all__ += [
    "GRUCell",
    "LSTMCell",
    "Lambda",
    "RNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
    "Wrapper",
]

__all__ += ["Masking"]

# Convolution, pooling, reshaping, noise and normalization breadth (issue 19).
__all__ += [
    "ActivityRegularization",
    "AlphaDropout",
    "AveragePooling3D",
    "AvgPool3D",
    "Conv1DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "Convolution1DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "Cropping1D",
    "Cropping3D",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling3D",
    "GlobalAvgPool3D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling3D",
    "GroupNormalization",
    "Identity",
    "MaxPool3D",
    "MaxPooling3D",
    "Permute",
    "RMSNormalization",
    "RepeatVector",
    "SpatialDropout3D",
    "UnitNormalization",
    "UpSampling1D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding3D",
]

# -- image augmentations added with Keras 3's KerasCV port (issue 19's list) --
from layerfit.layers._color_augment import (  # noqa: E402
    AutoContrast,
    Equalization,
    RandomColorDegeneration,
    RandomColorJitter,
    RandomGrayscale,
    RandomHue,
    RandomInvert,
    RandomPosterization,
    RandomSaturation,
    RandomSharpness,
    Solarization,
)
from layerfit.layers._mixing_augment import (  # noqa: E402
    CutMix,
    MixUp,
    RandomErasing,
    RandomGaussianBlur,
)
from layerfit.layers._pipeline import Pipeline  # noqa: E402

__all__ += [
    "AutoContrast",
    "CutMix",
    "Equalization",
    "MixUp",
    "Pipeline",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomErasing",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPosterization",
    "RandomSaturation",
    "RandomSharpness",
    "Solarization",
]

# The rest of keras.layers outside image augmentation (issue 19).
__all__ += [
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "DepthwiseConv1D",
    "FlaxLayer",
    "HashedCrossing",
    "InputSpec",
    "JaxLayer",
    "ReversibleEmbedding",
    "SeparableConv1D",
    "SeparableConvolution1D",
    "SpectralNormalization",
    "TFSMLayer",
]

# Audio front ends and the last image augmentations (layers2).
__all__ += [
    "AugMix",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "RandAugment",
    "RandomElasticTransform",
    "RandomPerspective",
    "RandomShear",
    "STFTSpectrogram",
]
