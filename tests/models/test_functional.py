"""Functional models: keras.io examples, merge layers, multi-output training, structure, config."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitTypeError, LayerfitValueError


def summary_text(model) -> str:
    lines = []
    # Keras's width for this table in a terminal; piped output would narrow it to 76.
    model.summary(print_fn=lines.append, line_length=108)
    return "\n".join(lines)


def connected_to(text: str, label: str) -> str:
    """The 'Connected to' cell of the row starting with ``label``, its wrapped lines joined
    (Keras's rich table wraps a cell at its spaces, over as many lines as it needs)."""
    row = text.split(label)[1].split("├")[0].split("└")[0]
    return " ".join(line.split("│")[-2].strip() for line in row.splitlines()).strip()


def mnist_functional():
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def ticket_model():
    """keras.io's multi-input, multi-output example, with Dense branches."""
    title = keras.Input(shape=(10,), name="title")
    body = keras.Input(shape=(20,), name="body")
    tags = keras.Input(shape=(12,), name="tags")
    title_features = layers.Dense(8, activation="relu")(title)
    body_features = layers.Dense(4, activation="relu")(body)
    x = layers.concatenate([title_features, body_features, tags])
    priority = layers.Dense(1, activation="sigmoid", name="priority")(x)
    department = layers.Dense(4, activation="softmax", name="department")(x)
    return keras.Model(
        inputs=[title, body, tags], outputs={"priority": priority, "department": department}
    )


def ticket_data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = {
        "title": rng.random((n, 10), dtype=np.float32),
        "body": rng.random((n, 20), dtype=np.float32),
        "tags": rng.integers(0, 2, (n, 12)).astype("float32"),
    }
    y = {"priority": rng.random((n, 1), dtype=np.float32), "department": rng.integers(0, 4, n)}
    return x, y


# -- keras.io examples: shapes, parameter counts, training ----------------------------------------


def test_mnist_functional_shapes_counts_and_summary():
    model = mnist_functional()
    assert model.output_shape == (None, 10)
    # 784*64+64 = 50,240; 64*64+64 = 4,160; 64*10+10 = 650.
    assert [layer.count_params() for layer in model.layers] == [0, 50240, 4160, 650]
    assert model.count_params() == 55050
    text = summary_text(model)
    assert 'Model: "mnist_model"' in text and "input_layer (InputLayer)" in text
    assert "(None, 784)" in text and "Total params: 55,050 (215.04 KB)" in text
    assert "Connected to" not in text  # a plain chain prints like Sequential in Keras 3


def test_functional_trains_like_the_same_sequential_model():
    rng = np.random.default_rng(1)
    x = rng.random((96, 784), dtype=np.float32)
    y = rng.integers(0, 10, 96)
    functional = mnist_functional()
    sequential = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    sequential.set_weights(functional.get_weights())
    histories = []
    for model in (functional, sequential):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        histories.append(model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0).history)
    assert functional._runner.logits_fn is not None  # the fused softmax path is taken
    np.testing.assert_allclose(histories[0]["loss"], histories[1]["loss"], rtol=1e-6)
    assert histories[0]["loss"][-1] < histories[0]["loss"][0]
    for a, b in zip(functional.get_weights(), sequential.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_multi_input_multi_output_counts_and_summary_connections():
    model = ticket_model()
    # title 10*8+8 = 88; body 20*4+4 = 84; concat 8+4+12 = 24 features;
    # priority 24+1 = 25; department 24*4+4 = 100.
    assert model.count_params() == 88 + 84 + 25 + 100
    # Keras's order: by depth from the outputs, then by first visit (dict outputs by key).
    assert [layer.name for layer in model.layers] == [
        "title",
        "body",
        "dense",
        "dense_1",
        "tags",
        "concatenate",
        "department",
        "priority",
    ]
    assert model.output_shape == {"priority": (None, 1), "department": (None, 4)}
    assert model.output_names == ["department", "priority"]
    text = summary_text(model)
    assert "Connected to" in text
    assert (
        connected_to(text, "concatenate (Concatenate)") == "dense[0][0], dense_1[0][0], tags[0][0]"
    )
    assert "tags (InputLayer)" in text and "concatenate[0][0]" in text


def test_multi_output_fit_history_keys_and_weighted_total():
    model = ticket_model()
    model.compile(
        optimizer="adam",
        loss={"priority": "binary_crossentropy", "department": "sparse_categorical_crossentropy"},
        loss_weights={"priority": 1.0, "department": 0.2},
        metrics={"department": ["accuracy"], "priority": ["mae"]},
    )
    x, y = ticket_data()
    history = model.fit(x, y, batch_size=16, epochs=2, validation_split=0.25, verbose=0)
    assert sorted(history.history) == [
        "department_accuracy",
        "department_loss",
        "loss",
        "priority_loss",
        "priority_mae",
        "val_department_accuracy",
        "val_department_loss",
        "val_loss",
        "val_priority_loss",
        "val_priority_mae",
    ]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    # The total is the weighted sum of the per-output (unweighted) losses.
    assert logs["loss"] == pytest.approx(
        logs["priority_loss"] + 0.2 * logs["department_loss"], rel=1e-5
    )
    # Keras 3's evaluate list: loss, the per-output losses, then the metrics by name.
    values = model.evaluate(x, y, verbose=0)
    assert values == pytest.approx(
        [
            logs["loss"],
            logs["department_loss"],
            logs["priority_loss"],
            logs["department_accuracy"],
            logs["priority_mae"],
        ],
        rel=1e-6,
    )
    predictions = model.predict(x, verbose=0)
    assert predictions["priority"].shape == (48, 1)
    assert predictions["department"].shape == (48, 4)


def test_multi_output_per_output_losses_match_numpy():
    inputs = keras.Input(shape=(3,))
    a = layers.Dense(2, name="a")(inputs)
    b = layers.Dense(1, name="b")(inputs)
    model = keras.Model(inputs, [a, b])
    model.compile(optimizer="sgd", loss=["mse", "mae"], loss_weights=[2.0, 0.5])
    rng = np.random.default_rng(3)
    x = rng.random((10, 3), dtype=np.float32)
    y_a, y_b = rng.random((10, 2), dtype=np.float32), rng.random((10, 1), dtype=np.float32)
    logs = model.evaluate(x, [y_a, y_b], batch_size=4, verbose=0, return_dict=True)
    (k_a, b_a), (k_b, b_b) = (model.get_layer(n).get_weights() for n in ("a", "b"))
    x64 = x.astype(np.float64)
    mse = np.mean((x64 @ k_a + b_a - y_a) ** 2)
    mae = np.mean(np.abs(x64 @ k_b + b_b - y_b))
    assert logs["a_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["b_loss"] == pytest.approx(mae, rel=1e-5)
    assert logs["loss"] == pytest.approx(2.0 * mse + 0.5 * mae, rel=1e-5)


def test_metrics_list_gives_one_entry_per_output_as_keras_3():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(
        inputs,
        [
            layers.Dense(3, activation="softmax", name="c")(inputs),
            layers.Dense(1, name="r")(inputs),
        ],
    )
    model.compile(
        optimizer="sgd",
        loss=["sparse_categorical_crossentropy", "mse"],
        metrics=["accuracy", ["mae", "mse"]],
    )
    x = np.zeros((8, 3), dtype="float32")
    history = model.fit(x, [np.zeros(8), np.zeros((8, 1))], epochs=1, verbose=0)
    assert sorted(history.history) == ["c_accuracy", "c_loss", "loss", "r_loss", "r_mae", "r_mse"]


def test_metrics_list_of_lists_with_wrong_length_is_explained():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(
        inputs, [layers.Dense(1, name="a")(inputs), layers.Dense(1, name="b")(inputs)]
    )
    with pytest.raises(LayerfitValueError, match="one entry .* per output") as info:
        model.compile(loss="mse", metrics=[["mae"], ["mse"], ["mae"]])
    assert "3 entries for 2 outputs" in str(info.value) and "Fix:" in str(info.value)


def test_missing_target_for_an_output_is_explained():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(
        inputs, [layers.Dense(1, name="a")(inputs), layers.Dense(1, name="b")(inputs)]
    )
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(LayerfitValueError, match=r"2 outputs \['a', 'b'\]") as info:
        model.fit(np.zeros((4, 3)), np.zeros((4, 1)), verbose=0)
    assert "Fix: model.fit(x, {'a': y_0, 'b': y_1})" in str(info.value)


def test_residual_toy_resnet_shapes_and_counts():
    inputs = keras.Input(shape=(32, 32, 3), name="img")
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs, outputs, name="toy_resnet")
    assert block_1_output.shape == (None, 9, 9, 64) and block_3_output.shape == (None, 9, 9, 64)
    # keras.io: "Total params: 223,242".
    assert model.count_params() == 223242
    text = summary_text(model)
    assert connected_to(text, "add (Add)") == "conv2d_3[0][0], max_pooling2d[0][0]"
    model.compile(
        optimizer="rmsprop", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    rng = np.random.default_rng(0)
    loss = model.train_on_batch(
        rng.random((4, 32, 32, 3), dtype=np.float32), rng.integers(0, 10, 4)
    )
    assert np.isfinite(loss)


# -- merge layers ----------------------------------------------------------------------------------

A = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.0
B = np.array([[1.0, -1.0, 2.0], [0.5, 3.0, -4.0]], dtype=np.float32)
C = np.array([[2.0, 2.0, 2.0], [-1.0, 0.0, 1.0]], dtype=np.float32)


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        (layers.Add(), A + B + C),
        (layers.Multiply(), A * B * C),
        (layers.Average(), (A + B + C) / 3),
        (layers.Maximum(), np.maximum(np.maximum(A, B), C)),
        (layers.Minimum(), np.minimum(np.minimum(A, B), C)),
        (layers.Concatenate(), np.concatenate([A, B, C], axis=-1)),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, layers.Layer) else "",
)
def test_merge_layers_match_numpy(layer, expected):
    out = layer([torch.from_numpy(A), torch.from_numpy(B), torch.from_numpy(C)])
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-6)
    symbolic = layer.compute_output_shape([(None, 3)] * 3)
    assert symbolic == (None, 9 if isinstance(layer, layers.Concatenate) else 3)


