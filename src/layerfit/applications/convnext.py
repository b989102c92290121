"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., 2022), layer for layer as
``keras.applications.convnext`` builds them (same layer names, shapes and parameter counts,
the residual sums as ``add`` op nodes), so Keras's published weights load.

With ``include_preprocessing=True`` (the default) the model normalizes inside: it takes float
pixels in [0, 255], and ``preprocess_input`` passes its input through, as Keras's.
"""

from __future__ import annotations

from layerfit.applications import _common, imagenet_utils
from layerfit.layers import Layer

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"

# Keras's sha256 hashes of its published files: (with the top, without it).
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}

MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768]},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768]},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024]},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536]},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048]},
}


class LayerScale(Layer):
    """Multiplies the last axis by learned factors ``gamma`` (Touvron et al., 2021), as
    Keras's ConvNeXt layer.

    Args:
        init_values: the factors' starting value (ConvNeXt: 1e-6).
        projection_dim: the size of the last axis.

    Example:
    >>> LayerScale(1e-6, 96)(ops.ones((1, 4, 4, 96))).shape
    torch.Size([1, 4, 4, 96])
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape) -> None:
        from layerfit import initializers

        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
            name="gamma",
        )

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "init_values": self.init_values,
            "projection_dim": self.projection_dim,
        }


# Written as Keras writes it, so files load both ways (layerfit.saving finds it here).
LayerScale.__module__ = "keras.src.applications.convnext"
LAYER_CLASSES = {"LayerScale": LayerScale}


def _block(x, projection_dim, layer_scale_init_value, name):
    from layerfit import layers

    inputs = x
    x = layers.Conv2D(
        projection_dim,
        kernel_size=7,
        padding="same",
        groups=projection_dim,
        name=f"{name}_depthwise_conv",
    )(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    # Keras's drop_path_rate is 0 in every published variant: an identity layer, then the
    # residual sum as an op node (`inputs + x`), as Keras's graph has it.
    x = layers.Activation("linear", name=f"{name}_identity")(x)
    return inputs + x


def _convnext(
    variant,
    include_top,
    include_preprocessing,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
):
    from layerfit import layers
    from layerfit.models import Sequential

    depths = MODEL_CONFIGS[variant]["depths"]
    dims = MODEL_CONFIGS[variant]["projection_dims"]
    _common.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 224, 32, require_flatten=include_top, weights=weights
    )
    inputs = _common.input_for(input_shape, input_tensor)
    x = inputs
    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization",
        )(x)
    stages = [
        Sequential(
            [
                layers.Conv2D(dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
                layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
            ],
            name=f"{name}_stem",
        )
    ]
    for i in range(3):
        stages.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        dims[i + 1], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{i}"
                    ),
                ],
                name=f"{name}_downsampling_block_{i}",
            )
        )
    for i, stage in enumerate(stages):
        x = stage(x)
        for j in range(depths[i]):
            x = _block(x, dims[i], 1e-6, f"{name}_stage_{i}_block_{j}")
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        elif pooling is not None:
            _common.pool(x, pooling)  # our error for any other value
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = _common.model(inputs, x, input_tensor, name)
    if weights == "imagenet":
        file = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[f"convnext_{variant}"][0 if include_top else 1]
        weights = _common.download(BASE_WEIGHTS_PATH, file, file_hash=file_hash)
    if weights is not None:
        _common.load_weights(model, weights)
    return model


def _variant(variant, title):
    def build(
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=f"convnext_{variant}",
    ):
        return _convnext(
            variant,
            include_top,
            include_preprocessing,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name,
        )

    build.__name__ = build.__qualname__ = title
    build.__module__ = __name__
    build.__doc__ = f"""{title} (Liu et al., 2022) for images, channels last, as Keras's.

    Args:
        include_top: whether to include the classifier head (pooling, LayerNormalization,
            Dense). Defaults to True.
        include_preprocessing: normalize inside the model (it takes pixels in [0, 255]).
            Defaults to True.
        weights: 'imagenet' (Keras's published weights, downloaded once), None (random) or
            the path of a weights file. Defaults to 'imagenet'.
        input_tensor: a symbolic tensor to use as the model's input. Defaults to None.
        input_shape: (height, width, 3), at least 32x32; None means 224x224, or any size
            without the top. Defaults to None.
        pooling: without the top: None (4D features), 'avg' or 'max'. Defaults to None.
        classes: the number of classes of the head (1000 with 'imagenet'). Defaults to 1000.
        classifier_activation: the head's activation. Defaults to 'softmax'.
        name: the model's name. Defaults to 'convnext_{variant}'.

    Example:
    >>> base = {title}(include_top=False, weights=None, input_shape=(64, 64, 3))
    """
    return build


ConvNeXtTiny = _variant("tiny", "ConvNeXtTiny")
ConvNeXtSmall = _variant("small", "ConvNeXtSmall")
ConvNeXtBase = _variant("base", "ConvNeXtBase")
ConvNeXtLarge = _variant("large", "ConvNeXtLarge")
ConvNeXtXLarge = _variant("xlarge", "ConvNeXtXLarge")


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: ConvNeXt normalizes inside the model, as Keras's."""
    return x


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes of each prediction, as ``imagenet_utils``'s."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "decode_predictions",
    "preprocess_input",
]
