"""What ``compile`` sets up: the loss per output, the metrics, and the fused logits fast path.

Every name is resolved here, at compile time; only the variant of 'accuracy' waits for the
first batch, because it depends on the label shape, as in Keras.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerfit import _compat
from layerfit import losses as losses_module
from layerfit import metrics as metrics_module
from layerfit.errors import LayerfitValueError, explain

_ACCURACY_NAMES = ("accuracy", "acc")


def _per_output(value, output_names: list[str], argument: str) -> list:
    """Spreads a single value, list or dict over the model's outputs."""
    if isinstance(value, dict):
        unknown = [key for key in value if key not in output_names]
        if unknown:
            raise LayerfitValueError(
                explain(
                    f"compile({argument}=...) names outputs {unknown} that the model does not have.",
                    f"keys among the output names {output_names}.",
                    "use the names of the output layers (model.output_names).",
                )
            )
        return [value.get(name) for name in output_names]
    if isinstance(value, (list, tuple)) and len(output_names) > 1:
        if len(value) != len(output_names):
            raise LayerfitValueError(
                explain(
                    f"compile({argument}=...) got {len(value)} entries for "
                    f"{len(output_names)} outputs {output_names}.",
                    "one entry per output, or a dict keyed by output name.",
                )
            )
        return list(value)
    if isinstance(value, (list, tuple)) and len(value) == 1 and len(output_names) == 1:
        return [value[0]]  # loss=['mse'] for a single output
    return [value] * len(output_names)


def _copied(value):
    """A copy of nested lists, tuples and dicts; the objects inside stay shared."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copied(item) for item in value)
    return value


class Compiled:
    """The resolved loss, loss weights and metrics of a compiled model."""

    def __init__(
        self, loss, metrics, loss_weights, weighted_metrics, output_names: list[str], named=True
    ):
        # Copies of the caller's lists and dicts: appending to them later must not change
        # what was compiled (or the saved compile config).
        loss, metrics, loss_weights, weighted_metrics = map(
            _copied, (loss, metrics, loss_weights, weighted_metrics)
        )
        self.output_names = list(output_names)
        # A subclassed model's outputs have no names: Keras then names the logs after the
        # losses ('mse_loss') and metrics ('mae', 'mae_1') instead of '<output>_...'.
        self.named = named
        self.raw = dict(
            loss=loss, metrics=metrics, loss_weights=loss_weights, weighted_metrics=weighted_metrics
        )
        self.losses = [
            None if item is None else losses_module.as_loss(item)
            for item in _per_output(loss, self.output_names, "loss")
        ]
        weights = _per_output(loss_weights, self.output_names, "loss_weights")
        self.loss_weights = [1.0 if w is None else float(w) for w in weights]
        self.metric_specs = [
            self._check_metric_names(spec)
            for spec in _per_output_metrics(metrics, self.output_names)
        ]
        self.weighted_specs = [
            self._check_metric_names(spec)
            for spec in _per_output_metrics(weighted_metrics, self.output_names, "weighted_metrics")
        ]
        self.metrics: list[list] | None = None  # built at the first batch
        self.loss_trackers: list = []  # '<output>_loss' means, when several outputs have losses

    @staticmethod
    def _check_metric_names(specs: list) -> list:
        for spec in specs:
            if isinstance(spec, str) and spec.lower() not in _ACCURACY_NAMES:
                metrics_module.get(spec)  # raises the "did you mean" error now
        return specs

    @property
    def has_loss(self) -> bool:
        return any(loss is not None for loss in self.losses)

    def build_metrics(self, y_true: list, y_pred: list) -> None:
        """Resolves 'accuracy' by the first batch's shapes and makes the metric objects."""
        self.metrics = []
        for index, (specs, weighted) in enumerate(zip(self.metric_specs, self.weighted_specs)):
            built = []
            for spec, is_weighted in [(s, False) for s in specs] + [(s, True) for s in weighted]:
                # Keras's compile lookup: 'accuracy' by shapes, names kept as typed ('mae').
                metric = metrics_module.resolve(
                    spec, tuple(y_true[index].shape), tuple(y_pred[index].shape)
                )
                if is_weighted and not metric.name.startswith("weighted_"):
                    metric.name = f"weighted_{metric.name}"
                if len(self.output_names) > 1 and self.named:
                    metric.name = f"{self.output_names[index]}_{metric.name}"
                metric.is_weighted = is_weighted
                built.append(metric)
            self.metrics.append(built)
        if not self.named:
            self._unique_metric_names()
        with_loss = [name for name, loss in zip(self.output_names, self.losses) if loss is not None]
        self.loss_trackers = (
            [metrics_module.Mean(name=f"{name}_loss") for name in self._loss_log_names(with_loss)]
            if len(with_loss) > 1
            else []
        )

    def _loss_log_names(self, with_loss: list[str]) -> list[str]:
        if self.named:
            return with_loss
        specs = _per_output(self.raw["loss"], self.output_names, "loss")
        names = [
            spec if isinstance(spec, str) else getattr(loss, "name", "loss")
            for spec, loss in zip(specs, self.losses)
            if loss is not None
        ]
        return _unique(names)

    def _unique_metric_names(self) -> None:
        seen: set[str] = set()
        for metric in (m for group in self.metrics or [] for m in group):
            base, suffix = metric.name, 0
            while metric.name in seen:
                suffix += 1
                metric.name = f"{base}_{suffix}"
            seen.add(metric.name)

    def all_metrics(self) -> list:
        """Per-output loss means, then the metrics (by name when there are several outputs).

        This is the order of ``evaluate()``'s list, as Keras 3 returns it.
        """
        metrics = [m for group in (self.metrics or []) for m in group]
        if len(self.output_names) > 1:
            metrics.sort(key=lambda metric: metric.name)
        return self.loss_trackers + metrics

    @torch.no_grad()
    def update_loss_trackers(self, per_output: list, batch_size: int) -> None:
        """Records each output's unweighted loss, as Keras's '<output>_loss' logs."""
        for tracker, value in zip(self.loss_trackers, per_output):
            tracker.update_state(value.detach(), sample_weight=batch_size)

    def reset_metrics(self) -> None:
        for metric in self.all_metrics():
            metric.reset_state()

    def compute_loss(self, y_true: list, y_pred: list, sample_weight, logits=None, fused=None):
        """The weighted sum of per-output losses (a 0-d tensor) and each output's loss.

        With ``logits``, the first output's loss runs on them fused with its final activation
        ``fused`` ('softmax' or 'sigmoid'), as one stable op.
        """
        per_output = []
        total = None
        for index, loss in enumerate(self.losses):
            if loss is None:
                continue
            if logits is not None and index == 0:
                value = fused_loss(fused, loss, y_true[0], logits, sample_weight)
            else:
                value = loss(y_true[index], y_pred[index], sample_weight=sample_weight)
            per_output.append(value)
            weighted = value * self.loss_weights[index] if self.loss_weights[index] != 1 else value
            total = weighted if total is None else total + weighted
        if total is None:  # compile() without a loss: the layers' add_loss() terms train alone
            device = next((p.device for p in y_pred or [] if torch.is_tensor(p)), None)
            total = torch.zeros((), device=device)
        return total, per_output

    @torch.no_grad()
    def update_metrics(self, y_true: list, y_pred: list, sample_weight) -> None:
        for index, group in enumerate(self.metrics or []):
            for metric in group:
                weight = sample_weight if metric.is_weighted else None
                metric.update_state(y_true[index], y_pred[index], sample_weight=weight)