def test_subtract_and_functional_forms():
    a, b = torch.from_numpy(A), torch.from_numpy(B)
    np.testing.assert_allclose(layers.subtract([a, b]).numpy(), A - B, atol=1e-6)
    np.testing.assert_allclose(layers.add([a, b]).numpy(), A + B, atol=1e-6)
    np.testing.assert_allclose(layers.multiply([a, b]).numpy(), A * B, atol=1e-6)
    np.testing.assert_allclose(layers.average([a, b]).numpy(), (A + B) / 2, atol=1e-6)
    np.testing.assert_allclose(layers.maximum([a, b]).numpy(), np.maximum(A, B), atol=1e-6)
    np.testing.assert_allclose(layers.minimum([a, b]).numpy(), np.minimum(A, B), atol=1e-6)
    np.testing.assert_allclose(
        layers.concatenate([a, b], axis=0).numpy(), np.concatenate([A, B]), atol=1e-6
    )


def test_dot_matches_numpy_for_vectors_matrices_and_cosine():
    a, b = torch.from_numpy(A), torch.from_numpy(B)
    out = layers.Dot(axes=1)([a, b])
    np.testing.assert_allclose(out.numpy(), (A * B).sum(1, keepdims=True), atol=1e-6)
    cosine = layers.dot([a, b], axes=1, normalize=True).numpy()
    expected = (A * B).sum(1) / (np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1))
    np.testing.assert_allclose(cosine[:, 0], expected, atol=1e-6)
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10
    y = np.arange(30, dtype=np.float32).reshape(2, 5, 3) / 10
    out = layers.Dot(axes=(1, 2))([torch.from_numpy(x), torch.from_numpy(y)])
    np.testing.assert_allclose(out.numpy(), np.einsum("bik,bji->bkj", x, y), rtol=1e-5)
    assert layers.Dot(axes=(1, 2)).compute_output_shape([(None, 3, 4), (None, 5, 3)]) == (
        None,
        4,
        5,
    )


