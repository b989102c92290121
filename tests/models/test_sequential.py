"""Sequential construction, names and summary() against Keras 3's numbers."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.layers import Dense, Dropout, Input


def _summary_text(model) -> str:
    lines = []
    model.summary(print_fn=lines.append)
    return "\n".join(lines)


def test_seed_binary_classifier_summary_counts():
    model = keras.models.Sequential()
    model.add(keras.layers.Input(shape=(8,)))
    model.add(keras.layers.Dense(32, activation="relu"))
    model.add(keras.layers.Dense(32, activation="relu"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    text = _summary_text(model)
    # 8*32+32 = 288, 32*32+32 = 1056, 32+1 = 33: 1,377 in all.
    assert "Total params: 1,377 (5.38 KB)" in text
    assert "Trainable params: 1,377" in text and "Non-trainable params: 0 (0.00 B)" in text
    assert "input_layer" not in text
    assert "dense (Dense)" in text and "(None, 32)" in text and "288" in text


def test_seed_mnist_mlp_summary_counts_before_any_data():
    model = keras.Sequential(
        [
            Input(shape=(784,)),
            Dense(256, activation="relu"),
            Dense(256, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )
    text = _summary_text(model)
    assert 'Model: "sequential"' in text
    assert "Total params: 269,322 (1.03 MB)" in text
    assert "200,960" in text and "65,792" in text and "2,570" in text


def test_input_shape_on_first_layer_builds_at_once():
    model = keras.Sequential(
        [Dense(100, activation="sigmoid", input_shape=(784,)), Dense(10, activation="softmax")]
    )
    assert model.built and model.output_shape == (None, 10)
    assert model.count_params() == 784 * 100 + 100 + 1010


def test_single_layer_sequential_keras2_idiom():
    dense = keras.layers.Dense(10, activation="softmax", input_shape=(784,))
    with pytest.warns(keras.errors.LayerfitDeprecationWarning, match=r"Sequential\(\[layer\]\)"):
        model = keras.Sequential(dense)
    assert model.layers == [dense]


def test_unbuilt_summary_says_so():
    text = _summary_text(keras.Sequential([Dense(4), Dense(1)]))
    assert "0 (unbuilt)" in text and "Total params: 0" in text


def test_model_name_accepts_unicode_and_layers_are_named():
    model = keras.Sequential(
        [Dense(100, input_shape=(784,), name="hidden"), Dense(10, name="output")],
        name="패션 MNIST 모델",
    )
    assert model.name == "패션 MNIST 모델"
    assert model.get_layer("hidden").units == 100
    with pytest.raises(LayerfitValueError, match="hidden"):
        model.get_layer("hiden")


def test_duplicate_layer_names_are_rejected():
    model = keras.Sequential([Dense(2, name="a", input_shape=(3,))])
    with pytest.raises(LayerfitValueError, match="already has a layer named 'a'"):
        model.add(Dense(2, name="a"))


def test_built_lazily_on_first_call_with_dropout():
    import torch

    model = keras.Sequential([Dense(4, activation="relu"), Dropout(0.5), Dense(1)])
    assert not model.built
    out = model(torch.zeros(3, 7))
    assert out.shape == (3, 1) and model.built
    assert model.count_params() == 7 * 4 + 4 + 5


def test_conv_relu_maxpool_fusion_gives_the_same_values_and_gradients():
    import torch

    from layerfit.models._sequential import ConvReluMaxPool

    model = keras.Sequential(
        [
            Input(shape=(10, 10, 2)),
            keras.layers.Conv2D(3, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            Dense(2),
        ]
    )
    assert isinstance(model._steps[0][0], ConvReluMaxPool)
    x = torch.randn(4, 10, 10, 2)
    fused = model(x)
    fused.sum().backward()
    fused_grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    unfused = x
    for layer in model.layers:  # the layer-by-layer path: relu then pool
        unfused = layer(unfused)
    unfused.sum().backward()
    torch.testing.assert_close(fused, unfused, rtol=0, atol=1e-6)
    for fused_grad, param in zip(fused_grads, model.parameters()):
        torch.testing.assert_close(fused_grad, param.grad, rtol=1e-6, atol=1e-6)


def test_pop_removes_the_last_layer_before_and_after_the_model_is_built():
    deferred = keras.Sequential([Dense(2), Dense(3), Dense(4)])
    assert deferred.pop().units == 4 and [layer.units for layer in deferred.layers] == [2, 3]
    built = keras.Sequential([keras.Input((5,)), Dense(2), Dense(3)])
    built.pop()
    assert built.output_shape == (None, 2)
    assert built(torch.zeros(1, 5)).shape == (1, 2)
    built.pop()
    assert built.layers == [] and built.output_shape == (None, 5)


def test_pop_on_an_empty_model_explains():
    with pytest.raises(LayerfitTypeError, match="has no layers"):
        keras.Sequential().pop()


@pytest.mark.parametrize(("optimizer", "expected"), [("adam", 32), ("sgd", 2), ("rmsprop", 17)])
def test_optimizer_params_after_fit_count_as_keras(optimizer, expected):
    # Keras 3.15 printed these for Dense(3) on 4 features (15 weights): iterations and
    # learning_rate, plus Adam's two slots or RMSprop's one per weight.
    model = keras.Sequential([Input((4,)), Dense(3)])
    model.compile(optimizer, "mse")
    model.fit(np.zeros((8, 4)), np.zeros((8, 3)), verbose=0)
    text = _summary_text(model)
    assert f" Optimizer params: {expected} (" in text
    # Keras's total adds the optimizer's variables to the 15 weights (keras-io's IMDB LSTM
    # summary after fit printed Total 328,516 = 164,257 weights + 164,259 RMSprop variables).
    assert f" Total params: {15 + expected} (" in text
    assert " Trainable params: 15 (" in text and " Non-trainable params: 0 (" in text
