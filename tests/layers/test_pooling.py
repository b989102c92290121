"""Pooling, padding, cropping, upsampling and spatial dropout against numpy (float64)."""

import numpy as np
import pytest
import torch

from layerfit import layers as L
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(1)


def _t(array):
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def np_pool2d(x, pool, strides, padding, mode):
    """TensorFlow pooling on NHWC: 'same' windows skip the padding (max) / leave it out (mean)."""
    n, h, w, c = x.shape
    out_shape = []
    starts = []
    for size, k, s in zip((h, w), pool, strides):
        if padding == "valid":
            out = (size - k) // s + 1
            before = 0
        else:
            out = -(-size // s)
            before = max((out - 1) * s + k - size, 0) // 2
        out_shape.append(out)
        starts.append([i * s - before for i in range(out)])
    result = np.zeros((n, *out_shape, c))
    for i, top in enumerate(starts[0]):
        for j, left in enumerate(starts[1]):
            window = x[:, max(top, 0) : top + pool[0], max(left, 0) : left + pool[1]]
            reduce = np.max if mode == "max" else np.mean
            result[:, i, j] = reduce(window.astype(np.float64), axis=(1, 2))
    return result


POOL_CASES = [
    ((2, 2), None, "valid", (6, 6)),
    ((2, 2), None, "valid", (7, 5)),
    ((3, 3), (2, 2), "valid", (7, 8)),
    ((2, 2), None, "same", (5, 7)),
    ((3, 3), (2, 2), "same", (6, 7)),
    ((3, 2), (1, 1), "same", (4, 5)),
    ((2, 3), (3, 1), "same", (7, 6)),
]


@pytest.mark.parametrize("pool, strides, padding, size", POOL_CASES)
@pytest.mark.parametrize(
    "layer_class, mode", [(L.MaxPooling2D, "max"), (L.AveragePooling2D, "mean")]
)
def test_pool2d_matches_numpy(layer_class, mode, pool, strides, padding, size):
    layer = layer_class(pool, strides=strides, padding=padding)
    x = RNG.normal(size=(2, *size, 3)).astype("float32")
    out = layer(_t(x)).numpy()
    expected = np_pool2d(x, pool, strides or pool, padding, mode)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert layer.compute_output_shape((None, *size, 3)) == (None, *out.shape[1:])


def test_pool2d_defaults_follow_keras():
    layer = L.MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.padding == "valid"
    assert L.AveragePooling2D(3).strides == (3, 3)
    assert L.MaxPooling1D().pool_size == (2,)


def test_max_pooling_all_negative_same_padding_ignores_pad():
    x = -np.ones((1, 3, 3, 1), dtype="float32") - np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    out = L.MaxPooling2D(2, padding="same")(_t(x)).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[-1, -3], [-7, -9]])


def test_pool2d_channels_first():
    x = RNG.normal(size=(2, 3, 6, 5)).astype("float32")
    out = L.AveragePooling2D(2, padding="same", data_format="channels_first")(_t(x)).numpy()
    expected = np_pool2d(x.transpose(0, 2, 3, 1), (2, 2), (2, 2), "same", "mean")
    np.testing.assert_allclose(out, expected.transpose(0, 3, 1, 2), atol=1e-6)


@pytest.mark.parametrize(
    "layer_class, mode", [(L.MaxPooling1D, "max"), (L.AveragePooling1D, "mean")]
)
@pytest.mark.parametrize(
    "pool, strides, padding", [(2, None, "valid"), (3, 2, "same"), (2, 1, "same")]
)
def test_pool1d_matches_numpy(layer_class, mode, pool, strides, padding):
    layer = layer_class(pool, strides=strides, padding=padding)
    x = RNG.normal(size=(2, 7, 3)).astype("float32")
    out = layer(_t(x)).numpy()
    expected = np_pool2d(x[:, :, None], (pool, 1), (strides or pool, 1), padding, mode)[:, :, 0]
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert layer.compute_output_shape((None, 7, 3)) == (None, *out.shape[1:])


