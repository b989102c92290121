"""get_config/from_config and JSON round trips: every layer, models, losses, metrics, optimizers."""

import inspect
import json

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.saving import deserialize_keras_object, serialize_keras_object

IMAGE = (6, 6, 2)
# (layer class, constructor arguments, input shape(s) without the batch axis)
SPECS = [
    (layers.Dense, dict(units=3, activation="relu", kernel_regularizer="l2"), (4,)),
    (layers.Dropout, dict(rate=0.3, seed=1), (4,)),
    (layers.Flatten, {}, IMAGE),
    (layers.Activation, dict(activation="softmax"), (4,)),
    (layers.Reshape, dict(target_shape=(2, -1)), (4,)),
    (layers.Conv1D, dict(filters=3, kernel_size=2, padding="same", activation="tanh"), (5, 2)),
    (layers.Conv2D, dict(filters=3, kernel_size=(3, 2), strides=(1, 2)), IMAGE),
    (layers.Conv2DTranspose, dict(filters=2, kernel_size=3, strides=2), IMAGE),
    (layers.DepthwiseConv2D, dict(kernel_size=3, depth_multiplier=2), IMAGE),
    (layers.SeparableConv2D, dict(filters=4, kernel_size=3, padding="same"), IMAGE),
    (layers.MaxPooling1D, dict(pool_size=2), (6, 2)),
    (layers.AveragePooling1D, dict(pool_size=3, strides=1), (6, 2)),
    (layers.MaxPooling2D, dict(pool_size=(2, 3)), IMAGE),
    (layers.AveragePooling2D, dict(pool_size=2, padding="same"), IMAGE),
    (layers.GlobalMaxPooling1D, dict(keepdims=True), (6, 2)),
    (layers.GlobalAveragePooling1D, {}, (6, 2)),
    (layers.GlobalMaxPooling2D, {}, IMAGE),
    (layers.GlobalAveragePooling2D, dict(keepdims=True), IMAGE),
    (layers.BatchNormalization, dict(momentum=0.9, epsilon=1e-4), (4,)),
    (layers.LayerNormalization, dict(epsilon=1e-5), (4,)),
    (layers.SpatialDropout1D, dict(rate=0.2), (6, 2)),
    (layers.SpatialDropout2D, dict(rate=0.2), IMAGE),
    (layers.ZeroPadding2D, dict(padding=(1, 2)), IMAGE),
    (layers.Cropping2D, dict(cropping=((1, 0), (0, 1))), IMAGE),
    (layers.UpSampling2D, dict(size=(2, 1)), IMAGE),
    (layers.Rescaling, dict(scale=1 / 255, offset=-1.0), IMAGE),
    (layers.Resizing, dict(height=4, width=3), IMAGE),
    (layers.RandomFlip, dict(mode="horizontal", seed=3), IMAGE),
    (layers.RandomRotation, dict(factor=0.1, seed=3), IMAGE),
    (layers.RandomTranslation, dict(height_factor=0.1, width_factor=0.2), IMAGE),
    (layers.RandomZoom, dict(height_factor=0.2), IMAGE),
    (layers.RandomContrast, dict(factor=0.3, value_range=(0, 1)), IMAGE),
    (layers.Add, {}, [(4,), (4,)]),
    (layers.Subtract, {}, [(4,), (4,)]),
    (layers.Multiply, {}, [(4,), (4,)]),
    (layers.Average, {}, [(4,), (4,)]),
    (layers.Maximum, {}, [(4,), (4,)]),
    (layers.Minimum, {}, [(4,), (4,)]),
    (layers.Concatenate, dict(axis=-1), [(4,), (3,)]),
    (layers.Dot, dict(axes=1, normalize=True), [(4,), (4,)]),
    (layers.Embedding, dict(input_dim=5, output_dim=3), (4,)),
    (layers.Masking, dict(mask_value=-1.0), (4, 3)),
    (layers.Normalization, dict(mean=[1.0, 2.0, 3.0, 4.0], variance=[1.0, 4.0, 9.0, 16.0]), (4,)),
    (layers.SimpleRNN, dict(units=3, return_sequences=True), (5, 2)),
    (layers.LSTM, dict(units=3, go_backwards=True, unit_forget_bias=False), (5, 2)),
    (layers.GRU, dict(units=3, reset_after=False, recurrent_dropout=0.1), (5, 2)),
    (layers.Bidirectional, dict(layer=layers.LSTM(3), merge_mode="mul"), (5, 2)),
    (layers.CenterCrop, dict(height=4, width=3), IMAGE),
    (layers.RandomCrop, dict(height=4, width=4, seed=2), IMAGE),
    (layers.RandomBrightness, dict(factor=(-0.2, 0.1), value_range=(0, 1)), IMAGE),
    (layers.Discretization, dict(bin_boundaries=[0.25, 0.5], output_mode="one_hot"), (4,)),
    (layers.CategoryEncoding, dict(num_tokens=3, output_mode="count"), (4,)),
    (layers.IntegerLookup, dict(vocabulary=[0, 7], output_mode="multi_hot"), (4,)),
]
# Issue 19's layers (layersA).
SPECS += [
    (layers.ReLU, dict(max_value=2.0, negative_slope=0.1, threshold=0.5), (4,)),
    (layers.LeakyReLU, dict(negative_slope=0.1), (4,)),
    (layers.PReLU, dict(alpha_initializer="ones", shared_axes=[1]), (5, 2)),
    (layers.ELU, dict(alpha=0.5), (4,)),
    (layers.Softmax, dict(axis=1), (5, 2)),
    (
        layers.EinsumDense,
        dict(equation="abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de"),
        (5, 2),
    ),
    (layers.Attention, dict(use_scale=True, score_mode="concat"), [(3, 4), (5, 4)]),
    (layers.AdditiveAttention, dict(use_scale=True), [(3, 4), (5, 4)]),
    (layers.RNN, dict(cell=layers.LSTMCell(3), return_sequences=True), (5, 2)),
    (layers.RNN, dict(cell=[layers.GRUCell(3), layers.SimpleRNNCell(2)]), (5, 2)),
    (layers.TimeDistributed, dict(layer=layers.Dense(3)), (5, 2)),
    (layers.Conv1DTranspose, dict(filters=2, kernel_size=3, strides=2), (5, 2)),
    (layers.Conv3D, dict(filters=2, kernel_size=2, padding="same"), (3, 3, 3, 2)),
    (layers.Conv3DTranspose, dict(filters=2, kernel_size=2, strides=2), (3, 3, 3, 2)),
    (layers.MaxPooling3D, dict(pool_size=2, padding="same"), (3, 3, 3, 2)),
    (layers.AveragePooling3D, dict(pool_size=2), (3, 3, 3, 2)),
    (layers.GlobalMaxPooling3D, dict(keepdims=True), (3, 3, 3, 2)),
    (layers.GlobalAveragePooling3D, {}, (3, 3, 3, 2)),
    (layers.UpSampling1D, dict(size=3), (5, 2)),
    (layers.UpSampling3D, dict(size=(1, 2, 1)), (3, 3, 3, 2)),
    (layers.ZeroPadding1D, dict(padding=(1, 2)), (5, 2)),
    (layers.ZeroPadding3D, dict(padding=1), (3, 3, 3, 2)),
    (layers.Cropping1D, dict(cropping=(1, 2)), (5, 2)),
    (layers.Cropping3D, dict(cropping=((1, 0), (0, 1), (1, 1))), (3, 3, 3, 2)),
    (layers.Permute, dict(dims=(2, 1)), (5, 2)),
    (layers.RepeatVector, dict(n=3), (4,)),
    (layers.Identity, {}, (4,)),
    (layers.GaussianNoise, dict(stddev=0.1, seed=2), (4,)),
    (layers.GaussianDropout, dict(rate=0.1), (4,)),
    (layers.AlphaDropout, dict(rate=0.1, noise_shape=[None, 1]), (4,)),
    (layers.ActivityRegularization, dict(l1=0.1, l2=0.2), (4,)),
    (layers.GroupNormalization, dict(groups=2, epsilon=1e-4), (5, 4)),
    (layers.UnitNormalization, dict(axis=[1, 2]), (5, 4)),
    (layers.RMSNormalization, dict(epsilon=1e-4), (5, 4)),
    (layers.ConvLSTM1D, dict(filters=2, kernel_size=2, return_sequences=True), (3, 5, 2)),
    (layers.ConvLSTM2D, dict(filters=2, kernel_size=2, padding="same"), (3, 4, 4, 1)),
    (layers.ConvLSTM3D, dict(filters=1, kernel_size=2), (2, 3, 3, 3, 1)),
    (layers.SpatialDropout3D, dict(rate=0.1), (3, 3, 3, 2)),
    (layers.RandomGrayscale, dict(factor=0.3, seed=1), (4, 4, 3)),
    (layers.RandomInvert, dict(factor=0.4, value_range=(0, 1), seed=1), (4, 4, 3)),
    (layers.Solarization, dict(addition_factor=0.1, threshold_factor=0.5), (4, 4, 3)),
    (layers.AutoContrast, dict(value_range=(0, 1)), (4, 4, 3)),
    (layers.RandomPosterization, dict(factor=(2, 5), value_range=(0, 1)), (4, 4, 3)),
    (layers.RandomColorDegeneration, dict(factor=0.3, value_range=(0, 1)), (4, 4, 3)),
    (layers.RandomSaturation, dict(factor=0.3, value_range=(0, 1)), (4, 4, 3)),
    (layers.RandomHue, dict(factor=0.3, value_range=(0, 1)), (4, 4, 3)),
    (layers.RandomSharpness, dict(factor=0.3, value_range=(0, 1)), (4, 4, 3)),
    (layers.Equalization, dict(value_range=(0, 1), bins=64), (4, 4, 3)),
    (layers.RandomColorJitter, dict(value_range=(0, 1), hue_factor=0.2), (4, 4, 3)),
    (layers.MixUp, dict(alpha=0.3, seed=2), (4, 4, 3)),
    (layers.CutMix, dict(factor=0.5, seed=2), (4, 4, 3)),
    (layers.RandomErasing, dict(factor=0.5, scale=(0.1, 0.2), fill_value=0.0), (4, 4, 3)),
    (layers.RandomGaussianBlur, dict(kernel_size=(3, 5), sigma=0.5), (4, 4, 3)),
]
SPECS += [
    (layers.AdaptiveAveragePooling1D, dict(output_size=3), (7, 2)),
    (layers.AdaptiveMaxPooling1D, dict(output_size=2), (7, 2)),
    (layers.AdaptiveAveragePooling2D, dict(output_size=(2, 3)), (5, 7, 2)),
    (layers.AdaptiveMaxPooling2D, dict(output_size=2, data_format="channels_first"), (2, 5, 5)),
    (layers.AdaptiveAveragePooling3D, dict(output_size=2), (3, 5, 4, 1)),
    (layers.AdaptiveMaxPooling3D, dict(output_size=(1, 2, 3)), (3, 5, 4, 1)),
    (layers.SeparableConv1D, dict(filters=3, kernel_size=2, depth_multiplier=2), (5, 2)),
    (layers.DepthwiseConv1D, dict(kernel_size=3, padding="same"), (5, 2)),
    (layers.SpectralNormalization, dict(layer=layers.Dense(3), power_iterations=2), (4,)),
]
SPECS += [
    (layers.MelSpectrogram, dict(fft_length=256, num_mel_bins=20, window="hamming"), (3000,)),
    (layers.STFTSpectrogram, dict(mode="psd", frame_length=32, expand_dims=True), (200, 2)),
    (layers.RandomShear, dict(x_factor=0.2, y_factor=(0.1, 0.3), seed=1), (6, 5, 3)),
    (layers.RandomPerspective, dict(factor=0.5, scale=0.3, fill_value=1.0), (6, 5, 3)),
    (layers.RandomElasticTransform, dict(scale=0.5, fill_mode="mirror"), (6, 5, 3)),
    (layers.RandAugment, dict(value_range=(0, 1), num_ops=3, factor=0.4), (6, 5, 3)),
    (layers.AugMix, dict(value_range=(0, 1), all_ops=False, alpha=0.5), (6, 5, 3)),
    (
        layers.ContrastLimitedAdaptiveHistogramEqualization,
        dict(value_range=(0, 1), tile_grid_size=(2, 2)),
        (6, 5, 3),
    ),
    (layers.MaxNumBoundingBoxes, dict(max_number=4, bounding_box_format="xyxy"), (6, 5, 3)),
]
# Called with several tensors or states, or holding a function: tested in tests/layers.
OWN_TESTS = {
    layers.MultiHeadAttention,
    layers.GroupQueryAttention,
    layers.SimpleRNNCell,
    layers.LSTMCell,
    layers.GRUCell,
    layers.StackedRNNCells,
    layers.Lambda,
    layers.Wrapper,
    layers.Pipeline,  # holds layers: tests/layers/test_image_augment_keras.py
    layers.ReversibleEmbedding,  # integer ids in, and reverse=True
}
NOT_FROM_CONFIG_ALONE = {layers.TorchModuleWrapper}  # holds a torch module: needs the module
SPECIAL = {layers.Layer, layers.InputLayer}  # tested on their own below
# String inputs (no tensors): round trips in tests/layers/test_text_and_lookup_layers.py.
STRING_INPUT = {
    layers.StringLookup,
    layers.TextVectorization,
    layers.Hashing,
    layers.HashedCrossing,  # round trip in tests/layers/test_layers_rest.py
}


