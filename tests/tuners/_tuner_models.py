"""Build functions importable by worker processes (n_jobs tests)."""

import os

import layerfit as keras


def build_model(hp):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(hp.Int("units", 4, 16, step=4), activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(keras.optimizers.SGD(hp.Float("lr", 1e-3, 1e-1, sampling="log")), "mse")
    return model


class Where(keras.callbacks.Callback):
    """Notes which process trained each model, in a file per model (they run in other processes)."""

    def __init__(self, folder):
        super().__init__()
        self.folder = str(folder)

    def on_train_begin(self, logs=None):
        path = os.path.join(self.folder, f"{os.getpid()}-{id(self)}.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write(str(os.getpid()))
