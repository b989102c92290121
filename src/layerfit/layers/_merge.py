"""Merge layers: combine a list of tensors (Add, Concatenate, Dot, ...) in functional models.

Shapes are checked when the layer is first called on symbolic inputs, so a mismatch names the
layer while the graph is built, not at the first batch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import backend
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers._layer import Layer


def _is_shape_list(input_shape) -> bool:
    return isinstance(input_shape, (list, tuple)) and all(
        isinstance(shape, tuple) for shape in input_shape
    )


class Merge(Layer):
    """Base class of the element-wise merge layers; subclasses define ``_merge``.

    Inputs of different ranks are broadcast the Keras way: the lower-rank ones get axes
    added after the batch axis until all ranks match.
    """

    supports_masking = True  # masks pass through, as in Keras

    min_inputs = 1
    max_inputs: int | None = None

    def check_input_shape(self, input_shape) -> None:
        kind = type(self).__name__
        if not _is_shape_list(input_shape):
            raise LayerfitValueError(
                explain(
                    f"{kind} layer {self.name!r} was called on a single tensor of shape "
                    f"{input_shape}.",
                    "a list of tensors to merge.",
                    f"layers.{kind}()([x1, x2])",
                )
            )
        count = len(input_shape)
        if count < self.min_inputs or (self.max_inputs is not None and count > self.max_inputs):
            wanted = (
                f"exactly {self.max_inputs}"
                if self.max_inputs == self.min_inputs
                else f"at least {self.min_inputs}"
            )
            raise LayerfitValueError(
                explain(
                    f"{kind} layer {self.name!r} got {count} inputs.",
                    f"{wanted} inputs.",
                    f"layers.{kind}()([x1, x2])",
                )
            )
        self._check_shapes(list(input_shape))

    def _check_shapes(self, shapes: list[tuple]) -> None:
        batch_sizes = {shape[0] for shape in shapes if shape} - {None}
        if len(batch_sizes) > 1:
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} layer {self.name!r} got tensors with different "
                    f"batch sizes: {shapes}.",
                    "the same batch size for every input.",
                    "feed every branch from inputs of the same batch.",
                )
            )
        self._broadcast_shape(shapes)

    def _broadcast_shape(self, shapes: list[tuple]) -> tuple:
        """The merged sample shape; raises an error naming this layer if they cannot broadcast."""
        result: tuple = shapes[0][1:]
        for shape in shapes[1:]:
            result = self._broadcast_pair(result, shape[1:], shapes)
        return result

    def _broadcast_pair(self, first: tuple, second: tuple, shapes) -> tuple:
        if len(first) < len(second):
            first, second = second, first
        if not second:
            return first
        merged = list(first[: len(first) - len(second)])
        for a, b in zip(first[len(first) - len(second) :], second):
            if a is None or b is None:
                merged.append(None)
            elif a == 1 or b == 1 or a == b:
                merged.append(b if a == 1 else a)
            else:
                raise LayerfitValueError(
                    explain(
                        f"{type(self).__name__} layer {self.name!r} cannot merge tensors of "
                        f"shapes {shapes}: sizes {a} and {b} differ.",
                        "inputs of the same shape (or sizes of 1 that broadcast).",
                        "check the layers feeding it (model.summary() shows each shape), "
                        "e.g. give the Dense layers on each branch the same units.",
                    )
                )
        return tuple(merged)

    def build(self, input_shape) -> None:
        ranks = {len(shape) for shape in input_shape}
        self._reshape_required = len(ranks) > 1

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise LayerfitValueError(
                explain(
                    f"{type(self).__name__} layer {self.name!r} was called on a single tensor.",
                    "a list of tensors to merge.",
                    f"layers.{type(self).__name__}()([x1, x2])",
                )
            )
        if getattr(self, "_reshape_required", False):
            rank = max(t.dim() for t in inputs)
            inputs = [_expand_to(t, rank) for t in inputs]
        return self._merge(list(inputs))

    def _merge(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        """Keras's rule: when every input is masked, a step is kept when any input keeps it."""
        if mask is None or not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        output = mask[0].bool()
        for other in mask[1:]:
            output = output | other.bool()
        return output

    def compute_output_shape(self, input_shape):
        batch_sizes = {shape[0] for shape in input_shape if shape} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch, *self._broadcast_shape(list(input_shape)))


def _values_mask(tensor):
    """The step mask of ``tensor`` widened to its shape, or None."""
    mask = getattr(tensor, "_keras_mask", None)
    return None if mask is None else mask.bool().unsqueeze(-1).expand_as(tensor)


def _masked_extreme(op, inputs):
    """Maximum/minimum as Keras: a masked entry takes the other input's value."""
    output, output_mask = None, None
    for tensor in inputs:
        mask = _values_mask(tensor)
        if output is None:
            output, output_mask = tensor, mask
            continue
        if mask is not None:
            tensor = torch.where(mask, tensor, output)
        if output_mask is not None:
            output = torch.where(output_mask, output, tensor)
        output_mask = None if mask is None or output_mask is None else output_mask | mask
        output = op(output, tensor)
    return output


