"""Keras 3's summary table: layer, output shape, parameter count (and 'Connected to')."""

from __future__ import annotations

import re
import shutil

from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import InputLayer
from layerfit.models._summary_table import column_widths, keras_widths, render


def _shape_text(shape) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    return "(" + ", ".join(str(d) for d in shape) + ")"  # Keras writes (None) for rank 1


def memory_text(count: int, bytes_per_param: int = 4) -> str:
    size = float(count * bytes_per_param)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def summary_rows(model) -> list[dict]:
    """One dict per layer: name, type, output_shape, params, connected_to."""
    return [_row(model, layer) for layer in _listed_layers(model)]


def _listed_layers(model) -> list:
    functional = hasattr(model, "_graph_layers")
    layers = getattr(model, "operations", None) or model.layers  # op nodes too, as Keras
    return [layer for layer in layers if functional or not isinstance(layer, InputLayer)]


def _row(model, layer, prefix: str = "") -> dict:
    try:
        shape = layer.output_shape if layer._inbound_nodes else None
    except Exception:
        shape = None
    functional = hasattr(model, "_graph_layers")
    return {
        "name": prefix + layer.name,
        "type": type(layer).__name__,
        "output_shape": shape,
        "params": layer.count_params() if layer.built else None,
        "connected_to": model._connections(layer) if functional else [],
        "trainable": ("Y" if layer.trainable else "N") if layer.weights else "-",
    }


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
) -> None:
    """Prints Keras 3's summary table of ``model``, laid out as Keras lays it out."""
    print_fn = print_fn or print
    # Keras adds 'Connected to' only when the graph is not a plain chain (branches, merges).
    functional = hasattr(model, "_graph_layers") and not model._sequential_like
    headers = ["Layer (type)", "Output Shape", "Param #"]
    justify = ["left", "left", "right"]
    if functional:
        headers.append("Connected to")
        justify.append("left")
    default_length = 108 if functional else 88
    positions = list(positions or ([0.3, 0.56, 0.74, 1.0] if functional else [0.45, 0.8, 1.0]))
    if show_trainable:
        default_length += 12
        positions = [p * 0.9 for p in positions] + [1.0]
        headers.append("Trainable")
        justify.append("center")
    # Keras narrows the table to the terminal (80 columns when output is not a terminal).
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    if len(positions) != len(headers) or min(keras_widths(positions, line_length)) < 4:
        raise LayerfitValueError(
            explain(
                f"summary(line_length={line_length}, positions={positions}) leaves no room for "
                f"the {len(headers)} columns.",
                f"{len(headers)} increasing fractions of the line, ending at 1.0.",
                "call summary() without positions, or with a larger line_length.",
            )
        )
    widths = column_widths(positions, line_length)
    layers = _listed_layers(model)
    start, stop = _layer_range(layers, layer_range)
    table = []
    for layer in layers[start:stop]:
        table += [
            _cells(row, functional, show_trainable) for row in _rows(model, layer, expand_nested)
        ]
    print_fn(f'Model: "{model.name}"')
    for line in render(headers, table, widths, justify):
        print_fn(line)
    _print_counts(model, print_fn)


def _rows(model, layer, expand_nested: bool, level: int = 0) -> list[dict]:
    prefix = "   " * level + "└ " if level else ""
    rows = [_row(model, layer, prefix)]
    nested = getattr(layer, "layers", None) if expand_nested else None
    for inner in nested or []:
        if isinstance(inner, InputLayer) and not hasattr(layer, "_graph_layers"):
            continue
        rows += _rows(layer, inner, expand_nested, level + 1)
    return rows


def _cells(row: dict, functional: bool, show_trainable: bool) -> list[str]:
    params = "0 (unbuilt)" if row["params"] is None else f"{row['params']:,}"
    cells = [f"{row['name']} ({row['type']})", _shape_text(row["output_shape"]), params]
    if functional:
        cells.append(", ".join(row["connected_to"]) or "-")
    if show_trainable:
        cells.append(row["trainable"])
    return cells


def _layer_range(layers, layer_range) -> tuple[int, int]:
    """Keras's slice for layer_range=(first, last): names or regexes, both ends included."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2 or not all(isinstance(name, str) for name in layer_range):
        raise LayerfitValueError(
            explain(
                f"summary(layer_range={layer_range!r}).",
                "a list or tuple of two strings: the first and last layer names (or regexes).",
                "model.summary(layer_range=['dense', 'dense_2'])",
            )
        )
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise LayerfitValueError(
            explain(
                f"summary(layer_range={list(layer_range)}) matches no layer "
                f"{'at the start' if not lower else 'at the end'}.",
                f"names (or regexes) of this model's layers: {[layer.name for layer in layers]}.",
                "copy the names from model.summary()'s first column.",
            )
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def _print_counts(model, print_fn) -> None:
    built = model.built
    weights = model.count_params() if built else 0
    trainable = sum(w.numel() for w in model.trainable_weights) if built else 0
    slots = 0
    if model.optimizer is not None and getattr(model.optimizer, "built", False):
        # Keras counts every optimizer variable: iterations, learning_rate and the slots.
        slots = sum(t.numel() for t in model.optimizer.state_dict().values() if hasattr(t, "numel"))
    # Keras's "Total params" includes the optimizer's variables once it is built (after fit).
    total = weights + slots
    print_fn(f" Total params: {total:,} ({memory_text(total)})")
    print_fn(f" Trainable params: {trainable:,} ({memory_text(trainable)})")
    print_fn(f" Non-trainable params: {weights - trainable:,} ({memory_text(weights - trainable)})")
    if slots > 0:
        print_fn(f" Optimizer params: {slots:,} ({memory_text(slots)})")
