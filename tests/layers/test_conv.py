"""Convolutions against a float64 numpy cross-correlation, plus the image-layer contract suite."""

import numpy as np
import pytest
import torch

import layerfit
from layerfit import layers as L
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(0)


def _tf_pads(size, kernel, stride, dilation, padding):
    """TensorFlow's padding: 'same' gives ceil(size / stride) outputs, extra pixel after."""
    if padding == "valid":
        return 0, 0
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def np_conv2d(x, kernel, bias=None, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1):
    """Cross-correlation in float64 on NHWC input with a (kh, kw, in/groups, out) kernel."""
    x, kernel = x.astype(np.float64), kernel.astype(np.float64)
    n, h, w, c = x.shape
    kh, kw, cin, filters = kernel.shape
    (top, bottom), (left, right) = (
        _tf_pads(h, kh, strides[0], dilation[0], padding),
        _tf_pads(w, kw, strides[1], dilation[1], padding),
    )
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    out_h = (x.shape[1] - (kh - 1) * dilation[0] - 1) // strides[0] + 1
    out_w = (x.shape[2] - (kw - 1) * dilation[1] - 1) // strides[1] + 1
    out = np.zeros((n, out_h, out_w, filters))
    per_group = filters // groups
    for i in range(out_h):
        for j in range(out_w):
            for a in range(kh):
                for b in range(kw):
                    pixel = x[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1]]
                    for g in range(groups):
                        block = slice(g * per_group, (g + 1) * per_group)
                        out[:, i, j, block] += (
                            pixel[:, g * cin : (g + 1) * cin] @ kernel[a, b, :, block]
                        )
    return out if bias is None else out + bias


def _t(array):
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def _images(*shape):
    return RNG.normal(size=shape).astype("float32")