def _expand_to(tensor: torch.Tensor, rank: int) -> torch.Tensor:
    while tensor.dim() < rank:
        tensor = tensor.unsqueeze(1)
    return tensor


class Add(Merge):
    """Adds a list of tensors of the same shape element-wise.

    Example:
    >>> x1 = Input(shape=(16,)); x2 = Input(shape=(16,))
    >>> Add()([x1, x2]).shape
    (None, 16)
    """

    def _merge(self, inputs):
        output = inputs[0]
        for tensor in inputs[1:]:
            output = output + tensor
        return output


class Subtract(Merge):
    """Subtracts two tensors element-wise: ``inputs[0] - inputs[1]``.

    Example:
    >>> Subtract()([Input(shape=(8,)), Input(shape=(8,))]).shape
    (None, 8)
    """

    min_inputs = 2
    max_inputs = 2

    def _merge(self, inputs):
        return inputs[0] - inputs[1]


class Multiply(Merge):
    """Multiplies a list of tensors element-wise.

    Example:
    >>> Multiply()([Input(shape=(4,)), Input(shape=(4,))]).shape
    (None, 4)
    """

    def _merge(self, inputs):
        masks = [_values_mask(tensor) for tensor in inputs]
        if all(mask is None for mask in masks):
            output = inputs[0]
            for tensor in inputs[1:]:
                output = output * tensor
            return output
        # As Keras: masked entries count as 1, and the product is 0 where no input is kept.
        output = None
        for tensor, mask in zip(inputs, masks):
            if mask is not None:
                tensor = torch.where(mask, tensor, torch.ones_like(tensor))
            output = tensor if output is None else output * tensor
        if all(mask is not None for mask in masks):
            kept = torch.stack(torch.broadcast_tensors(*masks)).any(dim=0)
            output = torch.where(kept, output, torch.zeros_like(output))
        return output


class Average(Merge):
    """Averages a list of tensors element-wise.

    Example:
    >>> Average()([Input(shape=(4,)), Input(shape=(4,))]).shape
    (None, 4)
    """

    def _merge(self, inputs):
        output = inputs[0]
        for tensor in inputs[1:]:
            output = output + tensor
        return output / len(inputs)


class Maximum(Merge):
    """The element-wise maximum of a list of tensors.

    Example:
    >>> Maximum()([Input(shape=(4,)), Input(shape=(4,))]).shape
    (None, 4)
    """

    def _merge(self, inputs):
        return _masked_extreme(torch.maximum, inputs)


class Minimum(Merge):
    """The element-wise minimum of a list of tensors.

    Example:
    >>> Minimum()([Input(shape=(4,)), Input(shape=(4,))]).shape
    (None, 4)
    """

    def _merge(self, inputs):
        return _masked_extreme(torch.minimum, inputs)


