"""``steps_per_epoch``/``steps`` on in-memory arrays and keras.config's epoch and step caps.

Expected numbers follow Keras 3's epoch iterator (checked against Keras 3.15 on JAX when this
was written): with ``steps_per_epoch`` an epoch takes the next batches of the pass under way, and
a new pass starts only when one is used up; ``steps`` in evaluate/predict takes the first batches.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import LayerfitValueError, LayerfitWarning


def _data(n=100):
    rng = np.random.default_rng(0)
    return rng.random((n, 4), dtype=np.float32), rng.random((n, 1), dtype=np.float32)


def _model(seed=1):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


@pytest.fixture
def caps():
    yield keras.config
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)


def test_steps_per_epoch_on_arrays_takes_that_many_batches_per_epoch():
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=10, epochs=2, steps_per_epoch=3, verbose=0)
    assert int(model.optimizer.iterations) == 6  # 2 epochs x 3 steps (Keras: 6)


def test_epochs_cut_by_steps_per_epoch_continue_the_same_pass():
    # Unshuffled, 2 epochs of 5 steps walk the 10 batches once: the same SGD updates, in the
    # same order, as one plain epoch. Equal up to float rounding of identical arithmetic.
    x, y = _data()
    split = _model()
    split.fit(x, y, batch_size=10, epochs=2, steps_per_epoch=5, shuffle=False, verbose=0)
    whole = _model()
    whole.fit(x, y, batch_size=10, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(split.get_weights(), whole.get_weights()):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-7)


def test_more_steps_than_batches_ends_each_epoch_early_with_a_warning():
    x, y = _data()
    model = _model()
    with pytest.warns(LayerfitWarning, match=r"steps=30 is more than the 10 batches"):
        history = model.fit(x, y, batch_size=10, epochs=2, steps_per_epoch=30, verbose=0)
    assert int(model.optimizer.iterations) == 20  # Keras: 10 per epoch, training goes on
    assert len(history.history["loss"]) == 2


def test_evaluate_and_predict_steps_take_the_first_batches():
    x, y = _data()
    model = _model()
    kernel, bias = model.get_weights()
    expected = x[:30] @ kernel + bias  # numpy, independently of the model's forward
    predicted = model.predict(x, batch_size=10, steps=3, verbose=0)
    assert predicted.shape == (30, 1)
    np.testing.assert_allclose(predicted, expected, rtol=1e-5, atol=1e-6)
    loss = model.evaluate(x, y, batch_size=10, steps=3, verbose=0)
    np.testing.assert_allclose(loss, np.mean((expected - y[:30]) ** 2), rtol=1e-5)


def test_config_caps_epochs_and_steps_with_keras_notice(caps):
    x, y = _data()
    model = _model()
    caps.set_max_epochs(2)
    caps.set_max_steps_per_epoch(3)
    with pytest.warns(LayerfitWarning) as notices:
        history = model.fit(x, y, batch_size=10, epochs=5, validation_split=0.2, verbose=0)
    texts = [str(notice.message) for notice in notices]
    assert any("Limiting epochs to 2" in text for text in texts)
    assert any("Limiting steps_per_epoch to 3" in text for text in texts)
    assert len(history.history["loss"]) == 2
    assert int(model.optimizer.iterations) == 6
    with pytest.warns(LayerfitWarning, match="Limiting steps to 3"):
        assert model.predict(x, batch_size=10, verbose=0).shape == (30, 1)


def test_config_caps_leave_smaller_runs_alone(caps):
    x, y = _data()
    model = _model()
    caps.set_max_epochs(5)
    caps.set_max_steps_per_epoch(50)
    history = model.fit(x, y, batch_size=10, epochs=2, verbose=0)  # no warning: errors here
    assert len(history.history["loss"]) == 2
    assert int(model.optimizer.iterations) == 20


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True])
def test_config_caps_refuse_what_is_not_a_positive_int(caps, bad):
    with pytest.raises(LayerfitValueError, match="positive whole number"):
        caps.set_max_epochs(bad)
    with pytest.raises(LayerfitValueError, match="positive whole number"):
        caps.set_max_steps_per_epoch(bad)


def test_keras_environment_variables_set_the_caps():
    code = (
        "import layerfit as keras; "
        "print(keras.config.max_epochs(), keras.config.max_steps_per_epoch())"
    )
    env = dict(os.environ, KERAS_MAX_EPOCHS="2", KERAS_MAX_STEPS_PER_EPOCH="7")
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["2", "7"], done.stderr
    env["KERAS_MAX_EPOCHS"] = "two"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert "KERAS_MAX_EPOCHS='two' is not a whole number" in done.stderr
