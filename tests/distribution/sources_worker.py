"""A Keras-style script training on data that batches itself, run by the data-parallel tests.

``python sources_worker.py OUT MODE``; alone it is one process, under torchrun one of
several. It writes ``OUT/rank<r>.npz`` and ``OUT/rank<r>.json``. MODE:
'ordered': fit on a DataLoader of batch 100 // WORLD_SIZE (so N processes step through the
same 100-sample global batches as one), validation_data a layerfit Dataset, evaluate on a
generator, predict on a PyDataset; 'shuffled': fit on a shuffling DataLoader whose dataset
records the sample indices this process loaded; 'unseeded': a Dataset shuffled without a
seed on processes seeded differently (refused: they would read different data);
'custom': a model with its own train_step (Keras's "customizing fit" on PyTorch) on arrays;
'batchnorm': a model with BatchNormalization on arrays.
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
processes = int(os.environ.get("WORLD_SIZE", "1"))
keras.utils.set_random_seed(7 + 100 * rank)  # different seeds: agreement must not rely on them

(x, y), _ = keras.datasets.mnist.load_data()  # LAYERFIT_DATA_DIR, set by the test
x, y = x[:1002].reshape(1002, 784).astype("float32") / 255.0, y[:1002].astype("int64")
x_train, y_train, x_val, y_val = x[:901], y[:901], x[901:], y[901:]


class Recorded(torch.utils.data.Dataset):
    """The training samples, noting which ones this process loads."""

    def __init__(self):
        self.loaded: list[int] = []

    def __len__(self):
        return len(x_train)

    def __getitem__(self, index):
        self.loaded.append(int(index))
        return x_train[index], y_train[index]


class PredictBatches(keras.utils.PyDataset):
    def __len__(self):
        return 5  # 37 samples in batches of 8: the last one has 5

    def __getitem__(self, index):
        return (x[8 * index : min(8 * index + 8, 37)],)


def batches_of(size):
    for start in range(0, len(x), size):
        yield x[start : start + size], y[start : start + size]


class Custom(keras.Sequential):
    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        with torch.no_grad():
            self.optimizer.apply([w.grad for w in self.trainable_weights], self.trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


model = (Custom if mode == "custom" else keras.Sequential)(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(64, activation="relu"),
        *([keras.layers.BatchNormalization()] if mode == "batchnorm" else []),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.1),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
steps: list[int] = []
counting = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: steps.append(b))
report: dict = {}
if mode == "ordered":
    train = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)),
        batch_size=100 // processes,
    )
    validation = keras.data.Dataset.from_tensor_slices((x_val, y_val)).batch(32)
    history = model.fit(
        train, validation_data=validation, epochs=2, callbacks=[counting], verbose=0
    )
    report["history"] = history.history
    report["evaluate"] = model.evaluate(batches_of(64), steps=16, verbose=0, return_dict=True)
    predicted = model.predict(PredictBatches(), verbose=0)
elif mode == "shuffled":
    recorded = Recorded()
    loader = torch.utils.data.DataLoader(recorded, batch_size=50, shuffle=True)
    history = model.fit(loader, epochs=1, callbacks=[counting], verbose=0)
    report["loaded"] = recorded.loaded
    report["history"] = history.history
    predicted = model.predict(x[:37], verbose=0)
elif mode in ("custom", "batchnorm"):
    history = model.fit(
        x_train,
        y_train,
        batch_size=100,
        epochs=2,
        validation_data=(x_val, y_val),
        callbacks=[counting],
        verbose=0,
    )
    report["history"] = history.history
    predicted = model.predict(x[:37], verbose=0)
else:  # 'unseeded'
    data = keras.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1000).batch(50)
    model.fit(data, epochs=1, verbose=0)
    predicted = model.predict(x[:37], verbose=0)
report["steps"] = steps
np.savez(
    out / f"rank{rank}.npz",
    predicted=predicted,
    **{f"w{i}": w for i, w in enumerate(model.get_weights())},
)
(out / f"rank{rank}.json").write_text(json.dumps(report))
