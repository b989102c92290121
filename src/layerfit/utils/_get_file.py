"""Verified, atomic downloads into the cache, and Keras's ``keras.utils.get_file`` on top of them.

Standard library only (no torch): ``layerfit.datasets`` uses the same machinery.

A download streams into a private temporary file beside its target, is checked, and only then
renamed into place (``os.replace`` is atomic), so a crash, a cut-short transfer or two processes
downloading at once can never leave a half-written or unverified file under the final name.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from layerfit import config
from layerfit._registry import Registry
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, explain, warn

T = TypeVar("T")
_CHUNK = 1 << 16
_STALE_PART_SECONDS = 24 * 3600


@dataclass
class DownloadSettings:
    """Network knobs; tests shorten them (``monkeypatch.setattr(DEFAULTS, "timeout", 0.5)``)."""

    timeout: float = 30.0  # seconds without a byte before a transfer is given up
    retries: int = 3  # extra attempts per URL after a failed transfer (not after a refusal)
    backoff: float = 1.0  # wait before retry k (0-based) is backoff * 2**k seconds


DEFAULTS = DownloadSettings()


@dataclass(frozen=True)
class Attempt:
    """One URL that did not give a usable file, and why."""

    url: str
    reason: str
    unreachable: bool = False  # the host refused or did not answer: skip it for other files
    mismatch: bool = False  # the transfer finished but the content failed verification


class ChecksumMismatch(Exception):
    """Raised by a ``verify`` callback: the file arrived whole but is not the expected one."""


class DownloadFailed(Exception):
    """Internal: every URL failed. Callers turn ``attempts`` into a user-facing error."""

    def __init__(self, attempts: list[Attempt]):
        super().__init__("; ".join(f"{a.url}: {a.reason}" for a in attempts))
        self.attempts = attempts


class _CutShort(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Hashing and the cache folder


def hash_file(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in chunks ('sha256' or 'md5')."""
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def writable_cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """``cache_dir`` (default ``config.cache_dir()``), or a temp folder when it is not writable.

    Keras falls back to ``/tmp/.keras`` the same way, so a read-only home still works.
    """
    root = Path(cache_dir).expanduser() if cache_dir is not None else config.cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        if os.access(root, os.W_OK):
            return root
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / "layerfit"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


# ---------------------------------------------------------------------------------------------
# Progress bar


def _progress_enabled(progress: bool | None, stream) -> bool:
    if progress is not None:
        return progress
    forced = os.environ.get("LAYERFIT_PROGRESS", "").strip().lower()
    if forced in ("1", "true", "yes", "on"):
        return True
    if forced in ("0", "false", "no", "off"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class _ProgressBar:
    """One line on stderr, redrawn at most ten times a second."""

    def __init__(self, label: str, total: int | None, enabled: bool, stream=None):
        self.label, self.total, self.enabled = label, total, enabled
        self.stream = stream or sys.stderr
        self._last = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.1):
            return
        self._last = now
        megabytes = done / 1e6
        if self.total:
            fraction = min(done / self.total, 1.0)
            filled = int(fraction * 30)
            bar = "=" * filled + (">" if filled < 30 else "") + "." * (29 - filled)
            text = f"{self.label} [{bar}] {fraction:4.0%} {megabytes:.1f}/{self.total / 1e6:.1f} MB"
        else:
            text = f"{self.label} {megabytes:.1f} MB"
        self.stream.write("\r" + text)
        self.stream.flush()

    def close(self, done: int) -> None:
        if self.enabled:
            self.update(done, force=True)
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------
# Download


def _describe(error: BaseException, timeout: float) -> tuple[str, bool, bool]:
    """(reason, unreachable, retryable) for a failed transfer, in plain words."""
    if isinstance(error, urllib.error.HTTPError):
        retryable = error.code >= 500 or error.code in (408, 429)
        return f"HTTP {error.code} {error.reason}", False, retryable
    if isinstance(error, urllib.error.URLError):  # failed before any response: connect, DNS
        cause = error.reason
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (no server there)", True, False
        if isinstance(cause, socket.gaierror):
            return f"host not found ({cause.strerror}; offline?)", True, False
        if isinstance(cause, TimeoutError):
            return f"no answer within {timeout:g} s", True, False
        return str(cause), True, False
    if isinstance(error, TimeoutError):
        return f"transfer stalled for more than {timeout:g} s", False, True
    if isinstance(error, ConnectionResetError):
        return "connection reset by the server during the transfer", False, True
    if isinstance(error, (_CutShort, http.client.IncompleteRead)):
        return str(error) or "transfer cut short", False, True
    if isinstance(error, ValueError):  # urllib's word for a malformed URL
        return f"not a usable URL ({error})", True, False
    return f"{type(error).__name__}: {error}", False, True


