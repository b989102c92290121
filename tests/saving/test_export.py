"""model.export: torch.export and TorchScript artifacts match predict; ONNX when installed."""

import importlib.util
import warnings

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, LayerfitWarning
from layerfit.saving import _export


def load_program(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # some torch versions warn inside load
        return torch.export.load(str(path))


def model():
    m = keras.Sequential(
        [
            layers.Input(shape=(4,)),
            layers.Dense(6, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )
    return m


@pytest.mark.parametrize("batch", [1, 5])
def test_torch_export_matches_predict(tmp_path, batch, capsys):
    m = model()
    m.export(tmp_path / "m.pt2", format="torch_export")
    assert "Saved artifact at" in capsys.readouterr().out
    program = load_program(tmp_path / "m.pt2")
    x = np.random.rand(batch, 4).astype("float32")
    got = program.module()(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, m.predict(x, verbose=0), rtol=0, atol=1e-6)  # dropout off


def test_torchscript_matches_predict_for_two_inputs(tmp_path, monkeypatch):
    a, b = layers.Input(shape=(3,)), layers.Input(shape=(2,))
    out = layers.Dense(2)(layers.Concatenate()([a, b]))
    m = keras.Model([a, b], out)
    monkeypatch.setattr(_export, "_torchscript_noted", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.export(tmp_path / "m.ts", format="torchscript", verbose=False)
    # torch <= 2.13: no warning; torch >= 2.14 deprecates torch.jit: exactly our one note.
    assert all(issubclass(w.category, LayerfitWarning) for w in caught), [
        str(w.message) for w in caught
    ]
    assert len(caught) <= 1
    with warnings.catch_warnings():
        # torch deprecates jit.load (DeprecationWarning up to 2.13, FutureWarning from 2.14).
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        scripted = torch.jit.load(str(tmp_path / "m.ts"))
    xa, xb = np.random.rand(4, 3).astype("float32"), np.random.rand(4, 2).astype("float32")
    got = scripted(torch.from_numpy(xa), torch.from_numpy(xb)).detach().numpy()
    np.testing.assert_allclose(got, m.predict([xa, xb], verbose=0), rtol=0, atol=1e-6)


def test_onnx_export(tmp_path):
    onnx = pytest.importorskip("onnx")
    m = model()
    m.export(tmp_path / "m.onnx", format="onnx", verbose=False)
    onnx.checker.check_model(str(tmp_path / "m.onnx"))
    runtime = pytest.importorskip("onnxruntime")
    session = runtime.InferenceSession(str(tmp_path / "m.onnx"))
    for batch in (1, 6):
        x = np.random.rand(batch, 4).astype("float32")
        (got,) = session.run(None, {session.get_inputs()[0].name: x})
        np.testing.assert_allclose(got, m.predict(x, verbose=0), rtol=0, atol=1e-6)


@pytest.mark.skipif(importlib.util.find_spec("onnx") is not None, reason="onnx is installed")
def test_onnx_without_the_package_says_what_to_install(tmp_path):
    with pytest.raises(LayerfitRuntimeError) as info:
        model().export(tmp_path / "m.onnx", format="onnx")
    assert "pip install onnx onnxscript" in str(info.value)
    assert "format='torch_export'" in str(info.value)
    assert not (tmp_path / "m.onnx").exists()


def test_keras_default_format_warns_and_writes_onnx(tmp_path):
    # Keras's default is 'tf_saved_model', which needs TensorFlow: layerfit says so and
    # writes ONNX (or, without the onnx package, says what to install).
    path = tmp_path / "m.onnx"
    with pytest.warns(LayerfitWarning, match="(?s)needs TensorFlow.*format='onnx'"):
        if importlib.util.find_spec("onnx") is None:
            with pytest.raises(LayerfitRuntimeError, match="pip install onnx"):
                model().export(path, verbose=False)
        else:
            model().export(path, verbose=False)
            assert path.stat().st_size > 0


def test_format_errors(tmp_path):
    with pytest.raises(LayerfitValueError, match="Did you mean 'torchscript'"):
        model().export(tmp_path / "m", format="torchscrpt")


def test_unbuilt_subclassed_model_needs_an_input_signature(tmp_path):
    class Net(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    net = Net()
    with pytest.raises(LayerfitValueError, match="input_signature=\\[\\(None, 784\\)\\]"):
        net.export(tmp_path / "n.pt2", format="torch_export")
    net.export(
        tmp_path / "n.pt2", format="torch_export", input_signature=[(None, 3)], verbose=False
    )
    assert load_program(tmp_path / "n.pt2").module()(torch.ones(7, 3)).shape == (7, 2)


def test_torchscript_on_a_torch_that_deprecates_it_keeps_working_with_one_note(
    tmp_path, monkeypatch
):
    """torch 2.14 warns FutureWarning from torch.jit; simulated here on any torch."""
    real_trace = torch.jit.trace

    def deprecated_trace(*args, **kwargs):
        warnings.warn(
            "torch.jit.trace is deprecated; use torch.export", FutureWarning, stacklevel=2
        )
        return real_trace(*args, **kwargs)

    monkeypatch.setattr(torch.jit, "trace", deprecated_trace)
    monkeypatch.setattr(_export, "_torchscript_noted", False)
    m = model()
    with pytest.warns(LayerfitWarning) as caught:
        m.export(tmp_path / "m.ts", format="torchscript", verbose=False)
    assert len(caught) == 1  # torch's FutureWarning does not reach the user
    message = str(caught[0].message)
    assert "deprecates TorchScript" in message and "torch.jit.trace is deprecated" in message
    assert "format='torch_export'" in message and "format='onnx'" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the note is shown once per session
        m.export(tmp_path / "m2.ts", format="torchscript", verbose=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        scripted = torch.jit.load(str(tmp_path / "m2.ts"))
    x = np.random.rand(3, 4).astype("float32")
    got = scripted(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, m.predict(x, verbose=0), rtol=0, atol=1e-6)
