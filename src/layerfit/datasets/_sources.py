"""Where dataset files come from, in order, each verified by SHA-256 before use.

1. ``LAYERFIT_DATA_DIR/<subdir>/<name>``: a read-only folder (the canonical name, gzipped or not).
2. The cache, ``LAYERFIT_CACHE_DIR/datasets/<subdir>/<name>`` (default ``~/.cache/layerfit``).
3. A download from the dataset's public mirrors, first that works, into the cache.

``LAYERFIT_MIRRORS`` (URLs separated by spaces or commas) replaces every dataset's built-in
mirror list; each URL is laid out like ``LAYERFIT_DATA_DIR``: ``<url>/<subdir>/<name>``.
Downloads draw a progress bar on stderr when it is a terminal (``LAYERFIT_PROGRESS=1`` or ``0``
forces it on or off).

Gzipped files are verified on their uncompressed content, so a recompressed copy is as good as
the published one. Verified, parsed arrays are kept in memory for the life of the process
(``clear_memo`` forgets them); nothing pickled is ever written or read.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from layerfit import config
from layerfit.errors import LayerfitRuntimeError, explain, warn

_GZIP_MAGIC = b"\x1f\x8b"
_MEMO: dict[str, Any] = {}


@dataclass(frozen=True)
class FileSpec:
    """One published file of a dataset."""

    name: str  # canonical name, on the mirrors and on disk
    digest: str  # of the content: uncompressed when ``gzipped``, else the file's own bytes
    size: int | None = None  # content size in bytes, checked before hashing
    gzipped: bool = False
    algorithm: str = "sha256"  # md5 only where the publisher gives nothing stronger


@dataclass(frozen=True)
class DatasetSource:
    """A dataset's files and the public mirrors that serve them."""

    title: str  # for messages: "MNIST"
    subdir: str  # folder under LAYERFIT_DATA_DIR, the cache and LAYERFIT_MIRRORS URLs
    files: tuple[FileSpec, ...]
    mirrors: tuple[str, ...]  # base URLs; a file's URL is base + name


@dataclass(frozen=True)
class Verified:
    """A file that passed verification: its path, and its content when it was decompressed."""

    path: Path
    content: bytes | None = None


class _Rejected(Exception):
    pass


def _gunzip(data: bytes, limit: int | None) -> bytes:
    """Decompresses every gzip member, refusing to grow past ``limit`` bytes (a gzip bomb)."""
    parts, total = [], 0
    while data:
        decompressor = zlib.decompressobj(wbits=31)
        part = decompressor.decompress(data, 0 if limit is None else limit - total + 1)
        total += len(part)
        parts.append(part)
        if limit is not None and total > limit:
            raise _Rejected(f"it decompresses to more than the expected {limit} bytes")
        if not decompressor.eof:
            raise _Rejected("its gzip stream is cut short")
        data = decompressor.unused_data
    return b"".join(parts)


def _new_hasher(algorithm: str):
    return hashlib.new(algorithm)