# -- Conv2D ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, size",
    [
        ({"kernel_size": 3}, (7, 7)),
        ({"kernel_size": 3, "padding": "same"}, (7, 7)),
        ({"kernel_size": (2, 3), "padding": "same"}, (6, 5)),  # asymmetric 'same' padding
        ({"kernel_size": 3, "strides": 2}, (8, 7)),
        ({"kernel_size": 3, "strides": 2, "padding": "same"}, (8, 7)),
        ({"kernel_size": 4, "strides": (2, 3), "padding": "same"}, (9, 10)),
        ({"kernel_size": 3, "dilation_rate": 2}, (9, 9)),
        ({"kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (8, 9)),
        ({"kernel_size": 3, "groups": 2}, (6, 6)),
    ],
)
def test_conv2d_matches_numpy_and_compute_output_shape(kwargs, size):
    layer = L.Conv2D(4, **kwargs)
    x = _images(2, *size, 4)
    out = layer(_t(x)).detach().numpy()
    kernel, bias = layer.get_weights()
    ks = layer.kernel_size
    assert kernel.shape == (*ks, 4 // layer.groups, 4)
    expected = np_conv2d(
        x, kernel, bias, layer.strides, layer.padding, layer.dilation_rate, layer.groups
    )
    np.testing.assert_allclose(out, expected, atol=1e-5)
    assert layer.compute_output_shape((None, *size, 4)) == (None, *out.shape[1:])


def test_conv2d_activation_and_bias_values():
    layer = L.Conv2D(3, 2, activation="relu", bias_initializer="ones")
    x = _images(2, 5, 5, 2)
    out = layer(_t(x)).detach().numpy()
    kernel, bias = layer.get_weights()
    np.testing.assert_array_equal(bias, np.ones(3, dtype="float32"))
    np.testing.assert_allclose(out, np.maximum(np_conv2d(x, kernel, bias), 0), atol=1e-5)


def test_conv2d_channels_first():
    layer = L.Conv2D(3, 3, padding="same", data_format="channels_first")
    x = _images(2, 2, 6, 5)  # (N, C, H, W)
    out = layer(_t(x)).detach().numpy()
    assert out.shape == (2, 3, 6, 5)
    kernel, bias = layer.get_weights()
    expected = np_conv2d(x.transpose(0, 2, 3, 1), kernel, bias, padding="same")
    np.testing.assert_allclose(out, expected.transpose(0, 3, 1, 2), atol=1e-5)
    assert layer.compute_output_shape((None, 2, 6, 5)) == (None, 3, 6, 5)


def test_conv2d_set_weights_takes_keras_layout():
    layer = L.Conv2D(2, (2, 3), use_bias=False)
    layer(torch.zeros(1, 4, 4, 3))
    kernel = np.arange(2 * 3 * 3 * 2, dtype="float32").reshape(2, 3, 3, 2)
    layer.set_weights([kernel])
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)
    x = _images(1, 4, 4, 3)
    np.testing.assert_allclose(layer(_t(x)).detach().numpy(), np_conv2d(x, kernel), rtol=1e-5)
    with pytest.raises(LayerfitValueError, match=r"\(2, 3, 3, 2\)"):
        layer.set_weights([kernel[..., :1]])


def test_conv2d_default_init_is_glorot_uniform_over_keras_fans():
    layer = L.Conv2D(64, 3)
    layer(torch.zeros(1, 8, 8, 32))
    kernel, bias = layer.get_weights()
    limit = np.sqrt(6 / (3 * 3 * 32 + 3 * 3 * 64))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert np.all(bias == 0)


def test_conv2d_kernel_regularizer_penalty():
    layer = L.Conv2D(2, 3, kernel_regularizer=layerfit.regularizers.L2(0.1))
    layer(torch.zeros(1, 5, 5, 2))
    (penalty,) = layer.losses
    kernel = layer.get_weights()[0].astype(np.float64)
    assert penalty.item() == pytest.approx(0.1 * np.sum(kernel**2), rel=1e-6)


# -- Conv1D ----------------------------------------------------------------------------------


@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
@pytest.mark.parametrize("strides, dilation", [(1, 1), (2, 1), (1, 2)])
def test_conv1d_matches_numpy(padding, strides, dilation):
    layer = L.Conv1D(3, 3, strides=strides, padding=padding, dilation_rate=dilation)
    x = _images(2, 9, 2)
    out = layer(_t(x)).detach().numpy()
    kernel, bias = layer.get_weights()
    assert kernel.shape == (3, 2, 3)
    if padding == "causal":  # left padding only
        padded = np.pad(x, ((0, 0), (2 * dilation, 0), (0, 0)))
        expected = np_conv2d(
            padded[:, :, None], kernel[:, None], bias, (strides, 1), "valid", (dilation, 1)
        )[:, :, 0]
    else:
        expected = np_conv2d(
            x[:, :, None], kernel[:, None], bias, (strides, 1), padding, (dilation, 1)
        )[:, :, 0]
    np.testing.assert_allclose(out, expected, atol=1e-5)
    assert layer.compute_output_shape((None, 9, 2)) == (None, *out.shape[1:])


# -- Depthwise / separable -----------------------------------------------------------------


@pytest.mark.parametrize("padding, strides", [("valid", 1), ("same", 1), ("same", 2)])
def test_depthwise_conv2d_matches_numpy(padding, strides):
    layer = L.DepthwiseConv2D(3, strides=strides, padding=padding, depth_multiplier=2)
    x = _images(2, 6, 7, 3)
    out = layer(_t(x)).detach().numpy()
    kernel, bias = layer.get_weights()
    assert kernel.shape == (3, 3, 3, 2) and bias.shape == (6,)
    # Output channel c * multiplier + m is input channel c through kernel[..., c, m].
    expected = (
        np.concatenate(
            [
                np_conv2d(
                    x[..., c : c + 1], kernel[:, :, c : c + 1, :], None, (strides, strides), padding
                )
                for c in range(3)
            ],
            axis=-1,
        )
        + bias
    )
    np.testing.assert_allclose(out, expected, atol=1e-5)
    assert layer.compute_output_shape((None, 6, 7, 3)) == (None, *out.shape[1:])


def test_separable_conv2d_matches_numpy():
    layer = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2)
    x = _images(2, 5, 6, 3)
    out = layer(_t(x)).detach().numpy()
    depthwise, pointwise, bias = layer.get_weights()
    assert depthwise.shape == (3, 3, 3, 2) and pointwise.shape == (1, 1, 6, 4)
    middle = np.concatenate(
        [
            np_conv2d(x[..., c : c + 1], depthwise[:, :, c : c + 1, :], padding="same")
            for c in range(3)
        ],
        axis=-1,
    )
    np.testing.assert_allclose(out, middle @ pointwise[0, 0] + bias, atol=1e-5)


