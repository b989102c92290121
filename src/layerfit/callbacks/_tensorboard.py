"""TensorBoard: Keras's event logs (train and validation runs), through torch's writer."""

from __future__ import annotations

import os

from layerfit.callbacks._callback import Callback
from layerfit.errors import LayerfitValueError, explain


def _summary_writer():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise LayerfitValueError(
            explain(
                "The TensorBoard callback needs the tensorboard package, which is not installed.",
                "tensorboard importable in this Python.",
                "pip install tensorboard  (or pip install 'layerfit[tensorboard]'), then "
                "tensorboard --logdir logs",
            )
        ) from None
    return SummaryWriter


class TensorBoard(Callback):
    """Writes the logged values for TensorBoard: ``log_dir/train`` and ``log_dir/validation``.

    Tags are Keras's: ``epoch_loss``, ``epoch_accuracy``, ... per epoch, and ``batch_loss``, ...
    every ``update_freq`` batches when it is 'batch' or a number. The model graph, profiling
    and embeddings that Keras's TensorFlow backend can also write are not written.

    Args:
        log_dir: the folder for the event files. Defaults to 'logs'.
        histogram_freq: every this many epochs, histograms of every weight (0: never).
            Defaults to 0.
        update_freq: 'epoch', 'batch', or a number of batches between batch-level values.
            Defaults to 'epoch'.

    Example:
    >>> tensorboard = TensorBoard(log_dir="./logs")  # then: tensorboard --logdir ./logs
    """

    _chief_hooks = "all"  # data parallelism: process 0 writes the logs

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        self._writer_class = _summary_writer()
        if update_freq != "epoch" and update_freq != "batch" and not isinstance(update_freq, int):
            raise LayerfitValueError(
                explain(
                    f"TensorBoard got update_freq={update_freq!r}.",
                    "'epoch', 'batch' or a number of batches.",
                    "update_freq='epoch'",
                )
            )
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self._writers: dict = {}
        self._step = 0

    def _writer(self, run: str):
        if run not in self._writers:
            self._writers[run] = self._writer_class(os.path.join(self.log_dir, run))
        return self._writers[run]

    def on_train_begin(self, logs=None):
        self._step = 0

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        if self.update_freq == "epoch" or self._step % self.update_freq:
            return
        for name, value in (logs or {}).items():
            self._writer("train").add_scalar(f"batch_{name}", float(value), self._step)

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            run = "validation" if name.startswith("val_") else "train"
            tag = f"epoch_{name.removeprefix('val_')}"
            self._writer(run).add_scalar(tag, float(value), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for name, weight in self.model.named_parameters():
                self._writer("train").add_histogram(name, weight.detach().cpu(), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