class Concatenate(Merge):
    """Concatenates a list of tensors along ``axis``; the other axes must match.

    Args:
        axis: the axis to join along. Defaults to -1 (the last).

    Example:
    >>> Concatenate()([Input(shape=(8,)), Input(shape=(4,))]).shape
    (None, 12)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise LayerfitTypeError(
                explain(
                    f"Concatenate got axis={axis!r}.", "an integer axis.", "Concatenate(axis=-1)"
                )
            )
        self.axis = axis

    def _check_shapes(self, shapes):
        ranks = {len(shape) for shape in shapes}
        if len(ranks) != 1 or not -len(shapes[0]) <= self.axis < len(shapes[0]):
            self._raise_mismatch(shapes)
        axis = self.axis % len(shapes[0])
        for position in range(len(shapes[0])):
            if position == axis:
                continue
            sizes = {shape[position] for shape in shapes} - {None}
            if len(sizes) > 1:
                self._raise_mismatch(shapes)

    def _raise_mismatch(self, shapes):
        raise LayerfitValueError(
            explain(
                f"Concatenate layer {self.name!r} (axis={self.axis}) cannot join tensors of "
                f"shapes {shapes}.",
                f"inputs of the same rank whose sizes match on every axis but axis {self.axis}.",
                "reshape or flatten the inputs first (layers.Flatten()), or pick another axis=.",
            )
        )

    def build(self, input_shape) -> None:
        self._reshape_required = False

    def _merge(self, inputs):
        return torch.cat(inputs, dim=self.axis)

    def compute_mask(self, inputs, mask=None):
        """Keras's rule: each input's mask widened to its shape (all True when it has none),
        joined along ``axis``, then a step is kept when any of its entries is."""
        if mask is None or not isinstance(mask, (list, tuple)) or all(m is None for m in mask):
            return None
        masks = []
        for tensor, mask_i in zip(inputs, mask):
            if mask_i is None:
                masks.append(torch.ones_like(tensor, dtype=torch.bool))
            elif mask_i.dim() < tensor.dim():
                masks.append(mask_i.bool().unsqueeze(-1).expand_as(tensor))
            else:
                masks.append(mask_i.bool())
        return torch.cat(masks, dim=self.axis).any(dim=-1)

    def compute_output_shape(self, input_shape):
        output = list(input_shape[0])
        axis = self.axis % len(output)
        sizes = [shape[axis] for shape in input_shape]
        output[axis] = None if None in sizes else sum(sizes)
        for position in range(len(output)):
            if position != axis and output[position] is None:
                known = [s[position] for s in input_shape if s[position] is not None]
                output[position] = known[0] if known else None
        return tuple(output)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Dot(Merge):
    """The dot product of two tensors along ``axes``, sample by sample.

    Args:
        axes: an axis, or a pair (axis of the first input, axis of the second).
        normalize: whether to L2-normalise both inputs along those axes first, giving the
            cosine similarity. Defaults to False.

    Example:
    >>> Dot(axes=1)([Input(shape=(8,)), Input(shape=(8,))]).shape
    (None, 1)
    """

    min_inputs = 2
    max_inputs = 2

    def compute_mask(self, inputs, mask=None):
        return None  # the steps are summed away, as in Keras

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        valid = (isinstance(axes, int) and not isinstance(axes, bool)) or (
            isinstance(axes, (list, tuple))
            and len(axes) == 2
            and all(isinstance(a, int) and not isinstance(a, bool) for a in axes)
        )
        if not valid:
            raise LayerfitValueError(
                explain(
                    f"Dot got axes={axes!r}.",
                    "an integer axis, or a pair of integers (one axis per input).",
                    "Dot(axes=1) for two (batch, features) inputs, or Dot(axes=(1, 2)).",
                )
            )
        self.axes = axes if isinstance(axes, int) else tuple(axes)
        self.normalize = bool(normalize)

    def _axes_for(self, ranks) -> tuple[int, int]:
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        return pair[0] % ranks[0], pair[1] % ranks[1]

    def _check_shapes(self, shapes):
        first, second = shapes
        a0, a1 = self._axes_for((len(first), len(second)))
        if len(first) < 2 or len(second) < 2 or 0 in (a0, a1):
            raise LayerfitValueError(
                explain(
                    f"Dot layer {self.name!r} (axes={self.axes}) got shapes {shapes}.",
                    "two inputs of rank 2 or more, summed over a non-batch axis.",
                    "Dot(axes=1) for two (batch, features) inputs.",
                )
            )
        if first[a0] is not None and second[a1] is not None and first[a0] != second[a1]:
            raise LayerfitValueError(
                explain(
                    f"Dot layer {self.name!r} cannot take the dot product of shapes {first} and "
                    f"{second} over axes ({a0}, {a1}): sizes {first[a0]} and {second[a1]} differ.",
                    "the same size on the two axes summed over.",
                    "change axes=, or give both branches the same number of units.",
                )
            )

    def build(self, input_shape) -> None:
        self._reshape_required = False

    def _merge(self, inputs):
        x, y = inputs
        a0, a1 = self._axes_for((x.dim(), y.dim()))
        if self.normalize:
            x = F.normalize(x, dim=a0, eps=backend.epsilon())
            y = F.normalize(y, dim=a1, eps=backend.epsilon())
        x = x.movedim(a0, -1)  # (B, *X, K)
        y = y.movedim(a1, 1)  # (B, K, *Y)
        x_rest, y_rest = x.shape[1:-1], y.shape[2:]
        batch, size = x.shape[0], x.shape[-1]
        out = torch.bmm(x.reshape(batch, -1, size), y.reshape(batch, size, -1))
        out = out.reshape(batch, *x_rest, *y_rest)
        return out.unsqueeze(-1) if out.dim() == 1 else out

    def compute_output_shape(self, input_shape):
        first, second = (list(shape) for shape in input_shape)
        a0, a1 = self._axes_for((len(first), len(second)))
        first.pop(a0)
        second.pop(a1)
        second.pop(0)
        output = first + second
        return tuple(output + [1] if len(output) == 1 else output)

    def get_config(self) -> dict:
        axes = self.axes if isinstance(self.axes, int) else list(self.axes)
        return {**super().get_config(), "axes": axes, "normalize": self.normalize}


def add(inputs, **kwargs):
    """Functional form of ``Add``: ``add([x1, x2])``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of ``Subtract``: ``subtract([x1, x2])``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of ``Multiply``: ``multiply([x1, x2])``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of ``Average``: ``average([x1, x2])``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of ``Maximum``: ``maximum([x1, x2])``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of ``Minimum``: ``minimum([x1, x2])``."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of ``Concatenate``: ``concatenate([x1, x2], axis=-1)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """Functional form of ``Dot``: ``dot([x1, x2], axes=1)`` (``normalize=`` by keyword)."""
    return Dot(axes=axes, **kwargs)(inputs)
