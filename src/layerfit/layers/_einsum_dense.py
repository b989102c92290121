"""EinsumDense: a dense layer written as an einsum equation (MultiHeadAttention's projections).

The kernel and bias shapes come from the equation, the input shape and ``output_shape`` as in
Keras, so weights move between the two unchanged. When the equation is a plain contraction
(``input = free + bound``, ``kernel = bound + new``, ``output = free + new``, as every
attention projection is) the layer runs one matrix product instead of ``torch.einsum``.
"""

from __future__ import annotations

import math
import re

import torch

from layerfit import activations, constraints, initializers, regularizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers._layer import Layer
from layerfit.layers._unsupported import warn_not_implemented

_EQUATION = re.compile(r"^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]+)$")


def _bad_equation(equation: str, reason: str):
    return LayerfitValueError(
        explain(
            f"EinsumDense got equation={equation!r}: {reason}.",
            "'<input>,<kernel>-><output>' with letters, '...' allowed at the start of input "
            "and output, e.g. 'ab,bc->ac' or '...b,bc->...c'.",
            "EinsumDense('abc,cde->abde', output_shape=(None, 4, 8)) projects to 4 heads of 8.",
        )
    )


class _Plan:
    """What an equation means for one input shape: weight shapes and the fast route."""

    def __init__(self, equation, bias_axes, input_shape, partial_output_shape):
        match = _EQUATION.match(equation.replace(" ", ""))
        if match is None:
            raise _bad_equation(equation, "it does not have the form 'x,y->z'")
        source, weight, target = match.groups()
        elided = source.startswith("...")
        if elided != target.startswith("...") or "." in source.strip(".") + target.strip("."):
            raise _bad_equation(equation, "'...' must start both the input and the output")
        source, target = source.removeprefix("..."), target.removeprefix("...")
        input_shape = tuple(input_shape)
        extra = len(input_shape) - len(source)
        if extra < 0 or (extra and not elided):
            raise _bad_equation(
                equation, f"the input spec {source!r} does not fit inputs of shape {input_shape}"
            )
        partial = list(partial_output_shape)
        if len(partial) != len(target) - (0 if elided else 1):
            raise LayerfitValueError(
                explain(
                    f"EinsumDense got output_shape={tuple(partial)} for output spec {target!r}.",
                    "one size per output letter, the batch axis left out.",
                    "use None for axes that come from the input, e.g. (None, 64).",
                )
            )
        # The full output: the batch axis, the axes '...' stands for, then the partial shape.
        full_output = [input_shape[0], *input_shape[1:extra], *partial]
        if not elided:
            full_output = [input_shape[0], *partial]
        source_sizes = dict(zip(source, input_shape[extra:]))
        target_sizes = dict(zip(target, full_output[len(full_output) - len(target) :]))
        for letter, size in source_sizes.items():
            if target_sizes.get(letter) is None and letter in target:
                target_sizes[letter] = size
            elif letter in target and size is not None and target_sizes[letter] != size:
                raise LayerfitValueError(
                    explain(
                        f"EinsumDense: axis {letter!r} has size {size} in the input but "
                        f"{target_sizes[letter]} in output_shape.",
                        "the same size for an axis shared by input and output.",
                        f"set that entry of output_shape to None or {size}.",
                    )
                )
        for letter in target:
            if letter not in source and letter not in weight:
                raise _bad_equation(equation, f"output axis {letter!r} comes from nowhere")
        self.kernel_shape = tuple(
            target_sizes[c] if c in target else source_sizes.get(c) for c in weight
        )
        if any(d is None for d in self.kernel_shape):
            raise _bad_equation(equation, "a kernel axis has no known size")
        self.input_axes = [i for i, c in enumerate(weight) if c not in target]
        self.output_axes = [i for i, c in enumerate(weight) if c in target]
        self.output_shape = tuple(
            full_output[: len(full_output) - len(target)] + [target_sizes[c] for c in target]
        )
        self.bias_shape = self._bias_shape(bias_axes, target, target_sizes, extra, elided)
        # A plain contraction: input = free + bound, kernel = bound + new, output = free + new.
        bound = "".join(c for c in source if c in weight and c not in target)
        free = source[: len(source) - len(bound)]
        new = weight[len(bound) :]
        self.matmul = (
            source == free + bound and weight == bound + new and target == free + new
            and not set(new) & set(source)
        )  # fmt: skip
        self.bound_size = math.prod(self.kernel_shape[: len(bound)])
        self.new_shape = self.kernel_shape[len(bound) :]

    @staticmethod
    def _bias_shape(bias_axes, target, sizes, extra, elided):
        if not bias_axes:
            return None
        for letter in bias_axes:
            if letter not in target:
                raise LayerfitValueError(
                    explain(
                        f"EinsumDense got bias_axes={bias_axes!r} with {letter!r}, which is "
                        f"not in the output spec {target!r}.",
                        "letters of the output spec.",
                        f"bias_axes={target[-1]!r} adds one bias per output unit.",
                    )
                )
        first = min(target.index(c) for c in bias_axes)
        shape = [sizes[c] if c in bias_axes else 1 for c in target[first:]]
        return tuple(shape + ([] if elided else [1] * extra))


