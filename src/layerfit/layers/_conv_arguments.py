"""Argument helpers the image layers share: tuples, padding, data format, 'same' amounts."""

from __future__ import annotations

from layerfit import config
from layerfit._registry import Registry
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers._layer import Layer

PADDINGS = Registry("padding")
for _name in ("valid", "same", "causal"):
    PADDINGS.register(_name, _name)
DATA_FORMATS = Registry("data_format")
for _name in ("channels_last", "channels_first"):
    DATA_FORMATS.register(_name, _name)


# -- argument helpers shared by the image layers ----------------------------------------------


def standardize_tuple(value, n: int, arg: str, layer: str, allow_zero: bool = False) -> tuple:
    """An int or a sequence of ``n`` ints -> a tuple of ``n`` ints, checked positive."""
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    elif isinstance(value, (tuple, list)) and len(value) == n:
        values = tuple(value)
    else:
        values = None
    smallest = 0 if allow_zero else 1
    if values is None or any(
        isinstance(v, bool) or not isinstance(v, int) or v < smallest for v in values
    ):
        kind = "non-negative" if allow_zero else "positive"
        raise LayerfitValueError(
            explain(
                f"{layer} got {arg}={value!r}.",
                f"a {kind} integer or a tuple of {n} {kind} integers.",
                f"{arg}=3 or {arg}={(3,) * n}." if n > 1 else f"{arg}=3.",
            )
        )
    return tuple(int(v) for v in values)


def standardize_padding(value, layer: str, allow_causal: bool = False) -> str:
    """'valid' / 'same' (and 'causal' for Conv1D), any case."""
    if not isinstance(value, str):
        raise LayerfitValueError(
            explain(f"{layer} got padding={value!r}.", "'valid' or 'same'.", "padding='same'")
        )
    name = PADDINGS.get(value)
    if name == "causal" and not allow_causal:
        raise LayerfitValueError(
            explain(
                f"{layer} got padding='causal', which only Conv1D supports.",
                "'valid' or 'same'.",
                "padding='same' keeps the spatial size; padding='valid' shrinks it.",
            )
        )
    return name


def standardize_data_format(value) -> str:
    """None -> ``config.image_data_format()``; else 'channels_last' / 'channels_first'."""
    if value is None:
        return config.image_data_format()
    return DATA_FORMATS.get(value)


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding of TensorFlow's 'same': the extra pixel goes after."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def conv_output_length(size, kernel: int, stride: int, padding: str, dilation: int = 1):
    """Keras's output length of a convolution or pooling window along one axis."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (kernel - 1) * dilation - 1) // stride + 1
    return (size - 1) // stride + 1  # 'same' and 'causal'


def spatial_axes(data_format: str, rank: int) -> tuple[int, ...]:
    """Positions of the spatial axes in an input of ``rank`` spatial dims (batch axis 0)."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))


def channels_first_perms(rank: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Permutations channels_last -> channels_first and back, for ``rank`` spatial dims."""
    to_first = (0, rank + 1, *range(1, rank + 1))
    to_last = (0, *range(2, rank + 2), 1)
    return to_first, to_last


def check_image_rank(layer: Layer, input_shape, rank: int, data_format: str) -> None:
    """Raises our error when an input lacks the (batch, *spatial, channels) axes."""
    names = {1: "steps", 2: "height, width", 3: "depth, height, width"}[rank]
    expected = (
        f"(batch, {names}, channels)"
        if data_format == "channels_last"
        else f"(batch, channels, {names})"
    )
    if not isinstance(input_shape, tuple):
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got a {type(input_shape).__name__} "
                "of inputs.",
                f"one tensor of shape {expected}.",
            )
        )
    if len(input_shape) == rank + 1:
        spatial = tuple(d for d in input_shape[1:])
        sample = ", ".join(str(d) for d in spatial)
        example = (
            f"(batch, {sample}, 1)" if data_format == "channels_last" else f"(batch, 1, {sample})"
        )
        if data_format == "channels_last":
            fix = (
                f"add a channel axis: x = x[..., None] (or x.reshape(-1, {sample}, 1)), and "
                f"give the first layer input_shape=({sample}, 1)."
            )
        else:
            fix = (
                f"add a channel axis: x = x[:, None] (or x.reshape(-1, 1, {sample})), and "
                f"give the first layer input_shape=(1, {sample})."
            )
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape}: "
                f"{rank + 1} axes, with no channel axis.",
                f"{rank + 2} axes {expected}, e.g. {example} for one-channel (grayscale) data.",
                fix,
            )
        )
    if len(input_shape) != rank + 2:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape} "
                f"({len(input_shape)} axes).",
                f"{rank + 2} axes {expected}.",
                "check the previous layer's output shape (model.summary() shows each one).",
            )
        )
    channel_axis = -1 if data_format == "channels_last" else 1
    if input_shape[channel_axis] is None:
        raise LayerfitValueError(
            explain(
                f"{type(layer).__name__} layer {layer.name!r} got input of shape {input_shape} "
                "with an unknown number of channels.",
                f"a known channel axis in {expected}.",
                "give the first layer input_shape with the channel count, e.g. (28, 28, 1).",
            )
        )


def warn_unsupported(layer: str, **arguments) -> None:
    """Warns once per argument that layerfit accepts but does not apply yet."""
    for arg, value in arguments.items():
        if value is not None:
            warn(
                f"{layer} got {arg}={value!r}, which layerfit does not apply yet.",
                f"{arg}=None.",
                f"drop {arg}=, or apply it yourself after each optimizer step.",
            )


def pad_spec(pads) -> tuple[int, ...]:
    """[(before, after) per spatial axis] -> F.pad's spec (last axis first)."""
    spec: list[int] = []
    for before, after in reversed(pads):
        spec.extend((before, after))
    return tuple(spec)
