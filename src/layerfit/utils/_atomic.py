"""Writing a JSON file so that readers see the old file or the new one, whole."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_json(path: Path, content, **dump_options) -> None:
    """Writes ``content`` as JSON through a temporary file and a rename (fsynced first).

    A reader, or a run killed mid-write, never sees half a file; a leftover temporary file is
    named ``.<name>.<random>.tmp`` beside ``path``. ``dump_options`` go to ``json.dump``.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file, **dump_options)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
