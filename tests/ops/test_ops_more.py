"""The ops added to complete keras.ops, checked without Keras: numbers by hand or numpy
(float64 references, tolerance 1e-6 on float32 results), gradients, and our errors."""

import numpy as np
import pytest
import torch

from layerfit import ops
from layerfit.errors import LayerfitTypeError, LayerfitValueError

NAN = float("nan")


def test_nan_arg_ops_skip_nans_and_give_minus_one_for_all_nan_rows():
    x = [[NAN, NAN], [1.0, NAN], [3.0, 5.0]]
    assert ops.nanargmax(x, axis=1).tolist() == [-1, 0, 1]
    assert ops.nanargmin(x, axis=1).tolist() == [-1, 0, 0]
    assert ops.nanargmax(x).item() == 5 and ops.nanargmax(x).dtype == torch.int32


def test_nan_scans_and_quantiles_match_numpy():
    rng = np.random.default_rng(0)
    x = np.where(rng.random((4, 5)) < 0.3, np.nan, rng.normal(size=(4, 5))).astype(np.float32)
    x[:, 0] = 1.0  # no all-NaN slices: numpy warns on those
    np.testing.assert_allclose(ops.nancumsum(x, axis=1), np.nancumsum(x, axis=1), atol=1e-6)
    np.testing.assert_allclose(ops.nancumprod(x, axis=0), np.nancumprod(x, axis=0), atol=1e-6)
    np.testing.assert_allclose(ops.nanmedian(x, axis=1), np.nanmedian(x, axis=1), atol=1e-6)
    np.testing.assert_allclose(
        ops.nanpercentile(x, 30, axis=1, keepdims=True),
        np.nanpercentile(x, 30, axis=1, keepdims=True),
        atol=1e-6,
    )
    assert ops.nanmedian(np.array([1, 2, 4], np.int32)).dtype == torch.float32  # floatx
    assert ops.nancumsum(np.array([1, 2], np.int8)).dtype == torch.int8  # kept, as Keras


def test_nanquantile_error_names_the_methods():
    with pytest.raises(LayerfitValueError, match="'linear'"):
        ops.nanquantile([1.0, 2.0], 0.5, method="cubic")


def test_depth_to_space_undoes_space_to_depth():
    x = torch.arange(2 * 4 * 6 * 3, dtype=torch.float32).reshape(2, 4, 6, 3)
    assert torch.equal(ops.depth_to_space(ops.space_to_depth(x, 2), 2), x)
    # TensorFlow's order: channel block (0, 1) of pixel (0, 0) goes to pixel (0, 1).
    y = torch.arange(4.0).reshape(1, 1, 1, 4)
    assert ops.depth_to_space(y, 2)[0, :, :, 0].tolist() == [[0.0, 1.0], [2.0, 3.0]]


def test_depth_to_space_errors():
    with pytest.raises(LayerfitValueError, match="divisible by block_size"):
        ops.depth_to_space(torch.zeros(1, 2, 2, 6), 2)
    with pytest.raises(LayerfitValueError, match="height and width divisible"):
        ops.space_to_depth(torch.zeros(1, 3, 4, 1), 2)
    with pytest.raises(LayerfitValueError, match="expand_dims"):
        ops.depth_to_space(torch.zeros(2, 2, 4), 2)


def test_unfold_and_fold_errors():
    with pytest.raises(LayerfitValueError, match="channels_first batch"):
        ops.unfold(torch.zeros(3, 4, 4), 2)
    with pytest.raises(LayerfitValueError, match="ops.unfold"):
        ops.fold(torch.zeros(1, 4, 4, 1), (4, 4), 2)


def test_view_as_complex_and_back():
    x = torch.tensor([[1.0, 2.0], [3.0, -4.0]])
    z = ops.view_as_complex(x)
    assert z.dtype == torch.complex64 and z.tolist() == [1 + 2j, 3 - 4j]
    assert torch.equal(ops.view_as_real(z), x)
    with pytest.raises(LayerfitValueError, match="last axis of size 2"):
        ops.view_as_complex(torch.zeros(3))


def test_unravel_index_matches_numpy():
    got = ops.unravel_index(np.array([0, 7, 23], np.int32), (2, 3, 4))
    expected = np.unravel_index([0, 7, 23], (2, 3, 4))
    assert [g.tolist() for g in got] == [e.tolist() for e in expected]


def test_rearrange_splits_and_merges_and_refuses_bad_patterns():
    x = torch.arange(24.0).reshape(2, 3, 4)
    torch.testing.assert_close(ops.rearrange(x, "b h w -> b (h w)"), x.reshape(2, 12))
    torch.testing.assert_close(
        ops.rearrange(x, "b h (w p) -> b p h w", p=2), x.reshape(2, 3, 2, 2).permute(0, 3, 1, 2)
    )
    with pytest.raises(LayerfitValueError, match="does not fit"):
        ops.rearrange(x, "b h -> h b")


