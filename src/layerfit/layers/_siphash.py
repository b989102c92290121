"""SipHash-2-4 in pure Python: ``tf.strings.to_hash_bucket_strong``, Keras's salted Hashing.

TensorFlow keys SipHash with the two salt integers as (k0, k1); the bucket is the 64-bit hash
modulo the number of bins. Checked against the reference vectors of the SipHash paper and
Keras's documented ``Hashing(salt=...)`` outputs.
"""

from __future__ import annotations

MASK = (1 << 64) - 1
INIT = (0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573)


def _rotl(x: int, bits: int) -> int:
    return ((x << bits) | (x >> (64 - bits))) & MASK


def _rounds(v0: int, v1: int, v2: int, v3: int, count: int):
    for _ in range(count):
        v0 = (v0 + v1) & MASK
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & MASK
        v3 = _rotl(v3, 16) ^ v2
        v0 = (v0 + v3) & MASK
        v3 = _rotl(v3, 21) ^ v0
        v2 = (v2 + v1) & MASK
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash24(k0: int, k1: int, data: bytes) -> int:
    """The 64-bit SipHash-2-4 of ``data`` under the key (k0, k1)."""
    k0, k1 = k0 & MASK, k1 & MASK
    v0, v1, v2, v3 = INIT[0] ^ k0, INIT[1] ^ k1, INIT[2] ^ k0, INIT[3] ^ k1
    end = len(data) - len(data) % 8
    for start in range(0, end, 8):
        word = int.from_bytes(data[start : start + 8], "little")
        v3 ^= word
        v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 2)
        v0 ^= word
    last = (len(data) & 0xFF) << 56 | int.from_bytes(data[end:], "little")
    v3 ^= last
    v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3
