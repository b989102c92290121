"""The model file: a zip archive of JSON and safetensors members, written atomically.

``config.json`` (architecture and compile settings), ``metadata.json`` (format, versions,
date), ``model.weights.safetensors`` and, once the model has trained, ``optimizer.safetensors``.
Reading uses ``zipfile`` and ``json`` only, and every way a file can be wrong (not ours,
truncated, damaged, too new, a pickle, a real Keras HDF5 file) ends in our error.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from glob import escape as glob_escape
from pathlib import Path

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.saving import _limits

FORMAT_NAME = "layerfit"
FORMAT_VERSION = 1
CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.safetensors"
OPTIMIZER = "optimizer.safetensors"
MEMBERS = (METADATA, CONFIG, WEIGHTS, OPTIMIZER)

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_HDF5 = b"\x89HDF\r\n\x1a\n"
_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, NotImplementedError, OSError, zlib.error)


def metadata() -> dict:
    """What ``metadata.json`` records: the format and its version, who wrote it and when."""
    from layerfit import __version__

    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "layerfit_version": __version__,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }


# -- writing ----------------------------------------------------------------------------------


def atomic_write(path, write: Callable, overwrite: bool = True) -> Path:
    """Calls ``write(file)`` on a temporary file beside ``path``, then renames it over ``path``.

    The rename is atomic, so an interrupted save leaves the previous file intact.
    """
    path = Path(os.fspath(path)).expanduser()
    if path.is_dir():
        raise LayerfitValueError(
            explain(
                f"Cannot save to {str(path)!r}: it is a folder.",
                "a file path such as 'model.keras'.",
                f"use a file inside it, e.g. {str(path / 'model.keras')!r}.",
            )
        )
    if not overwrite and path.exists():
        raise LayerfitValueError(
            explain(
                f"{str(path)!r} already exists and overwrite=False.",
                "a path that does not exist yet, or overwrite=True.",
                "pass overwrite=True to replace it, or choose another name.",
            )
        )
    folder = path.parent
    if not folder.is_dir():
        raise LayerfitValueError(
            explain(
                f"Cannot save to {str(path)!r}: the folder {str(folder)!r} does not exist.",
                "a path in an existing folder.",
                f"create it first: os.makedirs({str(folder)!r}, exist_ok=True).",
            )
        )
    _remove_orphans(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _default_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _remove_orphans(path: Path) -> None:
    """Deletes the temporary files of earlier saves to ``path`` that a kill left behind."""
    for orphan in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        orphan.unlink(missing_ok=True)


def _default_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_archive(path, members: dict[str, bytes], overwrite: bool = True) -> Path:
    """Writes ``{member name: bytes}`` as one zip archive, atomically."""

    def write(file):
        with zipfile.ZipFile(file, "w") as archive:
            for name, data in members.items():
                compression = zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
                archive.writestr(name, data, compress_type=compression)

    return atomic_write(path, write, overwrite)


# -- reading ----------------------------------------------------------------------------------


def resolve_path(filepath, what: str = "load_model") -> Path:
    """The path of an existing file, with our error for None, a folder or a missing file."""
    try:
        path = Path(os.fspath(filepath)).expanduser()
    except TypeError:
        raise LayerfitTypeError(
            explain(
                f"{what}() got {filepath!r} ({type(filepath).__name__}) as the file path.",
                "a path (a string or pathlib.Path) of a file written by model.save() or "
                "model.save_weights().",
                f"{what}('model.keras')",
            )
        ) from None
    if path.is_dir():
        raise LayerfitValueError(
            explain(
                f"{str(path)!r} is a folder, not a model file.",
                "a file written by model.save('model.keras') or model.save_weights(...).",
                "TensorFlow SavedModel folders (Keras 2's model.save('folder')) cannot be read; "
                "point at the .keras file instead.",
            )
        )
    if not path.is_file():
        raise LayerfitValueError(
            explain(
                f"File not found: {str(path)!r}.",
                "the path of a file written by model.save() or model.save_weights().",
                "check the path and the current folder (os.getcwd()).",
            )
        )
    return path


def read_head(path: Path, size: int = 16) -> bytes:
    """The first bytes of a file, enough to tell what it is."""
    with open(path, "rb") as file:
        return file.read(size)


def is_archive(head: bytes) -> bool:
    return head.startswith((_ZIP, _EMPTY_ZIP))


class Archive:
    """An open model file. Its member table is checked when it opens (only the members the
    format names, each within the limits); members are then read one at a time, on demand.

    Example:
    >>> with Archive(path) as archive:
    ...     config = archive.json(CONFIG)
    """

    def __init__(self, path: Path, max_bytes=None):
        self.source = str(path)
        self.max_bytes = max_bytes
        head = read_head(path)
        if not is_archive(head):
            reject_foreign(head, self.source, expected="a layerfit model file (a zip archive)")
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
            self._bad_zip(error, path)
        try:
            names = [info.filename for info in infos]
            _reject_foreign_archive(names, self.source)
            self._check_members(names)
            self.sizes = {info.filename: info.file_size for info in infos}
            self.meta = _check_metadata(self.json(METADATA), self.source)
            if CONFIG not in self.sizes:
                _damaged(self.source, f"it has no {CONFIG}")
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._zip.close()

    def __contains__(self, name: str) -> bool:
        return name in self.sizes

    def _check_members(self, names: list[str]) -> None:
        if METADATA not in names:
            raise LayerfitValueError(
                explain(
                    f"{self.source!r} is a zip archive but not a layerfit model file "
                    f"(no {METADATA}).",
                    "a file written by layerfit's model.save().",
                    "check the path; weights-only files are read with model.load_weights().",
                )
            )
        unknown = [name for name in names if name not in MEMBERS]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if unknown or repeated:
            what = (
                f"members this format does not have: {unknown[:5]}"
                if unknown
                else f"members stored twice: {repeated[:5]}"
            )
            raise LayerfitValueError(
                explain(
                    f"{self.source!r} holds {what}. Extra members are refused: nothing in a "
                    "model file is read that the format does not name.",
                    f"a file written by layerfit's model.save(): members {sorted(MEMBERS)}.",
                    "save the model again; if you added files to the archive by hand, keep "
                    "them beside it instead.",
                )
            )

    def json(self, name: str):
        """A JSON member, within the JSON size and depth limits."""
        source = f"{self.source}:{name}"
        _limits.check("max_json_bytes", self.sizes[name], f"{name} (uncompressed)", source)
        return parse_json(self._read(name), source)

    def tensors_header(self, name: str):
        """A safetensors member's header, read and checked without reading its data."""
        from layerfit.saving import _safetensors

        source = f"{self.source}:{name}"
        _limits.check(
            "max_bytes", self.sizes[name], f"{name} (uncompressed)", source, self.max_bytes
        )
        try:
            with self._zip.open(name) as file:
                return _safetensors.read_header(file, self.sizes[name], source)
        except _ZIP_ERRORS as error:
            self._bad_zip(error, None)

    def tensors(self, name: str):
        """A safetensors member as ``({name: tensor}, metadata)``."""
        from layerfit.saving import _safetensors

        source = f"{self.source}:{name}"
        _limits.check(
            "max_bytes", self.sizes[name], f"{name} (uncompressed)", source, self.max_bytes
        )
        return _safetensors.loads(self._read(name, writable=True), source)

    def _read(self, name: str, writable: bool = False):
        # A zip member yields at most its declared size, which the caller checked.
        try:
            with self._zip.open(name) as file:
                if not writable:
                    return file.read()
                buffer = bytearray(self.sizes[name])
                view, filled = memoryview(buffer), 0
                while filled < len(buffer):
                    count = file.readinto(view[filled:])
                    if not count:
                        break
                    filled += count
                return buffer if filled == len(buffer) else buffer[:filled]
        except _ZIP_ERRORS as error:
            self._bad_zip(error, None)

    def _bad_zip(self, error, path) -> None:
        size = f"; it is {os.path.getsize(path)} bytes long" if path is not None else ""
        raise LayerfitValueError(
            explain(
                f"{self.source!r} is damaged or incomplete ({error}){size}.",
                "a complete zip archive written by model.save().",
                "the file was probably cut short (a full disk, an interrupted copy or upload): "
                "copy it again, or save the model again.",
            )
        ) from None


