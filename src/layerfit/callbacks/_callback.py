"""Callback, Keras's hooks into the training loop, and the list that dispatches them.

A hook that no callback overrides is never called, so callbacks cost nothing on the hot path
unless they ask for per-batch work.
"""

from __future__ import annotations

import contextlib
import io

from layerfit.backend import distributed

HOOKS = (
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)


class Callback:
    """Base class for callbacks: override any Keras hook; ``self.model`` is the model trained.

    Setting ``self.model.stop_training = True`` ends ``fit`` after the current epoch.

    Example:
    >>> class PrintLoss(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(epoch, logs["loss"])
    """

    def __init__(self):
        self.model = None
        self.params: dict = {}
        self.validation_data = None

    # Data parallelism (several processes): the hooks only process 0 runs, for callbacks that
    # write files or draw; "all" for every hook. The others run everywhere, silently off
    # process 0, and see the same logs (summed across processes), so they decide alike.
    _chief_hooks: tuple[str, ...] | str = ()

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...
    def on_predict_begin(self, logs=None): ...
    def on_predict_end(self, logs=None): ...
    def on_predict_batch_begin(self, batch, logs=None): ...
    def on_predict_batch_end(self, batch, logs=None): ...

    # Keras-2 names, still called by Keras 3 for training batches.
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...

    # -- resuming (BackupAndRestore) ----------------------------------------------------------
    # A callback whose decisions depend on earlier epochs returns that state here, so a run
    # killed and resumed decides as the uninterrupted run would. ``arrays`` in the dict are
    # numpy arrays (stored beside the JSON); everything else is JSON-ready.

    def _resume_state(self) -> dict | None:
        return None

    def _load_resume_state(self, state: dict) -> None:
        """Applies a state from ``_resume_state``; called from this callback's on_train_begin."""

    def _resume(self) -> None:
        """In on_train_begin, after the callback resets itself: apply a restored state."""
        state = self.__dict__.pop("_pending_resume", None)
        if state is None:
            return
        try:
            self._load_resume_state(state)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            from layerfit.errors import LayerfitValueError, explain

            raise LayerfitValueError(
                explain(
                    f"The state of {type(self).__name__} in the backup is damaged "
                    f"({type(error).__name__}: {error}); the backup was left as it is.",
                    "the state BackupAndRestore recorded for this callback.",
                    "delete the backup folder to start training afresh.",
                )
            ) from None


def _method(callback: Callback, hook: str):
    if not _overrides(callback, hook):  # only the Keras-2 alias is overridden
        return getattr(callback, hook.replace("train_", ""))
    return getattr(callback, hook)


def _overrides(callback: Callback, hook: str) -> bool:
    return getattr(type(callback), hook, None) is not getattr(Callback, hook)


class CallbackList:
    """Calls each hook on the callbacks that override it, in order."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        """Keras's signature: ``add_history``/``add_progbar`` append a History / progress bar
        when the list has none; ``params`` (epochs, steps, verbose) go to every callback."""
        from layerfit.errors import LayerfitTypeError, explain

        if not isinstance(add_history, bool) or not isinstance(add_progbar, bool):
            raise LayerfitTypeError(
                explain(
                    f"CallbackList got add_history={add_history!r}, add_progbar={add_progbar!r}.",
                    "True or False (Keras's order: callbacks, add_history, add_progbar, model).",
                    "pass the model and params by keyword: CallbackList(cbs, model=model, "
                    "epochs=3).",
                )
            )
        self.callbacks = list(callbacks or [])
        self.model = model
        self._add_defaults(add_history, add_progbar, params.get("verbose", 1))
        params = params or None
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise LayerfitTypeError(
                    explain(
                        f"callbacks contains {callback!r} of type {type(callback).__name__}.",
                        "instances of layerfit.callbacks.Callback.",
                        "pass objects such as EarlyStopping(patience=5), not the class itself.",
                    )
                )
            if model is not None:
                callback.set_model(model)
            if params is not None:
                callback.set_params(params)
        self._by_hook = {hook: [c for c in self.callbacks if _overrides(c, hook)] for hook in HOOKS}
        for alias, hook in (
            ("on_batch_begin", "on_train_batch_begin"),
            ("on_batch_end", "on_train_batch_end"),
        ):
            self._by_hook[hook] += [
                c for c in self.callbacks if _overrides(c, alias) and c not in self._by_hook[hook]
            ]
        # BackupAndRestore restores the others' state before they start, and records it
        # after they have all finished an epoch.
        self._by_hook["on_train_begin"].sort(key=lambda c: not getattr(c, "_records_all", False))
        self._by_hook["on_epoch_end"].sort(key=lambda c: getattr(c, "_records_all", False))
        for callback in self.callbacks:
            if getattr(callback, "_records_all", False):
                callback._others = [c for c in self.callbacks if c is not callback]

    def _add_defaults(self, add_history: bool, add_progbar: bool, verbose) -> None:
        from layerfit.callbacks._history import History
        from layerfit.callbacks._progbar import ProgbarLogger

        kinds = {type(c) for c in self.callbacks}
        if add_progbar and not any(issubclass(k, ProgbarLogger) for k in kinds):
            self.callbacks.append(ProgbarLogger(verbose))
        if add_history and not any(issubclass(k, History) for k in kinds):
            self.callbacks.append(History())

    def wants(self, hook: str) -> bool:
        return bool(self._by_hook[hook])

    def call(self, hook: str, *args) -> None:
        if args and args[-1] is None:
            args = (*args[:-1], {})  # Keras hands every hook a dict, even an empty one
        world = distributed.world()
        if world.active:
            self._call_distributed(world, hook, args)
            return
        for callback in self._by_hook[hook]:
            _method(callback, hook)(*args)

    def _call_distributed(self, world, hook: str, args: tuple) -> None:
        """One process of several: process 0 alone writes and prints, the others wait for
        its files (a barrier), and a stop on any process is a stop on all."""
        writes = False
        for callback in self._by_hook[hook]:
            duties = callback._chief_hooks
            chief_only = duties == "all" or hook in duties
            writes = writes or chief_only
            if world.is_chief:
                _method(callback, hook)(*args)
            elif not chief_only:
                with contextlib.redirect_stdout(io.StringIO()):
                    _method(callback, hook)(*args)
        if writes:
            distributed.barrier()  # no process reads a file process 0 is still writing
        if hook == "on_epoch_end" and self.model is not None:
            self.model.stop_training = distributed.any_rank(bool(self.model.stop_training))