def _stream_to(url: str, out, timeout: float, label: str, progress: bool) -> int:
    """Copies ``url`` into the open file ``out``; returns the byte count. Raises on failure."""
    from layerfit import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"layerfit/{__version__}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        bar = _ProgressBar(label, total, progress)
        done = 0
        while chunk := response.read(_CHUNK):
            out.write(chunk)
            done += len(chunk)
            bar.update(done)
        bar.close(done)
    if total is not None and done != total:
        raise _CutShort(f"transfer cut short after {done} of {total} bytes")
    return done


def _remove_stale_parts(target: Path) -> None:
    """Deletes temporary files a killed process left beside ``target`` more than a day ago."""
    cutoff = time.time() - _STALE_PART_SECONDS
    for part in target.parent.glob(f".{target.name}.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except OSError:
            pass


def _try_url(url, target, verify, settings, progress, label) -> tuple[object, Attempt | None]:
    """Up to ``1 + retries`` transfers of one URL. Returns (verified value, None) or (None, why)."""
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(settings.backoff * 2 ** (attempt - 1))
        descriptor, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
        temp = Path(temp_name)
        try:
            with os.fdopen(descriptor, "wb") as out:
                _stream_to(url, out, settings.timeout, label, progress)
                out.flush()
                os.fsync(out.fileno())
            value = verify(temp)
            os.chmod(temp, 0o644)
            os.replace(temp, target)  # atomic: readers see the old file or the whole new one
            return value, None
        except ChecksumMismatch as error:
            return None, Attempt(url, f"checksum mismatch: {error}", mismatch=True)
        except (OSError, ValueError, http.client.HTTPException, _CutShort) as error:
            reason, unreachable, retryable = _describe(error, settings.timeout)
            if not retryable or attempt == settings.retries:
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                return None, Attempt(url, reason + tries, unreachable=unreachable)
        finally:
            temp.unlink(missing_ok=True)
    raise AssertionError("unreachable")  # pragma: no cover


def download(
    urls: Sequence[str],
    target: str | os.PathLike,
    verify: Callable[[Path], T] | None = None,
    *,
    settings: DownloadSettings | None = None,
    progress: bool | None = None,
    failures: list[Attempt] | None = None,
) -> T | None:
    """Fetches the first URL that gives a verified file and moves it to ``target``.

    Args:
        urls: mirrors to try in order.
        target: final path; its folder is created.
        verify: called with the finished temporary file; raises ``ChecksumMismatch`` to reject
            it. Its return value is returned. Defaults to accepting any complete transfer.
        settings: timeout, retries and backoff. Defaults to ``DEFAULTS``.
        progress: draw a progress bar on stderr. Defaults to ``LAYERFIT_PROGRESS`` when set,
            else to whether stderr is a terminal.
        failures: a list that receives an ``Attempt`` for each URL that failed, even when a
            later one works (callers skip unreachable mirrors for their next files).

    Raises:
        DownloadFailed: with one ``Attempt`` per URL when none worked.
    """
    settings = settings or DEFAULTS
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(target)
    show = _progress_enabled(progress, sys.stderr)
    attempts: list[Attempt] = [] if failures is None else failures
    start = len(attempts)
    for url in urls:
        if show:
            print(f"Downloading data from {url}", file=sys.stderr)
        value, failure = _try_url(
            url, target, verify or (lambda path: None), settings, show, target.name
        )
        if failure is None:
            return value
        attempts.append(failure)
    raise DownloadFailed(attempts[start:])


# ---------------------------------------------------------------------------------------------
# get_file

_HASH_ALGORITHMS = Registry("hash algorithm")
for _name in ("auto", "sha256", "md5"):
    _HASH_ALGORITHMS.register(_name, _name)
_ARCHIVE_FORMATS = Registry("archive format")
for _name in ("auto", "tar", "zip"):
    _ARCHIVE_FORMATS.register(_name, _name)


def _resolve_algorithm(algorithm: str, file_hash: str) -> str:
    algorithm = _HASH_ALGORITHMS.get(algorithm)
    if algorithm == "auto":  # Keras's rule: 64 hex digits is sha256, anything else md5
        return "sha256" if len(file_hash) == 64 else "md5"
    return algorithm


def _hash_checker(file_hash: str, algorithm: str) -> Callable[[Path], None]:
    def verify(path: Path) -> None:
        actual = hash_file(path, algorithm)
        if actual != file_hash.lower():
            raise ChecksumMismatch(f"{algorithm} of the file is {actual}, expected {file_hash}")

    return verify


def _archive_kinds(archive_format) -> list[str]:
    if archive_format is None:
        return []
    names = [archive_format] if isinstance(archive_format, str) else list(archive_format)
    kinds = [_ARCHIVE_FORMATS.get(name) for name in names]
    return ["tar", "zip"] if "auto" in kinds else kinds


def _inside(base: Path, name: str) -> bool:
    resolved = (base / name).resolve()
    return resolved == base or base in resolved.parents


def _safe_tar_members(archive: tarfile.TarFile, base: Path):
    for member in archive.getmembers():
        link_ok = True
        if member.issym():  # relative to the link's folder
            link_ok = _inside(base, str(Path(member.name).parent / member.linkname))
        elif member.islnk():  # relative to the archive's root
            link_ok = _inside(base, member.linkname)
        if _inside(base, member.name) and link_ok and not (member.isdev() or member.isfifo()):
            yield member
        else:
            warn(f"Skipped archive member {member.name!r}: it would land outside {str(base)!r}.")


def _extract(archive_path: Path, destination: Path, kinds: list[str]) -> bool:
    """Extracts into a fresh temp folder, then renames it to ``destination``."""
    opener = None
    for kind in kinds:
        if kind == "tar" and tarfile.is_tarfile(archive_path):
            opener = "tar"
            break
        if kind == "zip" and zipfile.is_zipfile(archive_path):
            opener = "zip"
            break
    if opener is None:
        return False
    staging = Path(tempfile.mkdtemp(dir=destination.parent, prefix=f".{destination.name}."))
    try:
        base = staging.resolve()
        if opener == "tar":
            with tarfile.open(archive_path) as archive:
                members = list(_safe_tar_members(archive, base))
                extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                archive.extractall(base, members=members, **extra)
        else:
            with zipfile.ZipFile(archive_path) as archive:
                for info in archive.infolist():
                    if _inside(base, info.filename):
                        archive.extract(info, base)
                    else:
                        warn(f"Skipped archive member {info.filename!r}: outside the folder.")
        if destination.exists():
            shutil.rmtree(destination)
        try:
            os.replace(staging, destination)
        except OSError:
            if not destination.is_dir():  # another process extracting at once got there first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _raise_download_error(attempts: list[Attempt], target: Path) -> None:
    tried = "\n".join(f"  - {a.url}: {a.reason}" for a in attempts)
    if attempts and all(a.mismatch for a in attempts):
        raise LayerfitValueError(
            explain(
                "Incomplete or corrupted download: the checksum does not match.\n"
                f"{tried}\nNothing was written to {str(target.parent)!r}.",
                "the file whose hash you passed as file_hash.",
                "check file_hash (sha256 or md5 of the whole file), or the URL.",
            )
        )
    raise LayerfitRuntimeError(
        explain(
            f"Could not download {target.name!r}. Tried:\n{tried}",
            "a reachable URL serving the file.",
            f"check your network and the URL, or copy the file to {str(target)!r}.",
        )
    )


def get_file(
    fname: str | None = None,
    origin: str | Sequence[str] | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str | Sequence[str] | None = "auto",
    cache_dir: str | os.PathLike | None = None,
    force_download: bool = False,
) -> str:
    """Downloads a file from a URL if it is not already in the cache, as ``keras.utils.get_file``.

    The file lands in ``cache_dir/cache_subdir/fname``. It is streamed to a temporary file,
    checked against ``file_hash`` when given, and only then moved into place, so the cache never
    holds a partial or corrupted file. A cached file that fails the check is downloaded again.

    Args:
        fname: local file name. Defaults to the last part of the URL's path.
        origin: URL of the file (a list of URLs is tried in order).
        untar: deprecated, same as ``extract=True`` with ``archive_format="tar"``.
            Defaults to ``False``.
        md5_hash: deprecated, same as ``file_hash`` with ``hash_algorithm="md5"``.
            Defaults to ``None``.
        file_hash: expected sha256 or md5 of the file. Defaults to ``None`` (no check).
        cache_subdir: folder under ``cache_dir``; an absolute path is used as is.
            Defaults to ``"datasets"``.
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (64 hex digits mean sha256).
            Defaults to ``"auto"``.
        extract: extract a tar or zip archive and return the folder. Defaults to ``False``.
        archive_format: ``"auto"``, ``"tar"``, ``"zip"``, a list of them, or ``None``.
            Defaults to ``"auto"``.
        cache_dir: cache root. Defaults to ``LAYERFIT_CACHE_DIR`` or ``~/.cache/layerfit``.
        force_download: download even when a cached copy exists. Defaults to ``False``.

    Returns:
        Path to the downloaded file, or to the extraction folder when extracting.

    Example:
    >>> path = keras.utils.get_file(
    ...     origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    ...     file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    ... )  # doctest: +SKIP
    """
    if not origin:
        raise LayerfitValueError(
            explain(
                f"get_file needs the URL to download; received origin={origin!r}.",
                "origin='https://...' (the URL of the file).",
                "pass origin=.",
            )
        )
    urls = [origin] if isinstance(origin, str) else list(origin)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    verify = (
        _hash_checker(file_hash, _resolve_algorithm(hash_algorithm, file_hash))
        if file_hash
        else None
    )
    datadir = writable_cache_root(cache_dir) / cache_subdir
    datadir.mkdir(parents=True, exist_ok=True)
    target, extraction_dir = _local_paths(datadir, fname, urls[0], extract or untar)

    fetched = _ensure_cached(urls, target, verify, force_download)
    if extraction_dir is None:
        return os.fspath(target)
    kinds = ["tar"] if untar else _archive_kinds(archive_format)
    if (fetched or not extraction_dir.is_dir()) and not _extract(target, extraction_dir, kinds):
        formats = " or ".join(kinds) or "known"
        warn(
            f"Could not extract {str(target)!r}: it is not a {formats} archive.",
            "a .tar, .tar.gz, .tar.bz2 or .zip file.",
            "check archive_format=, or call get_file without extract=True.",
        )
    return os.fspath(extraction_dir)


def _local_paths(datadir: Path, fname, origin: str, extract: bool) -> tuple[Path, Path | None]:
    """Keras's naming: where the download is kept, and where an archive is unpacked."""
    given_name = os.fspath(fname) if fname else None
    name = given_name or os.path.basename(urllib.parse.urlsplit(origin).path)
    if not name:
        raise LayerfitValueError(
            explain(
                f"Can't tell the file name from origin={origin!r}.",
                "a URL ending in a file name, or fname=.",
                "pass fname='name.ext'.",
            )
        )
    if os.sep in name or (os.altsep and os.altsep in name):
        raise LayerfitValueError(
            explain(
                f"fname must be a file name, not a path; received fname={name!r}.",
                "a bare name such as 'data.zip'.",
                "pass the folder as cache_dir= (or cache_subdir=) and the name as fname=.",
            )
        )
    if not extract:
        return datadir / name, None
    if given_name and "." in name:
        return datadir / name, datadir / f"{name[: name.find('.')]}_extracted"
    return datadir / f"{name}_archive", datadir / name


def _ensure_cached(urls, target: Path, verify, force_download: bool) -> bool:
    """Downloads ``target`` unless a good copy is cached; returns whether it downloaded."""
    fetched = force_download or not target.exists()
    if not fetched and verify is not None:
        try:
            verify(target)
        except ChecksumMismatch as error:
            warn(
                f"The cached file {str(target)!r} is incomplete or outdated ({error}).",
                "a cached file matching file_hash.",
                "nothing to do: it is being downloaded again.",
            )
            fetched = True
    if fetched:
        try:
            download(urls, target, verify)
        except DownloadFailed as failure:
            _raise_download_error(failure.attempts, target)
    return fetched


__all__ = ["get_file"]
