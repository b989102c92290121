"""MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention, EinsumDense against
real Keras (same weights, same inputs: outputs and gradients), masks, configs, and keras-io's
"Text classification with Transformer" run unchanged."""

import numpy as np
import pytest
import torch
from _keras_oracle import assert_matches_keras, keras, keras_weights

import layerfit
from layerfit import layers, ops
from layerfit.errors import LayerfitValueError

RNG = np.random.default_rng(0)
Q = RNG.normal(size=(3, 4, 6)).astype(np.float32)
V = RNG.normal(size=(3, 5, 6)).astype(np.float32)
K = RNG.normal(size=(3, 5, 7)).astype(np.float32)
VALUE_MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 1, 1, 0]], bool)
ATTENTION_MASK = RNG.random((3, 4, 5)) > 0.3


def _masks_for(name):
    return {
        "plain": {},
        "value_mask": {"value_mask": VALUE_MASK},
        "attention_mask": {"attention_mask": ATTENTION_MASK},
        "causal": {"use_causal_mask": True},
        "causal+value_mask": {"use_causal_mask": True, "value_mask": VALUE_MASK},
    }[name]


MASKS = ["plain", "value_mask", "attention_mask", "causal", "causal+value_mask"]


@pytest.mark.parametrize("masks", MASKS)
@pytest.mark.parametrize("scores", [False, True])
def test_multi_head_attention_matches_keras(masks, scores):
    # float32 sums over a few dozen products: 1e-5 absolute.
    kwargs = {**_masks_for(masks), "return_attention_scores": scores}
    # Keras's JAX fused path needs value_dim == key_dim; its explicit path (scores) does not.
    value_dim = 4 if scores else None
    ours = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=value_dim)
    theirs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=value_dim)
    assert_matches_keras(ours, theirs, [Q, V, K], kwargs, atol=1e-5)
    if scores:
        _, got = ours(torch.from_numpy(Q), torch.from_numpy(V), torch.from_numpy(K), **kwargs)
        _, expected = theirs(Q, V, K, **kwargs)
        np.testing.assert_allclose(got.detach().numpy(), np.asarray(expected), atol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"use_bias": False, "output_shape": (2, 5)},
        {"use_gate": True},
        {"sliding_window": 2},
        {"kernel_initializer": "he_normal", "bias_initializer": "ones"},
    ],
)
def test_multi_head_attention_arguments_match_keras(kwargs):
    ours = layers.MultiHeadAttention(3, 2, **kwargs)
    theirs = keras.layers.MultiHeadAttention(3, 2, **kwargs)
    got = assert_matches_keras(ours, theirs, [Q, V], {"value_mask": VALUE_MASK}, atol=1e-5)
    assert got.shape == theirs.compute_output_shape(Q.shape, V.shape)
    assert [tuple(w.shape) for w in ours.get_weights()] == [w.shape for w in theirs.weights]


def test_multi_head_attention_over_two_axes_matches_keras():
    image = RNG.normal(size=(2, 3, 4, 6)).astype(np.float32)
    for axes in [(1, 2), (2,)]:
        ours = layers.MultiHeadAttention(2, 3, attention_axes=axes)
        theirs = keras.layers.MultiHeadAttention(2, 3, attention_axes=axes)
        assert_matches_keras(ours, theirs, [image, image], atol=1e-5)


def test_dropout_on_scores_runs_the_explicit_path_and_is_off_at_inference():
    layer = layers.MultiHeadAttention(2, 3, dropout=0.5)
    q, v = torch.from_numpy(Q), torch.from_numpy(V)
    a, b = layer(q, v, training=True), layer(q, v, training=True)
    assert not torch.allclose(a, b)  # two dropout draws
    assert torch.allclose(layer(q, v, training=False), layer(q, v, training=False))


def test_query_mask_zeroes_attention_of_masked_query_steps():
    layer = layers.MultiHeadAttention(2, 3, use_bias=False)
    query_mask = np.array([[1, 1, 0, 1]] * 3, bool)
    out = layer(torch.from_numpy(Q), torch.from_numpy(V), query_mask=torch.from_numpy(query_mask))
    assert torch.all(out[:, 2] == 0)
    assert torch.all(out[:, 1] != 0)


