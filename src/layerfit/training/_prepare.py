"""One set-up for fit, evaluate, predict and the ``*_on_batch`` methods.

``prepare(model, stage, arguments)``, in order:
1. ``data/`` checks the raw arrays, converts them to device tensors once, holds out the
   validation split and weighs the classes: batches come back;
2. one probe on two samples of the first batch builds an unbuilt model, and the pre-flight
   checks judge its outputs against the labels and the loss;
3. the model moves to the device (once: later calls find it there), the optimizer is built
   on the trainable weights (building again with the same weights does nothing);
4. the model's ``StepRunner`` builds its metrics and picks its fused path (once per compile).
It hands back a ``Run``: the batches and the train, test and predict steps.

Data parallelism slots in here and in ``StepRunner.apply_gradients``: under torchrun this
joins the process group, shards the batches (``data/_shard.py``) and gives every process rank
0's weights; the step averages the gradients; the loop does not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import torch

from layerfit import backend, data
from layerfit._tree import flatten, map_structure
from layerfit.data._shard import shard
from layerfit.errors import LayerfitRuntimeError, explain, warn
from layerfit.training import _arguments, _preflight
from layerfit.training._steps import steps_for


class Arguments(SimpleNamespace):
    """A Model method's arguments by name: the signature is written once, on the Model."""

    def __init__(self, values: dict):
        skip = ("self", "kwargs", "__class__")
        super().__init__(**{name: value for name, value in values.items() if name not in skip})


@dataclass
class Run:
    """What a stage goes through: its batches (training batches for fit) and the steps."""

    data: data.Batches
    validation: data.Batches | None
    train_step: object
    test_step: object
    predict_step: object


def prepare(model, stage: str, arguments: Arguments) -> Run:
    """Batches, a built and checked model on the device, and the steps for ``stage``.

    ``stage`` is 'fit', 'evaluate', 'predict', 'train_on_batch' or 'test_on_batch'.
    """
    if stage != "predict":
        require_compiled(model, stage)
    _arguments.check(model, stage, arguments)  # our errors for bad values, before any work
    world = backend.distributed.join()  # under torchrun: one process of several
    device = backend.default_device()
    if device.type == "cpu":
        backend.flush_denormals()
    batches, validation = _batches(model, stage, arguments, device)
    if world.active:
        batches = shard(batches, training=stage == "fit")
        validation = shard(validation, training=False)
    runner = model._runner if model.compiled is not None else None
    on_batch = stage.endswith("_on_batch")
    y = outputs = None
    if stage == "predict" and model.built:
        # A built model needs no probe to predict: the checks of the inputs still run, and a
        # failing forward is named by its layer in PredictStep (a second forward here would
        # double the cost of a learner's predict(x[:1])).
        # The scale check reads the rows of one user batch, as it did before chunking.
        x, _, _ = batches.first_batch()
        rows = arguments.batch_size or 32
        head = map_structure(lambda t: t[:rows] if torch.is_tensor(t) else t, x)
        _preflight.check_inputs(model, head, batches)
    elif not on_batch or not model.built or not runner.ready:
        # The *_on_batch methods run in a user's own loop: probed once, then only stepped.
        x, y, sample_weight = batches.first_batch()
        outputs = _preflight.check_first_batch(
            model, x, y, sample_weight, data=batches, stage=stage, checks=not on_batch
        )
    if any(p.device != device for p in model.parameters()):
        model.to(device)
    if world.active and not getattr(model, "_replicas_synchronized", False):
        backend.distributed.synchronize_model(model)  # same model everywhere, rank 0's weights
        model._replicas_synchronized = True
    if stage != "predict":
        trainable = [p for p in model.parameters() if p.requires_grad]
        model.optimizer.build(trainable)
        if not runner.ready:
            runner.setup(y, outputs)
        else:
            runner.choose_dense_step()
        runner.trainable = bool(trainable)
        if not trainable and stage in ("fit", "train_on_batch") and not model._custom_train_step:
            _warn_untrainable(model, stage)
    steps = steps_for(model)
    steps["predict"].interleaved = getattr(batches, "interleaved", False)
    return Run(batches, validation, steps["train"], steps["test"], steps["predict"])


