"""Checks that run once per fit/evaluate/predict, never per batch, to catch learners' mistakes.

``check_first_batch`` looks at the first batch: input shapes against the model's declared input,
input scale, and the labels against the loss and the model's output (run on two samples; those
checks live in ``_output_checks.py``). The raw arrays were checked before batching, in
``data/_checks.py`` (lengths, empty data, NaN and inf).
Labels are checked over the whole training set when it is in memory, so a class that is
missing from the first batch is still seen.
"""

from __future__ import annotations

import math

import torch

from layerfit._tree import flatten
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers import InputLayer, Layer
from layerfit.training._output_checks import OutputCheck, per_output, probe_outputs

# Inputs count as unscaled when some value exceeds _SCALE_MAX and some feature averages more
# than _SCALE_MEAN over the batch. Pixels reach 255 and average 30-130; raw tabular columns
# (prices, years, populations) are larger still. Min-max or standardised data averages near 1
# even with a rare outlier (a z-score of 100), because the mean over a batch dilutes it.
_SCALE_MAX = 100.0
_SCALE_MEAN = 10.0
# Layers that rescale or consume raw values themselves; inputs before them may be unscaled.
_SCALING_LAYERS = frozenset(
    "Rescaling Normalization BatchNormalization LayerNormalization GroupNormalization "
    "UnitNormalization Embedding TextVectorization StringLookup IntegerLookup CategoryEncoding "
    "Hashing Discretization Lambda TorchModuleWrapper".split()
)
# Layers that move values around without mixing them with weights.
_PASS_THROUGH = frozenset(
    "Flatten Reshape Resizing Dropout SpatialDropout1D SpatialDropout2D ZeroPadding2D "
    "Cropping2D Permute Sequential".split()
)


# -- on the first batch ---------------------------------------------------------------------------


def check_first_batch(
    model, x, y, sample_weight, *, data=None, stage: str = "fit", checks: bool = True
) -> list:
    """Runs once on the first batch; returns the model's outputs on two samples, in output order.

    The probe that gives those outputs also builds an unbuilt model. ``data`` holds the full
    arrays; ``checks=False`` (the ``*_on_batch`` methods) only probes.
    """
    compiled = getattr(model, "compiled", None)
    with_loss = checks and stage != "predict" and compiled is not None and compiled.has_loss
    if checks:
        _check_input_shapes(model, x, data)
        _check_scale(model, x)
    if with_loss and y is None:
        raise LayerfitValueError(
            explain(
                f"model.{stage}() got no labels (y), but the model was compiled with a loss.",
                f"the targets to learn: model.{stage}(x, y, ...).",
                f"pass the labels: model.{stage}(x_train, y_train), or a dataset that yields "
                "(x, y) pairs.",
            )
        )
    outputs = probe_outputs(model, x)
    if not with_loss:
        return outputs
    full_y = getattr(data, "y", None)
    targets = per_output(y, compiled.output_names)
    everything = per_output(full_y, compiled.output_names) if full_y is not None else targets
    if len(outputs) != len(targets) or len(targets) != len(compiled.losses):
        return outputs  # the loss reports a structure mismatch itself
    for index, loss in enumerate(compiled.losses):
        if loss is None or not torch.is_tensor(targets[index]):
            continue
        check = OutputCheck(
            model,
            index,
            loss,
            outputs[index],
            targets[index],
            everything[index],
            compiled.metric_specs[index],
        )
        check.run()
    return outputs


# -- input shapes (case: the data does not fit the declared Input) --------------------------------


def check_inputs(model, x, data=None) -> None:
    """The input checks of ``check_first_batch`` without its probe (predict on a built model)."""
    _check_input_shapes(model, x, data)
    _check_scale(model, x)


def _check_input_shapes(model, x, data) -> None:
    inputs = getattr(model, "inputs", None) or []
    if not inputs:
        return
    names = getattr(model, "input_names", None)
    leaves = [x.get(n) for n in names] if isinstance(x, dict) and names else flatten(x)
    full = getattr(data, "x", None)
    full = (
        [full.get(n) for n in names]
        if isinstance(full, dict) and names
        else flatten(full)
        if full is not None
        else leaves
    )
    if len(leaves) != len(inputs) or len(full) != len(leaves):
        return  # the model names the count mismatch itself
    for tensor, leaf, whole in zip(inputs, leaves, full):
        if not torch.is_tensor(leaf):
            continue
        expected = tuple(tensor.shape[1:])
        received = tuple(int(d) for d in leaf.shape[1:])
        if shape_fits(expected, received):
            continue
        shape = tuple(int(d) for d in getattr(whole, "shape", leaf.shape))
        raise input_shape_error(model, tensor, shape)


