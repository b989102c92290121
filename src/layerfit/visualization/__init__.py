"""Pictures of training: learning curves, image grids, confusion matrices and live plots.

matplotlib is imported only when a function draws, so ``import layerfit`` stays fast; on a
machine without a display the Agg backend is used, and in Jupyter figures show inline.
"""

from layerfit.visualization._confusion import plot_confusion_matrix
from layerfit.visualization._history import plot_history
from layerfit.visualization._images import show_images
from layerfit.visualization._live_plot import LivePlot

__all__ = ["LivePlot", "plot_confusion_matrix", "plot_history", "show_images"]