def _batches(model, stage: str, arguments: Arguments, device: torch.device):
    y_dtype = _target_dtype(model)
    if stage == "fit":
        return data.fit_batches(
            arguments.x,
            arguments.y,
            arguments.sample_weight,
            batch_size=arguments.batch_size or 32,
            shuffle=arguments.shuffle,
            steps=arguments.steps_per_epoch,
            validation_split=arguments.validation_split,
            validation_data=arguments.validation_data,
            validation_batch_size=arguments.validation_batch_size,
            validation_steps=arguments.validation_steps,
            class_weight=arguments.class_weight,
            y_dtype=y_dtype,
            device=device,
        )
    y = getattr(arguments, "y", None)  # predict has no y
    sample_weight = getattr(arguments, "sample_weight", None)
    if stage.endswith("_on_batch"):
        class_weight = getattr(arguments, "class_weight", None)  # train_on_batch only
        one = data.OneBatch(
            arguments.x, y, sample_weight, class_weight=class_weight, y_dtype=y_dtype, device=device
        )
        return one, None
    batch_size = arguments.batch_size or 32
    if stage == "predict":
        batch_size = predict_chunk(model, arguments.x, batch_size, arguments.steps)
    batches = data.checked_batches(
        arguments.x,
        y,
        sample_weight,
        batch_size=batch_size,
        steps=arguments.steps,
        y_dtype=y_dtype,
        device=device,
    )
    return batches, None


# predict's chunks for per-sample models: Keras's batch_size only bounds memory, and a few large
# matmuls cost far less than many small ones. A chunk holds at most _CHUNK_ROWS samples and
# _CHUNK_BYTES of input, so the activations of a convnet stay in the hundreds of MB.
_CHUNK_ROWS = 4096
_CHUNK_BYTES = 16 * 2**20
# Built-in layers whose output for a sample may depend on code we do not know.
_OPAQUE_LAYERS = frozenset({"Lambda", "TorchModuleWrapper"})
# torch's containers that layerfit models hold their layers in.
_CONTAINERS = (torch.nn.ModuleList, torch.nn.ModuleDict)


def predict_chunk(model, x, batch_size: int, steps) -> int:
    """The rows per predict batch: larger than ``batch_size`` when the answer cannot change.

    Only for in-memory arrays through a model built of layerfit's own layers, none stateful,
    without a custom ``predict_step`` and without ``steps``: each output row then depends on
    its input row alone, so the chunk size changes no result beyond float rounding.
    """
    leaves = flatten(x)
    arrays = leaves and all(hasattr(leaf, "shape") and hasattr(leaf, "nbytes") for leaf in leaves)
    if steps is not None or model._custom_predict_step or not arrays:
        return batch_size
    for module in model.modules():
        kind = type(module)
        if kind in _CONTAINERS:
            continue
        if not kind.__module__.startswith("layerfit.") or kind.__name__ in _OPAQUE_LAYERS:
            return batch_size
        if getattr(module, "stateful", False):
            return batch_size
    rows = int(leaves[0].shape[0]) if len(leaves[0].shape) else 0
    row_bytes = sum(int(leaf.nbytes) for leaf in leaves) // max(rows, 1)
    chunk = min(_CHUNK_ROWS, _CHUNK_BYTES // max(row_bytes, 1))
    return max(batch_size, chunk)


def _target_dtype(model) -> torch.dtype | None:
    """Integer labels for sparse losses, floats otherwise (None: predict on an uncompiled model)."""
    if model.compiled is None:
        return None
    losses = [loss for loss in model.compiled.losses if loss is not None]
    sparse = losses and all("sparse" in getattr(loss, "fn_name", "") for loss in losses)
    return torch.long if sparse else backend.torch_dtype()


def require_compiled(model, method: str) -> None:
    if getattr(model, "compiled", None) is None:
        raise LayerfitRuntimeError(
            explain(
                f"model.{method}() was called before model.compile().",
                "compile() first, to choose the loss, optimizer and metrics.",
                "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', "
                "metrics=['accuracy'])",
            )
        )


def _warn_untrainable(model, stage: str) -> None:
    # Keras warns and trains on: the loss and metrics are still measured each batch.
    warn(
        f"model.{stage}() on model {model.name!r}, which has no trainable weights: the loss "
        "and metrics are computed, but nothing is learned.",
        "at least one trainable weight.",
        "set trainable = True on the layers to train (e.g. model.trainable = True, or "
        "base_model.trainable = True when fine-tuning); to only measure, use model.evaluate().",
    )