def _reject_foreign_archive(names: list[str], source: str) -> None:
    if any(name.endswith("data.pkl") for name in names):
        raise LayerfitValueError(
            explain(
                f"{source!r} is a PyTorch checkpoint (torch.save), which holds pickled Python "
                "objects.",
                "a file written by layerfit's model.save() or model.save_weights().",
                "layerfit never unpickles files, since that can run any code. If you trust the "
                "file, load it yourself with torch.load(path, weights_only=True) and copy the "
                "tensors with model.set_weights(...).",
            )
        )
    if "model.weights.h5" in names:
        raise LayerfitValueError(
            explain(
                f"{source!r} was written by Keras: its weights are HDF5 (model.weights.h5), "
                "which layerfit cannot read without h5py.",
                "a file written by layerfit's model.save().",
                "in Keras, save the weights as numpy arrays: "
                "np.savez('weights.npz', *model.get_weights()); in layerfit, rebuild the model "
                "(layerfit.models.model_from_json can read Keras's config.json) and call "
                "model.set_weights([a for a in np.load('weights.npz').values()]).",
            )
        )


def _check_metadata(meta, source: str) -> dict:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        if isinstance(meta, dict) and "keras_version" in meta:
            _reject_foreign_archive(["model.weights.h5"], source)
        raise LayerfitValueError(
            explain(
                f"{source!r} is a zip archive but not a layerfit model file.",
                "a file written by layerfit's model.save().",
                "check the path.",
            )
        )
    check_version(meta.get("format_version"), meta.get("layerfit_version"), source)
    return meta


