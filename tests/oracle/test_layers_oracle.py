"""Every layer against Keras 3: outputs, input gradients, and weights after one gradient step.

Tolerance: atol 1e-5, rtol 1e-4 everywhere (float32 on both sides; XLA and torch sum in
different orders and pick different conv algorithms, which moves the 6th-7th digit; an
actual formula difference moves the 1st-3rd).
"""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _compare import compare_layer, keras_weights  # noqa: E402

RNG = np.random.default_rng(7)
TABLE = (2, 5)
SEQ = (2, 6, 3)
IMG = (2, 7, 7, 3)
IMG_CF = (2, 3, 7, 7)

CONV = [
    ("Conv2D", dict(filters=4, kernel_size=3), IMG),
    ("Conv2D", dict(filters=4, kernel_size=3, padding="same", strides=2), IMG),
    ("Conv2D", dict(filters=4, kernel_size=(3, 2), dilation_rate=2, use_bias=False), IMG),
    (
        "Conv2D",
        dict(filters=4, kernel_size=3, activation="relu", data_format="channels_first"),
        IMG_CF,
    ),
    ("Conv2D", dict(filters=6, kernel_size=3, groups=3), IMG),
    ("Conv1D", dict(filters=4, kernel_size=3), SEQ),
    ("Conv1D", dict(filters=4, kernel_size=2, padding="causal", dilation_rate=2), SEQ),
    ("Conv1D", dict(filters=4, kernel_size=3, padding="same", strides=2, activation="tanh"), SEQ),
    ("Conv2DTranspose", dict(filters=4, kernel_size=3), IMG),
    ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2, padding="same"), IMG),
    ("Conv2DTranspose", dict(filters=2, kernel_size=2, strides=2, use_bias=False), IMG),
    ("DepthwiseConv2D", dict(kernel_size=3), IMG),
    ("DepthwiseConv2D", dict(kernel_size=3, depth_multiplier=2, padding="same", strides=2), IMG),
    ("SeparableConv2D", dict(filters=4, kernel_size=3), IMG),
    ("SeparableConv2D", dict(filters=4, kernel_size=3, padding="same", depth_multiplier=2), IMG),
]
CORE = [
    ("Dense", dict(units=3), TABLE),
    ("Dense", dict(units=3, activation="softmax", use_bias=False), TABLE),
    ("Dense", dict(units=4, activation="relu"), SEQ),
    ("Activation", dict(activation="gelu"), TABLE),
    ("Flatten", dict(), IMG),
    ("Reshape", dict(target_shape=(3, 6)), SEQ),
    ("Rescaling", dict(scale=1 / 255, offset=-0.5), IMG),
    ("Dropout", dict(rate=0.5), TABLE),  # inference: the identity
    ("SpatialDropout1D", dict(rate=0.5), SEQ),
    ("SpatialDropout2D", dict(rate=0.5), IMG),
    ("LayerNormalization", dict(), SEQ),
    ("LayerNormalization", dict(axis=[1, 2], center=False, epsilon=1e-5), SEQ),
]
POOL = [
    ("MaxPooling2D", dict(), IMG),
    ("MaxPooling2D", dict(pool_size=3, strides=2, padding="same"), IMG),
    ("MaxPooling2D", dict(pool_size=2, data_format="channels_first"), IMG_CF),
    ("AveragePooling2D", dict(pool_size=2), IMG),
    ("AveragePooling2D", dict(pool_size=3, strides=2, padding="same"), IMG),
    ("MaxPooling1D", dict(pool_size=2, padding="same"), SEQ),
    ("AveragePooling1D", dict(pool_size=3, strides=1), SEQ),
    ("AveragePooling1D", dict(pool_size=4, padding="same", strides=2), SEQ),
    ("GlobalAveragePooling2D", dict(), IMG),
    ("GlobalMaxPooling2D", dict(keepdims=True), IMG),
    ("GlobalAveragePooling1D", dict(), SEQ),
    ("GlobalMaxPooling1D", dict(), SEQ),
    ("UpSampling2D", dict(size=2), IMG),
    ("UpSampling2D", dict(size=(2, 3), interpolation="bilinear"), IMG),
    ("ZeroPadding2D", dict(padding=((1, 2), (0, 1))), IMG),
    ("Cropping2D", dict(cropping=((1, 2), (2, 0))), IMG),
    ("Resizing", dict(height=4, width=5), IMG),
    ("Resizing", dict(height=10, width=9, interpolation="nearest"), IMG),
    ("Resizing", dict(height=3, width=3, interpolation="bicubic", antialias=True), IMG),
    ("Resizing", dict(height=5, width=3, crop_to_aspect_ratio=True), IMG),
]
# unroll=True: Keras then runs its step in a Python loop instead of compiling a lax.scan per
# test (seconds each); the formulas are the same, and layerfit computes the same either way.
RECURRENT = [
    (rnn, dict(units=4, unroll=True, **extra), SEQ)
    for rnn in ("SimpleRNN", "LSTM", "GRU")
    for extra in (
        {},
        {"return_sequences": True},
        {"go_backwards": True, "return_state": True},
        {"activation": "relu", "use_bias": False, "return_sequences": True},
    )
] + [
    ("GRU", dict(units=3, reset_after=False, unroll=True), SEQ),
    (
        "LSTM",
        dict(units=3, unit_forget_bias=False, recurrent_activation="hard_sigmoid", unroll=True),
        SEQ,
    ),
]
CASES = CONV + CORE + POOL + RECURRENT