# -- Conv2DTranspose ---------------------------------------------------------------------------


def _conv_matrix(kernel, in_hw, strides, padding):
    """The dense matrix of np_conv2d on (in_h, in_w, kernel.shape[2]) inputs."""
    c = kernel.shape[2]
    size = in_hw[0] * in_hw[1] * c
    columns = [
        np_conv2d(np.eye(size)[i].reshape(1, *in_hw, c), kernel, None, strides, padding).ravel()
        for i in range(size)
    ]
    return np.stack(columns, axis=1)


@pytest.mark.parametrize(
    "kernel_size, strides, padding, size",
    [
        (3, 2, "same", 3),
        (4, 2, "same", 3),
        (3, 2, "valid", 3),
        (3, 1, "same", 4),
        (2, 1, "valid", 3),
    ],
)
def test_conv2d_transpose_is_the_adjoint_of_conv2d(kernel_size, strides, padding, size):
    # TensorFlow defines conv2d_transpose as the gradient of conv2d for its input: y -> A^T y.
    layer = L.Conv2DTranspose(2, kernel_size, strides=strides, padding=padding, use_bias=False)
    y = _images(1, size, size, 3)
    out = layer(_t(y)).detach().numpy()
    assert out.shape[1:] == layer.compute_output_shape((None, size, size, 3))[1:]
    (kernel,) = layer.get_weights()
    assert kernel.shape == (kernel_size, kernel_size, 2, 3)
    matrix = _conv_matrix(kernel, out.shape[1:3], (strides, strides), padding)
    assert matrix.shape[0] == y.size  # the forward conv maps the output back to y's shape
    np.testing.assert_allclose(out.ravel(), matrix.T @ y.ravel(), atol=1e-5)


@pytest.mark.parametrize("output_padding, expected", [(None, 14), (0, 13), (1, 14)])
def test_conv2d_transpose_output_sizes_follow_keras(output_padding, expected):
    layer = L.Conv2DTranspose(
        3, 3, strides=2, padding="same", output_padding=output_padding, bias_initializer="ones"
    )
    out = layer(torch.zeros(1, 7, 7, 2))
    assert out.shape == (1, expected, expected, 3)
    assert torch.allclose(out, torch.ones_like(out))  # zero input: only the bias everywhere
    assert layer.compute_output_shape((None, 7, 7, 2)) == (None, expected, expected, 3)
    with pytest.raises(LayerfitValueError, match="output_padding smaller than strides"):
        L.Conv2DTranspose(3, 3, strides=2, output_padding=2)


# -- errors --------------------------------------------------------------------------------------


def test_conv2d_on_images_without_channel_axis_explains_the_fix():
    with pytest.raises(LayerfitValueError) as info:
        L.Conv2D(32, 3)(torch.zeros(4, 28, 28))
    message = str(info.value)
    assert "(4, 28, 28)" in message and "(batch, height, width, channels)" in message
    assert "x[..., None]" in message and "reshape(-1, 28, 28, 1)" in message


def test_conv2d_symbolic_input_without_channel_axis_explains_the_fix():
    with pytest.raises(LayerfitValueError, match=r"\(None, 28, 28\)[\s\S]*x\[\.\.\., None\]"):
        L.Conv2D(32, 3)(L.Input(shape=(28, 28)))


def test_conv2d_too_small_input_suggests_same_padding():
    with pytest.raises(LayerfitValueError, match="padding='same'"):
        L.Conv2D(4, 5)(torch.zeros(1, 3, 3, 1))


