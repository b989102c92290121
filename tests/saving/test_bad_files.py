"""Bad files end in our error, loading never runs code from a file, saving is atomic."""

import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import pytest
import torch

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitValueError
from layerfit.saving import _archive

SAVING_SOURCE = Path(keras.saving.__file__).parent


def small_model():
    model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.fixture
def saved(tmp_path) -> Path:
    path = tmp_path / "model.keras"
    small_model().save(path)
    return path


def rewrite(path: Path, change: dict) -> None:
    """Rewrites the archive with some members replaced (None deletes one)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(change)
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in members.items():
            if value is not None:
                archive.writestr(name, value)


def load_error(path) -> str:
    with pytest.raises(LayerfitValueError) as info:
        keras.models.load_model(path)
    return str(info.value)


# -- files that are not ours, damaged, or too new ---------------------------------------------


def test_truncated_file(saved):
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    message = load_error(saved)
    assert "is damaged or incomplete" in message and f"{len(data) // 2} bytes long" in message
    assert "Fix: the file was probably cut short" in message


def test_corrupted_bytes_fail_the_checksum(saved):
    data = bytearray(saved.read_bytes())
    with zipfile.ZipFile(saved) as archive:
        info = archive.getinfo("model.weights.safetensors")
    data[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF  # inside the weights
    saved.write_bytes(bytes(data))
    message = load_error(saved)
    assert "damaged or incomplete" in message and "CRC" in message


def test_not_a_layerfit_file(tmp_path):
    text = tmp_path / "notes.keras"
    text.write_text("hello")
    message = load_error(text)
    assert "is not a layerfit model file" in message and "model.save('model.keras')" in message
    other = tmp_path / "other.keras"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert "not a layerfit model file (no metadata.json)" in load_error(other)


def test_newer_format_version_names_the_version_needed(saved):
    meta = json.loads(zipfile.ZipFile(saved).read("metadata.json"))
    meta.update(format_version=7, layerfit_version="3.2.0")
    rewrite(saved, {"metadata.json": json.dumps(meta)})
    message = load_error(saved)
    assert "uses layerfit file format version 7, written by layerfit 3.2.0" in message
    assert "reads format versions up to 1" in message
    assert "Fix: upgrade layerfit to 3.2.0 or later: pip install --upgrade layerfit" in message


def test_real_keras_file_is_explained(tmp_path):
    path = tmp_path / "keras_model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.5.0"}))
        archive.writestr("config.json", "{}")
        archive.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n")
    # A Keras 3 file is read (tests/saving/test_keras_files.py); a broken one says so.
    message = load_error(path)
    assert "keras_model.keras:model.weights.h5' is not a readable HDF5 file" in message
    assert "Fix: the file was probably cut short or damaged: copy or save it again." in message


def test_hdf5_file_is_explained(tmp_path):
    path = tmp_path / "old.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)
    # load_model reads legacy .h5 models now (tests/saving/test_keras2_h5.py): a broken one says so
    message = load_error(path)
    assert "old.h5' is not a readable HDF5 file" in message
    assert "Fix: the file was probably cut short or damaged" in message
    with pytest.raises(LayerfitValueError, match="old.h5' is not a readable HDF5 file"):
        small_model().load_weights(path)


def test_missing_empty_and_folder_paths(tmp_path):
    assert "File not found" in load_error(tmp_path / "missing.keras")
    (tmp_path / "empty.keras").write_bytes(b"")
    assert "is empty (0 bytes)" in load_error(tmp_path / "empty.keras")
    assert "is a folder, not a model file" in load_error(tmp_path)


def test_damaged_config_json(saved):
    rewrite(saved, {"config.json": b"{not json"})
    message = load_error(saved)
    assert "config.json' is damaged: its JSON cannot be read" in message


# -- no code from the file ever runs ------------------------------------------------------------


class _Payload:
    """Unpickling this would create ``marker``: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_pickle_payloads_never_execute(tmp_path, saved):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker), protocol=4)
    # 1: a bare pickle renamed .keras; 2: a torch.save checkpoint (zip holding data.pkl);
    # 3: our archive with the optimizer state replaced by the pickle.
    bare = tmp_path / "bare.keras"
    bare.write_bytes(payload)
    checkpoint = tmp_path / "checkpoint.keras"
    buffer = io.BytesIO()
    torch.save({"weights": _Payload(marker)}, buffer)
    checkpoint.write_bytes(buffer.getvalue())
    rewrite(saved, {"optimizer.safetensors": payload})
    assert "is a Python pickle" in load_error(bare)
    assert "is a PyTorch checkpoint (torch.save)" in load_error(checkpoint)
    assert "is not a valid safetensors file" in load_error(saved)
    for path in (bare, checkpoint):
        with pytest.raises(LayerfitValueError, match="never unpickles"):
            small_model().load_weights(path)
    assert not marker.exists()
    # The payload is real: unpickling it does create the marker.
    pickle.loads(payload)
    assert marker.exists()


def test_config_cannot_name_arbitrary_modules(saved, tmp_path):
    marker = tmp_path / "pwned"
    entry = {
        "module": "os",
        "class_name": "system",
        "config": f"touch {marker}",
        "registered_name": None,
    }
    rewrite(saved, {"config.json": json.dumps(entry)})
    message = load_error(saved)
    assert "Could not locate class 'system' (module 'os')" in message
    assert not marker.exists()


def test_saving_code_has_no_pickle_and_no_unsafe_torch_load():
    for path in SAVING_SOURCE.glob("*.py"):
        source = path.read_text()
        assert "import pickle" not in source and "pickle.load" not in source, path
        assert "torch.load(" not in source.replace("torch.load(path, weights_only=True)", ""), path


# -- atomic save ------------------------------------------------------------------------------------


def test_a_failing_save_keeps_the_previous_file(saved, monkeypatch):
    before = saved.read_bytes()
    written = []
    real = zipfile.ZipFile.writestr

    def crash_after_first_member(self, name, data, *args, **kwargs):
        real(self, name, data, *args, **kwargs)
        written.append(name)
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", crash_after_first_member)
    with pytest.raises(OSError, match="disk full"):
        small_model().save(saved)
    assert written and saved.read_bytes() == before
    assert os.listdir(saved.parent) == [saved.name]  # no temporary file left behind


def test_a_killed_save_keeps_the_previous_file(saved, tmp_path):
    """A process killed mid-write leaves a stray temporary file, never a broken model file."""
    import subprocess
    import sys

    before = saved.read_bytes()
    script = (
        "import os, zipfile, layerfit as keras\n"
        "from layerfit import layers\n"
        "real = zipfile.ZipFile.writestr\n"
        "def die(self, name, data, *a, **k):\n"
        "    real(self, name, data, *a, **k)\n"
        "    os._exit(9)\n"
        "zipfile.ZipFile.writestr = die\n"
        "model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(5)])\n"
        f"model.save({str(saved)!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == 9
    assert saved.read_bytes() == before
    assert keras.models.load_model(saved).layers[0].units == 2


def test_archive_reader_rejects_a_non_integer_version(saved):
    meta = json.loads(zipfile.ZipFile(saved).read("metadata.json"))
    meta["format_version"] = "one"
    rewrite(saved, {"metadata.json": json.dumps(meta)})
    assert "its format_version 'one' is not a positive integer" in load_error(saved)
    assert _archive.FORMAT_VERSION == 1