def test_global_pooling_matches_numpy():
    x = RNG.normal(size=(2, 4, 5, 3)).astype("float32")
    np.testing.assert_allclose(
        L.GlobalAveragePooling2D()(_t(x)).numpy(), x.mean(axis=(1, 2)), atol=1e-6
    )
    np.testing.assert_allclose(L.GlobalMaxPooling2D()(_t(x)).numpy(), x.max(axis=(1, 2)))
    kept = L.GlobalAveragePooling2D(keepdims=True)(_t(x)).numpy()
    np.testing.assert_allclose(kept, x.mean(axis=(1, 2), keepdims=True), atol=1e-6)
    first = L.GlobalMaxPooling2D(data_format="channels_first")
    np.testing.assert_allclose(first(_t(x)).numpy(), x.max(axis=(2, 3)))
    assert first.compute_output_shape((None, 4, 5, 3)) == (None, 4)
    np.testing.assert_allclose(L.GlobalMaxPooling1D()(_t(x[:, 0])).numpy(), x[:, 0].max(axis=1))


def test_global_average_pooling1d_mask_leaves_out_masked_steps():
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=bool)
    out = L.GlobalAveragePooling1D()(_t(x), mask=torch.from_numpy(mask)).numpy()
    np.testing.assert_allclose(out, [x[0, :2].mean(axis=0), x[1].mean(axis=0)], atol=1e-6)


def test_pooling_errors_name_the_cause_and_fix():
    with pytest.raises(LayerfitValueError, match="empty output[\\s\\S]*padding='same'"):
        L.MaxPooling2D(4)(torch.zeros(1, 3, 3, 1))
    with pytest.raises(LayerfitValueError, match="Did you mean 'valid'"):
        L.MaxPooling2D(padding="vaild")
    with pytest.raises(LayerfitValueError, match=r"x\[\.\.\., None\]"):
        L.MaxPooling2D()(torch.zeros(2, 28, 28))
    with pytest.raises(LayerfitValueError, match="pool_size"):
        L.AveragePooling2D(pool_size=0)


# -- padding, cropping, upsampling ----------------------------------------------------------


def test_zero_padding2d_matches_numpy():
    x = RNG.normal(size=(2, 3, 4, 2)).astype("float32")
    out = L.ZeroPadding2D(((1, 2), (0, 3)))(_t(x)).numpy()
    np.testing.assert_array_equal(out, np.pad(x, ((0, 0), (1, 2), (0, 3), (0, 0))))
    out = L.ZeroPadding2D(2, data_format="channels_first")(_t(x)).numpy()
    np.testing.assert_array_equal(out, np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2))))
    assert L.ZeroPadding2D().compute_output_shape((None, 3, 4, 2)) == (None, 5, 6, 2)


def test_cropping2d_matches_numpy():
    x = RNG.normal(size=(2, 6, 7, 2)).astype("float32")
    np.testing.assert_array_equal(L.Cropping2D(((1, 2), (3, 0)))(_t(x)).numpy(), x[:, 1:4, 3:])
    np.testing.assert_array_equal(L.Cropping2D(1)(_t(x)).numpy(), x[:, 1:5, 1:6])
    with pytest.raises(LayerfitValueError, match="reduce cropping"):
        L.Cropping2D(((3, 3), (0, 0)))(_t(x))


def test_upsampling2d_nearest_repeats_rows_and_columns():
    x = RNG.normal(size=(2, 3, 4, 2)).astype("float32")
    out = L.UpSampling2D((2, 3))(_t(x)).numpy()
    np.testing.assert_array_equal(out, x.repeat(2, axis=1).repeat(3, axis=2))
    first = L.UpSampling2D(2, data_format="channels_first")(_t(x)).numpy()
    np.testing.assert_array_equal(first, x.repeat(2, axis=2).repeat(2, axis=3))


