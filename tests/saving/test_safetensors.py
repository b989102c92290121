"""Our safetensors codec against the format's specification, byte for byte."""

import json
import struct

import numpy as np
import pytest
import torch

from layerfit.errors import LayerfitValueError
from layerfit.saving import _safetensors


def parse_by_spec(data: bytes):
    """An independent reading of the spec: u64 LE header size, JSON header, raw LE bytes."""
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size].decode("utf-8"))
    return header, data[8 + size :]


def test_written_bytes_follow_the_spec():
    kernel = np.arange(6, dtype="<f4").reshape(2, 3) / 7
    steps = np.array(5, dtype="<i8")
    data = _safetensors.dumps({"dense/kernel": kernel, "steps": steps}, metadata={"who": "me"})
    header, body = parse_by_spec(data)
    raw_header = data[8 : len(data) - len(body)]
    assert len(data) - len(body) - 8 == struct.unpack("<Q", data[:8])[0]
    assert (len(data) - len(body)) % 8 == 0  # padded with spaces so the data starts aligned
    assert raw_header == raw_header.rstrip(b" ") + b" " * (
        len(raw_header) - len(raw_header.rstrip())
    )
    assert header["__metadata__"] == {"who": "me"}
    assert header["dense/kernel"] == {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}
    assert header["steps"] == {"dtype": "I64", "shape": [], "data_offsets": [24, 32]}
    assert body[:24] == kernel.tobytes() and body[24:] == steps.tobytes()
    assert len(body) == 32


def test_reads_a_hand_made_file():
    values = np.array([1.5, -2.0], dtype="<f8")
    header = json.dumps(
        {
            "b": {"dtype": "U8", "shape": [3], "data_offsets": [16, 19]},
            "a": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]},
        }
    ).encode()
    data = struct.pack("<Q", len(header)) + header + values.tobytes() + bytes([7, 8, 9])
    tensors, metadata = _safetensors.loads(data)
    assert list(tensors) == ["a", "b"]  # file order (by offset), not header order
    assert tensors["a"].dtype == torch.float64 and tensors["a"].tolist() == [1.5, -2.0]
    assert tensors["b"].tolist() == [7, 8, 9] and metadata == {}


@pytest.mark.parametrize(
    "dtype",
    [
        torch.float32,
        torch.float64,
        torch.float16,
        torch.bfloat16,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.uint8,
        torch.bool,
    ],
)
def test_every_dtype_round_trips_exactly(dtype):
    source = (torch.arange(-6, 6).reshape(3, 4) % 5).to(dtype)
    tensors, _ = _safetensors.loads(_safetensors.dumps({"t": source, "empty": source[:0]}))
    assert tensors["t"].dtype == dtype and torch.equal(tensors["t"], source)
    assert tensors["empty"].shape == (0, 4)


def test_cross_check_with_the_reference_library():
    safetensors_torch = pytest.importorskip("safetensors.torch")
    source = {"w": torch.randn(3, 2), "b": torch.arange(4)}
    ours, _ = _safetensors.loads(safetensors_torch.save(source))
    assert all(torch.equal(ours[k], source[k]) for k in source)
    theirs = safetensors_torch.load(_safetensors.dumps(source))
    assert all(torch.equal(theirs[k], source[k]) for k in source)


def _file(entries: dict, body: bytes, size_override=None) -> bytes:
    header = json.dumps(entries).encode()
    return struct.pack("<Q", size_override or len(header)) + header + body


@pytest.mark.parametrize(
    "data, cause",
    [
        (b"\x01\x02", "fewer than the 8-byte header length"),
        (_file({}, b"", size_override=10_000), "header claims 10000 bytes"),
        (struct.pack("<Q", 3) + b"{x]", "JSON header cannot be read"),
        (
            _file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 4),
            "data section has 4 bytes (truncated)",
        ),
        (
            _file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 12),
            "truncated or padded",
        ),
        (
            _file(
                {
                    "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                    "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                },
                b"\0" * 4,
            ),
            "overlapping data or a hole",
        ),
        (
            _file({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8),
            "needs 12 bytes",
        ),
        (
            _file({"a": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8),
            "unsupported dtype 'C64'",
        ),
        (
            _file({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, b"\0" * 4),
            "invalid shape",
        ),
        (_file({"__metadata__": {"k": 1}}, b""), "mapping of strings"),
    ],
)
def test_damaged_files_raise_our_error(data, cause):
    with pytest.raises(LayerfitValueError) as info:
        _safetensors.loads(data, "w.safetensors")
    message = str(info.value)
    assert "w.safetensors is not a valid safetensors file" in message and cause in message
    assert "Fix: the file is damaged or was cut short" in message


def test_unsupported_dtype_on_write_names_the_tensor():
    with pytest.raises(LayerfitValueError, match="(?s)'z'.*complex64.*Fix: cast it first"):
        _safetensors.dumps({"z": torch.zeros(2, dtype=torch.complex64)})