def check(path: Path, spec: FileSpec) -> Verified:
    """Verifies ``path`` against ``spec``; raises ``_Rejected`` with the reason when it fails."""
    if spec.gzipped:
        raw = path.read_bytes()
        try:
            content = _gunzip(raw, spec.size) if raw[:2] == _GZIP_MAGIC else raw
        except zlib.error as error:
            raise _Rejected(f"it is not valid gzip ({error})") from None
        size, digest = len(content), None
    else:
        content, size = None, path.stat().st_size
    if spec.size is not None and size != spec.size:
        raise _Rejected(f"its content is {size} bytes, expected {spec.size}")
    hasher = _new_hasher(spec.algorithm)
    if content is not None:
        hasher.update(content)
    else:
        with open(path, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(chunk)
    digest = hasher.hexdigest()
    if digest != spec.digest:
        raise _Rejected(f"{spec.algorithm} of its content is {digest}, expected {spec.digest}")
    return Verified(path, content)


def cache_folder(source: DatasetSource) -> Path:
    from layerfit.utils._get_file import writable_cache_root

    return writable_cache_root() / "datasets" / source.subdir


def mirror_urls(source: DatasetSource) -> list[str]:
    """Base URLs to try, in order: ``LAYERFIT_MIRRORS`` when set, else the built-in list."""
    override = os.environ.get("LAYERFIT_MIRRORS", "").strip()
    if override:
        urls = [url for url in re.split(r"[\s,]+", override) if url]
        return [f"{url.rstrip('/')}/{source.subdir}/" for url in urls]
    return list(source.mirrors)


def _from_data_dir(spec: FileSpec, source: DatasetSource) -> Verified | None:
    root = config.data_dir()
    if root is None:
        return None
    names = [spec.name, spec.name[:-3]] if spec.name.endswith(".gz") else [spec.name]
    for name in names:
        path = root / source.subdir / name
        if path.is_file():
            try:
                return check(path, spec)
            except (_Rejected, OSError) as error:
                warn(
                    f"{str(path)!r} in LAYERFIT_DATA_DIR failed verification: {error}. "
                    "Ignoring it.",
                    f"the published {source.title} file (checksums in layerfit/datasets).",
                    "replace the file with a good copy; meanwhile the cache or a download is used.",
                )
    return None


def _from_cache(spec: FileSpec, source: DatasetSource) -> Verified | None:
    path = cache_folder(source) / spec.name
    if not path.is_file():
        return None
    try:
        return check(path, spec)
    except (_Rejected, OSError) as error:
        warn(
            f"The cached file {str(path)!r} failed verification: {error}. "
            "Deleting it and downloading it again.",
            f"the published {source.title} file.",
            "nothing to do, unless this repeats (then check the disk or the mirror).",
        )
        path.unlink(missing_ok=True)
        return None


def _download_missing(source: DatasetSource, missing: list[FileSpec]):
    """Downloads what it can; returns (found, still missing, attempts)."""
    from layerfit.utils import _get_file

    def verifier(spec):
        def verify(path):
            try:
                return check(path, spec)
            except _Rejected as error:
                raise _get_file.ChecksumMismatch(str(error)) from None

        return verify

    found, still_missing, attempts, dead = {}, [], [], set()
    folder = cache_folder(source)
    for spec in missing:
        bases = [base for base in mirror_urls(source) if base not in dead]
        failures: list = []
        urls = [base + spec.name for base in bases]
        try:
            verified = _get_file.download(
                urls, folder / spec.name, verifier(spec), failures=failures
            )
            found[spec.name] = Verified(folder / spec.name, verified.content)
        except _get_file.DownloadFailed:
            still_missing.append(spec)
            attempts.extend(failures)
        dead.update(base for base, a in zip(bases, failures) if a.unreachable)
    return found, still_missing, attempts


def _offline_error(source, missing, attempts) -> LayerfitRuntimeError:
    names = [spec.name for spec in missing]
    tried = "\n".join(f"  - {a.url}: {a.reason}" for a in attempts) or "  (none)"
    if any(a.unreachable for a in attempts):
        tried += "\n  (an unreachable mirror is not tried again for the other files)"
    data_dir = config.data_dir()
    where = (
        f"LAYERFIT_DATA_DIR={str(data_dir)!r} has no valid {source.subdir}/ copy"
        if data_dir
        else "LAYERFIT_DATA_DIR is not set"
    )
    listing = ", ".join(f"{source.subdir}/{name}" for name in names)
    return LayerfitRuntimeError(
        explain(
            f"Could not load {source.title}: {len(names)} file(s) missing: {', '.join(names)}.\n"
            f"{where}, the cache has no valid copy, and no mirror gave a verified file.\n"
            f"Mirrors tried:\n{tried}",
            "the files in LAYERFIT_DATA_DIR, in the cache folder, or a reachable mirror.",
            f"either set LAYERFIT_DATA_DIR to a folder holding {listing}, or copy the files "
            f"into {str(cache_folder(source))!r}. Gzipped or not, they are checked by SHA-256.",
        )
    )


def fetch(source: DatasetSource) -> dict[str, Verified]:
    """Every file of ``source``, verified: from the data dir, the cache, or a mirror."""
    found: dict[str, Verified] = {}
    missing = []
    for spec in source.files:
        hit = _from_data_dir(spec, source) or _from_cache(spec, source)
        if hit is None:
            missing.append(spec)
        else:
            found[spec.name] = hit
    if missing:
        downloaded, missing, attempts = _download_missing(source, missing)
        if missing:
            raise _offline_error(source, missing, attempts)
        found.update(downloaded)
    return found


def memoized(key: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per process; callers copy what they return, so users can't alter it."""
    if key not in _MEMO:
        _MEMO[key] = build()
    return _MEMO[key]


def copies(nested):
    """Fresh, writable copies of the arrays in nested tuples."""
    if isinstance(nested, tuple):
        return tuple(copies(item) for item in nested)
    return np.array(nested, copy=True, order="C")


def clear_memo() -> None:
    """Forgets every dataset loaded in this process (tests use it)."""
    _MEMO.clear()
