"""Model: a Layer that compiles, fits, evaluates, predicts and summarises.

``Model(inputs, outputs)`` builds a functional model; subclassing ``Model`` with ``__init__``
and ``call`` gives a subclassed one. The methods are thin: the loop lives in ``training``.
"""

from __future__ import annotations

from layerfit import _compat, optimizers
from layerfit.errors import LayerfitValueError, explain
from layerfit.layers import Layer
from layerfit.training import _loop
from layerfit.training._compile import Compiled


class Model(Layer):
    """A trainable model: ``Model(inputs, outputs)`` or a subclass with ``call``.

    Example:
    >>> inputs = layerfit.Input(shape=(784,))
    >>> outputs = layerfit.layers.Dense(10, activation="softmax")(inputs)
    >>> model = layerfit.Model(inputs, outputs)
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            from layerfit.models._functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        super().__init__(**kwargs)
        self.compiled: Compiled | None = None
        self.optimizer = None
        self.history = None
        self.stop_training = False

    # -- structure -------------------------------------------------------------------------

    @property
    def layers(self) -> list[Layer]:
        return [m for m in self.children() if isinstance(m, Layer)]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called ``name``, or at position ``index``."""
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise LayerfitValueError(
                    explain(f"get_layer(index={index}) on a model with {len(layers)} layers.",
                            f"an index in [0, {len(layers)}).")
                )
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in layers]
        from layerfit._registry import closest

        raise LayerfitValueError(
            explain(f"No layer named {name!r} in model {self.name!r}.",
                    f"one of {names}.",
                    f"did you mean {closest(name, names) or names}?")
        )

    @property
    def regularized(self) -> bool:
        return any(layer._regularized for layer in self._all_layers())

    def final_activation_split(self):
        """(logits function, 'softmax'|'sigmoid') when the loss can run on logits, else None."""
        return None

    @property
    def output_names(self) -> list[str]:
        return [self.name]

    # -- training --------------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True, **kwargs):
        """Sets the optimizer, loss and metrics; every name is checked now.

        Args:
            optimizer: name or optimizer object. Defaults to 'rmsprop'.
            loss: name, function or Loss object (or one per output). Defaults to None.
            loss_weights: weights of each output's loss. Defaults to None (all 1).
            metrics: list of names or Metric objects, e.g. ['accuracy']. Defaults to None.
        """
        if kwargs:  # a misspelled argument gets "did you mean" instead of Python's TypeError
            _compat.renamed_kwargs("compile", kwargs, {}, _compat.parameter_names(Model.compile))
        self.optimizer = optimizers.get(optimizer)
        self.compiled = Compiled(loss, metrics, loss_weights, weighted_metrics, self.output_names)
        self._runner = None

    @property
    def metrics(self) -> list:
        return self.compiled.all_metrics() if self.compiled else []

    @property
    def metrics_names(self) -> list[str]:
        return ["loss"] + [m.name for m in self.metrics]

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains for ``epochs`` epochs and returns a History (``.history`` holds the curves)."""
        if kwargs:  # Keras 1's nb_epoch=, or a misspelled argument
            epochs = _compat.renamed_kwargs("fit", kwargs, _compat.FIT_RENAMES,
                                            _compat.parameter_names(Model.fit)).get("epochs", epochs)
        return _loop.fit(
            self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
            callbacks=callbacks, validation_split=validation_split,
            validation_data=validation_data, shuffle=shuffle, class_weight=class_weight,
            sample_weight=sample_weight, initial_epoch=initial_epoch,
            steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
            validation_batch_size=validation_batch_size, validation_freq=validation_freq,
        )

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """Returns the loss, or [loss, *metrics], or a dict with ``return_dict=True``."""
        return _loop.evaluate(self, x, y, batch_size=batch_size, verbose=verbose,
                              sample_weight=sample_weight, steps=steps, callbacks=callbacks,
                              return_dict=return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for ``x`` as numpy arrays."""
        return _loop.predict(self, x, batch_size=batch_size, verbose=verbose, steps=steps,
                             callbacks=callbacks)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One gradient step on one batch; returns its loss (and metrics)."""
        return _loop.train_on_batch(self, x, y, sample_weight, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        return _loop.test_on_batch(self, x, y, sample_weight, return_dict)

    def predict_on_batch(self, x):
        return _loop.predict(self, x, batch_size=_loop.batch_length(x), verbose=0)

    def fit_generator(self, generator, *args, **kwargs):
        """Keras 2's name for ``fit(generator, ...)``; works, with a deprecation notice."""
        return _compat.fit_generator(self, generator, *args, **kwargs)

    def evaluate_generator(self, generator, *args, **kwargs):
        """Keras 2's name for ``evaluate(generator, ...)``; works, with a deprecation notice."""
        return _compat.evaluate_generator(self, generator, *args, **kwargs)

    def predict_generator(self, generator, *args, **kwargs):
        """Keras 2's name for ``predict(generator, ...)``; works, with a deprecation notice."""
        return _compat.predict_generator(self, generator, *args, **kwargs)

    # -- reporting ---------------------------------------------------------------------------

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints Keras 3's table of layers, output shapes and parameter counts."""
        from layerfit.models._summary import print_summary

        print_summary(self, line_length=line_length, print_fn=print_fn,
                      show_trainable=show_trainable)

    def summary_rows(self) -> list[dict]:
        """The rows summary() prints: name, type, output_shape, params, connected_to."""
        from layerfit.models._summary import summary_rows

        return summary_rows(self)

    def get_config(self) -> dict:
        return {"name": self.name, "trainable": self.trainable}
