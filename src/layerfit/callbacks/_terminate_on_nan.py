"""TerminateOnNaN: stop at the first batch whose loss is NaN or infinite."""

from __future__ import annotations

import math

from layerfit.callbacks._callback import Callback
from layerfit.errors import LayerfitRuntimeError, explain, localize


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite.

    Reading the loss after every batch waits for the device each time, which the loop avoids
    otherwise; on a GPU this costs some speed.

    Args:
        raise_error: raise an error at once instead of stopping gracefully (which still runs
            ``on_train_end`` of every callback). Defaults to False.

    Example:
    >>> callback = TerminateOnNaN()
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise LayerfitRuntimeError(
                explain(
                    f"NaN or Inf loss encountered at batch {batch}: loss {float(loss)}.",
                    "a finite loss.",
                    "lower the learning rate, scale the inputs to 0-1, and check the data "
                    "for NaN values.",
                )
            )
        print(localize(f"Batch {batch}: Invalid loss, terminating training"))
        self.model.stop_training = True
