"""Getting matplotlib lazily: Agg when headless, the inline backend untouched in Jupyter.

matplotlib is imported inside these functions only, so ``import layerfit`` never pays for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from layerfit.errors import explain


def require_matplotlib():
    """Returns the matplotlib module, or raises an ImportError that says how to install it."""
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            explain(
                "layerfit's plots need matplotlib, which is not installed.",
                "matplotlib 3.6 or newer.",
                "pip install matplotlib  (or pip install 'layerfit[plot]').",
            )
        ) from error
    return matplotlib


def in_notebook() -> bool:
    """True inside a Jupyter (or Colab) kernel, where figures display inline."""
    if "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _headless() -> bool:
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def pyplot():
    """Returns ``matplotlib.pyplot``, choosing Agg first on a machine without a display.

    A backend the user chose (MPLBACKEND, ``matplotlib.use``, Jupyter's inline backend) is
    left alone; so is pyplot once imported.
    """
    matplotlib = require_matplotlib()
    if "matplotlib.pyplot" not in sys.modules and not in_notebook() and _headless():
        chosen = getattr(matplotlib.rcParams, "_get_backend_or_none", lambda: None)()
        if chosen is None and not os.environ.get("MPLBACKEND"):
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def new_figure(**kwargs):
    """A pyplot figure (so ``plt.show()`` and ``plt.savefig()`` see it) that shows once in Jupyter.

    In a notebook the inline backend draws every open pyplot figure when the cell ends, and the
    cell's last value is drawn as well: returning the figure would show it twice. The figure
    gets an ``_ipython_display_`` that closes it from pyplot before displaying it, so it shows
    exactly once whether or not it is the cell's last value.
    """
    plt = pyplot()
    figure = plt.figure(**kwargs)
    if in_notebook():
        figure._ipython_display_ = _display_once(figure)
    return figure


def _display_once(figure):
    def show() -> None:
        from IPython.display import display

        plt = pyplot()
        plt.close(figure)
        del figure._ipython_display_  # display it with IPython's own figure formatter
        try:
            display(figure)
        finally:
            figure._ipython_display_ = show

    return show


def save_figure(figure, path, dpi: int | None = None) -> Path:
    """Writes ``figure`` to ``path`` (PNG unless the extension names another format)."""
    path = Path(path)
    file_format = path.suffix[1:].lower() if path.suffix else "png"
    figure.savefig(path, format=file_format, dpi=dpi or 100, bbox_inches="tight")
    return path
