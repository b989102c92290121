"""Ops on symbolic tensors in functional models: ``x + y``, ``x[:, :3]``, ``ops.expand_dims``.

Each op called on a KerasTensor records an op node (Keras's Operation): named and classed as
Keras names them, run by the model (predict, fit, gradients), saved as the op's name and its
non-tensor arguments, and refused with our errors where a symbolic tensor has no value.
"""

from __future__ import annotations

import inspect
import json
import types

import numpy as np
import pytest
import torch

import layerfit
from layerfit import layers, ops
from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.layers._op_layer import OpLayer
from layerfit.ops import _symbolic


@pytest.fixture(autouse=True)
def fresh_names():
    layerfit.backend.clear_session()
    yield


def op_model():
    """Dense, then slicing, arithmetic with constants, expand/concatenate, a reduction."""
    inputs = layerfit.Input((6, 4))
    x = layers.Dense(4, name="d1")(inputs)
    x = x + inputs[:, :, :1]  # broadcasts the first feature
    x = x * 0.5 - 1.0
    x = ops.expand_dims(x, -1)
    x = ops.concatenate([x, -x], axis=-1)
    x = ops.reshape(x, (-1, 6, 8))
    x = ops.mean(x, axis=1)
    x = ops.relu(x) ** 2 + abs(x)
    x = 2.0 / (1.0 + ops.exp(-x))
    outputs = layers.Dense(3, name="d2")(x)
    return layerfit.Model(inputs, outputs)


def by_hand(model, x):
    """op_model's computation in numpy, from the model's own weights."""
    k1, b1, k2, b2 = model.get_weights()
    h = x @ k1 + b1
    h = h + x[:, :, :1]
    h = h * 0.5 - 1.0
    h = np.concatenate([h[..., None], -h[..., None]], axis=-1).reshape(len(x), 6, 8)
    h = h.mean(axis=1)
    h = np.maximum(h, 0) ** 2 + np.abs(h)
    h = 2.0 / (1.0 + np.exp(-h))
    return h @ k2 + b2


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 6, 4)).astype("float32")


# -- graph, names, shapes --------------------------------------------------------------------


def test_op_nodes_are_named_and_classed_as_keras_names_them():
    model = op_model()
    rows = [(layer.name, type(layer).__name__) for layer in model.operations]
    # Keras 3.15's summary of the same code (checked against it in tests/oracle).
    assert rows == [
        ("input_layer", "InputLayer"),
        ("d1", "Dense"),
        ("get_item", "GetItem"),
        ("add", "Add"),
        ("multiply", "Multiply"),
        ("subtract", "Subtract"),
        ("expand_dims", "ExpandDims"),
        ("negative", "Negative"),
        ("concatenate", "Concatenate"),
        ("reshape", "Reshape"),
        ("mean", "Mean"),
        ("relu", "Relu"),
        ("power", "Power"),
        ("absolute", "Absolute"),
        ("add_1", "Add"),
        ("negative_1", "Negative"),
        ("exp", "Exp"),
        ("add_2", "Add"),
        ("true_divide", "TrueDivide"),
        ("d2", "Dense"),
    ]
    # As in Keras, op nodes are operations, not layers.
    assert [layer.name for layer in model.layers] == ["input_layer", "d1", "d2"]
    assert model.get_layer("d2").units == 3


def test_summary_lists_op_nodes_with_shapes_and_connections():
    model = op_model()
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "get_item (GetItem)" in text
    assert "(None, 6, 4, 2)" in text  # concatenate's output
    assert "expand_dims[0][0]" in text
    assert "Total params: 47" in text


def test_shapes_of_op_outputs_keep_unknown_axes():
    inputs = layerfit.Input((None, 3))
    assert (inputs + 1).shape == (None, None, 3)
    assert inputs[:, 0].shape == (None, 3)
    assert inputs[:, :, 1:].shape == (None, None, 2)
    assert ops.expand_dims(inputs, -1).shape == (None, None, 3, 1)
    assert ops.sum(inputs, axis=1).shape == (None, 3)
    assert ops.transpose(inputs, (0, 2, 1)).shape == (None, 3, None)
    assert ops.cast(inputs, "int32").dtype == "int32"
    assert (inputs > 0).dtype == "bool"


