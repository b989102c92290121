"""The arguments added to match Keras's signatures: each one works, warns, or says why not.

(The numbers of the implemented ones are compared with Keras in tests/oracle/.)
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers, ops
from layerfit.errors import LayerfitTypeError, LayerfitValueError, LayerfitWarning


def test_ops_max_min_initial_and_arange_step_none_follow_numpy():
    x = np.array([[1.0, 5.0], [3.0, 2.0]])
    np.testing.assert_array_equal(ops.max(x, axis=0, initial=4.0).numpy(), np.max(x, 0, initial=4))
    np.testing.assert_array_equal(
        ops.min(x, axis=1, initial=1.5).numpy(), np.min(x, 1, initial=1.5)
    )
    np.testing.assert_array_equal(ops.arange(1, 7, None).numpy(), np.arange(1, 7))


def test_einsum_options_for_other_backends_warn():
    a = np.eye(2)
    with pytest.warns(LayerfitWarning, match=r"(?s)ignores \['optimize'\].*Fix: drop them"):
        out = ops.einsum("ij,jk->ik", a, a, optimize="greedy")
    np.testing.assert_array_equal(out.numpy(), a)


class _Scale(layers.Layer):
    def build(self, input_shape):
        # Keras 2's positional (shape, initializer) still works, as in Keras 3.
        self.w = self.add_weight((input_shape[-1],), "ones", name="w")

    def call(self, inputs):
        return inputs * self.w


def test_add_weight_positional_shape_and_initializer():
    layer = _Scale()
    np.testing.assert_array_equal(layer(torch.full((1, 3), 2.0)).detach().numpy(), [[2, 2, 2]])
    assert tuple(layer.w.shape) == (3,)


def test_add_weight_name_positionally_is_refused_with_the_fix():
    with pytest.raises(LayerfitTypeError, match=r"(?s)first 'w'.*Fix: add_weight\(shape="):
        layers.Layer().add_weight("w", (3,))
    with pytest.raises(LayerfitTypeError, match="shape both positionally and by keyword"):
        layers.Layer().add_weight((3,), shape=(3,))


def test_add_weight_overwrite_with_gradient_warns():
    with pytest.warns(LayerfitWarning, match="overwrite_with_gradient=True.*is ignored"):
        layers.Layer().add_weight(shape=(2,), overwrite_with_gradient=True)


def test_batch_normalization_renorm_warns_and_round_trips():
    with pytest.warns(LayerfitWarning, match=r"(?s)renorm=True\) is not implemented.*Fix:"):
        layer = layers.BatchNormalization(renorm=True, renorm_momentum=0.9)
    config = layer.get_config()
    assert (config["renorm"], config["renorm_clipping"], config["renorm_momentum"]) == (
        True,
        None,
        0.9,
    )


@pytest.mark.parametrize("argument", ["lora_rank", "lora_alpha", "quantization_config"])
def test_dense_and_embedding_name_what_they_do_not_implement(argument):
    with pytest.warns(LayerfitWarning, match=rf"(?s)Dense got {argument}=.*Fix: drop {argument}="):
        layers.Dense(2, **{argument: 4})
    with pytest.warns(LayerfitWarning, match=rf"Embedding got {argument}="):
        layers.Embedding(10, 2, **{argument: 4})


def test_input_ragged_is_refused_and_sparse_warns():
    with pytest.raises(LayerfitValueError, match=r"(?s)ragged=True.*Fix: pad the sequences"):
        keras.Input(shape=(None,), ragged=True)
    with pytest.warns(LayerfitWarning, match=r"(?s)sparse=True\) is ignored.*toarray"):
        keras.Input(shape=(3,), sparse=True)


def test_layer_normalization_takes_rms_scaling_by_keyword_only():
    # Positionally, the fifth argument is beta_initializer, as in Keras 3.15.
    layer = layers.LayerNormalization(-1, 1e-3, True, True, "ones")
    layer(torch.zeros(2, 3))
    np.testing.assert_array_equal(layer.beta.detach().numpy(), [1, 1, 1])
    assert layers.LayerNormalization(rms_scaling=True).rms_scaling


def test_recurrent_layers_take_keras_positional_order():
    lstm = layers.LSTM(3, "relu", "hard_sigmoid", False)
    assert (lstm.activation, lstm.use_bias) == (keras.activations.relu, False)
    gru = layers.GRU(3, "tanh", "sigmoid", True, "zeros")
    out = gru(torch.ones(1, 4, 2)).detach().numpy()
    np.testing.assert_array_equal(out, np.zeros((1, 3)))  # zero kernel, zero state
    assert layers.SimpleRNN(2, "relu").activation is keras.activations.relu


def test_callback_list_adds_history_and_progbar_like_keras():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    callbacks = keras.callbacks.CallbackList(
        None, add_history=True, add_progbar=True, model=model, verbose=0, epochs=1
    )
    kinds = [type(c).__name__ for c in callbacks.callbacks]
    assert kinds == ["ProgbarLogger", "History"]
    assert callbacks.callbacks[1].params == {"verbose": 0, "epochs": 1}


def test_callback_list_with_the_old_positional_model_says_so():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    with pytest.raises(LayerfitTypeError, match=r"(?s)add_history=<.*Fix: pass the model"):
        keras.callbacks.CallbackList([], model)


def test_seed_generator_name_and_unknown_arguments():
    assert keras.random.SeedGenerator(1, name="s").name == "s"
    assert keras.random.SeedGenerator(1).name == "seed_generator"
    with pytest.raises(LayerfitTypeError, match=r"(?s)unexpected arguments \['colour'\].*Fix:"):
        keras.random.SeedGenerator(1, colour="red")


def test_clear_session_free_memory_false_still_resets_names():
    layers.Dense(1)
    keras.backend.clear_session(free_memory=False)
    assert layers.Dense(1).name == "dense"


def _tiny_model():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    model.compile(loss="mse")
    return model


def test_evaluate_unknown_keyword_says_did_you_mean():
    model = _tiny_model()
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    with pytest.raises(LayerfitTypeError, match="Did you mean batch_size="):
        model.evaluate(x, y, batch_sise=2, verbose=0)
    # Keras's fit passes this private flag to evaluate; it changes nothing here.
    assert model.evaluate(x, y, verbose=0, _use_cached_eval_dataset=True) == pytest.approx(
        model.evaluate(x, y, verbose=0), abs=0
    )


def test_save_weights_max_shard_size_warns_and_writes_one_file(tmp_path):
    model = _tiny_model()
    path = tmp_path / "m.weights.safetensors"
    with pytest.warns(LayerfitWarning, match=r"ignores \['max_shard_size'\].*unsharded"):
        model.save_weights(path, max_shard_size=1)
    before = model.get_weights()
    model.layers[0].kernel.data.zero_()
    model.load_weights(path)
    np.testing.assert_array_equal(model.get_weights()[0], before[0])


def test_backup_and_restore_takes_double_checkpoint(tmp_path):
    callback = keras.callbacks.BackupAndRestore(tmp_path / "b", "epoch", True)
    assert callback.double_checkpoint and callback.delete_checkpoint


def test_metric_add_variable_needs_shape_and_initializer_like_keras():
    metric = keras.metrics.Mean()
    variable = metric.add_variable((2,), "ones", name="v")
    np.testing.assert_array_equal(np.asarray(variable), [1, 1])
    with pytest.raises(TypeError):
        metric.add_variable(shape=(2,))  # Keras requires the initializer too