def input_shape_error(model, tensor, shape: tuple) -> LayerfitValueError:
    """The error for data of ``shape`` (batch axis first) that cannot feed the Input ``tensor``."""
    expected = tuple(tensor.shape[1:])
    layer = tensor.node.layer if tensor.node is not None else None
    where = f"Input {layer.name!r} of model {model.name!r}" if layer else f"Model {model.name!r}"
    return LayerfitValueError(
        explain(
            f"{where} expects input of shape {(None, *expected)}, but x has shape {shape}.",
            f"x of shape (n_samples, {', '.join(str(d) for d in expected)}).",
            _input_shape_fix(expected, shape),
        )
    )


def shape_fits(expected: tuple, received: tuple) -> bool:
    """Equal up to unknown (None) axes and a trailing axis of 1 (the model adds or drops it)."""
    if received[-1:] == (1,) and len(received) == len(expected) + 1:
        received = received[:-1]
    elif expected[-1:] == (1,) and len(expected) == len(received) + 1:
        expected = expected[:-1]
    return len(expected) == len(received) and all(
        e is None or e == r for e, r in zip(expected, received)
    )


def _input_shape_fix(expected: tuple, data_shape: tuple) -> str:
    received = data_shape[1:]
    shape = ", ".join(str(d) for d in expected)
    if received + (1,) == expected:
        if len(expected) == 1:
            return "x holds one value per sample: give it a feature axis, x = x.reshape(-1, 1)."
        if len(expected) == 3:
            return (
                f"the channel axis is missing: x = x[..., None] (or x.reshape(-1, {shape})) "
                "gives grayscale images their one channel."
            )
        return f"add the last axis: x = x[..., None] (or x.reshape(-1, {shape}))."
    if data_shape == expected:
        return (
            f"x looks like one sample of shape {expected} without the batch axis: "
            "use x[None] (or np.expand_dims(x, 0)); to predict on one sample of a set, "
            "write x_test[:1] instead of x_test[0]."
        )
    if None in expected:
        return f"reshape x to (-1, {shape}), or change the model's Input shape."
    size, got = math.prod(expected), math.prod(received)
    if len(expected) == 1 and len(received) > 1 and size == got:
        return (
            f"flatten each sample: x = x.reshape(-1, {size}), or start the model with "
            f"Input(shape={received}) and a Flatten() layer."
        )
    if size == got:
        return f"reshape x: x = x.reshape(-1, {shape})."
    if len(expected) == len(received) == 1:
        return (
            f"the model was built for {expected[0]} features but x has {received[0]}: "
            "check which columns x holds (was the target column dropped?), or change the "
            f"first layer to Input(shape=({received[0]},))."
        )
    return f"reshape x to (-1, {shape}), or change the first layer to Input(shape={received})."


# -- input scale ---------------------------------------------------------------------------------


def _scales_itself(model) -> bool:
    """Whether the model's first value-mixing layer is a rescaling or normalising one."""
    for layer in model.modules():
        if layer is model or not isinstance(layer, Layer) or isinstance(layer, InputLayer):
            continue
        name = type(layer).__name__
        if name in _SCALING_LAYERS or not type(layer).__module__.startswith("layerfit."):
            return True  # a user's own layer may well do the scaling: do not judge it
        if name in _PASS_THROUGH or name.startswith("Random"):
            continue
        return False
    return True  # nothing to judge by (an empty or custom model)


def _check_scale(model, x) -> None:
    for leaf in flatten(x):
        if not torch.is_tensor(leaf) or leaf.numel() == 0 or leaf.dim() < 1:
            continue
        values = leaf.detach().float()
        rows = values.reshape(-1, values.shape[-1]) if values.dim() > 1 else values.reshape(-1, 1)
        feature_mean, low, high = torch.stack(
            [rows.abs().mean(0).max(), values.min(), values.max()]
        ).tolist()
        largest = max(abs(low), abs(high))
        if largest <= _SCALE_MAX or feature_mean <= _SCALE_MEAN or _scales_itself(model):
            continue
        pixels = low >= 0 and high <= 255
        fix = (
            "divide by 255: x = x / 255.0 (for training and for predict), or add "
            "layers.Rescaling(1 / 255) as the first layer."
            if pixels
            else "scale each column: sklearn's MinMaxScaler or StandardScaler (fit it on the "
            "training data, then transform train, validation and test), or add a "
            "layers.Normalization() layer adapted to x_train as the first layer."
        )
        warn(
            f"x looks unscaled: its values go from {low:g} to {high:g} "
            f"(one feature averages {feature_mean:.1f}).",
            "inputs of about unit scale, e.g. in [0, 1] or standardised; large inputs make "
            "training slow or unstable.",
            fix,
        )
        return