def test_shape_ndim_and_dtype_of_a_symbolic_tensor_are_static_as_in_keras():
    inputs = layerfit.Input((5, 3))
    assert ops.shape(inputs) == (None, 5, 3)
    assert ops.ndim(inputs) == 3
    assert ops.dtype(inputs) == "float32"
    x = layers.Dense(2)(inputs)
    assert ops.shape(x)[1:] == (5, 2)


def test_every_operator_of_keras_tensor_records_the_keras_op():
    a = layerfit.Input((3,))
    b = layerfit.Input((3,))
    cases = {
        "Add": [a + b, a + 1, 1 + a],
        "Subtract": [a - b, 1 - a],
        "Multiply": [a * b, 2 * a],
        "TrueDivide": [a / b, 1 / a],
        "FloorDivide": [a // b, 2 // a],
        "Mod": [a % 2, 2 % a],
        "Power": [a**2, 2**a],
        "Negative": [-a],
        "Absolute": [abs(a)],
        "Less": [a < b],
        "LessEqual": [a <= b],
        "Greater": [a > b],
        "GreaterEqual": [a >= b],
        "NotEqual": [a != b],
        "GetItem": [a[:, 0], a[..., 1:]],
        "Round": [round(a)],
        "Reshape": [a.reshape((-1, 3, 1))],
        "Squeeze": [a.reshape((-1, 3, 1)).squeeze(-1)],
    }
    for class_name, tensors in cases.items():
        for tensor in tensors:
            assert type(tensor.node.layer).__name__ == class_name
    m = layerfit.Input((3, 3))
    assert type((m @ m).node.layer).__name__ == "Matmul"
    t, f = a > 0, b > 0
    for tensor, class_name in (
        (t & f, "LogicalAnd"),
        (t | f, "LogicalOr"),
        (t ^ f, "LogicalXor"),
        (~t, "LogicalNot"),
    ):
        assert type(tensor.node.layer).__name__ == class_name
    assert {a: 1}[a] == 1  # == stays identity, so tensors key dicts as in Keras


def test_numpy_arrays_and_torch_tensors_on_the_left_of_an_operator():
    inputs = layerfit.Input((3,))
    scale = np.array([1.0, 2.0, 3.0], dtype="float32")
    outputs = (scale * inputs) + torch.ones(3)
    assert type(outputs.node.layer).__name__ == "Add"
    model = layerfit.Model(inputs, outputs)
    x = np.ones((2, 3), dtype="float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), x * scale + 1)


def test_every_public_op_is_symbolic_aware():
    """One wrapper covers every name in __all__ of ops and its submodules (new ops too)."""
    modules = [ops, ops.numpy, ops.nn, ops.image, ops.linalg]
    modules += [
        value
        for value in vars(ops).values()
        if isinstance(value, types.ModuleType)
        and value.__name__.startswith("layerfit.ops.")
        and not value.__name__.rsplit(".", 1)[-1].startswith("_")
    ]
    unwrapped = [
        f"{module.__name__}.{name}"
        for module in modules
        for name in module.__all__
        if inspect.isfunction(getattr(module, name))
        and name not in _symbolic._NOT_OPS
        and getattr(getattr(module, name), "_layerfit_op", None) is None
    ]
    assert not unwrapped
    assert ops.add is ops.numpy.add  # one wrapper per op name
    assert list(inspect.signature(ops.concatenate).parameters) == ["xs", "axis"]


def test_ops_from_every_submodule_work_on_symbolic_tensors():
    inputs = layerfit.Input((8, 8, 3))
    assert ops.nn.softmax(inputs, axis=-1).shape == (None, 8, 8, 3)
    assert ops.image.resize(inputs, (4, 4)).shape == (None, 4, 4, 3)
    flat = ops.reshape(inputs, (-1, 8, 24))
    assert ops.linalg.norm(flat, axis=-1).shape == (None, 8)
    first, second = ops.split(inputs, 2, axis=1)
    assert first.shape == second.shape == (None, 4, 8, 3)
    assert first.node is second.node and type(first.node.layer).__name__ == "Split"


# -- numbers ---------------------------------------------------------------------------------


def test_predictions_equal_the_computation_done_by_hand():
    model = op_model()
    x = data(16)
    np.testing.assert_allclose(model.predict(x, verbose=0), by_hand(model, x), atol=1e-5)


def test_a_model_with_op_nodes_trains_and_gradients_flow_through_them():
    layerfit.utils.set_random_seed(0)
    model = op_model()
    x = data(128)
    y = (x.sum(axis=(1, 2))[:, None] * np.array([[0.1, -0.2, 0.3]])).astype("float32")
    model.compile(optimizer=layerfit.optimizers.Adam(0.01), loss="mse")
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.7 * losses[0]
    # The first Dense sits before every op node: it learns only if gradients pass them.
    assert not np.allclose(before[0], model.get_weights()[0])
    np.testing.assert_allclose(model.predict(x, verbose=0), by_hand(model, x), atol=1e-4)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(
        float(np.mean((by_hand(model, x) - y) ** 2)), rel=1e-4
    )


def test_multi_output_ops_and_nested_list_arguments_run_in_the_model():
    inputs = layerfit.Input((4, 6))
    a, b, c = ops.split(inputs, 3, axis=-1)
    stacked = ops.stack([a * 2, b, c - 1], axis=1)
    outputs = ops.where(stacked > 0, stacked, ops.zeros_like(stacked))
    model = layerfit.Model(inputs, outputs)
    x = data(5, 1)[:, :4, :].repeat(2, axis=-1)[:, :, :6]
    pieces = np.split(x, 3, axis=-1)
    expected = np.stack([pieces[0] * 2, pieces[1], pieces[2] - 1], axis=1)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.maximum(expected, 0), atol=1e-6)


def test_constants_of_every_kind_in_op_arguments():
    inputs = layerfit.Input((3,))
    scale = np.array([1.0, 2.0, 3.0], dtype="float32")
    shift = torch.tensor([0.5, 0.5, 0.5])
    outputs = ops.clip(inputs * scale + shift, -1.0, 4.0)[..., ::2]
    model = layerfit.Model(inputs, outputs)
    x = np.array([[1.0, 1.0, 1.0], [-2.0, 0.0, 2.0]], dtype="float32")
    expected = np.clip(x * scale + 0.5, -1.0, 4.0)[..., ::2]
    np.testing.assert_allclose(model.predict(x, verbose=0), expected)
    restored = layerfit.Model.from_config(json.loads(json.dumps(model.get_config())))
    np.testing.assert_allclose(restored.predict(x, verbose=0), expected)


def test_the_eager_path_still_computes_with_tensors():
    a, b = torch.ones(3), torch.arange(3.0)
    assert torch.equal(ops.add(a, b), a + b)
    assert torch.equal(ops.concatenate([a, b], axis=0), torch.cat([a, b]))
    assert torch.equal(ops.get_item(b, [slice(1, None)]), b[1:])


# -- config, saving, cloning, plotting -------------------------------------------------------


def test_config_names_the_op_and_its_arguments_as_keras_writes_them():
    model = op_model()
    entries = {entry["name"]: entry for entry in model.get_config()["layers"]}
    expand = entries["expand_dims"]
    assert expand["module"] == "keras.src.ops.numpy"
    assert expand["class_name"] == "ExpandDims"
    assert expand["config"] == {"name": "expand_dims", "axis": -1}
    assert len(expand["inbound_nodes"][0]["args"]) == 1  # the tensor only
    multiply = entries["multiply"]
    assert multiply["config"] == {"name": "multiply"}
    assert multiply["inbound_nodes"][0]["args"][1] == 0.5  # Keras: Multiply.call(x1, x2)
    key = entries["get_item"]["inbound_nodes"][0]["args"][1]
    assert key[2] == {"class_name": "__slice__", "config": {"start": None, "stop": 1, "step": None}}
    assert entries["relu"]["module"] == "keras.src.ops.nn"


def test_save_and_load_round_trip_a_model_with_op_nodes(tmp_path):
    model = op_model()
    x = data(8)
    model.save(tmp_path / "ops.keras")
    loaded = layerfit.models.load_model(tmp_path / "ops.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [op.name for op in loaded.operations] == [op.name for op in model.operations]
    assert isinstance(loaded.get_config()["layers"][2], dict)


def test_from_config_clone_and_plot_model(tmp_path):
    model = op_model()
    x = data(4)
    clone = layerfit.models.clone_model(model)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    assert all(a is not b for a, b in zip(clone.operations, model.operations))
    layerfit.utils.plot_model(model, to_file=str(tmp_path / "ops.png"), show_shapes=True)
    assert (tmp_path / "ops.png").stat().st_size > 0


def test_a_keras_written_op_config_loads():
    """An entry as Keras 3.15 writes it: the op's arguments in its config, tensors in args."""
    tensor = {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 3], "dtype": "float32", "keras_history": ["input_layer", 0, 0]},
    }
    config = {
        "name": "functional",
        "trainable": True,
        "layers": [
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "input_layer"},
                "registered_name": None,
                "name": "input_layer",
                "inbound_nodes": [],
            },
            {
                "module": "keras.src.ops.numpy",
                "class_name": "ExpandDims",
                "config": {"name": "expand_dims", "axis": 1},
                "registered_name": "ExpandDims",
                "name": "expand_dims",
                "inbound_nodes": [{"args": [tensor], "kwargs": {}}],
            },
        ],
        "input_layers": [["input_layer", 0, 0]],
        "output_layers": [["expand_dims", 0, 0]],
    }
    model = layerfit.Model.from_config(config)
    assert model.output_shape == (None, 1, 3)
    assert type(model.operations[-1]).__name__ == "ExpandDims"


