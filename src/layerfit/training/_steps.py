"""The steps: what one batch does in fit (train), evaluate (test) and predict.

``run_batches`` needs four things of a step: ``call(x, y, sample_weight)`` for each batch,
``reset()`` at the start of an epoch, ``logs()`` when something reads them and ``stopping()``
after each training batch (``model.stop_training``, agreed over processes). The built-in
train and test steps are ``StepRunner``'s; a model that overrides ``train_step``,
``test_step`` or ``predict_step`` gets a ``ModelStep`` that calls its method instead.

Nothing here reads a value back to the host per batch: the loss goes into a device buffer
and metrics accumulate on the device; ``logs()`` converts them when something reads them.
"""

from __future__ import annotations

import inspect

import numpy as np
import torch

from layerfit import activations
from layerfit._tree import flatten
from layerfit.backend import distributed
from layerfit.backend._buckets import GradientBuckets
from layerfit.errors import LayerfitError, LayerfitRuntimeError, LayerfitValueError, explain
from layerfit.training._compile import can_fuse
from layerfit.training._dense_step import DenseStackStep
from layerfit.training._output_checks import per_output, probe_outputs
from layerfit.utils import pack_x_y_sample_weight


def log_value(result):
    """A metric's result as logged: a float, or (F1Score(average=None), ...) a numpy array."""
    if isinstance(result, torch.Tensor) and result.numel() != 1:
        return result.detach().cpu().numpy()
    return float(result)


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

    def totals(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(sum of batch losses times batch sizes, number of samples): what processes sum."""
        steps = len(self.sizes)
        if not steps:
            return torch.zeros(()), torch.zeros(())
        weights = torch.tensor(self.sizes, dtype=torch.float64, device=self.buffer.device)
        return (self.buffer[:steps].double() * weights).sum(), weights.sum()

    def mean(self) -> torch.Tensor:
        steps = len(self.sizes)
        weights = torch.tensor(self.sizes, dtype=self.buffer.dtype, device=self.buffer.device)
        return (self.buffer[:steps] * weights).sum() / weights.sum()

    def first_nonfinite(self) -> tuple[int, float] | None:
        """(batch index, value) of the first NaN or inf loss of the epoch, or None."""
        steps = len(self.sizes)
        if not steps:
            return None
        bad = torch.nonzero(~torch.isfinite(self.buffer[:steps]))
        if not bad.numel():
            return None
        index = int(bad[0, 0])
        return index, float(self.buffer[index])


def batch_size_of(x) -> int:
    return int(flatten(x)[0].shape[0])


class StepRunner:
    """The built-in train and test steps of one compiled model (made by ``Model.compile``).

    ``setup`` runs once, on the probe's outputs: it builds the metrics and picks the fused
    logits path, a choice the runner keeps to itself. Single and multiple outputs take the
    same step: targets and predictions are lists in output order.
    """

    def __init__(self, model):
        self.model = model
        self.compiled = model.compiled
        self.loss_record = LossRecord()
        self.ready = False  # set by setup()
        self.logits_fn = None  # the model up to its final softmax/sigmoid, when fused
        self.fused_activation: str | None = None
        self.final_activation = None
        self.regularized = False  # whether any layer adds a weight penalty or add_loss term
        self.trainable = True  # False: no weight to update, the step only measures
        self.forward_loss = self._forward_loss  # or its torch.compile'd twin (jit_compile=True)
        # A subclass's own compute_loss (Keras's built-in steps call it, e.g. a distiller).
        own = getattr(type(model), "compute_loss", None)
        self.own_loss = own is not None and own.__module__ != "layerfit.models._model"
        self.dense_step: DenseStackStep | None = None  # the hand-derived step, where it applies
        self.buckets: GradientBuckets | None = None  # over several processes (apply_gradients)
        self.agreed_stop = False  # over several processes: every process agreed to stop

    # -- set-up, once ---------------------------------------------------------------------------

    def setup(self, y, outputs: list) -> None:
        """Builds the metrics from the first batch's labels and the probe's outputs."""
        model, compiled = self.model, self.compiled
        targets = per_output(y, compiled.output_names)
        several = len(compiled.output_names) > 1 or isinstance(y, dict)
        if several:
            self._check_targets(targets, y)
        compiled.build_metrics(targets, outputs)
        self.regularized = model.regularized
        # A masked output keeps the plain path, where the loss reads the mask off the output.
        masked = any(getattr(p, "_keras_mask", None) is not None for p in outputs or [])
        # A mixed-precision layer computes under its own autocast, which the fused path skips.
        mixed = any(getattr(m, "_autocast", None) is not None for m in model.modules())
        split = None if several or masked or mixed else model.final_activation_split()
        if split is not None and can_fuse(split[1], compiled.losses[0]):
            self.logits_fn, self.fused_activation = split
            self.final_activation = activations.get(self.fused_activation)
        # A weight penalty or add_loss term is read off the layers after the forward; that
        # step stays eager rather than trust a traced side effect.
        if getattr(model, "jit_compile", False) is True and not self.regularized:
            self.forward_loss = CompiledOrEager(self._forward_loss)
        self.ready = True
        self.choose_dense_step()

    def choose_dense_step(self) -> None:
        """Picks the hand-derived Dense-stack step when the model is one (``_dense_step.py``);
        again at each fit, since layers may have been frozen or given constraints since."""
        compiled = self.compiled
        self.dense_step = None
        if self.logits_fn is None or self.regularized or compiled.loss_weights[0] != 1:
            return
        self.dense_step = DenseStackStep.plan(self.model, self.fused_activation, compiled.losses[0])

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

    # -- steps ------------------------------------------------------------------------------

    def train_step(self, x, y, sample_weight) -> None:
        model, compiled = self.model, self.compiled
        size = batch_size_of(x)
        if not size:  # this process's part of a last batch smaller than the process count
            if self.trainable:
                self.apply_gradients(None, 0)  # still meets the others' gradient all-reduce
            return
        targets = per_output(y, compiled.output_names)
        if self.own_loss:
            self._own_loss_step(x, y, targets, sample_weight, size)
            return
        dense = self.dense_step
        if (
            dense is not None
            and self.trainable
            and dense.applies(model, x, targets[0], sample_weight)
        ):
            loss, probabilities = dense(x, targets[0], sample_weight)  # sets each weight's .grad
            optimizer = model.optimizer
            optimizer.step()
            optimizer.zero_grad()
            y_pred = [probabilities] if compiled.metrics[0] else None
            self._record(x, loss, [loss], targets, y_pred, sample_weight)
            return
        loss, per_loss, y_pred = self.forward_loss(x, targets, sample_weight)
        if self.logits_fn is not None:
            y_pred = [self.final_activation(y_pred.detach())] if compiled.metrics[0] else None
        # An output mask (padded timesteps) would reach compute_loss here, with sample_weight.
        if self.regularized:
            loss = loss + sum(model.losses)
        if self.trainable:
            self.apply_gradients(loss, size)
        self._record(x, loss, per_loss, targets, y_pred, sample_weight)

    def _own_loss_step(self, x, y, targets: list, sample_weight, size: int) -> None:
        """A model that overrides ``compute_loss`` (Keras's distiller): its loss, as Keras's
        built-in step calls it, with its own add_loss terms up to it."""
        raw = self.model(x, training=True)
        loss = self.own_compute_loss(x, y, raw, sample_weight, training=True)
        if self.trainable:
            self.apply_gradients(loss, size)
        outputs = per_output(raw, self.compiled.output_names)
        self._record(x, loss.detach(), [loss.detach()], targets, outputs, sample_weight)

    def own_compute_loss(self, x, y, y_pred, sample_weight, training: bool):
        method = self.model.compute_loss
        try:
            takes_training = "training" in inspect.signature(method).parameters
        except (TypeError, ValueError):
            takes_training = False
        arguments = {"x": x, "y": y, "y_pred": y_pred, "sample_weight": sample_weight}
        if takes_training:
            arguments["training"] = training
        loss = method(**arguments)
        return loss if torch.is_tensor(loss) else torch.as_tensor(loss, dtype=torch.float32)

    def _forward_loss(self, x, targets: list, sample_weight):
        """The forward and the loss: (loss, per-output losses, predictions or the logits)."""
        compiled = self.compiled
        if self.logits_fn is not None:  # softmax/sigmoid + cross-entropy as one stable op
            logits = self.logits_fn(x, training=True)
            loss, per_loss = compiled.compute_loss(
                targets, None, sample_weight, logits=logits, fused=self.fused_activation
            )
            return loss, per_loss, logits
        y_pred = per_output(self.model(x, training=True), compiled.output_names)
        loss, per_loss = compiled.compute_loss(targets, y_pred, sample_weight)
        return loss, per_loss, y_pred

    def apply_gradients(self, loss: torch.Tensor | None, samples: int) -> None:
        """Backward, one optimizer update, gradients cleared.

        The one place a data-parallel gradient reduction or a loss scaler goes: over several
        processes the gradients are summed in buckets while backward runs
        (``backend/_buckets.py``) and become the global batch's (each process's weighted by
        its ``samples``), so every replica takes the same update. ``loss`` is None for a
        process whose part of the batch is empty.
        """
        model = self.model
        optimizer = model.optimizer  # read each step: a user may assign a new one
        buckets = self._buckets() if distributed.world().active else None
        if buckets is not None:
            buckets.begin(samples, stop=bool(model.stop_training))
        if loss is not None:
            optimizer.scale_loss(loss).backward()  # loss_scale_factor, LossScaleOptimizer
        if buckets is not None:
            distributed.note_reduced()  # a custom train_step that called super().train_step
        if buckets is not None and buckets.finish():
            # A batch hook on one process set stop_training: every process stops after
            # this step (agreed with the sample counts, no extra collective).
            model.stop_training = self.agreed_stop = True
        optimizer.step()
        optimizer.zero_grad()

    def _buckets(self) -> GradientBuckets:
        """The gradient buckets of the current trainable weights (made again when a layer's
        ``trainable`` changed between fits)."""
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        if self.buckets is None or not self.buckets.matches(trainable):
            if self.buckets is not None:
                self.buckets.remove()
            self.buckets = GradientBuckets(trainable)
        return self.buckets

    def stopping(self) -> bool:
        """Whether the batch loop stops after this batch: ``model.stop_training`` on one
        process; over several, only once every process agreed (a process breaking alone
        would leave the others waiting in the next step's all-reduce)."""
        if distributed.world().active:
            return self.agreed_stop
        return bool(self.model.stop_training)

    @torch.no_grad()
    def test_step(self, x, y, sample_weight) -> None:
        compiled = self.compiled
        targets = per_output(y, compiled.output_names)
        raw = self.model(x, training=False)
        y_pred = per_output(raw, compiled.output_names)
        if self.own_loss:
            loss = self.own_compute_loss(x, y, raw, sample_weight, training=False)
            self._record(x, loss, [loss], targets, y_pred, sample_weight)
            return
        loss, per_loss = compiled.compute_loss(targets, y_pred, sample_weight)
        if self.regularized:
            loss = loss + sum(self.model.losses)
        self._record(x, loss, per_loss, targets, y_pred, sample_weight)

    @torch.no_grad()
    def _record(self, x, loss, per_loss: list, targets: list, y_pred, sample_weight) -> None:
        size = batch_size_of(x)
        self.loss_record.add(loss, size)
        if self.compiled.loss_trackers:  # '<output>_loss' when several outputs have a loss
            self.compiled.update_loss_trackers(per_loss, size)
        if y_pred is not None:
            self.compiled.update_metrics(targets, y_pred, sample_weight)

    # -- logs ---------------------------------------------------------------------------------

    def reset(self) -> None:
        self.agreed_stop = False
        self.loss_record.reset()
        self.compiled.reset_metrics()

    def logs(self) -> dict[str, float]:
        """Current epoch values as Python floats, sorted by name as Keras 3 logs them."""
        values = {}
        if self.loss_record.sizes:
            values["loss"] = float(self.loss_record.mean())
        for metric in self.compiled.all_metrics():
            values[metric.name] = log_value(metric.result())
        return dict(sorted(values.items()))

    def epoch_logs(self) -> dict[str, float]:
        """``logs()`` at the end of a pass: over several processes, the loss and every metric
        state are summed across them first, so each process logs the numbers one process
        would compute on all the data."""
        if not distributed.world().active:
            return self.logs()
        variables = [v for metric in self.compiled.all_metrics() for v in metric.variables]
        local = [v.value for v in variables]
        loss_total, samples = self.loss_record.totals()
        loss_total, samples, *summed = distributed.all_reduce_sum([loss_total, samples, *local])
        try:
            for variable, value in zip(variables, summed):
                variable.value = value
            values = {"loss": float(loss_total / samples)} if float(samples) else {}
            for metric in self.compiled.all_metrics():
                values[metric.name] = log_value(metric.result())
        finally:
            for variable, value in zip(variables, local):
                variable.value = value
        return dict(sorted(values.items()))

    def nonfinite(self) -> tuple[int, float] | None:
        return self.loss_record.first_nonfinite()


# torch.compile's backend for jit_compile=True; the tests use 'aot_eager' (the same tracing and
# compiled backward, without inductor's C++ build, which takes minutes on a small CPU).
COMPILE_BACKEND = "inductor"


class CompiledOrEager:
    """``fn`` through ``torch.compile`` (forward and backward graphs), or ``fn`` itself.

    ``model.compile(jit_compile=True)`` asks for a compiled step. Where compiling fails (no
    C++ toolchain for inductor, a platform without dynamo, an op it cannot trace) the step
    runs eagerly from then on, with the same results, as Keras falls back where XLA does not
    apply. The first calls pay the compilation (seconds to minutes); later ones are faster
    where the step is bound by per-op overhead.
    """

    def __init__(self, fn):
        self.fn = fn
        self.compiled = None
        self.failed = False

    def __call__(self, *args):
        if self.failed:
            return self.fn(*args)
        try:
            if self.compiled is None:
                self.compiled = torch.compile(self.fn, backend=COMPILE_BACKEND)
            return self.compiled(*args)
        except Exception:  # whatever the compiler raises, the eager step is still right
            self.failed = True
            return self.fn(*args)


class BuiltinStep:
    """One of the runner's steps with the runner's reset and logs."""

    def __init__(self, runner: StepRunner, call, training: bool = False):
        self.call = call  # runner.train_step or runner.test_step
        self.reset = runner.reset
        self.logs = runner.logs
        self.model = runner.model
        self.epoch_logs = self._train_epoch_logs if training else runner.epoch_logs
        self._runner_epoch_logs = runner.epoch_logs
        self.nonfinite = runner.nonfinite
        self.stopping = runner.stopping

    def _train_epoch_logs(self) -> dict[str, float]:
        average_moving_statistics(self.model)  # before validation reads them
        return self._runner_epoch_logs()


class ModelStep:
    """A model's own ``train_step``/``test_step`` (Keras's "customizing fit").

    Each batch goes to the method as ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; the dict
    it returns is the logs (nested dicts flattened, tensors read as floats). The model's metrics
    are reset at the start of each epoch and each evaluation, as Keras does.

    Over several processes a training step's gradients are reduced where it applies them
    (``optimizer.apply``/``apply_gradients``, or the built-in step through ``super()``); a
    process whose share of the batch is empty only joins that reduction. At the end of a
    pass the model's metrics (``model.metrics``) are summed across processes; other logged
    values are averaged.
    """

    def __init__(self, model, method, runner: StepRunner | None, training: bool = False):
        self.model = model
        self.method = method
        self.runner = runner
        self.training = training
        self.last: dict[str, float] = {}

    def call(self, x, y, sample_weight) -> None:
        if not (self.training and distributed.world().active):
            self.last = plain_logs(self.method(pack_x_y_sample_weight(x, y, sample_weight)))
            return
        samples = batch_size_of(x)
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        steps_before = self.model.optimizer._iterations
        distributed.expect_gradients(trainable, samples)
        try:
            if samples:
                self.last = plain_logs(self.method(pack_x_y_sample_weight(x, y, sample_weight)))
            else:  # an empty share of the last batch: the same update as the others
                self.model.optimizer.apply([None] * len(trainable), trainable)
        finally:
            reduced = distributed.stop_expecting()
        if not reduced and self.model.optimizer._iterations != steps_before:
            raise LayerfitRuntimeError(
                explain(
                    f"Model {self.model.name!r}'s own train_step updated the weights over "
                    f"{distributed.world().size} processes without optimizer.apply(), so its "
                    "gradients were not summed across processes and the replicas would "
                    "drift apart.",
                    "gradients handed to self.optimizer.apply(grads, trainable_weights) or "
                    "self.optimizer.apply_gradients(zip(grads, weights)).",
                    "replace optimizer.step() in train_step by "
                    "self.optimizer.apply([w.grad for w in self.trainable_weights], "
                    "self.trainable_weights).",
                )
            )

    def reset(self) -> None:
        self.last = {}
        if self.runner is not None:
            self.runner.reset()  # for a step that calls super().train_step(data)
        self.model.reset_metrics()

    def logs(self) -> dict[str, float]:
        return self.last

    def epoch_logs(self) -> dict[str, float]:
        """The last logs; over several processes, the model's metrics summed across them
        (the values one process would log on all the data), other values averaged."""
        if not distributed.world().active:
            return self.last
        if self.training:
            average_moving_statistics(self.model)
        gathered = distributed.all_gather_object(self.last)  # a process may have none
        names = list(dict.fromkeys(name for logs in gathered for name in logs))
        metrics = [m for m in self.model.metrics if m.name in names and m.variables]
        variables = [v for metric in metrics for v in metric.variables]
        local = [v.value for v in variables]
        summed = distributed.all_reduce_sum(local)
        logs = {}
        for name in names:
            values = [logs_[name] for logs_ in gathered if name in logs_]
            logs[name] = sum(values) / len(values)
        try:
            for variable, value in zip(variables, summed):
                variable.value = value
            logs.update({metric.name: log_value(metric.result()) for metric in metrics})
        finally:
            for variable, value in zip(variables, local):
                variable.value = value
        return logs

    def nonfinite(self) -> None:
        return None  # the model's own step reports its own losses

    def stopping(self) -> bool:
        if self.training and distributed.world().active:
            # No sample counts travel with a custom step: one small sum per step agrees.
            self.model.stop_training = distributed.any_rank(bool(self.model.stop_training))
        return bool(self.model.stop_training)


class PredictStep:
    """Collects the outputs of each batch: ``model(x)``, or the model's own ``predict_step``."""

    def __init__(self, model):
        self.model = model
        self.outputs: list = []
        self.interleaved = False  # over several processes, for data that batches itself

    def call(self, x, y, sample_weight) -> None:
        if self.model._custom_predict_step:
            self.outputs.append(self.model.predict_step(pack_x_y_sample_weight(x)))
            return
        try:
            self.outputs.append(self.model(x, training=False))
        except LayerfitError:
            raise
        except (RuntimeError, ValueError, TypeError, IndexError):
            # A built model skips the probe: it runs now, to name the failing layer.
            probe_outputs(self.model, x)
            raise

    def reset(self) -> None:
        self.outputs = []

    def logs(self) -> dict:
        return {"outputs": self.outputs[-1]} if self.outputs else {}

    epoch_logs = logs

    def nonfinite(self) -> None:
        return None

    def result(self):
        """The outputs of all batches as numpy arrays (a list or dict for several outputs).

        Over several processes each predicted a contiguous slice; every process returns
        the whole result, the slices joined in rank order (the input order).
        """
        if not distributed.world().active:
            return _concatenate(self.outputs)
        if self.interleaved:  # process r predicted batches r, r + N, ...: deal them back
            local = [_concatenate([output]) for output in self.outputs]
            per_rank = distributed.all_gather_object(local)
            size = len(per_rank)
            total = sum(len(batches) for batches in per_rank)
            return _join([per_rank[index % size][index // size] for index in range(total)])
        local = _concatenate(self.outputs) if self.outputs else None
        parts = [part for part in distributed.all_gather_object(local) if part is not None]
        return _join(parts)


def steps_for(model) -> dict:
    """The model's train, test and predict steps: its own methods where it overrides them."""
    runner = model._runner if model.compiled is not None else None
    train = ModelStep(model, model.train_step, runner, True) if model._custom_train_step else None
    test = ModelStep(model, model.test_step, runner) if model._custom_test_step else None
    if runner is not None:
        train = train or BuiltinStep(runner, runner.train_step, training=True)
        test = test or BuiltinStep(runner, runner.test_step)
    return {"train": train, "test": test, "predict": PredictStep(model)}


def average_moving_statistics(model) -> None:
    """Over several processes, each replica's moving statistics (BatchNormalization's
    ``moving_mean``/``moving_variance``: what the forward pass updates) become their average
    at the end of each training pass, so the replicas agree again. Batches are normalised
    with each process's own batch statistics, as DDP does without SyncBatchNorm.

    These are the non-trainable floating weights and buffers of layers left trainable (a
    frozen layer's weights do not move and are not sent).
    """
    if not distributed.world().active:
        return
    moving = []
    for layer in model.modules():
        if not getattr(layer, "trainable", True):
            continue
        own = [*layer.parameters(recurse=False), *layer.buffers(recurse=False)]
        moving += [t for t in own if not t.requires_grad and t.is_floating_point()]
    if not moving:
        return
    size = distributed.world().size
    with torch.no_grad():
        for tensor, total in zip(moving, distributed.all_reduce_sum(moving)):
            tensor.copy_(total / size)


def plain_logs(logs) -> dict[str, float]:
    values: dict[str, float] = {}
    for name, value in (logs or {}).items():
        if isinstance(value, dict):
            values.update(plain_logs(value))
        else:  # a loss tensor returned as is still requires grad
            values[name] = float(value.detach() if torch.is_tensor(value) else value)
    return values


def _join(parts: list):
    first = parts[0]
    if isinstance(first, (list, tuple)):
        return [_join([p[i] for p in parts]) for i in range(len(first))]
    if isinstance(first, dict):
        return {key: _join([p[key] for p in parts]) for key in first}
    return np.concatenate(parts)


def _concatenate(outputs: list):
    first = outputs[0]
    if isinstance(first, (list, tuple)):
        return [_concatenate([o[i] for o in outputs]) for i in range(len(first))]
    if isinstance(first, dict):
        return {key: _concatenate([o[key] for o in outputs]) for key in first}
    joined = torch.cat(outputs).cpu()
    # numpy has no bfloat16: mixed_bfloat16 outputs come back as float32 arrays.
    return (joined.float() if joined.dtype == torch.bfloat16 else joined).numpy()