def test_conv2d_argument_errors():
    with pytest.raises(LayerfitValueError, match="positive integer"):
        L.Conv2D(0, 3)
    with pytest.raises(LayerfitValueError, match=r"kernel_size=\(3, 3\)"):
        L.Conv2D(8, (3, 0))
    with pytest.raises(LayerfitValueError, match="Did you mean 'same'"):
        L.Conv2D(8, 3, padding="smae")
    with pytest.raises(LayerfitValueError, match="only Conv1D"):
        L.Conv2D(8, 3, padding="causal")
    with pytest.raises(LayerfitValueError, match="not both"):
        L.Conv2D(8, 3, strides=2, dilation_rate=2)
    with pytest.raises(LayerfitValueError, match="divisible by groups"):
        L.Conv2D(6, 3, groups=4)
    with pytest.raises(LayerfitValueError, match="divisible by groups"):
        L.Conv2D(4, 3, groups=2)(torch.zeros(1, 5, 5, 3))
    with pytest.raises(TypeError, match="Did you mean filters="):
        L.Conv2D(8, 3, nb_filter=4)


def test_padding_names_ignore_case():
    assert L.Conv2D(8, 3, padding="SAME").padding == "same"


def test_mnist_convnet_summary_shapes_and_counts():
    model = layerfit.Sequential(
        [
            L.Input(shape=(28, 28, 1)),
            L.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            L.MaxPooling2D(pool_size=(2, 2)),
            L.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            L.MaxPooling2D(pool_size=(2, 2)),
            L.Flatten(),
            L.Dropout(0.5),
            L.Dense(10, activation="softmax"),
        ]
    )
    shapes = [layer.output.shape for layer in model.layers]
    assert shapes == [
        (None, 26, 26, 32),
        (None, 13, 13, 32),
        (None, 11, 11, 64),
        (None, 5, 5, 64),
        (None, 1600),
        (None, 1600),
        (None, 10),
    ]
    assert [layer.count_params() for layer in model.layers] == [320, 0, 18496, 0, 0, 0, 16010]
    assert model.count_params() == 34826


def test_flatten_after_conv_uses_channels_last_order():
    conv = L.Conv2D(3, 2)
    x = _images(2, 4, 4, 2)
    features = L.Flatten()(conv(_t(x))).detach().numpy()
    kernel, bias = conv.get_weights()
    np.testing.assert_allclose(features, np_conv2d(x, kernel, bias).reshape(2, -1), atol=1e-5)


# -- the contract suite for every image layer ---------------------------------------------------

