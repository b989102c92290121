"""summary() of the seed models against Keras 3: every cell and total exactly.

The table's cells (names, types, output shapes, parameter counts) and the three totals
lines must be identical, and so must the full text, borders and column widths included
(Keras sizes columns at positions [0.45, 0.80, 1.0] of min(88, terminal width - 4)).
"""

from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")

import layerfit  # noqa: E402


def _mlp(lib):
    return lib.Sequential(
        [lib.Input(shape=(784,)), lib.layers.Dense(256, activation="relu"),
         lib.layers.Dense(256, activation="relu"), lib.layers.Dense(10, activation="softmax")]
    )  # fmt: skip


def _binary(lib):
    return lib.Sequential(
        [lib.Input(shape=(8,)), lib.layers.Dense(12, activation="relu"),
         lib.layers.Dense(8, activation="relu"), lib.layers.Dense(1, activation="sigmoid")]
    )  # fmt: skip


def _regression(lib):
    return lib.Sequential([lib.Input(shape=(13,)), lib.layers.Dense(1)])


def _convnet(lib):  # keras-io "Simple MNIST convnet"
    L = lib.layers
    return lib.Sequential(
        [lib.Input(shape=(28, 28, 1)), L.Conv2D(32, kernel_size=(3, 3), activation="relu"),
         L.MaxPooling2D(pool_size=(2, 2)), L.Conv2D(64, kernel_size=(3, 3), activation="relu"),
         L.MaxPooling2D(pool_size=(2, 2)), L.Flatten(), L.Dropout(0.5),
         L.Dense(10, activation="softmax")]
    )  # fmt: skip


MODELS = {"mlp": _mlp, "binary": _binary, "regression": _regression, "convnet": _convnet}


def _text(model) -> str:
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    return "\n".join(lines)


def _cells(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith(("│", "┃"))]
    return [[cell.strip() for cell in row.strip("│┃").split(row[0])] for row in rows]


def _totals(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "params:" in line]


@pytest.mark.parametrize("name", MODELS)
def test_summary_cells_and_totals_match_keras(name, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # Keras then uses its full 88 columns, as we do
    keras.backend.clear_session(free_memory=False)
    theirs, ours = _text(MODELS[name](keras)), _text(MODELS[name](layerfit))
    assert _cells(ours) == _cells(theirs)
    assert _totals(ours) == _totals(theirs)
    assert ours.splitlines()[0] == theirs.splitlines()[0]  # Model: "sequential"


@pytest.mark.parametrize("name", MODELS)
def test_count_params_match_keras(name):
    theirs, ours = MODELS[name](keras), MODELS[name](layerfit)
    assert ours.count_params() == theirs.count_params()
    assert [layer.count_params() for layer in ours.layers] == [
        layer.count_params() for layer in theirs.layers
    ]


@pytest.mark.parametrize("name", ["mlp"])
def test_summary_text_identical(name, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    keras.backend.clear_session(free_memory=False)
    # Line by line: Keras's rich console ends its output with one more newline.
    assert _text(MODELS[name](layerfit)).splitlines() == _text(MODELS[name](keras)).splitlines()
