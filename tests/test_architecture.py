"""The house rules that reading the code can check: import levels and lazy batteries."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "layerfit"

# STYLE.md's levels: lower never imports higher, at module level and inside functions alike
# (imports inside functions are how the batteries stay lazy, not a way around the levels).
LEVELS = {
    "errors": 0,
    "config": 0,
    "_registry": 0,
    "_compat": 0,
    "_tree": 0,
    "tree": 0,
    "_messages": 0,
    "backend": 1,
    "distribution": 1,
    "utils": 1,
    "random": 1,
    "preprocessing": 1,
    "activations": 2,
    "initializers": 2,
    "losses": 2,
    "metrics": 2,
    "optimizers": 2,
    "mixed_precision": 2,
    "dtype_policies": 2,
    "regularizers": 2,
    "constraints": 2,
    "ops": 2,
    "layers": 3,
    "callbacks": 4,
    "data": 4,
    "datasets": 4,
    "training": 5,
    "saving": 5,
    "models": 6,
    "visualization": 7,
    "tuning": 7,
    "tuners": 7,
    "keras_tuner": 7,
    "wrappers": 7,
    "applications": 7,
    "cli": 7,
    "__main__": 7,
    "__init__": 7,
}


# The upward imports inside functions that are kept, each with its reason (see DECISIONS.md).
RECORDED_UPWARD = {
    # History.plot() is a layerfit convenience over visualization.plot_history.
    ("callbacks/_history.py", "layerfit.visualization"),
    # keras.layers.serialize/deserialize are layers' public names; saving does the work.
    ("layers/_serialization.py", "layerfit.saving"),
    # FeatureSpace.save() is Keras's public method on that layer; saving writes the file.
    ("layers/_feature_space.py", "layerfit.saving"),
    # Lambda refuses to load under safe_mode, which saving's loading scope holds.
    ("layers/_wrappers.py", "layerfit.saving"),
    # keras.preprocessing.image is Keras's public name; ImageDataGenerator lives in data/.
    ("preprocessing/image.py", "layerfit.data"),
}


def _imports(nodes):
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module == "layerfit":
            yield from (f"layerfit.{alias.name}" for alias in node.names)  # from layerfit import x
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("layerfit."):
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("layerfit"))


def _top_level_imports(path: Path):
    return _imports(ast.parse(path.read_text()).body)


def _all_imports(path: Path):
    return _imports(ast.walk(ast.parse(path.read_text())))


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_lower_levels_never_import_higher_ones():
    violations = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        owner = relative.parts[0].removesuffix(".py")
        for module in _top_level_imports(path):
            target = _part(module)
            if target in LEVELS and LEVELS[target] > LEVELS[owner]:
                violations.append(f"{relative} (level {LEVELS[owner]}) imports {module}")
    assert violations == []


def test_imports_inside_functions_go_up_only_where_recorded():
    upward = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        owner = relative.parts[0].removesuffix(".py")
        for module in _all_imports(path):
            target = _part(module)
            if target in LEVELS and LEVELS[target] > LEVELS[owner]:
                upward.add((relative.as_posix(), f"layerfit.{target}"))
    assert upward == RECORDED_UPWARD


def test_metrics_may_use_losses_but_not_the_reverse():
    for path in (PACKAGE / "losses").rglob("*.py"):
        assert not any(m.startswith("layerfit.metrics") for m in _top_level_imports(path)), path


def test_import_layerfit_loads_no_optional_dependency():
    code = (
        "import sys, layerfit; layerfit.Sequential; layerfit.layers.Dense; "
        "layerfit.callbacks.EarlyStopping; layerfit.utils.to_categorical; "
        "print(sorted(m for m in ('matplotlib', 'sklearn', 'pandas', 'optuna', 'IPython') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