def make_inputs(shapes):
    generator = torch.Generator().manual_seed(0)
    if isinstance(shapes, list):
        return [torch.rand((2, *s), generator=generator) for s in shapes]
    return torch.rand((2, *shapes), generator=generator)


def json_ready(value):
    return json.loads(json.dumps(serialize_keras_object(value)))


def test_every_layer_has_a_spec():
    public = {getattr(layers, name) for name in layers.__all__}
    classes = {c for c in public if inspect.isclass(c) and issubclass(c, layers.Layer)}
    covered = (
        {spec[0] for spec in SPECS} | NOT_FROM_CONFIG_ALONE | SPECIAL | OWN_TESTS | STRING_INPUT
    )
    missing = sorted(c.__name__ for c in classes - covered)
    assert not missing, f"add these layers to SPECS in {__file__}: {missing}"


@pytest.mark.parametrize("cls, kwargs, shapes", SPECS, ids=[s[0].__name__ for s in SPECS])
def test_layer_round_trips_through_json(cls, kwargs, shapes):
    layer = cls(**kwargs)
    inputs = make_inputs(shapes)
    layer.eval()
    expected = layer(inputs)
    entry = json_ready(layer)  # what model.save writes for this layer
    assert entry["class_name"] == cls.__name__ and entry["module"] == "keras.layers"
    clone = deserialize_keras_object(entry)
    assert type(clone) is cls and clone.built == layer.built
    assert json_ready(clone.get_config()) == json_ready(layer.get_config())
    clone.set_weights(layer.get_weights())
    clone.eval()
    got = clone(inputs)
    assert torch.equal(got, expected)
    again = cls.from_config(layer.get_config())  # the plain Keras API, no JSON in between
    assert json_ready(again.get_config()) == json_ready(layer.get_config())


