"""The rest of keras.layers outside image augmentation, against real Keras: adaptive pooling,
SeparableConv1D/DepthwiseConv1D, ReversibleEmbedding, SpectralNormalization (same weights and
inputs: outputs, input and weight gradients), HashedCrossing's buckets, InputSpec's checks,
and the JAX/TensorFlow-only names refusing with our error."""

import numpy as np
import pytest
import torch
from _keras_oracle import assert_matches_keras, jax, jnp, keras, keras_weights

import layerfit
from layerfit import layers
from layerfit.errors import LayerfitTypeError, LayerfitValueError

RNG = np.random.default_rng(0)
SEQ = RNG.normal(size=(2, 7, 3)).astype(np.float32)
IMAGE = RNG.normal(size=(2, 5, 7, 3)).astype(np.float32)
VOLUME = RNG.normal(size=(1, 5, 4, 6, 2)).astype(np.float32)

CASES = [
    ("AdaptiveAveragePooling1D", {"output_size": 3}, SEQ),  # 7 -> 3: windows of 3 and 4
    ("AdaptiveAveragePooling1D", {"output_size": 5, "data_format": "channels_first"}, SEQ),
    ("AdaptiveMaxPooling1D", {"output_size": 4}, SEQ),
    ("AdaptiveAveragePooling2D", {"output_size": (2, 3)}, IMAGE),
    ("AdaptiveMaxPooling2D", {"output_size": 3}, IMAGE),
    ("AdaptiveAveragePooling3D", {"output_size": (2, 3, 4)}, VOLUME),
    ("AdaptiveMaxPooling3D", {"output_size": 2}, VOLUME),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 3}, SEQ),
    (
        "SeparableConv1D",
        {
            "filters": 2,
            "kernel_size": 2,
            "strides": 2,
            "padding": "same",
            "depth_multiplier": 2,
            "activation": "relu",
        },
        SEQ,
    ),  # fmt: skip
    ("SeparableConv1D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, SEQ),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, SEQ),
    ("DepthwiseConv1D", {"kernel_size": 2, "strides": 2, "padding": "same"}, SEQ),
]


@pytest.mark.parametrize("name, kwargs, x", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_keras(name, kwargs, x):
    # float32 sums of a few dozen products: 1e-5 absolute.
    ours = getattr(layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    got = assert_matches_keras(ours, theirs, [x], atol=1e-5)
    assert tuple(ours.compute_output_shape((None, *x.shape[1:]))) == (None, *got.shape[1:])
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in keras_weights(theirs)]


def test_adaptive_pooling_bins_are_torchs():
    # Keras's bins (floor(i*n/out) .. ceil((i+1)*n/out)) are torch's: checked on lengths that
    # do not divide, upsampling included (output larger than input).
    for length, out in [(7, 3), (10, 4), (5, 3), (3, 5), (10, 6)]:
        x = RNG.normal(size=(1, length, 2)).astype(np.float32)
        theirs = np.asarray(keras.layers.AdaptiveAveragePooling1D(out)(x))
        torch_ref = torch.nn.functional.adaptive_avg_pool1d(torch.from_numpy(x).mT, out).mT
        np.testing.assert_allclose(theirs, torch_ref.numpy(), atol=1e-6)
        ours = layerfit.ops.adaptive_average_pool(x, out)
        np.testing.assert_allclose(ours.numpy(), theirs, atol=1e-6)
        top = layerfit.ops.adaptive_max_pool(x, out).numpy()
        np.testing.assert_allclose(top, np.asarray(keras.ops.adaptive_max_pool(x, out)))


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"tie_weights": False}, {"logit_soft_cap": 2.0}, {"reverse_dtype": "float32"}],
    ids=["tied", "untied", "soft_cap", "reverse_dtype"],
)
def test_reversible_embedding_matches_keras_both_ways(kwargs):
    ids = np.array([[1, 4, 0], [2, 9, 3]], dtype=np.int32)
    hidden = RNG.normal(size=(2, 3, 5)).astype(np.float32)
    theirs = keras.layers.ReversibleEmbedding(10, 5, embeddings_initializer="normal", **kwargs)
    ours = layers.ReversibleEmbedding(10, 5, **kwargs)
    theirs(ids)
    ours(torch.from_numpy(ids))
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    ours.set_weights(keras_weights(theirs))
    np.testing.assert_allclose(ours(torch.from_numpy(ids)).detach(), theirs(ids), atol=1e-6)
    assert_matches_keras(ours, theirs, [hidden], {"reverse": True}, atol=1e-5, weights=False)


