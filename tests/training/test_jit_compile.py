"""compile(jit_compile=True): the train step through torch.compile, eager where that fails."""

import numpy as np
import pytest

import layerfit as keras
from layerfit.layers import Dense, Input
from layerfit.training import _steps


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    return x, rng.integers(0, 3, size=64)


def trained(jit_compile, epochs=3):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [Input(shape=(6,)), Dense(16, activation="relu"), Dense(3, activation="softmax")]
    )
    model.compile(
        "adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit_compile
    )
    x, y = data()
    history = model.fit(x, y, batch_size=16, epochs=epochs, verbose=0, shuffle=False)
    return model, history.history


def test_compiled_step_trains_like_the_eager_step(monkeypatch):
    # aot_eager: dynamo's trace and AOTAutograd's compiled forward and backward graphs, with
    # no C++ build (inductor is the slow test below).
    monkeypatch.setattr(_steps, "COMPILE_BACKEND", "aot_eager")
    compiled, compiled_logs = trained(True)
    eager, eager_logs = trained(False)
    step = compiled._runner.forward_loss
    assert isinstance(step, _steps.CompiledOrEager) and not step.failed
    # A traced graph may reorder float sums: agreement to float32 rounding over 12 Adam steps.
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(compiled_logs["loss"], eager_logs["loss"], rtol=1e-5)
    assert compiled_logs["accuracy"] == eager_logs["accuracy"]


def test_a_compiler_that_fails_leaves_the_eager_step_with_its_exact_results(monkeypatch):
    monkeypatch.setattr(_steps, "COMPILE_BACKEND", "no_such_backend")  # torch.compile refuses
    # Bitwise against the autograd step (not the hand-derived Dense-stack step, which agrees
    # to float rounding only: tests/training/test_dense_step.py).
    monkeypatch.setattr(_steps.DenseStackStep, "plan", classmethod(lambda cls, *a: None))
    compiled, compiled_logs = trained(True)
    eager, eager_logs = trained(False)
    assert compiled._runner.forward_loss.failed
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert compiled_logs == eager_logs


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch's own, while it compiles
def test_inductor_compiled_step_matches_eager():
    # Inductor builds C++ kernels: a minute or more on a small CPU, once per shape.
    compiled, compiled_logs = trained(True, epochs=2)
    eager, eager_logs = trained(False, epochs=2)
    if compiled._runner.forward_loss.failed:
        pytest.skip("torch.compile's inductor does not work here (no C++ toolchain?)")
    # Inductor fuses and reorders float math: agreement to float32 rounding over 8 steps.
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(compiled_logs["loss"], eager_logs["loss"], rtol=1e-5)
