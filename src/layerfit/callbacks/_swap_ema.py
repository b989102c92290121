"""SwapEMAWeights: evaluate (and optionally checkpoint) with the optimizer's averaged weights."""

from __future__ import annotations

from layerfit.callbacks._callback import Callback


class SwapEMAWeights(Callback):
    """Puts the optimizer's moving averages of the weights into the model around evaluation.

    With an optimizer made with `use_ema=True`, the weights are swapped with their averages
    (in place, no copy of the model kept) before each evaluation, validation included, and
    swapped back after it. With `swap_on_epoch=True` they are also swapped at each epoch's
    end, so other callbacks (ModelCheckpoint) see the averaged weights, and back at the next
    epoch's start; after the last epoch the model keeps the averaged weights.

    Args:
        swap_on_epoch: whether to swap at `on_epoch_end` and back at `on_epoch_begin`.
            Defaults to `False`.

    Example:
    >>> callback = SwapEMAWeights(swap_on_epoch=True)
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._averages_in_model = False

    def _optimizer(self):
        optimizer = self.model.optimizer
        return getattr(optimizer, "inner_optimizer", optimizer)

    def _put_averages_in_model(self, wanted: bool) -> None:
        if self._averages_in_model != wanted:
            self._optimizer().swap_average_weights()
            self._averages_in_model = wanted

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._put_averages_in_model(False)

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._averages_in_model:
            self._put_averages_in_model(True)
            if epoch == self.params.get("epochs", 0) - 1:
                self._optimizer().copy_weights_to_average()

    def on_test_begin(self, logs=None):
        self._put_averages_in_model(True)

    def on_test_end(self, logs=None):
        self._put_averages_in_model(False)

    def on_predict_begin(self, logs=None):
        self._put_averages_in_model(True)

    def on_predict_end(self, logs=None):
        # Keras 3.15 tests the flag the wrong way round here and leaves the averages in the
        # model after predict; the weights go back, as after evaluate (DECISIONS.md).
        self._put_averages_in_model(False)