CONTRACT = [
    (lambda: L.Conv2D(4, 3, padding="same", strides=2, activation="relu"), (7, 6, 3)),
    (lambda: L.Conv2D(6, (2, 3), groups=3, data_format="channels_first"), (3, 7, 6)),
    (lambda: L.Conv1D(4, 3, padding="causal", dilation_rate=2), (9, 3)),
    (lambda: L.Conv2DTranspose(4, 3, strides=2, padding="same"), (5, 4, 3)),
    (lambda: L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"), (6, 6, 3)),
    (lambda: L.SeparableConv2D(5, 3, strides=2), (7, 7, 3)),
    (lambda: L.MaxPooling2D(3, strides=2, padding="same"), (7, 6, 3)),
    (lambda: L.AveragePooling2D(2, padding="same"), (5, 5, 3)),
    (lambda: L.MaxPooling1D(3, padding="same"), (8, 3)),
    (lambda: L.AveragePooling1D(2), (8, 3)),
    (lambda: L.GlobalAveragePooling2D(keepdims=True), (5, 4, 3)),
    (lambda: L.GlobalMaxPooling2D(), (5, 4, 3)),
    (lambda: L.GlobalAveragePooling1D(), (5, 3)),
    (lambda: L.GlobalMaxPooling1D(keepdims=True), (5, 3)),
    (lambda: L.BatchNormalization(), (5, 4, 3)),
    (lambda: L.BatchNormalization(axis=1, center=False), (3, 5, 4)),
    (lambda: L.LayerNormalization(axis=[1, 2]), (5, 4, 3)),
    (lambda: L.LayerNormalization(rms_scaling=True), (5, 3)),
    (lambda: L.ZeroPadding2D(((1, 2), (0, 3))), (5, 4, 3)),
    (lambda: L.Cropping2D((1, 2)), (5, 6, 3)),
    (lambda: L.UpSampling2D((2, 3), interpolation="bilinear"), (4, 3, 3)),
    (lambda: L.SpatialDropout2D(0.3), (5, 4, 3)),
    (lambda: L.Rescaling(1 / 255, offset=-0.5), (5, 4, 3)),
    (lambda: L.Resizing(3, 7), (5, 4, 3)),
    (lambda: L.RandomFlip("horizontal", seed=1), (5, 4, 3)),
    (lambda: L.RandomRotation(0.2, seed=1), (5, 4, 3)),
    (lambda: L.RandomTranslation(0.2, (-0.1, 0.3), fill_mode="constant", seed=1), (5, 4, 3)),
    (lambda: L.RandomZoom(0.2, 0.1, seed=1), (5, 4, 3)),
    (lambda: L.RandomContrast(0.3, value_range=(-10, 10), seed=1), (5, 4, 3)),
]
IDS = [f"{i}-{make().__class__.__name__}" for i, (make, _) in enumerate(CONTRACT)]


@pytest.mark.parametrize("make, sample", CONTRACT, ids=IDS)
def test_contract_shapes_config_weights_gradients(make, sample):
    layer = make()
    x = torch.randn(3, *sample, requires_grad=True)
    out = layer(x)
    assert layer.compute_output_shape((None, *sample)) == (None, *out.shape[1:])
    # Config round trip: the copy has the same config and, with copied weights, the same output.
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert {k: v for k, v in clone.get_config().items() if k != "name"} == {
        k: v for k, v in config.items() if k != "name"
    }
    clone(torch.randn(3, *sample))
    clone.set_weights(layer.get_weights())
    for mine, theirs in zip(layer.get_weights(), clone.get_weights()):
        np.testing.assert_array_equal(mine, theirs)
    layer.eval()
    clone.eval()
    torch.testing.assert_close(layer(x), clone(x))
    # Gradients reach the input and every trainable weight.
    layer.train()
    out = layer(x)
    (out * torch.randn_like(out)).sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    for weight in layer.trainable_weights:
        assert weight.grad is not None and weight.grad.abs().sum() > 0, weight.shape


def test_call_linear_is_the_output_before_the_activation():
    x = torch.randn(2, 5, 5, 2)
    for activation, function in (("sigmoid", torch.sigmoid), ("relu", torch.relu)):
        layer = L.Conv2D(3, 3, activation=activation, padding="same")
        outputs = layer(x)  # builds the layer
        torch.testing.assert_close(function(layer.call_linear(x)), outputs)


def test_an_overridden_convolution_op_is_used_with_the_kernel_in_keras_layout():
    # keras-io "subclassing conv layers": a standardized Conv2D overrides convolution_op.
    import layerfit as lf

    class StandardizedConv2D(lf.layers.Conv2D):
        def convolution_op(self, inputs, kernel):
            mean, var = lf.ops.moments(kernel, axes=[0, 1, 2], keepdims=True)
            return lf.ops.conv(inputs, (kernel - mean) / lf.ops.sqrt(var + 1e-10), padding="valid")

    rng = np.random.default_rng(0)
    x = rng.random((2, 6, 6, 3)).astype("float32")
    for use_bias in (True, False):
        layer = StandardizedConv2D(4, 3, activation="relu", use_bias=use_bias)
        out = layer(x).detach().numpy()
        weights = layer.get_weights()
        k = weights[0]  # Keras layout (3, 3, 3, 4)
        k = (k - k.mean(axis=(0, 1, 2), keepdims=True)) / np.sqrt(
            k.var(axis=(0, 1, 2), keepdims=True) + 1e-10
        )
        patches = np.stack(
            [x[:, i : i + 3, j : j + 3, :] for i in range(4) for j in range(4)], axis=1
        )  # (2, 16, 3, 3, 3)
        expected = np.einsum("bpijc,ijco->bpo", patches, k).reshape(2, 4, 4, 4)
        if use_bias:
            expected = expected + weights[1]
        np.testing.assert_allclose(out, np.maximum(expected, 0), rtol=1e-4, atol=1e-4)