def test_merge_broadcasts_lower_rank_inputs_as_keras():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    y = np.arange(8, dtype=np.float32).reshape(2, 4)
    first, second = keras.Input(shape=(3, 4)), keras.Input(shape=(4,))
    assert layers.Add()([first, second]).shape == (None, 3, 4)
    out = layers.Add()([torch.from_numpy(x), torch.from_numpy(y)])
    np.testing.assert_allclose(out.numpy(), x + y[:, None, :], atol=1e-6)


def test_merge_layers_round_trip_their_config():
    for layer in (
        layers.Concatenate(axis=1, name="cat"),
        layers.Dot(axes=(1, 2), normalize=True),
        layers.Add(name="plus"),
    ):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


@pytest.mark.parametrize(
    ("build", "cause"),
    [
        (lambda a, b: layers.Add(name="residual")([a, b]), "Add layer 'residual' cannot merge"),
        (
            lambda a, b: layers.Concatenate(axis=1)(
                [keras.Input(shape=(3, 2)), keras.Input(shape=(4, 5))]
            ),
            "cannot join tensors of shapes",
        ),
        (lambda a, b: layers.Dot(axes=1)([a, b]), "sizes 3 and 4 differ"),
        (lambda a, b: layers.Subtract()([a, a, a]), "got 3 inputs"),
        (lambda a, b: layers.Add()(a), "was called on a single tensor"),
    ],
)
def test_merge_shape_errors_name_the_layer_when_the_graph_is_built(build, cause):
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(4,))
    with pytest.raises(LayerfitValueError, match=cause) as info:
        build(a, b)
    assert "Fix:" in str(info.value) or "Expected:" in str(info.value)


