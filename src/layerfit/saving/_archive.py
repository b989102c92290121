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
from collections.abc import Callable
from pathlib import Path

from layerfit.errors import LayerfitValueError, explain

FORMAT_NAME = "layerfit"
FORMAT_VERSION = 1
CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.safetensors"
OPTIMIZER = "optimizer.safetensors"

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_HDF5 = b"\x89HDF\r\n\x1a\n"


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


def read_bytes(path) -> tuple[Path, bytes]:
    """The whole file, with our error for a missing path or a folder."""
    path = Path(os.fspath(path)).expanduser()
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
    return path, path.read_bytes()


def read_archive(path) -> tuple[dict[str, bytes], dict]:
    """Reads a layerfit archive: ``({member name: bytes}, metadata)``, checking everything."""
    path, data = read_bytes(path)
    return read_archive_bytes(data, str(path))


def read_archive_bytes(data: bytes, source: str) -> tuple[dict[str, bytes], dict]:
    if not data.startswith((_ZIP, _EMPTY_ZIP)):
        reject_foreign(data, source, expected="a layerfit model file (a zip archive)")
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            _reject_foreign_archive(names, source)
            members = {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
        if isinstance(error, LayerfitValueError):
            raise
        raise LayerfitValueError(
            explain(
                f"{source!r} is damaged or incomplete ({error}); it is {len(data)} bytes long.",
                "a complete zip archive written by model.save().",
                "the file was probably cut short (a full disk, an interrupted copy or upload): "
                "copy it again, or save the model again.",
            )
        ) from None
    meta = _read_metadata(members, source)
    if CONFIG not in members:
        _damaged(source, f"it has no {CONFIG}")
    return members, meta


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


def _read_metadata(members: dict[str, bytes], source: str) -> dict:
    if METADATA not in members:
        raise LayerfitValueError(
            explain(
                f"{source!r} is a zip archive but not a layerfit model file (no {METADATA}).",
                "a file written by layerfit's model.save().",
                "check the path; weights-only files are read with model.load_weights().",
            )
        )
    meta = parse_json(members[METADATA], f"{source}:{METADATA}")
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


def parse_json(data: bytes, source: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        _damaged(source, f"its JSON cannot be read ({error})")


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


def _damaged(source: str, reason: str) -> None:
    raise LayerfitValueError(
        explain(
            f"{source!r} is damaged: {reason}.",
            "a file written by layerfit's model.save().",
            "save the model again, or restore the file from a backup.",
        )
    )
