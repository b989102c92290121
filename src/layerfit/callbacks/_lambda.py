"""LambdaCallback: a callback made of plain functions."""

from __future__ import annotations

from layerfit.callbacks._callback import Callback


class LambdaCallback(Callback):
    """Calls the functions you give at Keras's hooks.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_train_batch_begin, on_train_batch_end: ``f(batch, logs)``.
        on_train_begin, on_train_end: ``f(logs)``.
        **kwargs: any other Keras hook by name.

    Example:
    >>> LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        given = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
            **kwargs,
        )
        for hook, function in given.items():
            if function is not None:
                setattr(self, hook, function)
        # CallbackList looks for overrides on the class, so this instance gets its own subclass.
        overridden = {hook: _passthrough(hook) for hook, f in given.items() if f is not None}
        self.__class__ = type("LambdaCallback", (LambdaCallback,), overridden)


def _passthrough(hook: str):
    def method(self, *args):
        return self.__dict__[hook](*args)

    return method
