"""plot_model: a picture of the layer graph, drawn with matplotlib alone (no graphviz, no pydot).

Boxes carry what Keras's boxes carry (class, name, shapes, dtype, activation, trainable), plus
the parameter count. Layers are placed by depth: a Sequential model is a column; a functional
model puts layers of the same depth side by side, and an edge that skips a level is routed
around the boxes it would cross.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from layerfit.errors import LayerfitValueError, explain
from layerfit.utils._shape_text import shape_text

_FONT = 8.5  # points
_CHAR = 0.075  # inches per character at _FONT, a little more than the average glyph
_LINE = 0.2  # inches per text line
_PAD = 0.12  # inches of padding inside a box
_GAP = 0.45  # inches between boxes
_HEADER = "#23395d"
_SPLINES = ("ortho", "curved", "polyline", "spline", "line")


@dataclass
class Box:
    """One layer's box: its header, its lines of details and the boxes feeding it."""

    name: str
    header: str
    lines: list[str]
    inputs: list[int] = field(default_factory=list)
    lanes: dict[int, int] = field(default_factory=dict)  # input index -> detour lane
    level: int = 0
    x: float = 0.0  # centre, inches
    y: float = 0.0

    width: float = 0.0  # inches; every box gets the width of the widest text

    @property
    def text_width(self) -> float:
        longest = max(len(text) for text in [self.header, *self.lines])
        return longest * _CHAR + 2 * _PAD

    @property
    def height(self) -> float:
        return (1 + len(self.lines)) * _LINE + 2 * _PAD


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Draws the model's layers with their shapes and parameter counts into an image file.

    Unlike Keras, it needs neither pydot nor graphviz: the picture is drawn with matplotlib.

    Args:
        model: a built model (Sequential or functional).
        to_file: the image file; its extension picks the format (png, pdf, svg). Defaults
            to 'model.png'.
        show_shapes: show each layer's input and output shapes. Defaults to False.
        show_dtype: show each layer's dtype. Defaults to False.
        show_layer_names: show each layer's name next to its class. Defaults to False.
        rankdir: 'TB' draws top to bottom, 'LR' left to right. Defaults to 'TB'.
        expand_nested: accepted for Keras compatibility; a nested model is one box.
            Defaults to False.
        dpi: resolution of the image in dots per inch. Defaults to 200.
        show_layer_activations: show the activation of layers that have one. Defaults to False.
        show_trainable: show whether each layer with weights is trainable. Defaults to False.
        splines: accepted for Keras compatibility (edges are straight or right-angled).
            Defaults to 'ortho'.

    Returns:
        An ``IPython.display.Image`` of the file when IPython is installed (it shows inline
        in Jupyter), else None.

    Example:
    >>> model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10)])
    >>> keras.utils.plot_model(model, "model.png", show_shapes=True)  # doctest: +SKIP
    """
    _check_arguments(model, rankdir, splines, kwargs)
    figure = model_figure(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    path = Path(to_file)
    extension = path.suffix[1:].lower() or "png"
    figure.savefig(path, format=extension, dpi=dpi)
    if extension == "pdf":
        return None
    try:
        from IPython.display import SVG, Image
    except ImportError:
        return None
    return SVG(filename=str(path)) if extension == "svg" else Image(filename=str(path))


def _check_arguments(model, rankdir, splines, kwargs) -> None:
    if kwargs.pop("layer_range", None) is not None:
        raise LayerfitValueError(
            explain(
                "plot_model got layer_range, which Keras 3 no longer supports.",
                fix="plot the whole model, or build a smaller model to plot.",
            )
        )
    if kwargs:
        raise LayerfitValueError(
            explain(
                f"plot_model got unrecognized keyword arguments {sorted(kwargs)}.",
                "model, to_file, show_shapes, show_dtype, show_layer_names, rankdir, "
                "expand_nested, dpi, show_layer_activations, show_trainable, splines.",
                "remove them, or check their spelling.",
            )
        )
    if rankdir not in ("TB", "LR"):
        raise LayerfitValueError(
            explain(
                f"plot_model got rankdir={rankdir!r}.",
                "'TB' (top to bottom) or 'LR' (left to right).",
                "rankdir='TB'",
            )
        )
    if splines not in _SPLINES:
        raise LayerfitValueError(
            explain(
                f"plot_model got splines={splines!r}.",
                f"one of {list(_SPLINES)}.",
                "leave splines out; edges are drawn straight or right-angled.",
            )
        )
    if not hasattr(model, "summary_rows"):
        raise LayerfitValueError(
            explain(
                f"plot_model got {type(model).__name__}, which is not a layerfit model.",
                "a Sequential or functional model.",
                "pass the model itself: plot_model(model, 'model.png').",
            )
        )
    if not getattr(model, "built", False):
        raise LayerfitValueError(
            explain(
                f"plot_model got a model that is not built ({type(model).__name__}).",
                "a model whose layers know their shapes.",
                "start the model with keras.Input(shape=...), or call model.build(input_shape) "
                "or fit it once before plotting.",
            )
        )


def model_figure(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    show_layer_activations=False,
    show_trainable=False,
):
    """The matplotlib Figure of the model's layer graph (not attached to pyplot)."""
    options = dict(
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    boxes = model_boxes(model, **options)
    width, height = _place(boxes, horizontal=rankdir == "LR")
    return _draw(boxes, width, height, horizontal=rankdir == "LR")


def model_boxes(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    show_layer_activations=False,
    show_trainable=False,
) -> list[Box]:
    """One Box per row of ``model.summary()``, connected as the model's layers are."""
    rows = model.summary_rows()
    layers = {layer.name: layer for layer in getattr(model, "operations", None) or model.layers}
    index = {row["name"]: i for i, row in enumerate(rows)}
    chain = not any(row.get("connected_to") for row in rows)
    boxes = []
    for position, row in enumerate(rows):
        layer = layers.get(row["name"])
        inputs = (
            [position - 1]
            if chain and position
            else [
                index[source]
                for source in map(_source_name, row.get("connected_to") or [])
                if source in index
            ]
        )
        header = f"{row['name']} ({row['type']})" if show_layer_names else row["type"]
        lines = []
        if show_layer_activations and getattr(layer, "activation", None) is not None:
            lines.append(f"Activation: {_activation_name(layer.activation)}")
        if show_shapes:
            if row["type"] != "InputLayer":
                lines.append(f"Input shape: {shape_text(_input_shape(model, layer, inputs, rows))}")
            lines.append(f"Output shape: {shape_text(row.get('output_shape'))}")
        if show_dtype:
            lines.append(f"Output dtype: {getattr(layer, 'dtype', None) or '?'}")
        if show_trainable and layer is not None and list(getattr(layer, "weights", [])):
            lines.append("Trainable" if layer.trainable else "Non-trainable")
        if row["type"] != "InputLayer":
            params = row.get("params")
            lines.append("Params: " + ("0 (unbuilt)" if params is None else f"{params:,}"))
        boxes.append(Box(row["name"], header, lines, inputs))
    width = max((box.text_width for box in boxes), default=1.0)
    for box in boxes:
        box.width = width
    return boxes


def _source_name(connection) -> str:
    """'dense_1[0][0]' -> 'dense_1'."""
    text = connection if isinstance(connection, str) else str(connection[0])
    return re.sub(r"\[.*$", "", text.strip())


def _input_shape(model, layer, inputs: list[int], rows: list[dict]):
    try:
        tensors = layer.input
        return [t.shape for t in tensors] if isinstance(tensors, list | tuple) else tensors.shape
    except Exception:  # no symbolic input recorded: use what feeds the layer
        pass
    if inputs:
        shapes = [rows[i].get("output_shape") for i in inputs]
        return shapes[0] if len(shapes) == 1 else shapes
    return getattr(model, "input_shape", None)


def _activation_name(activation) -> str:
    for attribute in ("name", "__name__"):
        if isinstance(getattr(activation, attribute, None), str):
            return getattr(activation, attribute)
    return str(activation)


def _place(boxes: list[Box], horizontal: bool) -> tuple[float, float]:
    """Sets each box's level and centre; returns the drawing's width and height in inches."""
    for box in boxes:  # rows come in topological order, as summary() prints them
        box.level = 1 + max((boxes[i].level for i in box.inputs), default=-1)
    levels: dict[int, list[Box]] = {}
    for box in boxes:
        levels.setdefault(box.level, []).append(box)

    def along(box):  # size along the flow
        return box.width if horizontal else box.height

    def across(box):
        return box.height if horizontal else box.width

    spans = {
        level: sum(across(b) for b in members) + _GAP * (len(members) - 1)
        for level, members in levels.items()
    }
    widest = max(spans.values())
    position = _GAP
    for level in sorted(levels):
        depth = max(along(b) for b in levels[level])
        offset = _GAP + (widest - spans[level]) / 2
        for box in levels[level]:
            centre_across = offset + across(box) / 2
            centre_along = position + depth / 2
            box.x, box.y = (
                (centre_along, centre_across) if horizontal else (centre_across, centre_along)
            )
            offset += across(box) + _GAP
        position += depth + _GAP
    detour = _GAP * _assign_lanes(boxes)
    if horizontal:
        return position, widest + 2 * _GAP + detour
    return widest + 2 * _GAP + detour, position


def _assign_lanes(boxes: list[Box]) -> int:
    """Gives each edge that skips a level a lane beside the boxes; returns the lane count.

    Edges whose level ranges do not overlap share a lane.
    """
    lanes: list[list[tuple[int, int]]] = []
    for box in boxes:
        for source in box.inputs:
            span = (boxes[source].level, box.level)
            if span[1] - span[0] <= 1:
                continue
            free = next(
                (
                    n
                    for n, used in enumerate(lanes)
                    if all(span[1] <= a or b <= span[0] for a, b in used)
                ),
                len(lanes),
            )
            if free == len(lanes):
                lanes.append([])
            lanes[free].append(span)
            box.lanes[source] = free
    return len(lanes)


def _draw(boxes: list[Box], width: float, height: float, horizontal: bool):
    figure = _new_figure(width, height)
    axis = figure.add_axes((0, 0, 1, 1))
    axis.set_xlim(0, width)
    axis.set_ylim(height, 0)  # y grows downwards, as the boxes are placed
    axis.set_axis_off()
    for box in boxes:
        _draw_box(axis, box)
    _draw_edges(axis, boxes, horizontal)
    return figure


def _new_figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            explain(
                "plot_model draws with matplotlib, which is not installed.",
                "matplotlib 3.6 or newer (graphviz and pydot are not needed).",
                "pip install matplotlib  (or pip install 'layerfit[plot]').",
            )
        ) from error
    return Figure(figsize=(width, height))  # not pyplot's: nothing global is left open


