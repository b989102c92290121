"""Every kind of data fit/evaluate/predict accept, and the errors for the wrong kinds."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.layers import Dense, Input


def regression_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], dtype="float32"))[:, None]
    return x, y


def linear_model():
    model = keras.Sequential([Input(shape=(3,)), Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def test_dataloader_and_dataset_train_like_arrays():
    x, y = regression_data()
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(dataset, batch_size=16)
    for source in (loader, dataset):
        keras.utils.set_random_seed(0)
        model = linear_model()
        history = model.fit(source, epochs=3, verbose=0, validation_data=loader)
        keras.utils.set_random_seed(0)
        reference = linear_model()
        expected = reference.fit(
            x,
            y,
            batch_size=16 if source is loader else 32,
            epochs=3,
            shuffle=False,
            verbose=0,
            validation_data=(x, y),
        )
        np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-5)
        np.testing.assert_allclose(
            history.history["val_loss"], expected.history["val_loss"], rtol=1e-5
        )
    assert model.evaluate(loader, verbose=0) == pytest.approx(
        history.history["val_loss"][-1], rel=1e-5
    )
    assert model.predict(loader, verbose=0).shape == (64, 1)


def test_generator_needs_steps_and_keeps_its_first_batch():
    x, y = regression_data()
    seen = []

    def batches():
        while True:
            for start in range(0, 64, 16):
                seen.append(start)
                yield x[start : start + 16], y[start : start + 16]

    with pytest.raises(LayerfitValueError, match="steps_per_epoch"):
        linear_model().fit(batches(), epochs=1, verbose=0)
    seen.clear()
    history = linear_model().fit(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert seen == [0, 16, 32, 48, 0, 16, 32, 48]  # the peeked first batch was trained on


def test_py_dataset_calls_on_epoch_end():
    x, y = regression_data()

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.epochs_ended = 0

        def __len__(self):
            return 4

        def __getitem__(self, index):
            return x[index * 16 : (index + 1) * 16], y[index * 16 : (index + 1) * 16]

        def on_epoch_end(self):
            self.epochs_ended += 1

    data = Batches()
    history = linear_model().fit(data, epochs=3, verbose=0)
    assert history.params["steps"] == 4 and data.epochs_ended >= 3


def test_sample_weight_from_a_dataloader():
    x, y = regression_data(32)
    weights = np.zeros(32, dtype="float32")
    weights[:16] = 2.0
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(*(torch.from_numpy(a) for a in (x, y, weights))),
        batch_size=32,
    )
    model = linear_model()
    weighted = model.evaluate(loader, verbose=0)
    errors = (model.predict(x, verbose=0) - y) ** 2
    assert weighted == pytest.approx(float((errors[:, 0] * weights).mean()), rel=1e-5)


def test_unknown_data_kind_is_explained():
    with pytest.raises(LayerfitTypeError, match="not a kind of data"):
        linear_model().fit({1, 2, 3}, None, verbose=0)


def test_y_with_a_dataloader_is_explained():
    x, y = regression_data()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=8
    )
    with pytest.raises(LayerfitValueError, match="drop the y argument"):
        linear_model().fit(loader, y, verbose=0)


def test_non_numeric_dataframe_columns_are_named():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"age": [1.0, 2.0], "city": ["Seoul", "Busan"], "z": [0.1, 0.2]})
    model = keras.Sequential([Input(shape=(3,)), Dense(1)])
    model.compile(loss="mse")
    with pytest.raises(LayerfitTypeError, match=r"\['city'\]"):
        model.fit(frame, np.zeros(2), verbose=0)
