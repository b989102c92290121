"""The model's outputs against the labels and the loss: run once, on the first batch.

The model runs on two samples; then each output is checked against its loss and labels (the
whole label set when it is in memory): one-hot labels with a sparse loss, integer labels with a
categorical loss, labels out of range, an output width that does not match the classes,
binary cross-entropy after a softmax, bounded outputs with targets outside their range, ...
A layer that fails on the sample is named, with the shape it got and the shape it was built for.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from layerfit import activations
from layerfit._tree import map_structure
from layerfit.errors import LayerfitError, LayerfitValueError, explain, warn
from layerfit.layers import Layer

_SPARSE = "sparse_categorical_crossentropy"
_CATEGORICAL = "categorical_crossentropy"
_BINARY = "binary_crossentropy"
_REGRESSION = frozenset(
    "mean_squared_error mean_absolute_error mean_absolute_percentage_error "
    "mean_squared_logarithmic_error huber log_cosh".split()
)
# Built-in losses that compare y_true and y_pred value by value (same shape, up to a trailing 1).
_SAME_SHAPE = (
    _REGRESSION
    | {_BINARY, _CATEGORICAL}
    | frozenset(
        "hinge squared_hinge categorical_hinge kl_divergence poisson cosine_similarity".split()
    )
)
_OUTPUT_RANGES = {"sigmoid": (0, 1), "softmax": (0, 1), "tanh": (-1, 1), "relu": (0, math.inf)}
_ACCURACY = ("accuracy", "acc")


def per_output(value, names: list[str]) -> list:
    """Targets or predictions as a list in output order (from a dict, list or single value)."""
    if isinstance(value, dict):
        return [value.get(name) for name in names]
    return list(value) if isinstance(value, (list, tuple)) else [value]


# -- the model's outputs against the labels --------------------------------------------------------


def probe_outputs(model, x) -> list:
    """The model's outputs on two samples, with a mid-stack failure named by its layer."""
    device = next((p.device for p in model.parameters()), None)
    sample = map_structure(
        lambda t: (
            (t[:2] if device is None else t[:2].to(device))
            if torch.is_tensor(t)
            else t[:2]
            if isinstance(t, np.ndarray)  # text for a string Input
            else t
        ),
        x,
    )
    running: list = []  # the layers whose call has started and not finished, innermost last

    def enter(module, args) -> None:
        running.append((module, args))

    def leave(module, args, output) -> None:  # returns None: the output stays as it is
        running.pop()

    hooks = []
    for layer in model.modules():
        if layer is not model and isinstance(layer, Layer):
            hooks.append(layer.register_forward_pre_hook(enter))
            hooks.append(layer.register_forward_hook(leave))
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            output = model(sample)
    except LayerfitError:
        raise
    except (RuntimeError, ValueError, TypeError, IndexError) as error:
        raise _layer_failure(model, running, sample, error) from None
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    compiled = getattr(model, "compiled", None)
    return per_output(output, compiled.output_names if compiled else model.output_names)


def _layer_failure(model, running: list, sample, error: Exception) -> LayerfitValueError:
    if running:
        layer, args = running[-1]
        received = tuple(args[0].shape[1:]) if args and torch.is_tensor(args[0]) else None
    else:
        layer = next((m for m in model.modules() if isinstance(m, Layer) and not m.built), model)
        received = map_structure(lambda t: tuple(t.shape[1:]), sample)
    built_for = None
    if layer._inbound_nodes and layer is not model:
        inputs = layer._inbound_nodes[0].inputs
        built_for = tuple(inputs.shape[1:]) if hasattr(inputs, "shape") else None
    expected = (
        f"samples of shape {built_for}, the shape this layer was built for."
        if built_for
        else "an input shape this layer accepts."
    )
    return LayerfitValueError(
        explain(
            f"Layer {layer.name!r} ({type(layer).__name__}) failed on samples of shape "
            f"{received}: {error}",
            expected,
            "check the layers before it (model.summary() lists each output shape); images "
            "going into Dense need a Flatten() first, and Conv2D needs a channel axis.",
        )
    )


