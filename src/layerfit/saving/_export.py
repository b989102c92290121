"""model.export: an inference-only artifact for deployment (ONNX, torch.export, TorchScript).

The artifact runs the model with ``training=False`` and a free batch axis; it holds no
optimizer and no Python code of ours. ONNX needs the optional ``onnx`` package.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import tempfile
import warnings
from pathlib import Path

import torch

from layerfit._registry import Registry
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain, warn

FORMATS = Registry("export format")
FORMATS.register("onnx", "onnx")
FORMATS.register("torch_export", "torch_export", "torch.export", "export", "pt2")
FORMATS.register("torchscript", "torchscript", "jit", "torch_script")


class _Inference(torch.nn.Module):
    """Calls the model in inference mode on positional inputs (one per model input)."""

    def __init__(self, model, structured: bool):
        super().__init__()
        self.model = model
        self.structured = structured

    def forward(self, *inputs):
        value = list(inputs) if self.structured else inputs[0]
        if self.model.call_takes_training:
            return self.model(value, training=False)
        return self.model(value)


def export_model(
    model, filepath, format: str = "onnx", verbose: bool = True, input_signature=None, **kwargs
) -> None:
    """Writes ``model`` for inference outside layerfit; see ``Model.export``."""
    if format in ("tf_saved_model", "tflite", "openvino"):
        raise LayerfitValueError(
            explain(
                f"export(format={format!r}) needs TensorFlow/OpenVINO, which layerfit (on "
                "PyTorch) does not use.",
                "format='onnx', 'torch_export' or 'torchscript'.",
                "use format='onnx' for a portable file (ONNX Runtime, TensorRT, OpenVINO all "
                "read it).",
            )
        )
    kind = FORMATS.get(format)
    if kind == "onnx" and importlib.util.find_spec("onnx") is None:
        raise LayerfitRuntimeError(
            explain(
                "export(format='onnx') needs the optional 'onnx' package, which is not installed.",
                "the onnx package (and onnxscript for torch's newer exporter).",
                "pip install onnx onnxscript, or use format='torch_export' (no extra dependency).",
            )
        )
    examples, structured = example_inputs(model, input_signature)
    module = _Inference(model, structured).eval()
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # torch's exporters raise deprecation notices about their own internals.
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            _atomic(filepath, lambda path: _EXPORTERS[kind](module, examples, path, **kwargs))
    finally:
        model.train(was_training)
    if verbose:
        print(f"Saved artifact at '{os.fspath(filepath)}' (format {kind}).")


def example_inputs(model, input_signature=None) -> tuple[tuple[torch.Tensor, ...], bool]:
    """Zero tensors shaped like the model's inputs (batch of 2), and whether there are several."""
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    if input_signature is not None:
        signature = input_signature
    elif getattr(model, "inputs", None):
        signature = [tuple(t.shape) for t in model.inputs]
    elif getattr(model, "_build_input_shape", None) is not None:
        signature = model._build_input_shape
    else:
        raise LayerfitValueError(
            explain(
                "export() cannot tell the model's input shape: it has not been built.",
                "a model built by an Input, by fit/predict, or an input_signature.",
                "pass input_signature=[(None, 784)] (one shape per input, None for the "
                "batch), or call the model on data first.",
            )
        )
    items = list(signature) if isinstance(signature, list) else [signature]
    tensors = []
    for item in items:
        if torch.is_tensor(item) or hasattr(item, "__array__"):
            tensors.append(torch.as_tensor(item, device=device))
            continue
        shape = tuple(getattr(item, "shape", item))
        if any(d is None for d in shape[1:]):
            raise LayerfitValueError(
                explain(
                    f"export() got input shape {shape} with an unknown axis after the batch.",
                    "known sizes for every axis but the first.",
                    "pass input_signature with the sizes to export for, e.g. [(None, 28, 28, 1)].",
                )
            )
        tensors.append(torch.zeros([2 if d is None else d for d in shape], device=device))
    return tuple(tensors), len(tensors) > 1


def _atomic(filepath, write) -> None:
    path = Path(os.fspath(filepath)).expanduser()
    if not path.parent.is_dir():
        raise LayerfitValueError(
            explain(
                f"Cannot export to {str(path)!r}: the folder {str(path.parent)!r} does not exist.",
                "a path in an existing folder.",
                f"create it first: os.makedirs({str(path.parent)!r}, exist_ok=True).",
            )
        )
    # The temporary name keeps the extension: torch.export reads '.pt2' files by their name.
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.tmp-", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _export_onnx(module, examples, path, **kwargs) -> None:
    names = [f"input_{i}" for i in range(len(examples))]
    if "dynamic_shapes" in inspect.signature(torch.onnx.export).parameters:
        # torch's torch.export-based exporter: a free batch axis as in _export_program.
        batch = torch.export.Dim("batch")
        kwargs.setdefault("dynamo", True)
        kwargs.setdefault("dynamic_shapes", (tuple({0: batch} for _ in examples),))
    else:
        kwargs.setdefault("dynamic_axes", {name: {0: "batch"} for name in names})
    kwargs.setdefault("verbose", False)
    torch.onnx.export(module, examples, path, input_names=names, **kwargs)


def _export_program(module, examples, path, **kwargs) -> None:
    batch = torch.export.Dim("batch")
    shapes = (tuple({0: batch} for _ in examples),)  # forward(*inputs): one varargs tuple
    program = torch.export.export(module, examples, dynamic_shapes=shapes, **kwargs)
    torch.export.save(program, path)


_torchscript_noted = False


def _export_torchscript(module, examples, path, **kwargs) -> None:
    # Newer torch (2.14 on) deprecates torch.jit with a FutureWarning. The format still works
    # and was asked for, so it keeps working; torch's notice becomes one note of ours per
    # process that names the formats to move to.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.jit.save(torch.jit.trace(module, examples, **kwargs), path)
    deprecated = [w for w in caught if issubclass(w.category, (FutureWarning, DeprecationWarning))]
    if deprecated:
        _note_torchscript_deprecated(str(deprecated[0].message))


def _note_torchscript_deprecated(message: str) -> None:
    global _torchscript_noted
    if _torchscript_noted:
        return
    _torchscript_noted = True
    warn(
        f"export(format='torchscript') still works, but torch {torch.__version__} deprecates "
        f"TorchScript ({message.splitlines()[0] if message else 'torch.jit'}).",
        "a format torch keeps supporting.",
        "use format='torch_export' (a .pt2 file, loaded with torch.export.load) or "
        "format='onnx'. This note is shown once per session.",
    )


_EXPORTERS = {
    "onnx": _export_onnx,
    "torch_export": _export_program,
    "torchscript": _export_torchscript,
}