def test_input_layer_round_trips():
    layer = layers.InputLayer(shape=(3, 2), name="pixels")
    clone = deserialize_keras_object(json_ready(layer))
    assert clone.batch_shape == (None, 3, 2) and clone.name == "pixels"


def test_torch_module_wrapper_needs_its_module_back():
    wrapper = layers.TorchModuleWrapper(torch.nn.Linear(3, 2))
    config = json_ready(wrapper.get_config())
    with pytest.raises(LayerfitValueError, match="layerfit never unpickles code"):
        layers.TorchModuleWrapper.from_config(config)
    clone = layers.TorchModuleWrapper.from_config({**config, "module": torch.nn.Linear(3, 2)})
    assert clone.name == wrapper.name


def sequential():
    return keras.Sequential(
        [
            layers.Input(shape=(6, 6, 2)),
            layers.Conv2D(3, 3),
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ],
        name="cnn",
    )


def test_sequential_get_config_from_config_and_json():
    model = sequential()
    clone = keras.Sequential.from_config(model.get_config())
    assert [type(a) for a in clone.layers] == [type(b) for b in model.layers]
    assert clone.name == "cnn" and clone.count_params() == model.count_params()
    rebuilt = keras.models.model_from_json(model.to_json())
    assert type(rebuilt) is keras.Sequential
    assert json.loads(rebuilt.to_json()) == json.loads(model.to_json())
    assert keras.Model.from_config(model.get_config()).count_params() == model.count_params()