def _activation_of(model, index: int) -> str | None:
    outputs = getattr(model, "outputs", None) or []
    if index < len(outputs) and outputs[index].node is not None:
        layer = outputs[index].node.layer
    elif index == 0 and getattr(model, "layers", None):
        layer = model.layers[-1]
    else:
        return None
    name = activations.serialize(getattr(layer, "activation", None))
    return name if isinstance(name, str) else None


def label_stats(labels: torch.Tensor) -> dict:
    rows = labels.reshape(-1, labels.shape[-1] if labels.dim() > 1 else 1).double()
    whole = rows == rows.round()
    binary = (rows == 0) | (rows == 1)
    one_hot = binary.all() & (rows.sum(1) == 1).all() & torch.tensor(rows.shape[1] > 1)
    low, high, integral, is_binary, is_one_hot = torch.stack(
        [rows.min(), rows.max(), whole.all().double(), binary.all().double(), one_hot.double()]
    ).tolist()
    return {
        "min": low,
        "max": high,
        "integral": bool(integral),
        "binary": bool(is_binary),
        "one_hot": bool(is_one_hot),
    }


def _number(value: float):
    return int(value) if float(value).is_integer() else value


class OutputCheck:
    """The checks of one output: its loss, final activation, width and labels."""

    def __init__(self, model, index, loss, output, y_batch, y_all, metric_specs):
        self.loss = loss
        self.name = getattr(loss, "fn_name", None)
        self.from_logits = bool(getattr(loss, "from_logits", False))
        self.out = tuple(output.shape[1:])
        self.units = self.out[-1] if self.out else 1
        self.y = tuple(y_batch.shape[1:])
        self.batch = int(y_batch.shape[0]) if y_batch.dim() else 1
        self.stats = label_stats(y_all if torch.is_tensor(y_all) else y_batch)
        self.activation = _activation_of(model, index)
        if self.activation in (None, "linear") and self.units > 1 and _sums_to_one(output):
            self.activation = "softmax"
        self.metric_specs = metric_specs
        self.out_label = f"(None, {', '.join(str(d) for d in self.out)})"
        self.y_label = f"(None, {', '.join(str(d) for d in self.y)})" if self.y else "(None,)"

    def run(self) -> None:
        self._check_softmax_width()
        self._check_logits()
        if self.name == _SPARSE:
            self._check_sparse()
        elif self.name in _SAME_SHAPE:
            self._check_same_shape()
        self._check_output_range()
        self._check_accuracy()

    # each check raises or warns with its own message

    def _check_softmax_width(self) -> None:
        if self.activation == "softmax" and self.units == 1:
            warn(
                "The last layer applies softmax to 1 unit, so it always outputs 1.0 and the "
                "model cannot learn.",
                "softmax over one unit per class, or sigmoid for a single yes/no output.",
                "for two classes use Dense(1, activation='sigmoid') with "
                "loss='binary_crossentropy'; for n classes Dense(n, activation='softmax').",
            )
        if self.name == _BINARY and self.activation == "softmax" and self.units > 1:
            if self.stats["one_hot"]:
                labels = "your labels are one-hot, so use loss='categorical_crossentropy'"
            elif self.stats["integral"] and len(self.y) < len(self.out):
                labels = "your labels are class ids, so use loss='sparse_categorical_crossentropy'"
            else:
                labels = (
                    "use loss='categorical_crossentropy' for one-hot labels or "
                    "loss='sparse_categorical_crossentropy' for integer labels"
                )
            warn(
                f"loss='binary_crossentropy' with a softmax over {self.units} units: each unit "
                "is scored as a separate yes/no, so loss and accuracy look far better than "
                "the model is.",
                "binary_crossentropy for one sigmoid unit (or independent sigmoid labels).",
                f"{labels}.",
            )

    def _check_logits(self) -> None:
        if not self.from_logits or self.activation not in ("softmax", "sigmoid"):
            return
        warn(
            f"loss={self.name!r} has from_logits=True, but the last layer already applies "
            f"{self.activation}: the loss applies it a second time and learns slowly.",
            "from_logits=True only for a last layer without activation (raw scores).",
            f"drop from_logits=True, or remove activation='{self.activation}' from the last layer.",
        )

    def _check_sparse(self) -> None:
        if len(self.y) == len(self.out) and self.y[-1:] != (1,):  # one value per class
            raise LayerfitValueError(
                explain(
                    f"loss='sparse_categorical_crossentropy' got labels of shape {self.y_label}, "
                    f"which look one-hot, for outputs of shape {self.out_label}.",
                    "integer class ids 0..n-1, one per sample: labels of shape (None,).",
                    "use loss='categorical_crossentropy' for one-hot labels, or turn them "
                    "back into class ids: y = y.argmax(axis=-1).",
                )
            )
        if self.y not in (self.out[:-1], self.out[:-1] + (1,)):
            self._raise_shape_mismatch()
        if getattr(self.loss, "ignore_class", None) is not None:
            return
        low, high = self.stats["min"], self.stats["max"]
        if low >= 0 and high < self.units:
            return
        if low >= 1 and high == self.units:
            fix = "the labels look 1-based: subtract 1 (y = y - 1) so classes are 0..n-1."
        elif low < 0:
            fix = (
                "map the labels to class ids 0..n-1: "
                "classes, y = np.unique(y, return_inverse=True)."
            )
        elif self.units == 1:
            fix = (
                "for two classes use Dense(1, activation='sigmoid') with "
                f"loss='binary_crossentropy', or Dense({_number(high) + 1}, "
                "activation='softmax')."
            )
        else:
            fix = (
                f"give the last layer one unit per class: Dense({_number(high) + 1}, "
                "activation='softmax')."
            )
        raise LayerfitValueError(
            explain(
                f"The labels go from {_number(low)} to {_number(high)}, but the last layer has "
                f"{self.units} unit{'s' if self.units != 1 else ''} (classes 0 to "
                f"{self.units - 1}).",
                f"class ids in [0, {self.units}).",
                fix,
            )
        )

    def _check_same_shape(self) -> None:
        if self.y in (self.out, self.out + (1,)) or self.y + (1,) == self.out:
            self._check_binary_labels()
            return
        categorical = self.name == _CATEGORICAL
        if categorical and self.units > 1 and self.y in (self.out[:-1], self.out[:-1] + (1,)):
            raise LayerfitValueError(
                explain(
                    f"loss='categorical_crossentropy' got labels of shape {self.y_label}, which "
                    f"look like integer class ids, for outputs of shape {self.out_label}.",
                    f"one-hot labels of shape (None, {self.units}).",
                    "use loss='sparse_categorical_crossentropy' for integer labels, or one-hot "
                    f"them: y = keras.utils.to_categorical(y, num_classes={self.units}).",
                )
            )
        if self.name not in (_BINARY, _CATEGORICAL) and self._keras_broadcasts():
            # Legal in Keras, which broadcasts; usually a mistake, so say so and go on.
            warn(
                f"The model outputs shape {self.out_label} but the labels have shape "
                f"{self.y_label} (loss={self.name!r}): as in Keras, the loss broadcasts them, "
                "comparing each label with every output value, which is rarely what was meant.",
                f"labels of shape {self.out_label} for this output.",
                f"reshape y to {self.out_label}, or change the last layer to match y.",
            )
            return
        self._raise_shape_mismatch()

    def _keras_broadcasts(self) -> bool:
        """Whether Keras computes this loss: its squeeze-or-expand, then numpy broadcasting,
        on the batch shapes (so it can depend on the batch size, as in Keras)."""
        true, pred = (self.batch, *self.y), (self.batch, *self.out)
        if len(true) == len(pred) + 1 and true[-1] == 1:
            true = true[:-1]
        elif len(pred) == len(true) + 1 and pred[-1] == 1:
            pred = pred[:-1]
        try:
            torch.broadcast_shapes(true, pred)
        except RuntimeError:
            return False
        return True

    def _check_binary_labels(self) -> None:
        low, high = self.stats["min"], self.stats["max"]
        if self.name != _BINARY or (low >= 0 and high <= 1):
            return
        classes = _number(high) + 1
        raise LayerfitValueError(
            explain(
                f"loss='binary_crossentropy' got labels from {_number(low)} to {_number(high)}.",
                "labels in [0, 1]: 0 or 1 for each yes/no output.",
                (
                    f"for {classes} classes use Dense({classes}, activation='softmax') with "
                    "loss='sparse_categorical_crossentropy'; "
                    if self.stats["integral"]
                    else ""
                )
                + "for two classes map them to 0 and 1 (e.g. y = (y == positive_class)).",
            )
        )

    def _raise_shape_mismatch(self) -> None:
        sparse = self.name == _SPARSE
        label_rank = len(self.y) + (1 if sparse else 0)
        expected = (
            f"labels of shape (None, {', '.join(str(d) for d in self.out[:-1])})"
            if sparse
            else f"labels of shape {self.out_label}"
        ) + " for this output."
        if len(self.out) > 1 and len(self.out) > label_rank:
            expected = "one output row per sample, e.g. (None, n_classes)."
            fix = (
                "the inputs reached Dense without being flattened: add Flatten() before the "
                "first Dense layer (or reshape x to (n_samples, features))."
            )
        elif self.y and self.out and len(self.y) == len(self.out):
            width = self.y[-1]
            fix = (
                f"make the last layer Dense({width}) to give {width} values per sample, "
                f"or check y: the model gives {self.units}."
            )
            if self.stats["one_hot"] or self.name == _CATEGORICAL:
                fix = (
                    f"for {width} one-hot classes make the last layer Dense({width}, "
                    "activation='softmax') with loss='categorical_crossentropy'; if there "
                    f"are {self.units} classes, one-hot with "
                    f"keras.utils.to_categorical(y, num_classes={self.units})."
                )
        else:
            fix = f"reshape y to {self.out_label}, or change the last layer to match y."
        raise LayerfitValueError(
            explain(
                f"The model outputs shape {self.out_label} but the labels have shape "
                f"{self.y_label} (loss={self.name!r}).",
                expected,
                fix,
            )
        )

    def _check_output_range(self) -> None:
        bounds = _OUTPUT_RANGES.get(self.activation)
        if self.name not in _REGRESSION or bounds is None:
            return
        low, high = self.stats["min"], self.stats["max"]
        if bounds[0] <= low and high <= bounds[1]:
            return
        warn(
            f"The last layer's {self.activation} outputs lie in [{bounds[0]:g}, {bounds[1]:g}], "
            f"but the targets go from {low:g} to {high:g}: the model can never reach them.",
            "a last layer whose outputs can cover the targets.",
            "for regression leave the last layer linear: Dense(1) with no activation; or "
            "scale y into the activation's range (and scale predictions back).",
        )

    def _check_accuracy(self) -> None:
        if not any(isinstance(s, str) and s.lower() in _ACCURACY for s in self.metric_specs):
            return
        regression = self.name in _REGRESSION and not self.stats["binary"]
        continuous = not self.stats["integral"] and self.name not in (_BINARY, _CATEGORICAL)
        if not (regression or continuous):
            return
        warn(
            f"metrics=['accuracy'] on continuous targets (from {self.stats['min']:g} to "
            f"{self.stats['max']:g}, loss={self.name!r}): accuracy counts exact class matches, "
            "so it stays near 0 however good the model is.",
            "accuracy for classification; an error metric for regression.",
            "use metrics=['mae'] (mean absolute error) for regression.",
        )


def _sums_to_one(output: torch.Tensor) -> bool:
    rows = output.reshape(-1, output.shape[-1]).double()
    in_range = bool(((rows >= 0) & (rows <= 1)).all())
    return in_range and bool(
        torch.allclose(
            rows.sum(-1), torch.ones(len(rows), dtype=rows.dtype, device=rows.device), atol=1e-4
        )
    )
