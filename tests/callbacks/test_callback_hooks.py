"""Every hook gets a logs dict, as in Keras's 'Writing your own callbacks' guide."""

import numpy as np

import layerfit as keras


class RecordKeys(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = {}

    def _record(self, hook, logs):
        self.seen.setdefault(hook, sorted(logs.keys()))  # fails on None, as the guide's would

    def on_train_begin(self, logs=None):
        self._record("train_begin", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._record("epoch_begin", logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._record("train_batch_begin", logs)

    def on_test_begin(self, logs=None):
        self._record("test_begin", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._record("test_batch_begin", logs)

    def on_predict_begin(self, logs=None):
        self._record("predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._record("predict_end", logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._record("predict_batch_begin", logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._record("predict_batch_end", logs)

    def on_epoch_end(self, epoch, logs=None):
        self._record("epoch_end", logs)


def test_begin_hooks_get_an_empty_dict_and_end_hooks_the_values():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    callback = RecordKeys()
    x, y = np.zeros((8, 3), "float32"), np.zeros((8, 1), "float32")
    model.fit(x, y, epochs=1, validation_split=0.5, verbose=0, callbacks=[callback])
    model.predict(x, verbose=0, callbacks=[callback])
    assert callback.seen == {
        "train_begin": [],
        "epoch_begin": [],
        "train_batch_begin": [],
        "test_begin": [],
        "test_batch_begin": [],
        "epoch_end": ["loss", "val_loss"],
        "predict_begin": [],
        "predict_batch_begin": [],
        "predict_batch_end": ["outputs"],  # Keras's: the batch's predictions
        "predict_end": [],
    }