def _draw_box(axis, box: Box) -> None:
    from matplotlib.patches import Rectangle

    left, top = box.x - box.width / 2, box.y - box.height / 2
    style = dict(edgecolor=_HEADER, linewidth=1.2)
    axis.add_patch(
        Rectangle(
            (left, top), box.width, box.height, facecolor="white", gid=f"box:{box.name}", **style
        )
    )
    axis.add_patch(Rectangle((left, top), box.width, _LINE + _PAD, facecolor=_HEADER, **style))
    text = dict(ha="center", va="center", fontsize=_FONT)
    axis.text(
        box.x,
        top + (_LINE + _PAD) / 2,
        box.header,
        color="white",
        fontweight="bold",
        gid=f"header:{box.name}",
        **text,
    )
    for number, line in enumerate(box.lines):
        axis.text(box.x, top + _PAD + (number + 1.5) * _LINE, line, gid=f"line:{box.name}", **text)


def _draw_edges(axis, boxes: list[Box], horizontal: bool) -> None:
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as DrawPath

    if horizontal:
        edge = max(b.y + b.height / 2 for b in boxes)
    else:
        edge = max(b.x + b.width / 2 for b in boxes)
    for box in boxes:
        for index in box.inputs:
            source = boxes[index]
            if index in box.lanes:  # it skips a level: go around the boxes in between
                lane = edge + _GAP * (1 + box.lanes[index])
                points = _detour(source, box, lane, horizontal)
            else:
                points = [_exit(source, horizontal), _entry(box, horizontal)]
            arrow = FancyArrowPatch(
                path=DrawPath(points),
                arrowstyle="-|>",
                mutation_scale=12,
                color="0.25",
                linewidth=1.2,
                gid=f"edge:{source.name}->{box.name}",
            )
            axis.add_patch(arrow)


def _exit(box: Box, horizontal: bool) -> tuple[float, float]:
    return (box.x + box.width / 2, box.y) if horizontal else (box.x, box.y + box.height / 2)


def _entry(box: Box, horizontal: bool) -> tuple[float, float]:
    return (box.x - box.width / 2, box.y) if horizontal else (box.x, box.y - box.height / 2)


def _detour(source: Box, target: Box, lane: float, horizontal: bool) -> list:
    """Leaves the source's side, runs along the lane, comes back into the target's side.

    It leaves a quarter past the middle and arrives a quarter before it, so an edge that
    arrives at a box is not confused with one that leaves it.
    """
    if horizontal:
        start = (source.x + source.width / 4, source.y + source.height / 2)
        end = (target.x - target.width / 4, target.y + target.height / 2)
        return [start, (start[0], lane), (end[0], lane), end]
    start = (source.x + source.width / 2, source.y + source.height / 4)
    end = (target.x + target.width / 2, target.y - target.height / 4)
    return [start, (lane, start[1]), (lane, end[1]), end]