def test_reversible_embedding_masks_forward_only_and_saves(tmp_path):
    layer = layers.ReversibleEmbedding(10, 4, mask_zero=True)
    ids = torch.tensor([[3, 1, 0]])
    hidden = layer(ids)
    assert hidden._keras_mask.tolist() == [[True, True, False]]
    assert getattr(layer(hidden, reverse=True), "_keras_mask", None) is None
    # A tied language-model head in a functional model: reverse=True gives the vocabulary axis.
    inputs = layerfit.Input((3,), dtype="int32")
    embedding = layers.ReversibleEmbedding(10, 4, name="tokens")
    outputs = embedding(layers.Dense(4)(embedding(inputs)), reverse=True)
    model = layerfit.Model(inputs, outputs)
    assert model.output_shape == (None, 3, 10)
    model.save(tmp_path / "lm.keras")
    loaded = layerfit.models.load_model(tmp_path / "lm.keras")
    x = np.array([[1, 2, 3]])
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    config = embedding.get_config()
    assert layers.ReversibleEmbedding.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "make, x",
    [
        (lambda m: m.Dense(4), RNG.normal(size=(3, 5)).astype(np.float32)),
        (lambda m: m.Conv2D(3, 2), RNG.normal(size=(2, 4, 4, 2)).astype(np.float32)),
        (lambda m: m.Conv1D(2, 3), SEQ),
    ],
    ids=["Dense", "Conv2D", "Conv1D"],
)
def test_spectral_normalization_matches_keras_in_training(make, x):
    theirs = keras.layers.SpectralNormalization(make(keras.layers), power_iterations=2)
    ours = layers.SpectralNormalization(make(layers), power_iterations=2)
    theirs(x, training=False)
    ours(torch.from_numpy(x), training=False)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    ours.set_weights(keras_weights(theirs))
    # Keras's training call: normalized kernel, gradients through sigma.
    trainable = [v.value for v in theirs.trainable_variables]
    non_trainable = [v.value for v in theirs.non_trainable_variables]
    out, _ = theirs.stateless_call(trainable, non_trainable, jnp.asarray(x), training=True)
    probe = np.random.default_rng(7).normal(size=out.shape).astype(np.float32)

    def objective(weights, inputs):
        result, _ = theirs.stateless_call(weights, non_trainable, inputs, training=True)
        return jnp.sum(result * probe)

    grads_w, grads_x = jax.grad(objective, argnums=(0, 1))(trainable, jnp.asarray(x))
    xt = torch.from_numpy(x).requires_grad_(True)
    got = ours(xt, training=True)
    (got * torch.from_numpy(probe)).sum().backward()
    # float32 power iteration and a division by sigma: 1e-5 absolute.
    np.testing.assert_allclose(got.detach().numpy(), np.asarray(out), atol=1e-5)
    np.testing.assert_allclose(xt.grad.numpy(), np.asarray(grads_x), atol=1e-5)
    for weight, expected in zip(ours.trainable_weights, grads_w):
        owner = ours._owner_of(weight)
        saved = weight.data
        weight.data = weight.grad
        grad = owner.weight_to_keras(weight)
        weight.data = saved
        np.testing.assert_allclose(grad, np.asarray(expected), atol=1e-5)
    # What the training call stored: the normalized kernel and the estimate vector_u.
    kernel = ours._owner_of(ours.layer.kernel).weight_to_keras(ours.layer.kernel)
    with theirs_stateless(theirs, trainable, non_trainable, x) as updated:
        np.testing.assert_allclose(ours.vector_u.detach().numpy(), updated["vector_u"], atol=1e-5)
        np.testing.assert_allclose(kernel, updated["kernel"], atol=1e-5)
    # At inference the layer runs as the wrapped one.
    plain = ours(torch.from_numpy(x), training=False)
    inner = ours.layer(torch.from_numpy(x))
    np.testing.assert_array_equal(plain.detach().numpy(), inner.detach().numpy())


class theirs_stateless:
    """Runs one Keras training call in a StatelessScope and reads the assigned values."""

    def __init__(self, theirs, trainable, non_trainable, x):
        self.theirs, self.x = theirs, x
        variables = [*theirs.trainable_variables, *theirs.non_trainable_variables]
        self.mapping = list(zip(variables, [*trainable, *non_trainable]))

    def __enter__(self):
        from keras.src.backend import StatelessScope

        with StatelessScope(state_mapping=self.mapping) as scope:
            self.theirs(jnp.asarray(self.x), training=True)
        return {
            "vector_u": np.asarray(scope.get_current_value(self.theirs.vector_u)),
            "kernel": np.asarray(scope.get_current_value(self.theirs.layer.kernel)),
        }

    def __exit__(self, *exc):
        return False


def test_spectral_normalization_trains_and_saves(tmp_path):
    model = layerfit.Sequential(
        [layerfit.Input((4,)), layers.SpectralNormalization(layers.Dense(8)), layers.Dense(1)]
    )
    model.compile("adam", "mse")
    x = RNG.normal(size=(32, 4)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "sn.keras")
    loaded = layerfit.models.load_model(tmp_path / "sn.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(LayerfitValueError, match="no 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.Dropout(0.1))(torch.ones(2, 3))
    with pytest.raises(LayerfitValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)


