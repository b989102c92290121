"""The per-batch steps (train, test, predict) and the on-device running loss.

Nothing here reads a value back to the host per batch: the loss goes into a device buffer
and metrics accumulate on the device; ``logs()`` converts them when something reads them.
"""

from __future__ import annotations

import torch

from layerfit import activations
from layerfit._tree import flatten
from layerfit.training._compile import can_fuse


class LossRecord:
    """Per-batch losses in a device buffer; the epoch loss is their batch-size-weighted mean."""

    def __init__(self):
        self.buffer: torch.Tensor | None = None
        self.sizes: list[int] = []

    def reset(self) -> None:
        self.sizes = []

    def add(self, loss: torch.Tensor, batch_size: int) -> None:
        step = len(self.sizes)
        if self.buffer is None or step >= self.buffer.numel() or self.buffer.device != loss.device:
            grown = torch.empty(max(64, 2 * step), device=loss.device)
            if self.buffer is not None and step:
                grown[:step] = self.buffer[:step].to(loss.device)
            self.buffer = grown
        self.buffer[step] = loss.detach()
        self.sizes.append(batch_size)

    def mean(self) -> torch.Tensor:
        steps = len(self.sizes)
        weights = torch.tensor(self.sizes, dtype=self.buffer.dtype, device=self.buffer.device)
        return (self.buffer[:steps] * weights).sum() / weights.sum()

    def first_nonfinite(self) -> int | None:
        steps = len(self.sizes)
        if not steps:
            return None
        bad = torch.nonzero(~torch.isfinite(self.buffer[:steps]))
        return int(bad[0, 0]) if bad.numel() else None


def as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def batch_size_of(x) -> int:
    return int(flatten(x)[0].shape[0])


class StepRunner:
    """Runs one model's train/test/predict steps with its compiled loss, metrics, optimizer."""

    def __init__(self, model):
        self.model = model
        self.compiled = model.compiled
        self.optimizer = model.optimizer
        self.loss_record = LossRecord()
        self.logits_fn = None
        self.final_activation = None
        self.metrics_built = False

    # -- set-up on the first batch --------------------------------------------------------

    def first_batch(self, x, y) -> None:
        """Builds the model and metrics from real shapes and picks the fused-logits path."""
        model, compiled = self.model, self.compiled
        with torch.no_grad():
            was_training = model.training
            model.eval()
            y_pred = as_list(model(x))
            model.train(was_training)
        compiled.build_metrics(as_list(y), y_pred)
        split = model.final_activation_split() if len(compiled.losses) == 1 else None
        if split is not None and can_fuse(split[1], compiled.losses[0]):
            self.logits_fn, name = split
            self.final_activation = activations.get(name)
            compiled.fused_activation = name
        self.metrics_built = True

    # -- steps ------------------------------------------------------------------------------

    def train_step(self, x, y, sample_weight) -> None:
        model, compiled = self.model, self.compiled
        targets = as_list(y)
        if self.logits_fn is not None:
            logits = self.logits_fn(x, training=True)
            loss, _ = compiled.compute_loss(targets, None, sample_weight, logits=logits)
            y_pred = [self.final_activation(logits.detach())] if compiled.metrics[0] else None
        else:
            y_pred = as_list(model(x, training=True))
            loss, _ = compiled.compute_loss(targets, y_pred, sample_weight)
        if model.regularized:
            loss = loss + sum(model.losses)
        loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        self.loss_record.add(loss, batch_size_of(x))
        if y_pred is not None:
            compiled.update_metrics(targets, [p.detach() for p in y_pred], sample_weight)

    @torch.no_grad()
    def test_step(self, x, y, sample_weight) -> None:
        targets = as_list(y)
        y_pred = as_list(self.model(x, training=False))
        loss, _ = self.compiled.compute_loss(targets, y_pred, sample_weight)
        if self.model.regularized:
            loss = loss + sum(self.model.losses)
        self.loss_record.add(loss, batch_size_of(x))
        self.compiled.update_metrics(targets, y_pred, sample_weight)

    # -- logs ---------------------------------------------------------------------------------

    def reset(self) -> None:
        self.loss_record.reset()
        self.compiled.reset_metrics()

    def logs(self) -> dict[str, float]:
        """Current epoch values as Python floats, sorted by name as Keras 3 logs them."""
        values = {}
        if self.loss_record.sizes:
            values["loss"] = float(self.loss_record.mean())
        for metric in self.compiled.all_metrics():
            values[metric.name] = float(metric.result())
        return dict(sorted(values.items()))