def _id(case):
    name, kwargs, _ = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("name, kwargs, shape", CASES, ids=[_id(c) for c in CASES])
def test_layer_matches_keras(name, kwargs, shape):
    x = RNG.normal(size=shape).astype("float32")
    assert compare_layer(name, kwargs, x) >= 2


BN = [dict(), dict(axis=1, momentum=0.9, epsilon=1e-5), dict(center=False, scale=False)]


@pytest.mark.parametrize("kwargs", BN, ids=[str(k) for k in BN])
@pytest.mark.parametrize("training", [False, True])
def test_batch_normalization_outputs_and_moving_statistics(kwargs, training):
    # training=True: batch statistics, and the moving ones updated by Keras's rule.
    x = RNG.normal(loc=2.0, scale=3.0, size=IMG).astype("float32")
    compare_layer("BatchNormalization", kwargs, x, training=training)


MERGE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"]


@pytest.mark.parametrize("name", MERGE)
def test_merge_layers(name):
    xs = [RNG.normal(size=(2, 4)).astype("float32") for _ in range(2)]
    compare_layer(name, {}, xs)


@pytest.mark.parametrize("kwargs", [dict(axes=1), dict(axes=1, normalize=True)])
def test_dot(kwargs):
    xs = [RNG.normal(size=(3, 4)).astype("float32") for _ in range(2)]
    compare_layer("Dot", kwargs, xs)


def test_embedding_gradients_reach_the_rows_used():
    ids = np.array([[1, 4, 4, 0], [9, 2, 3, 1]])
    compare_layer("Embedding", dict(input_dim=10, output_dim=3), ids)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("rnn", ["LSTM", "GRU"])
def test_bidirectional_merge_modes(rnn, merge_mode):
    import layerfit

    x = RNG.normal(size=SEQ).astype("float32")
    theirs = keras.layers.Bidirectional(
        getattr(keras.layers, rnn)(3, unroll=True), merge_mode=merge_mode
    )
    ours = layerfit.layers.Bidirectional(getattr(layerfit.layers, rnn)(3), merge_mode=merge_mode)
    k_out = theirs(x)
    ours(x)
    ours.set_weights(keras_weights(theirs))
    o_out = ours(x)
    k_out = list(k_out) if isinstance(k_out, (list, tuple)) else [k_out]
    o_out = list(o_out) if isinstance(o_out, (list, tuple)) else [o_out]
    assert len(k_out) == len(o_out)
    for a, b in zip(o_out, k_out):
        # Same float32 tolerance as above.
        np.testing.assert_allclose(a.detach().numpy(), np.asarray(b), atol=1e-5, rtol=1e-4)
