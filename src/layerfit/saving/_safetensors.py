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


def loads(data, source: str = "the file") -> tuple[dict[str, torch.Tensor], dict]:
    """Decodes safetensors bytes into ``({name: tensor}, metadata)``, tensors in file order.

    Every offset, size and dtype is checked, so a truncated or damaged file raises our error.
    A writable ``bytearray`` is used in place (the tensors share its memory): no copy.
    """
    view = memoryview(data)
    header = parse_header(view[:8], lambda size: view[8 : 8 + size], len(view), source)
    buffer = view[8 + header.size :]
    if header.data_bytes != len(buffer):
        _corrupted(
            source,
            f"the data section has {len(buffer)} bytes but the tensors use "
            f"{header.data_bytes} (truncated or padded)",
        )
    start = 8 + header.size  # a bytearray starts aligned; a tensor can share it when its
    tensors = {  # own start is a multiple of its element size (always, for our files)
        name: _tensor(
            buffer[begin:end],
            dtype,
            shape,
            shared=not view.readonly and (start + begin) % dtype.itemsize == 0,
        )
        for name, (dtype, shape, begin, end) in header.entries.items()
    }
    return tensors, header.metadata


class Header:
    """A checked safetensors header: ``entries`` maps each name, in file order, to
    ``(dtype, shape, begin, end)``; ``data_bytes`` and ``elements`` are their totals."""

    def __init__(self, size: int, entries: dict, metadata: dict):
        self.size = size
        self.entries = entries
        self.metadata = metadata
        self.data_bytes = max((end for _, _, _, end in entries.values()), default=0)
        self.elements = sum(math.prod(shape) for _, shape, _, _ in entries.values())


def read_header(file, total: int, source: str) -> Header:
    """The header of a safetensors stream of ``total`` bytes, read without its data."""
    header = parse_header(file.read(8), file.read, total, source)
    if 8 + header.size + header.data_bytes != total:
        _corrupted(
            source,
            f"the data section has {total - 8 - header.size} bytes but the tensors use "
            f"{header.data_bytes} (truncated or padded)",
        )
    return header


def parse_header(first8, read, total: int, source: str) -> Header:
    """Checks a header against the ``total`` length before reading it: ``read(n)`` gives it."""
    if len(first8) < 8:
        _corrupted(source, f"it has {len(first8)} bytes, fewer than the 8-byte header length")
    (size,) = struct.unpack("<Q", first8)
    if size > min(total - 8, _MAX_HEADER):
        _corrupted(source, f"its header claims {size} bytes but the file has {total - 8}")
    try:
        header = json.loads(bytes(read(size)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        _corrupted(source, f"its JSON header cannot be read ({type(error).__name__})")
    if not isinstance(header, dict):
        _corrupted(source, "its header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        _corrupted(source, "its __metadata__ is not a mapping of strings to strings")
    entries = sorted(
        ((_check_entry(name, info, source), name) for name, info in header.items()),
        key=lambda item: item[0][2],
    )
    position = 0
    for (_, _, begin, end), name in entries:
        if begin != position:
            _corrupted(
                source,
                f"tensor {name!r} starts at byte {begin}, expected {position} "
                "(overlapping data or a hole)",
            )
        if end > total - 8 - size:
            _corrupted(
                source,
                f"tensor {name!r} ends at byte {end} but the data section has "
                f"{total - 8 - size} bytes (truncated)",
            )
        position = end
    return Header(size, {name: entry for entry, name in entries}, metadata)


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


def _tensor(raw: memoryview, dtype: torch.dtype, shape: tuple, shared: bool) -> torch.Tensor:
    """A tensor over ``raw``: sharing its memory when ``shared``, else on a copy."""
    if not len(raw):
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(raw if shared else bytearray(raw), dtype=dtype).reshape(shape)


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