def test_group_query_attention_matches_keras():
    for kwargs in [{}, {"value_mask": VALUE_MASK, "return_attention_scores": True}]:
        ours = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
        theirs = keras.layers.GroupQueryAttention(
            head_dim=3, num_query_heads=4, num_key_value_heads=2
        )
        assert_matches_keras(ours, theirs, [Q, V, K], kwargs, atol=1e-5)
    with pytest.raises(LayerfitValueError, match="multiple of num_key_value_heads"):
        layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=3)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("Attention", {}),
        ("Attention", {"use_scale": True}),
        ("Attention", {"score_mode": "concat", "use_scale": True}),
        ("AdditiveAttention", {}),
        ("AdditiveAttention", {"use_scale": False}),
    ],
)
def test_dot_and_additive_attention_match_keras(name, kwargs):
    query_mask = np.array([[1, 1, 0, 1]] * 3, bool)
    for call in [{}, {"mask": [query_mask, VALUE_MASK]}, {"use_causal_mask": True}]:
        ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
        theirs([Q, V, V[..., :6]], **call)
        ours([torch.from_numpy(Q), torch.from_numpy(V), torch.from_numpy(V)], **call)
        ours.set_weights(keras_weights(theirs))
        expected = np.asarray(theirs([Q, V, V], **call))
        got = ours([torch.from_numpy(x) for x in (Q, V, V)], **call).detach().numpy()
        np.testing.assert_allclose(got, expected, atol=1e-5)
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


def test_attention_needs_a_list():
    with pytest.raises(LayerfitValueError, match=r"layer\(\[query, value\]\)"):
        layers.Attention()(torch.from_numpy(Q))


@pytest.mark.parametrize(
    "equation, output_shape, bias_axes, shape",
    [
        ("ab,bc->ac", (4,), "c", (3, 6)),
        ("abc,cde->abde", (None, 2, 3), "de", (3, 4, 6)),
        ("abcd,cde->abe", (None, 5), "e", (3, 4, 2, 3)),
        ("...b,bc->...c", (4,), "c", (3, 4, 6)),
        ("abc,cd->abd", (None, 4), None, (3, 4, 6)),
        ("abc,dc->adb", (7, None), "d", (3, 4, 6)),
    ],
)
def test_einsum_dense_matches_keras(equation, output_shape, bias_axes, shape):
    x = RNG.normal(size=shape).astype(np.float32)
    ours = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes, activation="relu")
    theirs = keras.layers.EinsumDense(
        equation, output_shape, bias_axes=bias_axes, activation="relu"
    )
    got = assert_matches_keras(ours, theirs, [x], atol=1e-5)
    expected = theirs.compute_output_shape(shape)[1:]  # Keras leaves output_shape's None axes
    assert all(e in (None, g) for g, e in zip(got.shape[1:], expected, strict=True))
    assert ours.compute_output_shape((None, *shape[1:]))[1:] == got.shape[1:]


def test_einsum_dense_bad_equation_names_the_form():
    with pytest.raises(LayerfitValueError, match="'x,y->z'"):
        layers.EinsumDense("ab->b", 3)(torch.zeros(2, 3))
    with pytest.raises(LayerfitValueError, match="bias_axes"):
        layers.EinsumDense("ab,bc->ac", 3, bias_axes="z")(torch.zeros(2, 3))


def test_mha_config_round_trips_and_functional_model_saves(tmp_path):
    inputs = layerfit.Input((5, 6))
    attended, scores = layers.MultiHeadAttention(2, 3, name="mha")(
        inputs, inputs, return_attention_scores=True
    )
    assert attended.shape == (None, 5, 6) and scores.shape == (None, 2, 5, 5)
    model = layerfit.Model(inputs, layers.GlobalAveragePooling1D()(attended))
    assert model.count_params() == 4 * (6 * 2 * 3) + 3 * 2 * 3 + 6  # Keras's count
    x = RNG.normal(size=(3, 5, 6)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = layerfit.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    config = model.get_layer("mha").get_config()
    assert layers.MultiHeadAttention.from_config(config).get_config() == config


def test_mha_called_with_only_a_query_says_how_to_fix():
    with pytest.raises(LayerfitValueError, match=r"layer\(x, x\)"):
        layers.MultiHeadAttention(2, 3)(torch.from_numpy(Q))


# -- keras-io "Text classification with Transformer", unchanged but for the data -------------


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = layerfit.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


def test_keras_io_text_classification_with_transformer_trains():
    vocab_size, maxlen = 200, 20
    embed_dim, num_heads, ff_dim = 32, 2, 32
    # Class 1 sequences use the upper half of the vocabulary: learnable in a few epochs.
    y_train = RNG.integers(0, 2, size=256)
    x_train = RNG.integers(1, vocab_size // 2, size=(256, maxlen)) + (vocab_size // 2) * y_train[
        :, None
    ] * (RNG.random((256, maxlen)) < 0.5)

    inputs = layers.Input(shape=(maxlen,))
    embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
    x = embedding_layer(inputs)
    transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
    x = transformer_block(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)

    model = layerfit.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=4, validation_split=0.25, verbose=0)
    assert history.history["val_accuracy"][-1] > 0.8  # chance is 0.5