def test_functional_json_round_trip_keeps_the_graph():
    inputs = layers.Input(shape=(4,), name="x")
    a = layers.Dense(3, name="a")(inputs)
    b = layers.Dense(3, name="b")(inputs)
    outputs = layers.Concatenate(name="join")([a, layers.Add(name="sum")([a, b])])
    model = keras.Model(inputs, outputs, name="graph")
    rebuilt = keras.models.model_from_json(model.to_json())
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]
    rebuilt.set_weights(model.get_weights())
    x = np.random.rand(3, 4).astype("float32")
    assert np.array_equal(model.predict(x, verbose=0), rebuilt.predict(x, verbose=0))
    assert json.loads(rebuilt.to_json()) == json.loads(model.to_json())


def test_to_json_includes_compile_settings_and_model_from_json_compiles():
    model = keras.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.25), loss="mae", metrics=["mse"])
    entry = json.loads(model.to_json(indent=2))
    assert entry["compile_config"]["optimizer"]["config"]["learning_rate"] == 0.25
    rebuilt = keras.models.model_from_json(model.to_json())
    assert rebuilt.optimizer.learning_rate == 0.25 and rebuilt.compiled.raw["loss"] == "mae"


@pytest.mark.parametrize(
    "obj",
    [
        keras.losses.Huber(delta=0.5),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        keras.metrics.Precision(thresholds=0.3),
        keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8),
        keras.initializers.HeNormal(seed=3),
        keras.regularizers.L1L2(l1=0.1, l2=0.2),
    ],
    ids=lambda obj: type(obj).__name__,
)
def test_other_families_round_trip(obj):
    entry = json_ready(obj)
    clone = deserialize_keras_object(entry)
    assert type(clone) is type(obj)
    assert json_ready(clone.get_config()) == json_ready(obj.get_config())


