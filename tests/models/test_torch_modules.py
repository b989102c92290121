"""Plain torch.nn.Modules inside layerfit models: wrapped, in Sequential, or as a whole model."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitTypeError, LayerfitValueError


def summary_text(model) -> str:
    lines = []
    # Wide enough that no cell wraps (Keras's table wraps long cells at their spaces).
    model.summary(print_fn=lines.append, line_length=150)
    return "\n".join(lines)


def regression_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]]) + 0.3).astype("float32")
    return x, y


def small_net():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


def test_wrapped_module_trains_to_the_same_loss_as_a_hand_written_loop():
    x, y = regression_data()
    torch.manual_seed(0)
    net = small_net()
    twin = small_net()
    twin.load_state_dict(net.state_dict())

    model = keras.Model.from_module(net, input_shape=(4,))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)

    optimizer = torch.optim.SGD(twin.parameters(), lr=0.05)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    expected = []
    for _ in range(3):
        total = 0.0
        for start in range(0, len(x), 8):
            xb, yb = xt[start : start + 8], yt[start : start + 8]
            loss = torch.mean((twin(xb) - yb) ** 2)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(xb)
        expected.append(total / len(x))
    np.testing.assert_allclose(history.history["loss"], expected, rtol=1e-5)
    assert expected[-1] < expected[0]
    for trained, reference in zip(net.parameters(), twin.parameters()):  # trained in place
        torch.testing.assert_close(trained.detach().cpu(), reference.detach(), rtol=1e-5, atol=1e-6)


def test_from_module_evaluates_predicts_and_summarises():
    net = small_net()
    model = keras.Model.from_module(net, input_shape=(4,), name="regressor")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = regression_data()
    model.fit(x, y, epochs=1, verbose=0)
    loss, mae = model.evaluate(x, y, verbose=0)
    with torch.no_grad():
        device = next(net.parameters()).device  # fit moved the module to the default device
        prediction = net(torch.from_numpy(x).to(device)).cpu().numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), prediction, atol=1e-6)
    assert loss == pytest.approx(np.mean((prediction - y) ** 2), rel=1e-5)
    assert mae == pytest.approx(np.mean(np.abs(prediction - y)), rel=1e-5)
    text = summary_text(model)
    # Linear(4, 8): 32 + 8; Linear(8, 1): 8 + 1.
    assert 'Model: "regressor"' in text and "torch_module_wrapper (TorchModuleWrapper)" in text
    # After fit Keras's total adds the optimizer's 100 variables (2 slots x 49 + 2).
    assert "(None, 1)" in text and "Trainable params: 49 (" in text
    assert "Total params: 149 (" in text


def test_module_weights_save_and_load(tmp_path):
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
    model = keras.Model.from_module(net, input_shape=(4,))
    model.compile(optimizer="sgd", loss="mse")
    x, _ = regression_data()
    model.fit(x, np.zeros((40, 3), dtype="float32"), epochs=1, verbose=0)
    path = tmp_path / "net.weights.h5"
    model.save_weights(path)
    copy = keras.Model.from_module(
        torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3)), input_shape=(4,)
    )
    copy.load_weights(path)
    restored = copy.layers[1].module.state_dict()
    for key, value in net.state_dict().items():  # BatchNorm's running statistics included
        if value.is_floating_point():  # (num_batches_tracked, an int counter, is not a weight)
            torch.testing.assert_close(restored[key].cpu(), value.cpu())
    assert model.count_params() == 15 + 6 + 6  # Linear; BatchNorm gamma/beta; mean/var
    np.testing.assert_allclose(copy.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    twin = keras.Model.from_module(small_net(), input_shape=(4,))
    twin.set_weights(keras.Model.from_module(small_net(), input_shape=(4,)).get_weights())
    assert [w.shape for w in twin.get_weights()] == [(8, 4), (8,), (1, 8), (1,)]


def test_modules_in_sequential_are_wrapped_and_counted():
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            torch.nn.Linear(4, 6),
            torch.nn.ReLU(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    assert [type(layer).__name__ for layer in model.layers] == [
        "TorchModuleWrapper",
        "TorchModuleWrapper",
        "Dense",
    ]
    assert model.output_shape == (None, 2)
    text = summary_text(model)
    assert "(None, 6)" in text and "30" in text and "Total params: 44" in text  # 30 + 14
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, _ = regression_data()
    history = model.fit(x, (x[:, 0] > 0).astype(int), epochs=2, verbose=0)
    assert set(history.history) == {"accuracy", "loss"}


def test_wrapper_in_a_functional_graph_with_connections():
    inputs = keras.Input(shape=(4,), name="features")
    a = layers.TorchModuleWrapper(torch.nn.Linear(4, 3), name="torch_a")(inputs)
    b = layers.Dense(3, name="keras_b")(inputs)
    model = keras.Model(inputs, layers.add([a, b]))
    assert model.output_shape == (None, 3) and model.count_params() == 15 + 15
    assert "torch_a[0][0], keras_b[0][0]" in summary_text(model)
    x = torch.rand(2, 4)
    linear = model.get_layer("torch_a").module
    torch.testing.assert_close(model(x), linear(x) + model.get_layer("keras_b")(x))


def test_frozen_wrapper_keeps_the_module_weights():
    net = small_net()
    model = keras.Model.from_module(net, input_shape=(4,))
    model.layers[1].trainable = False
    assert not any(p.requires_grad for p in net.parameters())
    assert "Non-trainable params: 49" in summary_text(model)
    head = keras.Sequential([model, layers.Dense(1)])
    head.compile(optimizer="sgd", loss="mse")
    before = [p.detach().clone() for p in net.parameters()]
    x, y = regression_data()
    head.fit(x, y, epochs=1, verbose=0)
    for old, new in zip(before, net.parameters()):
        assert torch.equal(old, new.detach().cpu())
    model.layers[1].trainable = True
    assert all(p.requires_grad for p in net.parameters())


def test_module_dropout_follows_training_and_inference():
    net = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Dropout(0.5))
    wrapper = layers.TorchModuleWrapper(net)
    x = torch.ones(3, 4)
    assert torch.equal(wrapper(x, training=False), wrapper(x, training=False))
    assert not net.training
    assert (wrapper(x, training=True) == 0).any() and net.training
    model = keras.Model.from_module(net, input_shape=(4,))
    with torch.no_grad():
        expected = net.eval()(x).numpy()
    np.testing.assert_allclose(model.predict(x.numpy(), verbose=0), expected, atol=1e-6)


def test_integer_input_modules_take_an_output_shape():
    embedding = torch.nn.Embedding(10, 3)
    model = keras.Model.from_module(embedding, input_shape=(5,), dtype="int64", output_shape=(5, 3))
    assert model.output_shape == (None, 5, 3)
    out = model(torch.tensor([[1, 2, 3, 4, 5]]))
    torch.testing.assert_close(out, embedding(torch.tensor([[1, 2, 3, 4, 5]])))


def test_initialised_lazy_module_is_accepted():
    lazy = torch.nn.LazyLinear(2)
    lazy(torch.zeros(1, 3))
    assert layers.TorchModuleWrapper(lazy).count_params() == 8


@pytest.mark.parametrize(
    ("make", "error", "cause", "fix"),
    [
        (
            lambda: layers.TorchModuleWrapper(torch.nn.LazyLinear(2)),
            LayerfitValueError,
            "before its parameters exist",
            "call the module once",
        ),
        (
            lambda: layers.TorchModuleWrapper("linear"),
            LayerfitTypeError,
            "got str, not a torch.nn.Module",
            "TorchModuleWrapper(torch.nn.Linear",
        ),
        (
            lambda: keras.Model.from_module(small_net(), input_shape=None),
            LayerfitValueError,
            "needs input_shape",
            "input_shape=(784,)",
        ),
        (
            lambda: keras.Model.from_module(small_net(), input_shape=(3,)),
            LayerfitValueError,
            "cannot take input of shape",
            "output_shape=",
        ),
        (
            lambda: layers.TorchModuleWrapper.from_config(
                layers.TorchModuleWrapper(small_net()).get_config()
            ),
            LayerfitValueError,
            "never unpickles code",
            "create the module in code",
        ),
    ],
)
def test_wrapper_errors_say_what_and_how_to_fix(make, error, cause, fix):
    with pytest.raises(error, match=cause) as info:
        make()
    assert fix in str(info.value)


def test_wrapper_config_names_the_module_and_rebuilds_with_one():
    wrapper = layers.TorchModuleWrapper(small_net(), name="net", output_shape=(1,))
    config = wrapper.get_config()
    assert config["module"] == "Sequential" and config["output_shape"] == [1]
    clone = layers.TorchModuleWrapper.from_config({**config, "module": small_net()})
    assert clone.name == "net" and clone.count_params() == 49
