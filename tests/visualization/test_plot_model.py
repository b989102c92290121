"""keras.utils.plot_model: boxes with shapes and parameter counts, edges as the layers connect."""

from __future__ import annotations

import pytest

import layerfit as keras
from layerfit.errors import LayerfitValueError
from layerfit.utils import plot_model
from layerfit.utils._plot_model import model_figure


class Add(keras.layers.Layer):
    """A two-input layer, enough to build a graph with a skip connection."""

    def call(self, inputs):
        return inputs[0] + inputs[1]

    def compute_output_shape(self, input_shape):
        return input_shape[0]


def mlp():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def residual():
    inputs = keras.Input(shape=(8,))
    left = keras.layers.Dense(16, activation="relu")(inputs)
    left = keras.layers.Dense(16)(left)
    right = keras.layers.Dense(16)(inputs)
    merged = Add()([left, right])
    return keras.Model(inputs, keras.layers.Dense(1)(merged))


def texts(figure, kind, name=None):
    """The texts of one kind ('header' or 'line'), of every box or of the box ``name``."""
    found = []
    for text in figure.axes[0].texts:
        text_kind, box = text.get_gid().split(":", 1)
        if text_kind == kind and name in (None, box):
            found.append(text.get_text())
    return found


def boxes(figure):
    """{layer name: (x, y) of the box's corner}."""
    return {
        p.get_gid()[4:]: (p.get_x(), p.get_y())
        for p in figure.axes[0].patches
        if (p.get_gid() or "").startswith("box:")
    }


def edges(figure):
    return {
        p.get_gid()[5:] for p in figure.axes[0].patches if (p.get_gid() or "").startswith("edge:")
    }


def test_the_file_is_written_and_shown_inline(tmp_path, assert_drawn):
    image = plot_model(mlp(), to_file=tmp_path / "model.png", show_shapes=True, dpi=60)
    assert_drawn(tmp_path / "model.png")
    display = pytest.importorskip("IPython.display")  # the GPU machine has no IPython
    assert isinstance(image, display.Image)


def test_keras_defaults_show_the_class_and_the_parameter_count():
    figure = model_figure(mlp())
    assert texts(figure, "header") == ["Dense", "Dropout", "Dense"]
    # By hand: 784 * 256 + 256 and 256 * 10 + 10.
    assert texts(figure, "line") == ["Params: 200,960", "Params: 0", "Params: 2,570"]


def test_every_option_adds_its_line():
    model = mlp()
    figure = model_figure(
        model,
        show_shapes=True,
        show_dtype=True,
        show_layer_names=True,
        show_layer_activations=True,
        show_trainable=True,
    )
    names = [layer.name for layer in model.layers]
    assert texts(figure, "header") == [
        f"{n} ({t})" for n, t in zip(names, ["Dense", "Dropout", "Dense"])
    ]
    assert texts(figure, "line", names[0]) == [
        "Activation: relu",
        "Input shape: (None, 784)",
        "Output shape: (None, 256)",
        "Output dtype: float32",
        "Trainable",
        "Params: 200,960",
    ]
    assert "Trainable" not in texts(figure, "line", names[1])  # Dropout has no weights


def test_a_sequential_model_is_one_column_in_order():
    figure = model_figure(mlp())
    corners = list(boxes(figure).values())
    assert len({x for x, _ in corners}) == 1
    assert [y for _, y in corners] == sorted(y for _, y in corners)
    assert len(edges(figure)) == 2


def test_left_to_right_puts_the_column_in_a_row():
    corners = list(boxes(model_figure(mlp(), rankdir="LR")).values())
    assert len({y for _, y in corners}) == 1
    assert [x for x, _ in corners] == sorted(x for x, _ in corners)


def test_a_functional_graph_has_its_edges_and_levels():
    model = residual()
    names = [layer.name for layer in model.layers]  # input, dense, dense_1, dense_2, add, dense_3
    figure = model_figure(model, show_shapes=True)
    inp, first, second, side, add, out = names
    assert edges(figure) == {
        f"{inp}->{first}",
        f"{first}->{second}",
        f"{inp}->{side}",
        f"{second}->{add}",
        f"{side}->{add}",
        f"{add}->{out}",
    }
    corner = boxes(figure)
    assert corner[first][1] == corner[side][1]  # same depth: side by side
    assert corner[first][0] != corner[side][0]
    assert corner[inp][1] < corner[first][1] < corner[second][1] < corner[add][1]
    assert "Input shape: [(None, 16), (None, 16)]" in texts(figure, "line", add)
    assert texts(figure, "line", inp) == ["Output shape: (None, 8)"]


def test_an_edge_that_skips_a_level_goes_around_the_boxes():
    model = residual()
    figure = model_figure(model)
    names = [layer.name for layer in model.layers]
    (skip,) = [p for p in figure.axes[0].patches if p.get_gid() == f"edge:{names[3]}->{names[4]}"]
    right_edges = [
        x + p.get_width()
        for p in figure.axes[0].patches
        if (p.get_gid() or "").startswith("box:")
        for x in [p.get_x()]
    ]
    route = skip.get_path().vertices
    assert route[:, 0].max() > max(right_edges)  # its lane is right of every box


def test_an_unbuilt_model_says_how_to_build_it():
    with pytest.raises(LayerfitValueError) as error:
        plot_model(keras.Sequential([keras.layers.Dense(3)]))
    assert "not built" in str(error.value) and "keras.Input(shape=...)" in str(error.value)


def test_unknown_keyword_arguments_are_refused_as_keras_does(tmp_path):
    with pytest.raises(ValueError, match="show_shape"):
        plot_model(mlp(), tmp_path / "m.png", show_shape=True)
    with pytest.raises(ValueError, match="no longer supports"):
        plot_model(mlp(), tmp_path / "m.png", layer_range=["a", "b"])


def test_a_bad_rankdir_is_refused():
    with pytest.raises(LayerfitValueError, match="'TB'"):
        plot_model(mlp(), rankdir="XY")


def test_something_that_is_not_a_model_is_refused():
    with pytest.raises(LayerfitValueError, match="not a layerfit model"):
        plot_model("model.h5")
