"""Public names of saving, and the import levels: saving never imports models or training."""

import ast
from pathlib import Path

import layerfit

SOURCE = Path(layerfit.__file__).parent


def test_public_names():
    assert layerfit.saving.__all__ == [
        "CustomObjectScope",
        "KerasFileEditor",
        "custom_object_scope",
        "deserialize_keras_object",
        "get_custom_objects",
        "get_registered_name",
        "get_registered_object",
        "load_model",
        "load_weights",
        "register_keras_serializable",
        "register_serializable",
        "save_model",
        "save_weights",
        "serialize_keras_object",
        "set_load_limits",
    ]
    assert {"load_model", "model_from_json", "save_model"} <= set(layerfit.models.__all__)
    assert {"BackupAndRestore", "ModelCheckpoint"} <= set(layerfit.callbacks.__all__)
    assert layerfit.saving.register_keras_serializable is layerfit.saving.register_serializable


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_import_levels():
    for path in (SOURCE / "saving").glob("*.py"):
        higher = {
            m
            for m in imported_modules(path)
            if m.startswith(("layerfit.models", "layerfit.training", "layerfit.callbacks"))
        }
        assert not higher, f"{path.name} imports {higher}"
    for name in ("_checkpoint.py", "_backup.py"):
        checkpoint = imported_modules(SOURCE / "callbacks" / name)
        assert not {m for m in checkpoint if m.startswith(("layerfit.saving", "layerfit.models"))}