def test_an_op_layerfit_lacks_is_refused_by_name_and_nothing_is_imported():
    config = op_model().get_config()
    entry = next(e for e in config["layers"] if e["name"] == "negative")
    entry["class_name"] = "Os_System"
    with pytest.raises(LayerfitValueError, match="Os_System"):
        layerfit.Model.from_config(config)


def test_op_layers_and_real_layers_of_the_same_class_name_stay_apart(tmp_path):
    inputs = layerfit.Input((3,))
    outputs = layers.Add()([inputs + 1.0, inputs])  # the op Add and the layer Add
    model = layerfit.Model(inputs, outputs)
    model.save(tmp_path / "adds.keras")
    loaded = layerfit.models.load_model(tmp_path / "adds.keras")
    kinds = [(type(op).__name__, isinstance(op, OpLayer)) for op in loaded.operations]
    assert kinds == [("InputLayer", False), ("Add", True), ("Add", False)]
    x = np.ones((2, 3), dtype="float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), 3 * x)


# -- errors ----------------------------------------------------------------------------------


def test_iterating_a_symbolic_tensor_is_our_error():
    inputs = layerfit.Input((3,))
    with pytest.raises(LayerfitTypeError, match="cannot be iterated"):
        a, b, c = inputs
    with pytest.raises(LayerfitTypeError, match="ops.unstack"):
        list(inputs)


def test_a_symbolic_tensor_as_a_boolean_is_our_error():
    inputs = layerfit.Input((3,))
    with pytest.raises(LayerfitTypeError, match="ops.where"):
        if inputs > 0:
            pass
    with pytest.raises(LayerfitTypeError, match="boolean"):
        bool(inputs)


def test_torch_functions_on_a_symbolic_tensor_are_our_error():
    inputs = layerfit.Input((3,))
    with pytest.raises(LayerfitTypeError, match=r"relu\(\).*keras.ops|Lambda"):
        torch.relu(inputs)
    with pytest.raises(LayerfitTypeError, match="torch function"):
        torch.nn.functional.softmax(inputs, dim=-1)


def test_numpy_and_python_numbers_from_a_symbolic_tensor_are_our_error():
    inputs = layerfit.Input((3,))
    with pytest.raises(LayerfitTypeError, match="numpy"):
        np.asarray(inputs)
    with pytest.raises(LayerfitTypeError, match="Python float"):
        float(inputs)
    with pytest.raises(LayerfitTypeError, match="Python int"):
        int(inputs)


def test_an_op_that_cannot_take_the_shapes_is_our_error():
    a, b = layerfit.Input((3,)), layerfit.Input((4,))
    with pytest.raises(LayerfitValueError, match=r"ops.add\(\) cannot take symbolic tensors"):
        a + b
    with pytest.raises(LayerfitTypeError, match="does not take"):
        ops.expand_dims(a, -1, bogus=True)


def test_an_op_returning_a_python_value_is_our_error():
    inputs = layerfit.Input((3,))
    with pytest.raises(LayerfitTypeError, match="gives int, not a tensor"):
        ops.size(inputs)


def test_models_with_op_nodes_pickle_and_deepcopy():
    import copy
    import pickle

    model = op_model()
    x = data(4)
    expected = model.predict(x, verbose=0)
    for clone in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        np.testing.assert_allclose(clone.predict(x, verbose=0), expected)
        assert type(clone.operations[6]).__name__ == "ExpandDims"
