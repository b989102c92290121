"""The per-batch steps (train, test, predict) and the on-device running loss.

Nothing here reads a value back to the host per batch: the loss goes into a device buffer
and metrics accumulate on the device; ``logs()`` converts them when something reads them.
"""

from __future__ import annotations

import torch

from layerfit import activations
from layerfit._tree import flatten
from layerfit.errors import LayerfitValueError, explain
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


def detached(y_pred: list) -> list:
    """Predictions outside autograd, keeping their masks (``_keras_mask``) for the metrics."""
    result = []
    for prediction in y_pred:
        value = prediction.detach()
        mask = getattr(prediction, "_keras_mask", None)
        if mask is not None:
            value._keras_mask = mask
        result.append(value)
    return result


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
        self.regularized = False  # whether any layer adds a weight penalty; set at first batch

    # -- set-up on the first batch --------------------------------------------------------

    def first_batch(self, x, y) -> None:
        """Builds the model and metrics from real shapes and picks the fused-logits path."""
        model, compiled = self.model, self.compiled
        with torch.no_grad():
            was_training = model.training
            model.eval()
            raw = model(x)
            self.regularized = model.regularized
            model.train(was_training)
        self._sync_optimizer()  # a subclassed model may create layers on its first call
        if len(compiled.output_names) > 1 or isinstance(y, dict) or isinstance(raw, dict):
            # Several outputs take their own steps, so the single-output ones stay as lean.
            self.train_step, self.test_step = self._train_step_multi, self._test_step_multi
            targets, y_pred = self._targets(y), self._predictions(raw)
            self._check_targets(targets, y)
            compiled.build_metrics(targets, y_pred)
            self.metrics_built = True
            return
        y_pred = as_list(raw)
        compiled.build_metrics(as_list(y), y_pred)
        masked = any(getattr(p, "_keras_mask", None) is not None for p in y_pred)
        # A masked output keeps the plain path, where the loss reads the mask off the output.
        split = model.final_activation_split() if len(compiled.losses) == 1 and not masked else None
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
        if self.regularized:
            loss = loss + sum(model.losses)
        loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        self.loss_record.add(loss, batch_size_of(x))
        if y_pred is not None:
            compiled.update_metrics(targets, detached(y_pred), sample_weight)

    @torch.no_grad()
    def test_step(self, x, y, sample_weight) -> None:
        targets = as_list(y)
        y_pred = as_list(self.model(x, training=False))
        loss, _ = self.compiled.compute_loss(targets, y_pred, sample_weight)
        if self.regularized:
            loss = loss + sum(self.model.losses)
        self.loss_record.add(loss, batch_size_of(x))
        self.compiled.update_metrics(targets, y_pred, sample_weight)

    # -- several outputs: targets and predictions as lists in output order --------------------

    def _sync_optimizer(self) -> None:
        params = [p for p in self.model.parameters() if p.requires_grad]
        ids = [id(p) for p in params]
        if self.optimizer is not None and getattr(self.optimizer, "_built_for", None) != ids:
            self.optimizer.build(params)
            self.optimizer._built_for = ids

    def _targets(self, y) -> list:
        if isinstance(y, dict):
            return [y.get(name) for name in self.compiled.output_names]
        return list(y) if isinstance(y, (list, tuple)) else [y]

    def _predictions(self, y_pred) -> list:
        if isinstance(y_pred, dict):
            return [y_pred[name] for name in self.compiled.output_names]
        return list(y_pred) if isinstance(y_pred, (list, tuple)) else [y_pred]

    def _check_targets(self, targets: list, y) -> None:
        names = self.compiled.output_names
        needed = [name for name, loss in zip(names, self.compiled.losses) if loss is not None]
        given = [name for name, target in zip(names, targets) if target is not None]
        if len(targets) != len(names) or not set(needed) <= set(given):
            received = list(y) if isinstance(y, dict) else f"{len(targets)} array(s)"
            raise LayerfitValueError(
                explain(
                    f"The model has {len(names)} outputs {names} but y holds {received}.",
                    "one target array per output with a loss: a list in output order, or a "
                    "dict keyed by output name.",
                    f"model.fit(x, {{{', '.join(f'{n!r}: y_{i}' for i, n in enumerate(names))}}})",
                )
            )

    def _train_step_multi(self, x, y, sample_weight) -> None:
        model, compiled = self.model, self.compiled
        targets = self._targets(y)
        y_pred = self._predictions(model(x, training=True))
        loss, per_output = compiled.compute_loss(targets, y_pred, sample_weight)
        if self.regularized:
            loss = loss + sum(model.losses)
        loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        size = batch_size_of(x)
        self.loss_record.add(loss, size)
        compiled.update_loss_trackers(per_output, size)
        compiled.update_metrics(targets, detached(y_pred), sample_weight)

    @torch.no_grad()
    def _test_step_multi(self, x, y, sample_weight) -> None:
        targets = self._targets(y)
        y_pred = self._predictions(self.model(x, training=False))
        loss, per_output = self.compiled.compute_loss(targets, y_pred, sample_weight)
        if self.regularized:
            loss = loss + sum(self.model.losses)
        size = batch_size_of(x)
        self.loss_record.add(loss, size)
        self.compiled.update_loss_trackers(per_output, size)
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