def test_functions_serialize_by_name():
    entry = serialize_keras_object(keras.losses.mean_squared_error)
    assert entry["class_name"] == "function" and entry["config"] == "mean_squared_error"
    assert deserialize_keras_object(entry) is keras.losses.mean_squared_error
    with pytest.raises(LayerfitValueError, match="Cannot save a lambda"):
        serialize_keras_object(lambda x: x)


def test_registry_names_and_lookups():
    @keras.saving.register_serializable(package="pkg", name="Special")
    class Gain(layers.Layer):
        def get_config(self):
            return super().get_config()

    @keras.saving.register_keras_serializable
    def bare(x):
        return x

    assert keras.saving.get_registered_name(Gain) == "pkg>Special"
    assert keras.saving.get_registered_object("pkg>Special") is Gain
    assert keras.saving.get_registered_name(bare) == "Custom>bare"
    assert keras.saving.get_custom_objects()["Custom>bare"] is bare
    with keras.saving.custom_object_scope({"Alias": Gain}):
        assert keras.saving.get_registered_object("Alias") is Gain
    assert keras.saving.get_registered_object("Alias") is None


def test_register_rejects_a_class_without_get_config_and_bad_names():
    with pytest.raises(LayerfitValueError, match="(?s)no get_config.*define get_config"):
        keras.saving.register_serializable()(type("Plain", (), {}))
    with pytest.raises(LayerfitTypeError, match="register_serializable got package=3"):
        keras.saving.register_serializable(package=3)


def test_config_names_only_public_layerfit_objects():
    with pytest.raises(LayerfitValueError, match="Could not locate class '_BaseConv'"):
        deserialize_keras_object(
            {"module": "keras.layers", "class_name": "_BaseConv", "config": {}}
        )
    with pytest.raises(LayerfitValueError, match="Could not locate function 'eval'"):
        deserialize_keras_object({"module": "builtins", "class_name": "function", "config": "eval"})


def test_from_config_type_error_says_how_to_fix():
    with pytest.raises(LayerfitTypeError) as info:
        deserialize_keras_object(
            {"module": "keras.layers", "class_name": "Dense", "config": {"width": 3}}
        )
    message = str(info.value)
    assert "Dense.from_config() failed" in message and "'units'" in message
    assert "Fix: make Dense.get_config() return every __init__ argument" in message
    with pytest.raises(LayerfitTypeError, match="unexpected keyword argument unitz"):
        deserialize_keras_object(
            {"module": "keras.layers", "class_name": "Dense", "config": {"units": 3, "unitz": 3}}
        )


@keras.saving.register_keras_serializable(package="RoundTrip")
class Halve(layers.Layer):
    """Keras's saving guide pattern: registered with a package, rebuilt from get_config."""

    def __init__(self, factor=0.5, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_registered_custom_layers_come_back_from_a_plain_get_config():
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, layers.Dense(2)(Halve(0.25)(inputs)))
    sequential = keras.Sequential([keras.Input((3,)), Halve(0.25), layers.Dense(2)])
    for model in (functional, sequential):
        rebuilt = type(model).from_config(model.get_config())
        halve = next(layer for layer in rebuilt.layers if isinstance(layer, Halve))
        assert halve.factor == 0.25 and halve is not model.layers[-2]


def test_layers_serialize_and_deserialize_round_trip():
    config = layers.serialize(layers.Dense(3, activation="relu"))
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    layer = layers.deserialize(config)
    assert isinstance(layer, layers.Dense) and layer.get_config() == config["config"]
    assert isinstance(layers.deserialize(layers.serialize(Halve(0.1))), Halve)


class Scale(layers.Layer):
    """The functional guide's pattern: get_config returns only its own argument, no name."""

    def __init__(self, factor=2.0):
        super().__init__()
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {"factor": self.factor}


def test_functional_from_config_with_a_custom_layer_whose_config_has_no_name():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Dense(2)(Scale(3.0)(inputs)))
    rebuilt = keras.Model.from_config(model.get_config(), custom_objects={"Scale": Scale})
    scale = next(layer for layer in rebuilt.layers if isinstance(layer, Scale))
    assert scale.factor == 3.0 and rebuilt.output_shape == (None, 2)
