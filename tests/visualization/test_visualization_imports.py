"""matplotlib loads only when something draws; headless machines get Agg; the public names."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import layerfit.visualization

SOURCES = Path(layerfit.visualization.__file__).parent
PLOTTING_FILES = [*sorted(SOURCES.glob("*.py")), SOURCES.parent / "utils" / "_plot_model.py"]
LAZY = ("matplotlib", "IPython", "PIL")


def run_python(code: str, **env_changes) -> str:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")
    }
    env.update(env_changes)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_the_public_names():
    assert layerfit.visualization.__all__ == [
        "LivePlot",
        "plot_confusion_matrix",
        "plot_history",
        "show_images",
    ]
    assert "plot_model" in layerfit.utils.__all__


@pytest.mark.parametrize("path", PLOTTING_FILES, ids=lambda p: p.name)
def test_plotting_libraries_are_imported_inside_functions_only(path):
    tree = ast.parse(path.read_text())
    for node in tree.body:  # module level only
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        assert not [n for n in names if n.split(".")[0] in LAZY], f"{path.name}: {names}"


def test_importing_layerfit_and_its_plot_modules_does_not_load_matplotlib():
    loaded = run_python(
        "import sys, layerfit, layerfit.visualization, layerfit.utils;"
        "print('matplotlib' in sys.modules)"
    )
    assert loaded == "False"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="headless means no X display")
def test_a_machine_without_display_draws_with_agg():
    backend = run_python(
        "from layerfit.visualization import plot_history; import matplotlib;"
        "plot_history({'loss': [1.0, 0.5]}); print(matplotlib.get_backend())"
    )
    assert backend.lower() == "agg"


def test_a_backend_the_user_chose_is_kept():
    backend = run_python(
        "from layerfit.visualization import plot_history; import matplotlib;"
        "plot_history({'loss': [1.0, 0.5]}); print(matplotlib.get_backend())",
        MPLBACKEND="svg",
    )
    assert backend.lower() == "svg"