def test_layer_shape_error_appears_at_construction_naming_the_layer():
    inputs = keras.Input(shape=(10,))
    with pytest.raises(LayerfitValueError, match="'conv'"):
        layers.Conv2D(4, 3, name="conv")(inputs)


# -- structure: layers, get_layer, shared layers, feature extraction, freezing -------------------


def test_shared_layer_counts_once_and_lists_both_calls():
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(4,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = layers.add([shared(a), shared(b)])
    model = keras.Model([a, b], merged)
    assert model.count_params() == 4 * 3 + 3
    assert [layer.name for layer in model.layers] == ["a", "b", "shared", "add"]
    text = summary_text(model)
    assert connected_to(text, "shared (Dense)") == "a[0][0], b[0][0]"
    assert connected_to(text, "add (Add)") == "shared[0][0], shared[1][0]"
    x = np.ones((2, 4), dtype="float32")
    out = model.predict([x, 2 * x], verbose=0)
    kernel, bias = shared.get_weights()
    np.testing.assert_allclose(out, x @ kernel + bias + 2 * x @ kernel + bias, atol=1e-5)


def test_get_layer_by_name_and_index_and_its_errors():
    model = mnist_functional()
    assert model.get_layer("dense_1") is model.layers[2]
    assert model.get_layer(index=-1).units == 10
    with pytest.raises(LayerfitValueError, match="No layer named 'Dense-3'") as info:
        model.get_layer("Dense-3")
    assert "Fix: did you mean" in str(info.value) and "'dense_2'" in str(info.value)
    with pytest.raises(LayerfitValueError, match="either a layer name or an index"):
        model.get_layer()
    with pytest.raises(LayerfitValueError, match=r"an index in \[-4, 4\)"):
        model.get_layer(index=7)


def test_feature_extraction_from_an_intermediate_layer():
    inputs = keras.Input(shape=(5,))
    hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
    model = keras.Model(inputs, layers.Dense(1)(hidden))
    extractor = keras.Model(model.inputs, model.get_layer("hidden").output)
    assert extractor.output_shape == (None, 4)
    assert extractor.get_layer("hidden") is model.get_layer("hidden")
    x = np.random.default_rng(0).random((3, 5), dtype=np.float32)
    kernel, bias = model.get_layer("hidden").get_weights()
    np.testing.assert_allclose(
        extractor.predict(x, verbose=0), np.maximum(x @ kernel + bias, 0), atol=1e-6
    )


def test_frozen_layer_keeps_its_weights_and_summary_counts_it_as_non_trainable():
    model = mnist_functional()
    frozen = model.get_layer("dense")
    frozen.trainable = False
    before = [w.copy() for w in frozen.get_weights()]
    text = summary_text(model)
    assert "Trainable params: 4,810" in text and "Non-trainable params: 50,240" in text
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.random((64, 784), dtype=np.float32), rng.integers(0, 10, 64), epochs=1, verbose=0)
    for old, new in zip(before, frozen.get_weights()):
        np.testing.assert_array_equal(old, new)
    assert not np.allclose(model.get_layer("dense_2").get_weights()[1], 0)


def test_frozen_base_model_inside_a_new_model():
    base = mnist_functional()
    base.trainable = False
    inputs = keras.Input(shape=(784,))
    outputs = layers.Dense(2, activation="softmax", name="new_head")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in model.layers] == ["input_layer_1", "mnist_model", "new_head"]
    assert sum(w.numel() for w in model.trainable_weights) == 10 * 2 + 2
    before = [w.copy() for w in base.get_weights()]
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(
        np.random.default_rng(0).random((32, 784), dtype=np.float32),
        np.zeros(32, dtype=int),
        verbose=0,
    )
    for old, new in zip(before, base.get_weights()):
        np.testing.assert_array_equal(old, new)