def test_cdist_histogram_correlate_vander_errors():
    with pytest.raises(LayerfitValueError, match="last axes"):
        ops.cdist(torch.zeros(2, 3), torch.zeros(2, 4))
    with pytest.raises(LayerfitValueError, match="1-D tensor of values"):
        ops.histogram(torch.zeros(2, 2))
    with pytest.raises(LayerfitValueError, match="mode 'valid'"):
        ops.correlate([1.0, 2.0], [1.0], mode="circular")
    with pytest.raises(LayerfitValueError, match="ravel"):
        ops.vander(torch.zeros(2, 2))


def test_histogram_correlate_trapezoid_match_numpy():
    x = np.random.default_rng(1).normal(size=40)
    for kwargs in [{}, {"bins": 4, "range": (-1, 1)}]:
        counts, edges = ops.histogram(x.astype(np.float32), **kwargs)
        expected_counts, expected_edges = np.histogram(x.astype(np.float32), **kwargs)
        np.testing.assert_array_equal(counts.numpy(), expected_counts)
        np.testing.assert_allclose(edges.numpy(), expected_edges, atol=1e-6)
    for a, v in [(5, 3), (3, 5), (4, 4), (4, 2)]:
        for mode in ("valid", "same", "full"):
            np.testing.assert_allclose(
                ops.correlate(x[:a], x[10 : 10 + v], mode=mode).numpy(),
                np.correlate(x[:a], x[10 : 10 + v], mode=mode),
                atol=1e-6,
            )
    np.testing.assert_allclose(ops.trapezoid(x, dx=0.5).numpy(), np.trapezoid(x, dx=0.5))


def test_sparsemax_follows_the_paper():
    """Martins & Astudillo (2016): the projection onto the simplex, checked against a float64
    numpy form of their algorithm (Keras 3.15 differs: see DECISIONS)."""
    x = np.random.default_rng(2).normal(size=(5, 6))

    def reference(row):
        z = np.sort(row)[::-1]
        k = np.arange(1, len(z) + 1)
        support = 1 + k * z > np.cumsum(z)
        tau = (np.cumsum(z)[support][-1] - 1) / k[support][-1]
        return np.maximum(row - tau, 0)

    got = ops.sparsemax(x.astype(np.float32)).numpy()
    np.testing.assert_allclose(got, np.stack([reference(r) for r in x]), atol=1e-6)
    np.testing.assert_allclose(got.sum(-1), 1.0, atol=1e-6)


def test_conv_transpose_error_names_the_kernel_layout():
    with pytest.raises(LayerfitValueError, match="out_channels, in_channels"):
        ops.conv_transpose(torch.zeros(1, 4, 4, 3), torch.zeros(3, 3, 2, 5))


def test_conv_transpose_gradient_is_the_convolution():
    # The gradient of sum(conv_transpose(x) * g) with respect to x is conv(g) with the same
    # kernel: the defining property of a transposed convolution.
    x = torch.randn(1, 5, 5, 2, requires_grad=True)
    kernel = torch.randn(3, 3, 4, 2)
    y = ops.conv_transpose(x, kernel, strides=2, padding="same")
    g = torch.randn_like(y)
    (y * g).sum().backward()
    torch.testing.assert_close(
        x.grad, ops.conv(g, kernel, strides=2, padding="same"), atol=1e-5, rtol=1e-5
    )


def test_ctc_loss_by_hand_and_errors():
    # Two steps, classes {blank, a}, uniform logits: paths giving "a" are (a,a), (a,_), (_,a).
    loss = ops.ctc_loss([[1]], torch.zeros(1, 2, 2), [1], [2])
    torch.testing.assert_close(loss, torch.tensor([-np.log(3 / 4)], dtype=torch.float32))
    with pytest.raises(LayerfitValueError, match="batch, time steps, classes"):
        ops.ctc_loss([[1]], torch.zeros(2, 2), [1], [2])
    with pytest.raises(LayerfitValueError, match="'beam_search'"):
        ops.ctc_decode(torch.zeros(1, 2, 2), [2], strategy="best")


def test_ctc_beam_search_sums_the_alignments_of_a_labelling():
    # Two steps over {blank, a}: "a" has alignments (a,a), (a,_), (_,a); "" only (_,_).
    p = torch.tensor([[[0.6, 0.4], [0.6, 0.4]]]).log()
    decoded, scores = ops.ctc_decode(p, [2], strategy="beam_search", beam_width=4, top_paths=2)
    assert decoded[:, 0].tolist() == [[1, -1], [-1, -1]]  # "a" (0.64) before "" (0.36)
    torch.testing.assert_close(scores[0].exp(), torch.tensor([0.64, 0.36]), atol=1e-6, rtol=0)


