"""Masks against real Keras 3 (jax backend): the same weights and padded batches through both."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

import layerfit
from layerfit import layers

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":  # pragma: no cover - another backend was chosen first
    pytest.skip("the Keras oracle runs on its jax backend", allow_module_level=True)

# Keras's own Variable.numpy() trips numpy 2's copy= deprecation; that is not ours to test.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras")

TOL = dict(rtol=1e-5, atol=1e-6)  # float32 through different kernels

# Three kinds of padding: at the end, at the start, and holes in the middle.
RIGHT = np.array([[3, 4, 5, 0, 0, 0], [1, 2, 3, 4, 5, 6], [7, 0, 0, 0, 0, 0]])
LEFT = np.array([[0, 0, 0, 3, 4, 5], [1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 7]])
HOLES = np.array([[3, 0, 5, 0, 2, 0], [0, 2, 3, 0, 5, 6], [7, 1, 0, 0, 4, 0]])
PADDINGS = {"right": RIGHT, "left": LEFT, "holes": HOLES}


def _pair(build):
    """Builds the same model in layerfit and Keras (``build(module)``), Keras's weights copied."""
    theirs = build(keras)
    ours = build(layerfit)
    ours.set_weights(theirs.get_weights())
    return ours, theirs


def _ours(model, x):
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(x))
    return out


def _rnn_model(module, rnn_class, **rnn_kwargs):
    return module.Sequential(
        [
            module.Input(shape=(6,), dtype="int32"),
            module.layers.Embedding(10, 4, mask_zero=True),
            getattr(module.layers, rnn_class)(3, **rnn_kwargs),
        ]
    )


def test_embedding_mask_zero_and_masking_attach_keras_masks():
    ids = torch.as_tensor(RIGHT)
    embedded = layers.Embedding(10, 4, mask_zero=True)(ids)
    np.testing.assert_array_equal(embedded._keras_mask.numpy(), RIGHT != 0)
    assert getattr(layers.Embedding(10, 4)(ids), "_keras_mask", None) is None

    values = np.random.default_rng(0).normal(size=(3, 6, 2)).astype("float32")
    values[RIGHT == 0] = 0.0
    values[0, 1] = [0.0, 5.0]  # one zero feature is not enough to mask a step
    ours = layers.Masking()(torch.as_tensor(values))
    theirs = keras.layers.Masking()(values)
    np.testing.assert_array_equal(ours._keras_mask.numpy(), np.asarray(theirs._keras_mask))
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), **TOL)


