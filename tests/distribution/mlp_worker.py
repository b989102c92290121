"""An unchanged Keras-style training script, run by the data-parallel tests.

Run alone it is one process; with torchrun's environment (RANK, WORLD_SIZE, ...) it is one
process of several. ``python mlp_worker.py OUT MODE``; it writes what it saw to
``OUT/rank<r>.npz`` and ``OUT/rank<r>.json``. MODE: 'train' (the seed MLP on the first
1002 MNIST samples), 'crash' (process 1
raises at the start of the second epoch), 'stop' (process 1 alone sets stop_training
after the first epoch), 'batchstop' (process 1 alone sets it after batch 2), 'mismatch' (process 1 builds a smaller model);
'interrupted' (3 epochs with BackupAndRestore, every process killed before the third),
'resumed' (the same run again, which resumes) and 'straight' (the same run uninterrupted).
"""

import json
import os
import sys
from pathlib import Path

import numpy as np
import torch

import layerfit as keras

torch.set_num_threads(1)
out, mode = Path(sys.argv[1]), sys.argv[2]
rank = int(os.environ.get("RANK", "0"))
keras.utils.set_random_seed(7 + 100 * rank)  # different seeds: rank 0's weights must win


def data(n=1002):
    (x, y), _ = keras.datasets.mnist.load_data()  # LAYERFIT_DATA_DIR, set by the test
    return x[:n].reshape(n, 784).astype("float32") / 255.0, y[:n].astype("int64")


class CrashOnSecondEpoch(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1 and rank == 1:
            raise RuntimeError("process 1 crashed on purpose")


class StopOnProcessOne(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if rank == 1:
            self.model.stop_training = True  # one process decides; all must stop


class StopAfterBatchTwoOnProcessOne(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if rank == 1 and batch == 2:
            self.model.stop_training = True


class KillBeforeThirdEpoch(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 2:
            os._exit(3)  # every process dies at once, as when the job is killed


hidden = 128 if (mode == "mismatch" and rank == 1) else 256
model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.1),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
x, y = data()
ran: list[int] = []  # the epochs this run went through (a resumed run skips the backed-up ones)
batches: list[int] = []  # the training batches of the last epoch
callbacks = [
    keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: (ran.append(epoch), batches.clear()),
        on_train_batch_end=lambda batch, logs: batches.append(batch),
    ),
    keras.callbacks.ModelCheckpoint(str(out / "model.keras")),
    keras.callbacks.CSVLogger(str(out / "log.csv")),
    keras.callbacks.EarlyStopping(monitor="loss", patience=5),
]
if mode == "crash":
    callbacks.append(CrashOnSecondEpoch())
if mode == "stop":
    callbacks.append(StopOnProcessOne())
if mode == "batchstop":
    callbacks.append(StopAfterBatchTwoOnProcessOne())
if mode in ("interrupted", "resumed", "straight"):  # BackupAndRestore across a kill
    callbacks.append(keras.callbacks.BackupAndRestore(str(out / "backup")))
if mode == "interrupted":
    callbacks.append(KillBeforeThirdEpoch())
history = model.fit(
    x,
    y,
    batch_size=100,  # the global batch: 901 training samples, a last batch of one sample
    epochs=3 if mode in ("interrupted", "resumed", "straight") else 2,
    shuffle=True,
    validation_split=0.1,
    callbacks=callbacks,
    verbose=0,
)
evaluated = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
predicted = model.predict(x[:37], batch_size=8, verbose=0)
np.savez(
    out / f"rank{rank}.npz",
    predicted=predicted,
    **{f"w{i}": w for i, w in enumerate(model.get_weights())},
)
(out / f"rank{rank}.json").write_text(
    json.dumps({"history": history.history, "evaluate": evaluated, "ran": ran, "batches": batches})
)
