"""summary()'s options (positions, expand_nested, show_trainable, layer_range) as Keras 3 prints."""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError

BUILD = textwrap.dedent(
    """
    def build(keras):
        inner = keras.Sequential(
            [keras.Input((8,)), keras.layers.Dense(4, name="inner_dense"),
             keras.layers.Dense(3, name="inner_out")],
            name="inner",
        )
        model = keras.Sequential(
            [keras.Input((8,)), keras.layers.Dense(8, name="first"),
             keras.layers.Dropout(0.1, name="drop"), inner, keras.layers.Dense(2, name="last")],
            name="outer",
        )
        model.get_layer("first").trainable = False
        return model
    """
)
OPTIONS = [
    {"line_length": 88},
    {"line_length": 100, "show_trainable": True},
    {"line_length": 88, "expand_nested": True, "show_trainable": True},
    {"line_length": 50, "expand_nested": True},  # cells wrap at their spaces
    {"line_length": 40},  # headers wrap and sit on the rule
    {"line_length": 88, "layer_range": ["drop", "inner"]},
    {"line_length": 70, "positions": [0.3, 0.6, 1.0]},
]
namespace: dict = {}
exec(BUILD, namespace)


def ours(**options) -> str:
    lines: list[str] = []
    namespace["build"](keras).summary(print_fn=lines.append, **options)
    return "\n".join(lines)


def test_summary_text_equals_keras_for_every_option():
    if not all(importlib.util.find_spec(name) for name in ("keras", "jax")):
        pytest.skip("Keras 3 with JAX is not installed (pip install 'layerfit[oracle]')")
    script = BUILD + textwrap.dedent(
        f"""
        import json, keras
        texts = []
        for options in {OPTIONS!r}:
            captured = []
            build(keras).summary(print_fn=captured.append, **options)
            texts.append("".join(captured).rstrip("\\n"))
        print(json.dumps(texts))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        # A wide console: rich would crop Keras's lines at 80 columns otherwise.
        env={**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    expected = json.loads(result.stdout.strip().splitlines()[-1])
    for options, text in zip(OPTIONS, expected):
        assert ours(**options) == text, options


def test_show_trainable_marks_frozen_layers_and_layers_without_weights():
    text = ours(line_length=100, show_trainable=True)
    marks = {
        name: line.split("│")[-2].strip()
        for line in text.splitlines()
        for name in ("first", "drop", "inner", "last")
        if line.startswith(f"│ {name} (")
    }
    assert marks == {"first": "N", "drop": "-", "inner": "Y", "last": "Y"}
    assert "┃ Traina… ┃" in text  # the header is cut to its column, as rich cuts it


def test_expand_nested_lists_the_inner_layers_under_their_model():
    text = ours(line_length=88, expand_nested=True)
    names = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]
    assert names == [
        "first (Dense)",
        "drop (Dropout)",
        "inner (Sequential)",
        "└ inner_dense (Dense)",
        "└ inner_out (Dense)",
        "last (Dense)",
    ]
    assert "│    └ inner_dense (Dense)" in text  # indented three spaces per level


def test_layer_range_takes_names_or_regexes_both_ends_included():
    text = ours(line_length=88, layer_range=["dr.p", "inner"])
    rows = [line for line in text.splitlines() if line.startswith("│ ")]
    assert [row.split("(")[0].strip("│ ") for row in rows] == ["drop", "inner"]
    assert "Total params: 131" in text  # the counts stay the whole model's


@pytest.mark.parametrize(
    "options, cause",
    [
        ({"layer_range": ["first"]}, "two strings"),
        ({"layer_range": ["nothing", "last"]}, "matches no layer at the start"),
        ({"line_length": 10}, "leaves no room"),
        ({"positions": [0.5, 1.0]}, "3 increasing fractions"),
    ],
)
def test_bad_options_are_explained(options, cause):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="first")])
    with pytest.raises(LayerfitValueError, match=cause):
        model.summary(**options)