def test_upsampling2d_bilinear_uses_half_pixel_centres():
    # Doubling [0, 1, 2] with half-pixel centres samples at 0, 0.25, 0.75, ..., clamped.
    x = np.array([0.0, 1.0, 2.0], dtype="float32").reshape(1, 1, 3, 1)
    out = L.UpSampling2D((1, 2), interpolation="bilinear")(_t(x)).numpy().ravel()
    np.testing.assert_allclose(out, [0, 0.25, 0.75, 1.25, 1.75, 2], atol=1e-6)
    with pytest.raises(LayerfitValueError, match="Did you mean 'bilinear'"):
        L.UpSampling2D(interpolation="bilinaer")


# -- spatial dropout -------------------------------------------------------------------------


def test_spatial_dropout2d_drops_whole_channels_in_training_only():
    layer = L.SpatialDropout2D(0.5)
    x = torch.ones(64, 3, 3, 32)
    out = layer(x, training=True)
    per_channel = out.reshape(64, 9, 32)
    # Each (sample, channel) map is all 0 or all 2.
    assert torch.all(per_channel.amin(dim=1) == per_channel.amax(dim=1))
    assert set(per_channel.unique().tolist()) == {0.0, 2.0}
    assert abs((per_channel[:, 0] == 0).float().mean().item() - 0.5) < 0.07
    assert torch.equal(layer(x, training=False), x)
    layer.eval()
    assert torch.equal(layer(x), x)


def test_spatial_dropout_seed_reproduces_masks_and_rate_is_checked():
    x = torch.ones(8, 2, 2, 16)
    first = L.SpatialDropout2D(0.3, seed=7)(x, training=True)
    second = L.SpatialDropout2D(0.3, seed=7)(x, training=True)
    assert torch.equal(first, second)
    out = L.SpatialDropout1D(0.5)(torch.ones(16, 5, 8), training=True)
    assert torch.all(out.amin(dim=1) == out.amax(dim=1))
    with pytest.raises(LayerfitValueError, match=r"\[0, 1\)"):
        L.SpatialDropout2D(1.0)


# -- a conv's ReLU followed by max pooling -----------------------------------------------------


def _conv_relu_pool(padding):
    torch.manual_seed(0)
    conv = L.Conv2D(4, 3, activation="relu", padding=padding)
    pool = L.MaxPooling2D(2, padding=padding)
    x = torch.randn(3, 7, 7, 2, requires_grad=True)
    out = pool(conv(x))
    upstream = torch.randn_like(out)
    (out * upstream).sum().backward()
    return conv, x, out, upstream


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_max_pool_after_conv_relu_matches_pooling_the_relu_output(padding):
    conv, x, out, upstream = _conv_relu_pool(padding)
    # Reference: the same kernel, ReLU applied before pooling (the plain definition).
    z = torch.nn.functional.conv2d(
        x.detach().permute(0, 3, 1, 2),
        conv.kernel.detach(),
        conv.bias.detach(),
        padding=1 if padding == "same" else 0,
    ).requires_grad_()
    reference = torch.nn.functional.max_pool2d(
        torch.relu(z), 2, 2, ceil_mode=padding == "same"
    ).permute(0, 2, 3, 1)
    torch.testing.assert_close(out, reference)
    (reference * upstream).sum().backward()
    expected_kernel_grad = torch.nn.grad.conv2d_weight(
        x.detach().permute(0, 3, 1, 2),
        conv.kernel.shape,
        z.grad,
        padding=1 if padding == "same" else 0,
    )
    torch.testing.assert_close(conv.kernel.grad, expected_kernel_grad, atol=1e-5, rtol=1e-5)
    assert torch.all(out >= 0)


def test_max_pool_after_in_place_change_pools_the_changed_values():
    conv, pool = L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D()
    with torch.no_grad():
        features = conv(torch.randn(2, 6, 6, 1))
        features.sub_(100.0)  # changed in place: the pool must not reuse the pre-activation
        out = pool(features).numpy()
    expected = np_pool2d(features.numpy(), (2, 2), (2, 2), "valid", "max")
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert out.max() < 0  # the stale pre-activation path would give values >= 0
