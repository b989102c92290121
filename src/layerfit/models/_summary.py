"""Keras 3's summary table: layer, output shape, parameter count (and 'Connected to')."""

from __future__ import annotations

import unicodedata

from layerfit.layers import InputLayer
from layerfit.utils._shape_text import shape_text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    room = max(0, width - _width(text))
    return " " * room + text if right else text + " " * room


def memory_text(count: int, bytes_per_param: int = 4) -> str:
    size = float(count * bytes_per_param)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def summary_rows(model) -> list[dict]:
    """One dict per layer: name, type, output_shape, params, connected_to."""
    functional = hasattr(model, "_graph_layers")
    rows = []
    for layer in model.layers:
        if isinstance(layer, InputLayer) and not functional:
            continue
        try:
            shape = layer.output_shape if layer._inbound_nodes else None
        except Exception:
            shape = None
        connected = model._connections(layer) if functional else []
        rows.append(
            {
                "name": layer.name,
                "type": type(layer).__name__,
                "output_shape": shape,
                "params": layer.count_params() if layer.built else None,
                "connected_to": connected,
            }
        )
    return rows


def print_summary(model, line_length=None, print_fn=None, show_trainable=False) -> None:
    print_fn = print_fn or print
    # Keras adds 'Connected to' only when the graph is not a plain chain (branches, merges).
    functional = hasattr(model, "_graph_layers") and not model._sequential_like
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if functional else [])
    line_length = line_length or (108 if functional else 88)
    fractions = [0.3, 0.3, 0.1, 0.3] if functional else [0.45, 0.39, 0.16]
    widths = [max(10, int(line_length * f) - 3) for f in fractions]
    rows = summary_rows(model)
    table = []
    for row in rows:
        params = "0 (unbuilt)" if row["params"] is None else f"{row['params']:,}"
        cells = [f"{row['name']} ({row['type']})", shape_text(row["output_shape"]), params]
        if functional:
            cells.append(", ".join(row["connected_to"]) or "-")
        table.append(cells)
    for i, header in enumerate(headers):
        widths[i] = max(widths[i], _width(header), *(_width(r[i]) for r in table))

    def line(left, mid, right, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row_text(cells, sep="│"):
        parts = [_pad(c, w, right=(i == 2)) for i, (c, w) in enumerate(zip(cells, widths))]
        return sep + sep.join(f" {p} " for p in parts) + sep

    print_fn(f'Model: "{model.name}"')
    print_fn(line("┏", "┳", "┓", "━"))
    print_fn(row_text(headers, "┃"))
    print_fn(line("┡", "╇", "┩", "━"))
    for index, cells in enumerate(table):
        print_fn(row_text(cells))
        if index < len(table) - 1:
            print_fn(line("├", "┼", "┤", "─"))
    print_fn(line("└", "┴", "┘", "─"))
    built = model.built
    total = model.count_params() if built else 0
    trainable = sum(w.numel() for w in model.trainable_weights) if built else 0
    print_fn(f" Total params: {total:,} ({memory_text(total)})")
    print_fn(f" Trainable params: {trainable:,} ({memory_text(trainable)})")
    print_fn(f" Non-trainable params: {total - trainable:,} ({memory_text(total - trainable)})")
    if model.optimizer is not None and getattr(model.optimizer, "built", False):
        # Keras counts every optimizer variable: iterations, learning_rate and the slots.
        slots = sum(t.numel() for t in model.optimizer.state_dict().values() if hasattr(t, "numel"))
        if slots > 0:
            print_fn(f" Optimizer params: {slots:,} ({memory_text(slots)})")