def test_custom_gradient_replaces_the_gradient():
    @ops.custom_gradient
    def clip_gradient(x, limit):
        return x * 1.0, lambda upstream: (upstream.clamp(-limit, limit),)

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (clip_gradient(x, 0.5) * torch.tensor([3.0, -0.1])).sum().backward()
    assert x.grad.tolist() == pytest.approx([0.5, -0.1])


def test_jvp_and_associative_scan_errors():
    with pytest.raises(LayerfitValueError, match="one tangent per primal"):
        ops.jvp(lambda x: x, (torch.ones(2),), ())
    with pytest.raises(LayerfitValueError, match="same length"):
        ops.associative_scan(lambda a, b: a, (torch.ones(2), torch.ones(3)))


def test_vectorize_excluded_arguments_pass_through():
    scaled = ops.vectorize(lambda x, factor: x * factor, excluded={1})
    torch.testing.assert_close(scaled(torch.arange(3.0), 2.0), torch.tensor([0.0, 2.0, 4.0]))


def test_image_resampling_errors_name_the_choices():
    with pytest.raises(LayerfitValueError, match="'mirror'"):
        ops.image.affine_transform(torch.zeros(1, 4, 4, 1), [1, 0, 0, 0, 1, 0, 0, 0], fill_mode="x")
    with pytest.raises(LayerfitValueError, match="order 0 or 1"):
        ops.image.map_coordinates(torch.zeros(4, 4), torch.zeros(2, 3), order=3)


def test_hsv_round_trip_and_blur_keeps_constant_interiors():
    images = torch.rand(2, 5, 6, 3)
    hsv = ops.image.rgb_to_hsv(images)
    torch.testing.assert_close(ops.image.hsv_to_rgb(hsv), images, atol=1e-6, rtol=0)
    blurred = ops.image.gaussian_blur(torch.ones(1, 7, 7, 1), kernel_size=3)
    torch.testing.assert_close(blurred[0, 1:-1, 1:-1], torch.ones(5, 5, 1))  # weights sum to 1
    assert ops.image.ssim(images, images, filter_size=5).tolist() == pytest.approx([1.0, 1.0])
    with pytest.raises(LayerfitValueError, match="filter_size=3"):
        ops.image.ssim(images, images)  # 5 x 6 pixels, an 11 x 11 window


def test_perspective_transform_identity_and_error():
    images = torch.rand(1, 5, 6, 2)
    corners = [[0.0, 0.0], [5.0, 0.0], [0.0, 4.0], [5.0, 4.0]]
    torch.testing.assert_close(
        ops.image.perspective_transform(images, corners, corners), images, atol=1e-5, rtol=0
    )
    with pytest.raises(LayerfitValueError, match="four"):
        ops.image.perspective_transform(images, corners[:3], corners[:3])


def test_elastic_transform_is_seeded_and_alpha_zero_is_identity():
    from layerfit import random

    images = torch.rand(2, 8, 9, 3)
    same = ops.image.elastic_transform(images, alpha=0.0, seed=1)
    torch.testing.assert_close(same, images, atol=1e-6, rtol=0)
    first = ops.image.elastic_transform(images, alpha=5.0, sigma=2.0, seed=3)
    assert torch.equal(first, ops.image.elastic_transform(images, alpha=5.0, sigma=2.0, seed=3))
    assert (first - images).abs().mean() > 0.05  # it moved pixels
    generator = random.SeedGenerator(4)
    one = ops.image.elastic_transform(images, seed=generator)
    assert not torch.equal(one, ops.image.elastic_transform(images, seed=generator))
    with pytest.raises(LayerfitValueError, match="bilinear"):
        ops.image.elastic_transform(images, interpolation="cubic")


def test_scale_and_translate_shifts_and_names_its_methods():
    row = torch.tensor([[0.0, 1.0, 2.0, 3.0]])
    shifted = ops.image.scale_and_translate(row, (1, 4), [1.0], [1.0], (1,), "linear")
    assert shifted.tolist() == [[0.0, 0.0, 1.0, 2.0]]  # the first column reads outside: 0
    with pytest.raises(LayerfitValueError, match="'lanczos3'"):
        ops.image.scale_and_translate(row, (1, 4), [1.0], [0.0], (1,), "nearest")


@pytest.mark.parametrize(
    "text", [["fixed"], np.array(["a", "b"]), np.array(["a", 1], dtype=object)], ids=repr
)
def test_text_given_to_convert_to_tensor_gets_our_error(text):
    # keras-io's FeatureSpace inference cell calls ops.convert_to_tensor(["fixed"]): a raw
    # torch TypeError before; Keras on JAX fails too, ours names the way that works.
    with pytest.raises(LayerfitTypeError, match="torch has no string tensors"):
        ops.convert_to_tensor(text)
