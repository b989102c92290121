"""The example notebooks run top to bottom in a real Jupyter kernel, on few samples and epochs.

Each picture shows exactly once: the expected count of PNG outputs per notebook catches a
plot that is missing as well as one drawn twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# notebook -> (pictures it shows, needs the MNIST folder, module it needs)
NOTEBOOKS = {
    "01_mnist_mlp_early_stopping.ipynb": (5, True, None),
    "02_fashion_mnist_dnn_dropout.ipynb": (4, True, None),
    "03_mnist_cnn.ipynb": (5, True, None),
    "04_tabular_regression_scaling.ipynb": (3, False, "sklearn"),
    "05_grid_search.ipynb": (1, True, "pandas"),
    # The Korean lessons (issue 21): the same code, with Korean text and Korean messages.
    "ko/01_mnist_mlp_early_stopping.ipynb": (5, True, None),
    "ko/02_fashion_mnist_dnn_dropout.ipynb": (4, True, None),
    "ko/03_mnist_cnn.ipynb": (5, True, None),
    "ko/04_tabular_regression_scaling.ipynb": (3, False, "sklearn"),
    "ko/05_grid_search.ipynb": (1, True, None),
}

pytestmark = pytest.mark.slow  # four kernels and four short trainings: about a minute


def test_every_notebook_is_listed():
    found = (p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.ipynb"))
    assert sorted(p for p in found if ".ipynb_checkpoints" not in p) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_runs_top_to_bottom(name, tmp_path, monkeypatch, request):
    pictures, needs_datasets, module = NOTEBOOKS[name]
    if module:
        pytest.importorskip(module)
    if needs_datasets:
        request.getfixturevalue("data_dir")  # skips when the datasets are absent
    monkeypatch.setenv("LAYERFIT_EXAMPLE_EPOCHS", "2")
    monkeypatch.setenv("LAYERFIT_EXAMPLE_SAMPLES", "1000")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # the kernel shares the test machine's cores
    monkeypatch.delenv("MPLBACKEND", raising=False)  # let Jupyter choose its inline backend
    notebook = nbformat.read(EXAMPLES / name, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    shown = sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert shown == pictures