@pytest.mark.parametrize("padding", sorted(PADDINGS))
@pytest.mark.parametrize("rnn_class", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_rnn_skips_masked_steps_as_keras(rnn_class, padding, return_sequences):
    x = PADDINGS[padding]
    ours, theirs = _pair(
        lambda m: _rnn_model(m, rnn_class, return_sequences=return_sequences, return_state=True)
    )
    got, expected = _ours(ours, x), theirs(x)
    for ours_part, theirs_part in zip(got, expected):
        np.testing.assert_allclose(ours_part.numpy(), np.asarray(theirs_part), **TOL)
    # Padded steps really are skipped: the result differs from running them as data.
    unmasked = _ours(_rnn_model(layerfit, rnn_class, return_sequences=return_sequences), x)
    assert not np.allclose(got[0].numpy(), unmasked.numpy(), atol=1e-4)


@pytest.mark.parametrize("padding", sorted(PADDINGS))
@pytest.mark.parametrize("rnn_class", ["LSTM", "GRU"])
def test_go_backwards_with_a_mask_matches_keras(rnn_class, padding):
    x = PADDINGS[padding]
    ours, theirs = _pair(
        lambda m: _rnn_model(m, rnn_class, return_sequences=True, go_backwards=True)
    )
    np.testing.assert_allclose(_ours(ours, x).numpy(), np.asarray(theirs(x)), **TOL)


@pytest.mark.parametrize("padding", sorted(PADDINGS))
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_with_a_mask_matches_keras(padding, return_sequences):
    x = PADDINGS[padding]

    def build(m):
        return m.Sequential(
            [
                m.Input(shape=(6,), dtype="int32"),
                m.layers.Embedding(10, 4, mask_zero=True),
                m.layers.Bidirectional(m.layers.LSTM(3, return_sequences=return_sequences)),
            ]
        )

    ours, theirs = _pair(build)
    got = _ours(ours, x)
    np.testing.assert_allclose(got.numpy(), np.asarray(theirs(x)), **TOL)
    if return_sequences:
        np.testing.assert_array_equal(got._keras_mask.numpy(), x != 0)


@pytest.mark.parametrize("padding", ["right", "left"])
def test_block_masks_keep_the_fused_kernel_and_holes_loop(padding):
    lstm = layers.LSTM(3, return_sequences=True)
    sequence = torch.randn(3, 6, 4)
    lstm(sequence)
    mask = torch.as_tensor(PADDINGS[padding] != 0)
    states = lstm._initial_states(sequence, None)
    packed = lstm._fused_masked(sequence, states, mask)
    looped = lstm._loop(sequence, states, False, mask)
    assert packed is not None
    torch.testing.assert_close(packed[0], looped[0], rtol=1e-5, atol=1e-6)
    for ours, reference in zip(packed[1], looped[1]):
        torch.testing.assert_close(ours, reference, rtol=1e-5, atol=1e-6)
    assert lstm._fused_masked(sequence, states, torch.as_tensor(HOLES != 0)) is None


def _pooled_model(module):
    inputs = module.Input(shape=(6,), dtype="int32")
    x = module.layers.Embedding(10, 4, mask_zero=True)(inputs)
    x = module.layers.Dense(5, activation="relu")(x)  # Dense passes the mask on
    x = module.layers.Dropout(0.5)(x)
    x = module.layers.GlobalAveragePooling1D()(x)
    return module.Model(inputs, module.layers.Dense(2)(x))


def test_global_average_pooling_ignores_masked_steps_in_a_functional_model():
    x = RIGHT
    ours, theirs = _pair(_pooled_model)
    got = _ours(ours, x)
    np.testing.assert_allclose(got.numpy(), np.asarray(theirs(x)), **TOL)
    assert getattr(got, "_keras_mask", None) is None  # pooling consumed the mask


def test_merges_combine_masks_as_keras():
    def build(m):
        a, b = m.Input(shape=(6,), dtype="int32"), m.Input(shape=(6,), dtype="int32")
        ea = m.layers.Embedding(10, 3, mask_zero=True)(a)
        eb = m.layers.Embedding(10, 3, mask_zero=True)(b)
        merged = [
            merge()([ea, eb])
            for merge in (m.layers.Add, m.layers.Multiply, m.layers.Maximum, m.layers.Minimum)
        ]
        return m.Model([a, b], [*merged, m.layers.Concatenate()([ea, eb])])

    ours, theirs = _pair(build)
    got = ours([torch.as_tensor(RIGHT), torch.as_tensor(HOLES)])
    expected = theirs([RIGHT, HOLES])
    for ours_part, theirs_part in zip(got, expected):
        np.testing.assert_allclose(ours_part.detach().numpy(), np.asarray(theirs_part), **TOL)
        np.testing.assert_array_equal(
            ours_part._keras_mask.numpy(), np.asarray(theirs_part._keras_mask)
        )
    np.testing.assert_array_equal(got[0]._keras_mask.numpy(), (RIGHT != 0) | (HOLES != 0))


def test_concatenate_with_one_unmasked_input_keeps_every_step():
    masked = layers.Embedding(10, 3, mask_zero=True)(torch.as_tensor(RIGHT))
    plain = torch.ones(3, 6, 2)
    joined = layers.Concatenate()([masked, plain])
    expected = keras.layers.Concatenate().compute_mask(
        [np.zeros((3, 6, 3)), np.ones((3, 6, 2))], [RIGHT != 0, None]
    )
    np.testing.assert_array_equal(joined._keras_mask.numpy(), np.asarray(expected))
    assert joined._keras_mask.all()


class TemporalMean(layers.Layer):
    """A user layer that takes ``mask=`` in call (as keras-io's masking guide writes them)."""

    def compute_mask(self, inputs, mask=None):
        return None  # the steps are averaged away

    def call(self, inputs, mask=None):
        if mask is None:
            return inputs.mean(dim=1)
        weights = mask.to(inputs.dtype)[..., None]
        return (inputs * weights).sum(dim=1) / weights.sum(dim=1)


@pytest.mark.parametrize("how", ["direct", "sequential", "functional"])
def test_a_layer_with_a_mask_argument_receives_the_mask(how):
    x = torch.as_tensor(RIGHT)
    embedding = layers.Embedding(10, 4, mask_zero=True)
    vectors = embedding(x).detach()
    expected = np.stack([vectors[i, RIGHT[i] != 0].mean(dim=0).numpy() for i in range(len(RIGHT))])
    if how == "direct":
        got = TemporalMean()(embedding(x))
    elif how == "sequential":
        got = layerfit.Sequential([embedding, TemporalMean()])(x)
    else:
        inputs = layerfit.Input(shape=(6,), dtype="int32")
        got = layerfit.Model(inputs, TemporalMean()(embedding(inputs)))(x)
    np.testing.assert_allclose(got.detach().numpy(), expected, **TOL)


def test_compute_mask_override_makes_a_layer_produce_masks():
    class NonZero(layers.Layer):
        def compute_mask(self, inputs, previous_mask=None):
            return inputs.abs().sum(dim=-1) > 0

    layer = NonZero()
    assert layer.supports_masking  # as Keras: an overridden compute_mask means support
    assert not layers.Flatten().supports_masking and layers.Dense(2).supports_masking
    x = torch.zeros(2, 3, 4)
    x[0, 0] = 1.0
    np.testing.assert_array_equal(layer(x)._keras_mask.numpy(), [[1, 0, 0], [0, 0, 0]])


def test_explicit_mask_argument_wins_and_supports_masking_can_be_set():
    class Passing(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

    mask = torch.tensor([[True, False, True]])
    out = Passing()(torch.ones(1, 3, 2), mask=mask)
    np.testing.assert_array_equal(out._keras_mask.numpy(), mask.numpy())


def test_a_layer_without_mask_support_warns_once_and_drops_the_mask():
    flatten = layers.Flatten()
    embedded = layers.Embedding(10, 2, mask_zero=True)(torch.as_tensor(RIGHT))
    with pytest.warns(layerfit.errors.LayerfitWarning) as caught:
        out = flatten(embedded)
        flatten(embedded)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "'flatten'" in message and "does not support masking" in message
    assert "GlobalAveragePooling1D" in message  # the fix
    assert getattr(out, "_keras_mask", None) is None


def _sequence_tagger(module):
    return module.Sequential(
        [
            module.Input(shape=(6,), dtype="int32"),
            module.layers.Embedding(10, 4, mask_zero=True),
            module.layers.LSTM(5, return_sequences=True),
            module.layers.Dense(3, activation="softmax"),
        ]
    )


def test_losses_and_metrics_ignore_masked_steps_in_fit_and_evaluate():
    rng = np.random.default_rng(3)
    x = np.concatenate([RIGHT, LEFT, HOLES])
    y = rng.integers(0, 3, size=x.shape)
    ours, theirs = _pair(_sequence_tagger)
    for model in (ours, theirs):
        model.compile(
            optimizer=model_module(model).optimizers.SGD(0.5),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    expected = theirs.fit(x, y, epochs=3, batch_size=3, shuffle=False, verbose=0).history
    got = ours.fit(x, y, epochs=3, batch_size=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-5)
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=1e-5
    )
    # The labels at padded steps do not count: changing them changes nothing.
    y_other = np.where(x == 0, (y + 1) % 3, y)
    np.testing.assert_allclose(
        ours.evaluate(x, y_other, verbose=0), ours.evaluate(x, y, verbose=0), rtol=1e-6
    )


def test_training_metrics_ignore_masked_steps_as_evaluate_does():
    # Keras on jax drops the mask from its jitted training step's metrics (not from the
    # loss); on torch it keeps it. layerfit keeps it: the training accuracy with frozen
    # weights is Keras's evaluate() accuracy (see DECISIONS.md).
    x = np.concatenate([RIGHT, LEFT, HOLES])
    y = np.random.default_rng(3).integers(0, 3, size=x.shape)
    ours, theirs = _pair(_sequence_tagger)
    for model in (ours, theirs):
        model.compile(
            optimizer=model_module(model).optimizers.SGD(0.0),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    got = ours.fit(x, y, epochs=1, batch_size=9, shuffle=False, verbose=0).history
    _, expected_accuracy = theirs.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(got["accuracy"], [expected_accuracy], rtol=1e-6)
    predicted = np.asarray(theirs(x)).argmax(-1)
    np.testing.assert_allclose(expected_accuracy, (predicted == y)[x != 0].mean(), rtol=1e-6)


def model_module(model):
    return layerfit if isinstance(model, layerfit.Model) else keras


@pytest.mark.parametrize(
    "batch, rnn_class",
    [("right+left", "LSTM"), ("right+holes", "GRU"), ("right+left", "SimpleRNN")],
)
def test_gradients_on_a_padded_batch_match_keras(batch, rnn_class):
    # Block masks (right+left) take the packed fused kernel, holes the loop.
    import jax

    x = np.concatenate([RIGHT, LEFT if batch == "right+left" else HOLES])
    target = np.random.default_rng(1).normal(size=(6, 2)).astype("float32")

    def build(m):
        inputs = m.Input(shape=(6,), dtype="int32")
        hidden = m.layers.Embedding(10, 4, mask_zero=True)(inputs)
        hidden = m.layers.Bidirectional(getattr(m.layers, rnn_class)(3))(hidden)
        return m.Model(inputs, m.layers.Dense(2)(hidden))

    ours, theirs = _pair(build)
    prediction = ours(torch.as_tensor(x))
    ((prediction - torch.as_tensor(target)) ** 2).mean().backward()
    got = [w.grad.numpy() for w in ours.trainable_weights]

    def loss(trainable):
        out, _ = theirs.stateless_call(trainable, theirs.non_trainable_variables, x)
        return ((out - target) ** 2).mean()

    expected = jax.grad(loss)([v.value for v in theirs.trainable_variables])
    assert len(got) == len(expected) == 9
    for ours_grad, theirs_grad in zip(got, expected):
        np.testing.assert_allclose(ours_grad, np.asarray(theirs_grad), rtol=1e-4, atol=1e-6)


def test_a_mask_flows_into_a_nested_functional_model_as_in_keras():
    x = RIGHT[:, :3]

    def build(m):
        inner_input = m.Input(shape=(None, 4))
        inner = m.Model(inner_input, m.layers.LSTM(3, return_sequences=True)(inner_input))
        ids = m.Input(shape=(3,), dtype="int32")
        return m.Model(ids, inner(m.layers.Embedding(10, 4, mask_zero=True)(ids)))

    with pytest.warns(UserWarning, match="does not support masking"):
        theirs = build(keras)  # Keras warns that a Model drops the mask, yet passes it in
        expected = theirs(x)
    ours = build(layerfit)
    ours.set_weights(theirs.get_weights())
    with pytest.warns(layerfit.errors.LayerfitWarning, match="does not support masking"):
        got = ours(torch.as_tensor(x))
    np.testing.assert_allclose(got.detach().numpy(), np.asarray(expected), **TOL)
    np.testing.assert_array_equal(got._keras_mask.numpy(), np.asarray(expected._keras_mask))


def test_a_nested_model_that_casts_its_input_keeps_the_mask():
    inner_input = layerfit.Input(shape=(None, 4), dtype="float64")
    inner = layerfit.Model(inner_input, layers.Activation("linear")(inner_input))
    embedded = layers.Embedding(10, 4, mask_zero=True)(torch.as_tensor(RIGHT))
    with pytest.warns(layerfit.errors.LayerfitWarning, match="does not support masking"):
        out = inner(embedded)
    assert out.dtype == torch.float64
    np.testing.assert_array_equal(out._keras_mask.numpy(), RIGHT != 0)