def check_version(version, writer, source: str) -> None:
    """Raises when a file needs a newer layerfit than this one."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _damaged(source, f"its format_version {version!r} is not a positive integer")
    if version > FORMAT_VERSION:
        from layerfit import __version__

        raise LayerfitValueError(
            explain(
                f"{source!r} uses layerfit file format version {version}, written by layerfit "
                f"{writer or 'a newer version'}; this layerfit ({__version__}) reads format "
                f"versions up to {FORMAT_VERSION}.",
                f"a file in format version {FORMAT_VERSION} or older.",
                f"upgrade layerfit to {writer or 'the newest version'} or later: "
                "pip install --upgrade layerfit.",
            )
        )


def parse_json(data: bytes | str, source: str, what: str = "file"):
    """JSON within the length and depth limits; every failure is our error."""
    _limits.check("max_json_bytes", len(data), "the JSON", source)
    try:
        value = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except RecursionError:
        value = _TOO_DEEP
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        _damaged(source, f"its JSON cannot be read ({error})", what)
    depth = _LIMIT_PLUS_ONE if value is _TOO_DEEP else json_depth(value)
    _limits.check("max_json_depth", depth, "the nesting of its JSON", source)
    return value


_TOO_DEEP = object()
_LIMIT_PLUS_ONE = 2**31  # deeper than Python's parser goes: over any limit


def json_depth(value) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend(
                (child, depth + 1) for child in children if isinstance(child, (dict, list))
            )
    return deepest


def reject_foreign(data: bytes, source: str, expected: str) -> None:
    """Raises the error that names what the file is, when it is not what we read."""
    if data.startswith(_HDF5):
        what = (
            "is an HDF5 file (Keras 2's .h5 format or Keras 3's .weights.h5), which layerfit "
            "cannot read without h5py"
        )
        fix = (
            "in Keras, save the weights as numpy arrays: "
            "np.savez('weights.npz', *model.get_weights()); then in layerfit build the same "
            "model and call model.set_weights([a for a in np.load('weights.npz').values()])."
        )
    elif data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        what = "is a Python pickle (torch.save or pickle.dump), which can run any code when loaded"
        fix = (
            "layerfit never unpickles files. If you trust the file, load it yourself with "
            "torch.load(path, weights_only=True) and copy the tensors with "
            "model.set_weights(...)."
        )
    elif not data:
        what = "is empty (0 bytes)"
        fix = "the save was interrupted or the copy failed: save or copy the file again."
    else:
        what = f"is not {expected} (it starts with {data[:8]!r})"
        fix = "check the path: model files come from model.save('model.keras')."
    raise LayerfitValueError(explain(f"{source!r} {what}.", expected + ".", fix))


def _damaged(source: str, reason: str, what: str = "file") -> None:
    if what == "json":
        raise LayerfitValueError(
            explain(
                f"{source} could not be parsed: {reason}.",
                "the string returned by model.to_json().",
                "pass the whole string, e.g. open('model.json').read().",
            )
        )
    raise LayerfitValueError(
        explain(
            f"{source!r} is damaged: {reason}.",
            "a file written by layerfit's model.save().",
            "save the model again, or restore the file from a backup.",
        )
    )