# -- calling, inputs, errors ------------------------------------------------------------------------


def test_call_accepts_lists_dicts_and_numpy():
    model = ticket_model()
    x, _ = ticket_data(4)
    by_dict = model(x)
    by_list = model([x["title"], x["body"], x["tags"]])
    assert set(by_dict) == {"priority", "department"}
    torch.testing.assert_close(by_dict["department"], by_list["department"])
    with pytest.raises(LayerfitValueError, match=r"Inputs \['tags'\] are missing") as info:
        model({"title": x["title"], "body": x["body"]})
    assert "Fix:" in str(info.value)
    with pytest.raises(LayerfitValueError, match="has 3 inputs .* but got 2 arrays"):
        model([x["title"], x["body"]])


def test_single_output_in_a_list_is_returned_unpacked():
    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, [layers.Dense(3)(inputs)])
    assert model(torch.zeros(5, 2)).shape == (5, 3)
    assert model.output_shape == (None, 3)


def test_graph_disconnected_names_the_missing_input():
    a, b = keras.Input(shape=(2,), name="a"), keras.Input(shape=(2,), name="b")
    out = layers.add([a, b])
    with pytest.raises(LayerfitValueError, match="Graph disconnected: b") as info:
        keras.Model(a, out)
    assert "Fix: add the missing Input" in str(info.value)


def test_duplicate_layer_names_are_rejected():
    inputs = keras.Input(shape=(2,))
    x = layers.Dense(2, name="same")(inputs)
    with pytest.raises(LayerfitValueError, match=r"\['same'\] are used more than once"):
        keras.Model(inputs, layers.Dense(2, name="same")(x))


def test_non_symbolic_outputs_are_explained():
    with pytest.raises(LayerfitTypeError, match="got ndarray in outputs") as info:
        keras.Model(keras.Input(shape=(2,)), np.zeros(2))
    assert "TorchModuleWrapper" in str(info.value)


def test_intermediate_tensor_can_be_a_model_input():
    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(3, name="h1")(inputs)
    outputs = layers.Dense(2, name="h2")(hidden)
    head = keras.Model(hidden, outputs)
    assert [type(layer).__name__ for layer in head.layers] == ["InputLayer", "Dense"]
    x = torch.ones(2, 3)
    torch.testing.assert_close(head(x), head.get_layer("h2")(x))


def test_dropout_gets_the_training_flag():
    inputs = keras.Input(shape=(100,))
    model = keras.Model(inputs, layers.Dropout(0.5)(inputs))
    x = torch.ones(4, 100)
    assert torch.equal(model(x, training=False), x)
    dropped = model(x, training=True)
    assert (dropped == 0).any() and torch.allclose(dropped[dropped != 0], torch.tensor(2.0))


# -- config -------------------------------------------------------------------------------------------


def test_get_config_round_trip_rebuilds_the_same_graph():
    model = ticket_model()
    config = model.get_config()
    assert config["input_layers"] == [["title", 0, 0], ["body", 0, 0], ["tags", 0, 0]]
    assert config["output_layers"] == {
        "priority": ["priority", 0, 0],
        "department": ["department", 0, 0],
    }
    entry = next(e for e in config["layers"] if e["name"] == "concatenate")
    histories = [arg["config"]["keras_history"] for arg in entry["inbound_nodes"][0]["args"][0]]
    assert histories == [["dense", 0, 0], ["dense_1", 0, 0], ["tags", 0, 0]]
    clone = keras.Model.from_config(config)
    assert type(clone).__name__ == "Functional"
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert clone.output_shape == model.output_shape
    clone.set_weights(model.get_weights())
    x, _ = ticket_data(3)
    torch.testing.assert_close(clone(x)["department"], model(x)["department"])


def test_from_config_with_shared_layers():
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(4,), name="b")
    shared = layers.Dense(3, name="shared")
    model = keras.Model([a, b], layers.subtract([shared(b), shared(a)]))
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x, y = torch.rand(2, 4), torch.rand(2, 4)
    torch.testing.assert_close(clone([x, y]), model([x, y]))
    assert clone.count_params() == 15