def test_hashed_crossing_gives_tensorflows_buckets():
    # Keras's own test vectors (hashed_crossing_test.py), computed by tf.sparse.cross_hashed.
    feat1 = np.array(["A", "B", "A", "B", "A"])
    feat2 = np.array([101, 101, 101, 102, 102])
    assert layers.HashedCrossing(num_bins=5)((feat1, feat2)).tolist() == [1, 4, 1, 1, 3]
    assert layers.HashedCrossing(num_bins=10)(("A", 101)).tolist() == 1
    one_hot = layers.HashedCrossing(num_bins=5, output_mode="one_hot")(
        (feat1[:, None], feat2[:, None])
    )
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(5)[[1, 4, 1, 1, 3]])
    assert one_hot.dtype == torch.float32
    column = layers.HashedCrossing(num_bins=5)((feat1[:, None], feat2[:, None]))
    assert column.shape == (5, 1) and column.dtype == torch.int64
    layer = layers.HashedCrossing(num_bins=5, output_mode="one_hot", name="cross")
    config = layer.get_config()
    assert layers.HashedCrossing.from_config(config).get_config() == config
    assert layer.compute_output_shape([(None, 1), (None, 1)]) == (None, 5)


def test_hashed_crossing_mistakes_explain_themselves():
    with pytest.raises(LayerfitValueError, match="at least two features"):
        layers.HashedCrossing(num_bins=3)(np.array([1, 2]))
    with pytest.raises(LayerfitValueError, match="integers or strings"):
        layers.HashedCrossing(num_bins=3)((np.array([1.5]), np.array([2])))
    with pytest.raises(LayerfitValueError, match=r"\(batch, 1\)"):
        layers.HashedCrossing(num_bins=3)((np.ones((2, 2), int), np.ones((2, 2), int)))
    with pytest.raises(LayerfitValueError, match="TensorFlow only"):
        layers.HashedCrossing(num_bins=3, sparse=True)


class _Pairs(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = layers.InputSpec(ndim=3, axes={-1: 4}, dtype="float32")

    def call(self, inputs):
        return inputs.sum(-1)


def test_input_spec_checks_every_call_as_keras():
    layer = _Pairs(name="pairs")
    assert layer(torch.zeros(2, 5, 4)).shape == (2, 5)
    with pytest.raises(LayerfitValueError, match=r"expected ndim=3, found ndim=2") as error:
        layer(torch.zeros(2, 4))
    assert "'pairs'" in str(error.value) and "Fix:" in str(error.value)
    with pytest.raises(LayerfitValueError, match="expected axis -1 to have size 4, found 3"):
        layer(torch.zeros(2, 5, 3))
    with pytest.raises(LayerfitValueError, match="expected dtype=float32, found dtype=int64"):
        layer(torch.zeros(2, 5, 4, dtype=torch.int64))
    with pytest.raises(LayerfitValueError, match="expected ndim=3"):
        layer(layerfit.Input((4,)))  # while building a functional model too
    # Keras's own InputSpec: the same verdicts on the same shapes.
    spec = dict(shape=(None, 3, 1), allow_last_axis_squeeze=True)
    ours, theirs = layers.InputSpec(**spec), keras.layers.InputSpec(**spec)
    assert ours.get_config() == theirs.get_config() and repr(ours) == repr(theirs)
    for shape in [(2, 3), (2, 3, 1), (2, 4)]:
        keras_ok = _keras_accepts(theirs, shape)
        layer.input_spec = ours
        try:
            layer(torch.zeros(*shape))
            ours_ok = True
        except LayerfitValueError:
            ours_ok = False
        assert ours_ok == keras_ok, shape
    with pytest.raises(LayerfitTypeError, match="integer keys"):
        layers.InputSpec(axes={"last": 3})
    with pytest.raises(LayerfitValueError, match="axis numbers up to 1"):
        layers.InputSpec(ndim=2, axes={2: 3})
    assert layerfit.InputSpec is layers.InputSpec


def _keras_accepts(spec, shape) -> bool:
    from keras.src.layers.input_spec import assert_input_compatibility

    try:
        assert_input_compatibility(spec, np.zeros(shape, np.float32), "layer")
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "make, framework",
    [
        (lambda: layers.JaxLayer(lambda params, x: x), "JAX"),
        (lambda: layers.FlaxLayer(object()), "JAX"),
        (lambda: layers.TFSMLayer("saved_model_dir"), "TensorFlow"),
    ],
    ids=["JaxLayer", "FlaxLayer", "TFSMLayer"],
)
def test_other_frameworks_layers_refuse_and_say_what_to_use(make, framework):
    with pytest.raises(LayerfitValueError, match=framework) as error:
        make()
    message = str(error.value)
    assert "layerfit runs on PyTorch" in message and "TorchModuleWrapper" in message


def test_depthwise_and_separable_1d_refuse_causal_padding_as_keras():
    with pytest.raises(LayerfitValueError, match="padding"):
        layers.SeparableConv1D(2, 3, padding="causal")
    with pytest.raises(LayerfitValueError, match="padding"):
        layers.DepthwiseConv1D(3, padding="causal")
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
