"""The IDX format of MNIST and Fashion-MNIST, read with ``np.frombuffer`` (no copy, no pickle).

An IDX file is: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions,
each dimension as a big-endian uint32, then the values in C order.
"""

from __future__ import annotations

import struct

import numpy as np

from layerfit.datasets import _sources
from layerfit.errors import LayerfitValueError, explain

_UNSIGNED_BYTE = 0x08


def parse_idx(content: bytes, name: str = "IDX file") -> np.ndarray:
    """A read-only uint8 array viewing ``content``, shaped as its header says."""
    if len(content) < 4 or content[:2] != b"\x00\x00" or content[2] != _UNSIGNED_BYTE:
        raise LayerfitValueError(
            explain(
                f"{name} is not an unsigned-byte IDX file (header {content[:4].hex()!r}).",
                "a header starting 00 00 08 (MNIST's format).",
                "check that the file is an uncompressed or gzipped IDX file.",
            )
        )
    ndim = content[3]
    header = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", content[4:header])
    expected = int(np.prod(shape, dtype=np.int64))
    if len(content) - header != expected:
        raise LayerfitValueError(
            explain(
                f"{name} holds {len(content) - header} values; its header {shape} says {expected}.",
                "a complete IDX file.",
                "get a fresh copy of the file.",
            )
        )
    return np.frombuffer(content, dtype=np.uint8, offset=header).reshape(shape)


def load_idx_dataset(source: _sources.DatasetSource):
    """``(x_train, y_train), (x_test, y_test)`` from the four IDX files of ``source``.

    ``source.files`` lists train images, train labels, test images, test labels, in that order.
    """

    def build():
        files = _sources.fetch(source)
        arrays = [parse_idx(files[spec.name].content, spec.name) for spec in source.files]
        return (arrays[0], arrays[1]), (arrays[2], arrays[3])

    return _sources.copies(_sources.memoized(source.subdir, build))