def _per_output_metrics(metrics, output_names: list[str], argument: str = "metrics") -> list[list]:
    if metrics is None:
        return [[] for _ in output_names]
    if isinstance(metrics, str) or callable(metrics) and not isinstance(metrics, (list, dict)):
        metrics = _compat.metrics_as_list(metrics, argument)  # Keras 2 accepted 'accuracy'
    if isinstance(metrics, dict):
        return [_as_list(group) for group in _per_output(metrics, output_names, "metrics")]
    if len(output_names) > 1 and len(metrics) == len(output_names):
        # Keras 3: one entry (a metric or a list of metrics) per output, in output order.
        return [_as_list(group) for group in metrics]
    if len(output_names) > 1 and any(isinstance(m, (list, tuple)) for m in metrics):
        raise LayerfitValueError(
            explain(
                f"compile({argument}=...) got {len(metrics)} entries for {len(output_names)} "
                f"outputs {output_names}.",
                "one entry (a metric or a list of metrics) per output, or a dict keyed by "
                "output name.",
                f"{argument}={{{output_names[0]!r}: ['accuracy'], {output_names[1]!r}: ['mae']}}",
            )
        )
    # Keras 2 gave a flat list to every output; Keras 3 rejects it (see DECISIONS.md).
    return [list(metrics) for _ in output_names] if len(output_names) > 1 else [list(metrics)]


def _unique(names: list[str]) -> list[str]:
    result: list[str] = []
    for name in names:
        candidate, suffix = name, 0
        while candidate in result:
            suffix += 1
            candidate = f"{name}_{suffix}"
        result.append(candidate)
    return result


def implied_output_count(loss, metrics, loss_weights) -> int:
    """How many outputs compile()'s lists describe, for a model whose outputs are not known
    before its first call (a subclassed model returning a tuple)."""
    for value in (loss, loss_weights):
        if isinstance(value, (list, tuple)) and len(value) > 1:
            return len(value)
    if (
        isinstance(metrics, (list, tuple))
        and len(metrics) > 1
        and all(item is None or isinstance(item, (list, tuple)) for item in metrics)
    ):
        return len(metrics)
    return 1


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


# -- fused logits: softmax/sigmoid + cross-entropy in one stable op -------------------------

_FUSABLE = {
    "softmax": ("categorical_crossentropy", "sparse_categorical_crossentropy"),
    "sigmoid": ("binary_crossentropy",),
}


def can_fuse(activation_name: str | None, loss) -> bool:
    """Whether the final activation and the loss can run as one op on logits."""
    if not isinstance(activation_name, str) or activation_name not in _FUSABLE or loss is None:
        return False
    return (
        getattr(loss, "fn_name", None) in _FUSABLE[activation_name]
        and not getattr(loss, "from_logits", False)
        and not getattr(loss, "label_smoothing", 0)
        and getattr(loss, "reduction", "sum_over_batch_size") == "sum_over_batch_size"
        and getattr(loss, "axis", -1) == -1
        and getattr(loss, "ignore_class", None) is None
    )


def fused_loss(activation: str, loss, y_true, logits, sample_weight):
    name = loss.fn_name
    if name == "sparse_categorical_crossentropy":
        labels = y_true.reshape(-1) if y_true.dim() == logits.dim() else y_true
        per_sample = F.cross_entropy(logits, labels.long(), reduction="none")
    elif name == "categorical_crossentropy":
        per_sample = -(y_true * F.log_softmax(logits, dim=-1)).sum(dim=-1)
    else:
        target = y_true.reshape(logits.shape) if y_true.numel() == logits.numel() else y_true
        per_sample = F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(-1)
    if sample_weight is None:
        return per_sample.mean()
    return (per_sample * sample_weight.reshape(per_sample.shape)).sum() / per_sample.shape[0]
