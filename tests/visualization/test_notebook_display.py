"""In a real Jupyter kernel: figures show inline exactly once, and LivePlot redraws in place."""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = [
    # 0: the returned figure is the cell's value
    "from layerfit.visualization import LivePlot, plot_history, show_images\n"
    "import numpy as np\n"
    "record = {'loss': [1.0, 0.6, 0.5], 'val_loss': [1.1, 0.8, 0.9]}\n"
    "plot_history(record)",
    # 1: assigned, not the cell's value
    "fig = plot_history(record)\nprint('drawn')",
    # 2: shown again on request in a later cell
    "fig",
    # 3: another plot, then pyplot's own show
    "import matplotlib.pyplot as plt\nshow_images(np.zeros((3, 28, 28)), [0, 1, 2])\nplt.show()",
    # 4: LivePlot driven by hand, as fit drives it
    "import os\n"
    "live = LivePlot(filename='should_not_exist.png', min_interval=0)\n"
    "live.on_train_begin()\n"
    "for epoch in range(4):\n"
    "    live.on_epoch_end(epoch, {'loss': 1.0 / (epoch + 1)})\n"
    "live.on_train_end()\n"
    "print(live.frames, os.path.exists('should_not_exist.png'))",
]


def images(cell) -> int:
    return sum("image/png" in output.get("data", {}) for output in cell.outputs)


def test_figures_show_once_and_live_plots_update_in_place(tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel picks Jupyter's inline one
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    cells = notebook.cells
    assert [images(cell) for cell in cells] == [1, 1, 1, 1, 1]
    live_outputs = cells[4].outputs
    assert live_outputs[-1]["text"].strip() == "5 False"  # 4 epochs + the end; no file
