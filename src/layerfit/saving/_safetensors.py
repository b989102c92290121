"""The safetensors format, read and written without pickle and without the safetensors package.

A file is: 8 bytes (little-endian unsigned 64-bit) giving the header length N, then N bytes of
UTF-8 JSON mapping each tensor name to ``{"dtype", "shape", "data_offsets": [begin, end]}``
(offsets into the data that follows; an optional ``"__metadata__"`` maps strings to strings),
then the raw little-endian tensor bytes, packed without holes.
"""

from __future__ import annotations

import json
import math
import struct

import numpy as np
import torch

from layerfit.errors import LayerfitValueError, explain

_DTYPES = {
    "BOOL": torch.bool,
    "U8": torch.uint8,
    "I8": torch.int8,
    "I16": torch.int16,
    "I32": torch.int32,
    "I64": torch.int64,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F32": torch.float32,
    "F64": torch.float64,
}
_CODES = {dtype: code for code, dtype in _DTYPES.items()}
_MAX_HEADER = 100 * 2**20  # a header is a few KB; anything huge is a damaged or hostile file


def dumps(tensors: dict, metadata: dict[str, str] | None = None) -> bytes:
    """Encodes ``{name: tensor or array}`` (in order) and string metadata as safetensors bytes."""
    header: dict = {}
    chunks = []
    offset = 0
    for name, value in tensors.items():
        tensor = _as_cpu_tensor(value)
        if tensor.dtype not in _CODES:
            raise LayerfitValueError(
                explain(
                    f"Cannot save tensor {name!r} of dtype {tensor.dtype}.",
                    f"one of {sorted(str(d) for d in _CODES)}.",
                    "cast it first, e.g. tensor.float().",
                )
            )
        raw = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        header[name] = {
            "dtype": _CODES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the spec allows space padding; keeps data aligned
    return struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks)


def loads(data: bytes, source: str = "the file") -> tuple[dict[str, torch.Tensor], dict]:
    """Decodes safetensors bytes into ``({name: tensor}, metadata)``, tensors in file order.

    Every offset, size and dtype is checked, so a truncated or damaged file raises our error.
    """
    view = memoryview(data)
    if len(view) < 8:
        _corrupted(source, f"it has {len(view)} bytes, fewer than the 8-byte header length")
    (size,) = struct.unpack("<Q", view[:8])
    if size > min(len(view) - 8, _MAX_HEADER):
        _corrupted(source, f"its header claims {size} bytes but the file has {len(view) - 8}")
    try:
        header = json.loads(bytes(view[8 : 8 + size]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        _corrupted(source, f"its JSON header cannot be read ({error})")
    if not isinstance(header, dict):
        _corrupted(source, "its header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        _corrupted(source, "its __metadata__ is not a mapping of strings to strings")
    buffer = view[8 + size :]
    entries = sorted(
        ((_check_entry(name, info, source), name) for name, info in header.items()),
        key=lambda item: item[0][2],
    )
    position = 0
    tensors = {}
    for (dtype, shape, begin, end), name in entries:
        if begin != position:
            _corrupted(
                source,
                f"tensor {name!r} starts at byte {begin}, expected {position} "
                "(overlapping data or a hole)",
            )
        if end > len(buffer):
            _corrupted(
                source,
                f"tensor {name!r} ends at byte {end} but the data section has "
                f"{len(buffer)} bytes (truncated)",
            )
        position = end
        tensors[name] = _tensor(buffer[begin:end], dtype, shape)
    if position != len(buffer):
        _corrupted(
            source,
            f"the data section has {len(buffer)} bytes but the tensors use "
            f"{position} (truncated or padded)",
        )
    return tensors, metadata


def _check_entry(name, info, source):
    if not isinstance(info, dict) or not {"dtype", "shape", "data_offsets"} <= set(info):
        _corrupted(source, f"entry {name!r} lacks dtype, shape or data_offsets")
    dtype = _DTYPES.get(info["dtype"])
    if dtype is None:
        _corrupted(source, f"tensor {name!r} has unsupported dtype {info['dtype']!r}")
    shape, offsets = info["shape"], info["data_offsets"]
    if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
        _corrupted(source, f"tensor {name!r} has an invalid shape {shape!r}")
    if not (
        isinstance(offsets, list)
        and len(offsets) == 2
        and all(map(_is_count, offsets))
        and offsets[0] <= offsets[1]
    ):
        _corrupted(source, f"tensor {name!r} has invalid data_offsets {offsets!r}")
    expected = math.prod(shape) * torch.empty((), dtype=dtype).element_size()
    if offsets[1] - offsets[0] != expected:
        _corrupted(
            source,
            f"tensor {name!r} of shape {shape} needs {expected} bytes but its "
            f"offsets span {offsets[1] - offsets[0]}",
        )
    return dtype, tuple(shape), offsets[0], offsets[1]


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _tensor(raw: memoryview, dtype: torch.dtype, shape: tuple) -> torch.Tensor:
    if not len(raw):
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(bytearray(raw), dtype=dtype).reshape(shape)


def _as_cpu_tensor(value) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu").contiguous()
    array = np.asarray(value)
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    return torch.from_numpy(array if array.flags.c_contiguous else array.copy(order="C"))


def _corrupted(source: str, reason: str):
    raise LayerfitValueError(
        explain(
            f"{source} is not a valid safetensors file: {reason}.",
            "a complete file written by layerfit (or any safetensors writer).",
            "the file is damaged or was cut short (an interrupted copy or download?): save or "
            "copy it again.",
        )
    )