class EinsumDense(Layer):
    """A dense layer whose computation is ``einsum(equation, inputs, kernel) + bias``.

    Args:
        equation: e.g. ``'ab,bc->ac'`` (a Dense layer) or ``'abc,cde->abde'`` (a projection
            to heads).
        output_shape: the output's shape without the batch axis; None for axes taken from
            the input.
        activation: Defaults to None.
        bias_axes: output letters that get a bias. Defaults to None (no bias).
        kernel_initializer: Defaults to 'glorot_uniform' (fans from the equation, as Keras).
        bias_initializer: Defaults to 'zeros'.
        kernel_regularizer, bias_regularizer: Default to None.

    Example:
    >>> layer = EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de")
    >>> layer(torch.zeros(2, 5, 16)).shape
    torch.Size([2, 5, 4, 8])
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        gptq_unpacked_column_size=None,
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.equation = equation
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self.partial_output_shape = tuple(output_shape)
        self.activation = activations.get(activation)
        self.bias_axes = bias_axes
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        warn_not_implemented(
            "EinsumDense",
            "no LoRA adapters or quantized kernels yet.",
            lora_rank=lora_rank,
            lora_alpha=lora_alpha,
            gptq_unpacked_column_size=gptq_unpacked_column_size,
            quantization_config=quantization_config,
        )

    def build(self, input_shape) -> None:
        plan = _Plan(self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        self._plan = plan
        self.kernel = self.add_weight(
            plan.kernel_shape,
            self._kernel_init(plan),
            name="kernel",
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            None
            if plan.bias_shape is None
            else self.add_weight(
                plan.bias_shape,
                self.bias_initializer,
                name="bias",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        )

    def _kernel_init(self, plan: _Plan):
        """Keras draws variance-scaling kernels with fans from the equation's input and output
        axes (fan_in = key size, fan_out = heads * head size), not from the last two axes."""
        base = self.kernel_initializer
        if not isinstance(base, initializers.VarianceScaling) or len(plan.kernel_shape) <= 2:
            return base
        order = plan.input_axes + plan.output_axes
        permuted = [plan.kernel_shape[i] for i in order]
        fans = (
            math.prod(permuted[: len(plan.input_axes)]),
            math.prod(permuted[len(plan.input_axes) :]),
        )

        def draw(shape, dtype=None):
            flat = base(fans, dtype=dtype).reshape(permuted)
            return flat.permute(*sorted(range(len(order)), key=order.__getitem__)).contiguous()

        return draw

    def call(self, inputs):
        plan = self._plan
        if plan.matmul:
            free = inputs.shape[: inputs.dim() - (len(plan.kernel_shape) - len(plan.new_shape))]
            flat = inputs.reshape(-1, plan.bound_size) @ self.kernel.reshape(plan.bound_size, -1)
            outputs = flat.reshape(*free, *plan.new_shape)
        else:
            outputs = torch.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        plan = _Plan(self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        return plan.output_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
