"""Model: a Layer that compiles, fits, evaluates, predicts and summarises.

``Model(inputs, outputs)`` builds a functional model; subclassing ``Model`` with ``__init__``
and ``call`` gives a subclassed one. The methods are thin: the loop lives in ``training``.
"""

from __future__ import annotations

import inspect

import torch

from layerfit import _compat, optimizers
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers import Layer
from layerfit.metrics import Mean
from layerfit.models._compile_options import execution_options
from layerfit.training import _arguments, _loop
from layerfit.training._compile import Compiled, implied_output_count
from layerfit.training._output_checks import per_output
from layerfit.training._prepare import Arguments, require_compiled
from layerfit.training._steps import StepRunner
from layerfit.utils import unpack_x_y_sample_weight


class Model(Layer):
    """A trainable model: ``Model(inputs, outputs)`` or a subclass with ``call``.

    Example:
    >>> inputs = layerfit.Input(shape=(784,))
    >>> outputs = layerfit.layers.Dense(10, activation="softmax")(inputs)
    >>> model = layerfit.Model(inputs, outputs)
    """

    _named_outputs = False  # a subclassed model's outputs are known at its first call

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_arguments(args, kwargs):
            return super().__new__(_functional_class())
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if _functional_arguments(args, kwargs):
            # A subclass called with (inputs, outputs), as in Keras's "customizing fit" guide:
            # it becomes a functional model that keeps the subclass's own methods.
            Functional = _functional_class()
            if not isinstance(self, Functional):
                self.__class__ = _with_functional(type(self))
                Functional.__init__(self, *args, **kwargs)
                return
        super().__init__(**kwargs)
        self.compiled: Compiled | None = None
        self.optimizer = None
        self.history = None
        self.stop_training = False
        self._loss_tracker = None

    # -- structure -------------------------------------------------------------------------

    _wraps_build = False  # a model marks itself built once its graph has run
    _custom_train_step = False  # set for subclasses that define their own train_step
    _custom_test_step = False
    _custom_predict_step = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "train_step" in cls.__dict__:
            cls._custom_train_step = True
        if "test_step" in cls.__dict__:
            cls._custom_test_step = True
        if "predict_step" in cls.__dict__:
            cls._custom_predict_step = True
        # fit/evaluate/predict call model(x, training=...); Keras passes `training` only to a
        # call() that takes it. Decided once per class, so calls cost nothing extra.
        if "call" in cls.__dict__ and "forward" not in cls.__dict__:
            params = inspect.signature(cls.__dict__["call"]).parameters.values()
            takes = any(p.name == "training" or p.kind is p.VAR_KEYWORD for p in params)
            cls.forward = Layer.forward if takes else _forward_without_training

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if isinstance(value, (list, tuple, dict)) and _modules_in(value):
            _track_container(self, name, value)  # Keras tracks lists of layers; torch does not

    @property
    def layers(self) -> list[Layer]:
        """The model's layers: attributes, and layers held in list/dict attributes."""
        _sync_containers(self)
        found = []
        for key, child in self._modules.items():
            if isinstance(child, Layer):
                found.append(child)
            elif key.startswith(_TRACKED) and child is not None:
                found += [m for m in child if isinstance(m, Layer)]
        return list(dict.fromkeys(found))

    def _sublayers(self) -> list[Layer]:
        # model.weights goes through each layer's own `weights` (lists of layers included).
        return self.layers

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called ``name``, or at position ``index`` in ``model.layers``.

        Args:
            name: the layer's name. Defaults to None.
            index: its position in ``model.layers``. Defaults to None.

        Example:
        >>> model.get_layer("hidden").output  # feature extraction in a functional model
        """
        if (name is None) == (index is None):
            raise LayerfitValueError(
                explain(
                    f"get_layer(name={name!r}, index={index!r}).",
                    "either a layer name or an index, not both and not neither.",
                    "model.get_layer('hidden') or model.get_layer(index=0)",
                )
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise LayerfitValueError(
                    explain(
                        f"get_layer(index={index}) on model {self.name!r} with "
                        f"{len(layers)} layers.",
                        f"an index in [{-len(layers)}, {len(layers)}).",
                        "model.summary() lists the layers in order.",
                    )
                )
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in layers]
        from layerfit._registry import closest

        suggestions = closest(str(name), names)
        raise LayerfitValueError(
            explain(
                f"No layer named {name!r} in model {self.name!r}.",
                f"one of {names}.",
                f"did you mean {' or '.join(map(repr, suggestions))}?"
                if suggestions
                else "model.summary() lists the layer names.",
            )
        )

    def build(self, input_shape=None) -> None:
        """Builds a subclassed model's layers by calling it once on zeros of ``input_shape``."""
        _sync_containers(self)
        if input_shape is None or type(self).call is Layer.call:
            self.built = True
            return
        self._build_input_shape = input_shape  # saved as Keras's build_config
        from layerfit.layers import _symbolic

        device = _symbolic.current_weight_device()
        zeros = _symbolic.map_structure(
            lambda shape: torch.zeros([1 if d is None else d for d in shape], device=device),
            tuple(input_shape)
            if isinstance(input_shape, list)
            and all(isinstance(d, int) or d is None for d in input_shape)
            else input_shape,
        )
        try:
            self._run_once(zeros)
        except Exception as error:  # the user's call() on zeros: report it as a build problem
            raise LayerfitValueError(
                explain(
                    f"Model {self.name!r} could not be built from input_shape={input_shape}: "
                    f"{type(error).__name__}: {error}",
                    "a call() that runs on a batch of zeros of that shape (batch axis first).",
                    "build it by calling it on real data instead: model(x_train[:1]).",
                )
            ) from error

    def build_from_inputs(self, inputs) -> None:
        """Builds a subclassed model by running ``call`` once on the first real batch."""
        if type(self).build is not Model.build:
            return super().build_from_inputs(inputs)
        from layerfit.layers import _symbolic

        device = next((t.device for t in _symbolic.flatten(inputs) if torch.is_tensor(t)), None)
        _sync_containers(self)
        with _symbolic.weights_on(device):
            self._run_once(inputs)
        self._build_input_shape = _symbolic.map_structure(lambda t: tuple(t.shape), inputs)
        self.built = True
        self._apply_trainable()

    def _run_once(self, inputs) -> None:
        from layerfit.layers._symbolic import name_scope

        was_training = self.training
        self.eval()
        try:
            with torch.no_grad(), name_scope(self):  # weight paths 'my_model/dense/kernel'
                self.call(inputs)
        finally:
            self.train(was_training)
        self.built = True

    def _apply_trainable(self) -> None:
        # Plain torch modules held by the model (not wrapped) follow model.trainable too.
        super()._apply_trainable()
        frozen = self.__dict__.setdefault("_frozen_torch_params", [])
        for param in _plain_torch_params(self):
            if not self._trainable and param.requires_grad:
                frozen.append(id(param))
                param.requires_grad_(False)
            elif self._trainable and id(param) in frozen:
                param.requires_grad_(True)
        if self._trainable:
            frozen.clear()

    @classmethod
    def from_module(cls, module, input_shape, name=None, dtype=None, output_shape=None):
        """Wraps a whole ``torch.nn.Module`` as a model that compiles, fits, summarises, saves.

        Args:
            module: the ``torch.nn.Module`` (its parameters are trained in place).
            input_shape: shape of one sample, without the batch axis, e.g. ``(784,)``.
            name: the model's name. Defaults to 'functional', 'functional_1', ...
            dtype: the input dtype. Defaults to ``floatx()``.
            output_shape: the output shape, if a dry run on zeros cannot find it. Defaults
                to None.

        Example:
        >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        >>> model = layerfit.Model.from_module(net, input_shape=(4,))
        >>> model.compile(optimizer="adam", loss="mse")
        """
        from layerfit.layers import Input, TorchModuleWrapper

        Functional = _functional_class()
        if input_shape is None:
            raise LayerfitValueError(
                explain(
                    "Model.from_module() needs input_shape.",
                    "the shape of one sample without the batch axis.",
                    "Model.from_module(module, input_shape=(784,))",
                )
            )
        inputs = Input(shape=input_shape, dtype=dtype)
        layer = (
            module
            if isinstance(module, Layer)
            else TorchModuleWrapper(module, output_shape=output_shape)
        )
        return Functional(inputs, layer(inputs), name=name)

    @property
    def takes_strings(self) -> bool:
        """Whether an Input is declared ``dtype="string"``: its text stays a numpy array."""
        inputs = getattr(self, "inputs", None) or []
        return any(getattr(tensor, "dtype", None) == "string" for tensor in inputs)

    @property
    def regularized(self) -> bool:
        return any(layer._regularized or layer._adds_losses for layer in self._all_layers())

    def final_activation_split(self):
        """(logits function, 'softmax'|'sigmoid') when the loss can run on logits, else None."""
        return None

    @property
    def output_names(self) -> list[str]:
        return [self.name]

    # -- training --------------------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
        **kwargs,
    ):
        """Sets the optimizer, loss and metrics; every name is checked now.

        Args:
            optimizer: name or optimizer object. Defaults to 'rmsprop'.
            loss: name, function or Loss object (or one per output). Defaults to None.
            loss_weights: weights of each output's loss. Defaults to None (all 1).
            metrics: list of names or Metric objects, e.g. ['accuracy']. Defaults to None.
            weighted_metrics: metrics weighted by sample_weight / class_weight.
                Defaults to None.
            run_eagerly: accepted; layerfit always runs eagerly. Defaults to False.
            steps_per_execution: accepted; values above 1 warn (one batch per step here).
                Defaults to 1.
            jit_compile: 'auto' (False on PyTorch, as Keras resolves it) or a bool; True
                compiles the train step with torch.compile, running eagerly where that
                fails. Defaults to 'auto'.
            auto_scale_loss: Keras scales the loss under mixed_float16 only; no effect here.
                Defaults to True.
        """
        if kwargs:  # a misspelled argument gets "did you mean" instead of Python's TypeError
            _compat.renamed_kwargs("compile", kwargs, {}, _compat.parameter_names(Model.compile))
        _arguments.check_compile_arguments(
            loss_weights=loss_weights,
            run_eagerly=run_eagerly,
            steps_per_execution=steps_per_execution,
            jit_compile=jit_compile,
            auto_scale_loss=auto_scale_loss,
        )
        options = execution_options(run_eagerly, steps_per_execution, jit_compile, auto_scale_loss)
        self.__dict__.update(options)  # model.jit_compile, model.run_eagerly, ... as Keras
        self.optimizer = optimizers.get(optimizer)
        names, named = self.output_names, True
        if not self._named_outputs:
            count = implied_output_count(loss, metrics, loss_weights)
            if count > 1:  # a subclassed model returning a tuple: one entry per output
                names, named = [f"output_{index}" for index in range(count)], False
        self.compiled = Compiled(loss, metrics, loss_weights, weighted_metrics, names, named)
        self._loss_tracker = Mean(name="loss")  # for train_step overrides, as Keras's
        self._runner = StepRunner(self)  # the built-in steps for this loss and optimizer

    @property
    def metrics(self) -> list:
        """The 'loss' mean, then the compiled metrics (built at the first batch), as Keras."""
        if not self.compiled:
            return []
        return [self._loss_tracker, *self.compiled.all_metrics()]

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    # -- steps (override train_step / test_step to customise fit and evaluate) ------------

    def train_step(self, data) -> dict:
        """One training step on ``data`` = (x,), (x, y) or (x, y, sample_weight); its logs.

        Override it to change what ``fit`` does per batch, as in Keras; ``compute_loss``,
        ``self.metrics`` and ``self.optimizer.apply(gradients, weights)`` are there to use.
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        self._runner.train_step(x, y, sample_weight)
        return self._runner.logs()

    def test_step(self, data) -> dict:
        """One evaluation step on ``data``; its logs. Override it to change ``evaluate``."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        self._runner.test_step(x, y, sample_weight)
        return self._runner.logs()

    def predict_step(self, data):
        """The model's outputs for one batch ``data`` = (x,); override it to change ``predict``."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss of ``y_pred`` against ``y``, plus every ``add_loss`` and weight
        penalty of the layers."""
        require_compiled(self, "compute_loss")
        penalties = self.losses
        if not self.compiled.has_loss:
            return sum(penalties) if penalties else torch.zeros(())
        names = self.compiled.output_names
        loss, _ = self.compiled.compute_loss(
            per_output(y, names), per_output(y_pred, names), sample_weight
        )
        return loss + sum(penalties) if penalties else loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None) -> dict:
        """Updates the compiled metrics with one batch and returns every metric's current
        result, as Keras's (for ``train_step``/``test_step`` overrides)."""
        require_compiled(self, "compute_metrics")
        names = self.compiled.output_names
        targets, outputs = per_output(y, names), per_output(y_pred, names)
        if self.compiled.metrics is None:
            self.compiled.build_metrics(targets, outputs)
        self.compiled.update_metrics(targets, outputs, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """Each metric's current result by name (``loss`` first), as Python floats where the
        result is one number, as Keras's."""
        results = {}
        for metric in self.metrics:
            value = metric.result()
            values = value if isinstance(value, dict) else {metric.name: value}
            for name, item in values.items():
                is_number = torch.is_tensor(item) and item.numel() == 1
                results[name] = float(item) if is_number else item
        return results

    def get_compile_config(self) -> dict | None:
        """``compile``'s arguments, serialized (None before ``compile``), as Keras's."""
        from layerfit.saving._config import compile_config

        return compile_config(self)

    def compile_from_config(self, config: dict) -> None:
        """Compiles with the arguments ``get_compile_config()`` recorded, as Keras's."""
        from layerfit.saving._config import compile_from_config

        compile_from_config(self, config)

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
        **kwargs,
    ):
        """Trains for ``epochs`` epochs and returns a History (``.history`` holds the curves)."""
        if kwargs:  # Keras 1's nb_epoch=, or a misspelled argument
            epochs = _compat.renamed_kwargs(
                "fit", kwargs, _compat.FIT_RENAMES, _compat.parameter_names(Model.fit)
            ).get("epochs", epochs)
        return _loop.fit(self, Arguments(locals()))

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """Returns the loss, or [loss, *metrics], or a dict with ``return_dict=True``."""
        # Keras's fit passes its private _use_cached_eval_dataset here; layerfit never caches
        # (the validation data is converted once anyway), so it changes nothing.
        kwargs.pop("_use_cached_eval_dataset", None)
        if kwargs:  # a misspelled argument gets "did you mean" instead of Python's TypeError
            _compat.renamed_kwargs("evaluate", kwargs, {}, _compat.parameter_names(Model.evaluate))
        return _loop.evaluate(self, Arguments(locals()))

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for ``x`` as numpy arrays."""
        return _loop.predict(self, Arguments(locals()))

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient step on one batch; returns its loss (and metrics)."""
        return _loop.train_on_batch(self, Arguments(locals()))

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss (and metrics) of one batch, without a gradient step."""
        return _loop.test_on_batch(self, Arguments(locals()))

    def predict_on_batch(self, x):
        """The model's outputs for one batch ``x`` as numpy arrays."""
        _arguments.check_batch_arguments(self, x, "predict_on_batch")
        return self.predict(x, batch_size=_loop.batch_length(x), verbose=0)

    def fit_generator(self, generator, *args, **kwargs):
        """Keras 2's name for ``fit(generator, ...)``; works, with a deprecation notice."""
        return _compat.fit_generator(self, generator, *args, **kwargs)

    def evaluate_generator(self, generator, *args, **kwargs):
        """Keras 2's name for ``evaluate(generator, ...)``; works, with a deprecation notice."""
        return _compat.evaluate_generator(self, generator, *args, **kwargs)

    def predict_generator(self, generator, *args, **kwargs):
        """Keras 2's name for ``predict(generator, ...)``; works, with a deprecation notice."""
        return _compat.predict_generator(self, generator, *args, **kwargs)

    # -- saving (thin: the work is in layerfit.saving) -----------------------------------------

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves architecture, weights, compile settings and optimizer state in one file.

        Args:
            filepath: a path ending in '.keras' (or '.layerfit').
            overwrite: whether to replace an existing file. Defaults to True.
            **kwargs: ``format="keras"`` writes Keras 3's own format (HDF5 weights, needs
                h5py), which Keras's ``load_model`` opens; the default is layerfit's format.
        """
        from layerfit.saving import _saving

        _saving.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights: '.weights.h5' is HDF5 in Keras's layout (Keras reads it; needs
        h5py), '.weights.safetensors' is safetensors."""
        from layerfit.saving import _saving

        _saving.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights saved by ``save_weights`` or ``save`` (same architecture)."""
        from layerfit.saving import _saving

        _saving.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs) -> str:
        """The architecture (and compile settings) as JSON; ``models.model_from_json`` reads it."""
        from layerfit.saving import _saving

        return _saving.to_json(self, **kwargs)

    def export(
        self, filepath, format="tf_saved_model", verbose=None, input_signature=None, **kwargs
    ):
        """Writes an inference artifact: format 'onnx', 'torch_export' or 'torchscript'.

        Args:
            filepath: where to write it.
            format: 'onnx' (needs the onnx package), 'torch_export' or 'torchscript'.
                Keras's default, 'tf_saved_model', needs TensorFlow: layerfit warns and
                writes ONNX instead. Defaults to 'tf_saved_model' (as Keras).
            verbose: print where the file went. Defaults to None (= True, as in Keras).
            input_signature: input shapes (None for the batch) when the model cannot tell.
                Defaults to None.
        """
        from layerfit.saving import _export

        if format == "tf_saved_model":
            warn(
                "export(format='tf_saved_model') (Keras's default) needs TensorFlow, which "
                "layerfit (on PyTorch) does not use: writing ONNX instead.",
                fix="pass format='onnx' (or 'torch_export') to say so and silence this.",
            )
            format = "onnx"
        _export.export_model(
            self,
            filepath,
            format=format,
            verbose=True if verbose is None else verbose,
            input_signature=input_signature,
            **kwargs,
        )

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a model (new weights) from ``get_config()``."""
        Functional = _functional_class()
        from layerfit.saving import _config

        graph = isinstance(config, dict) and "input_layers" in config and "layers" in config
        if graph and cls is not Model and not issubclass(cls, Functional):
            # A functional subclass (MyModel(inputs, outputs)) comes back as that subclass.
            config, custom_objects = _config.prepare_graph_config(config, custom_objects)
            return _with_functional(cls).from_config(config, custom_objects)
        return _config.model_from_config(cls, config, custom_objects)

    # -- reporting ---------------------------------------------------------------------------

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints Keras 3's table of layers, output shapes and parameter counts.

        Args:
            line_length: the table's width. Defaults to 88 (108 with 'Connected to'), at most
                the terminal's width less 4, as Keras.
            positions: where each column ends, as fractions of the line. Defaults to
                [0.45, 0.8, 1.0] ([0.3, 0.56, 0.74, 1.0] with 'Connected to').
            print_fn: called with each line. Defaults to print.
            expand_nested: also list the layers inside nested models. Defaults to False.
            show_trainable: add a 'Trainable' column (Y, N, or - without weights).
                Defaults to False.
            layer_range: two layer names (or regexes), first and last, to list only the
                layers between them. Defaults to None (all).

        Example:
        >>> model.summary(show_trainable=True, expand_nested=True)
        """
        from layerfit.models._summary import print_summary

        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def summary_rows(self) -> list[dict]:
        """The rows summary() prints: name, type, output_shape, params, connected_to."""
        from layerfit.models._summary import summary_rows

        return summary_rows(self)

    def get_config(self) -> dict:
        return {"name": self.name, "trainable": self.trainable}


_TRACKED = "_tracked_"


def _forward_without_training(self, *args, training=None, **kwargs):
    return self.call(*args, **kwargs)


def _modules_in(value) -> list:
    items = list(value.values()) if isinstance(value, dict) else list(value)
    return items if items and all(isinstance(item, torch.nn.Module) for item in items) else []


def _track_container(model, name: str, value) -> None:
    """Registers the modules of a list/dict attribute, so their weights train and save."""
    model._modules[_TRACKED + name] = torch.nn.ModuleList(_modules_in(value))


def _sync_containers(model) -> None:
    """Picks up layers appended to list attributes after assignment (done at build)."""
    for name, value in list(vars(model).items()):
        if isinstance(value, (list, tuple, dict)):
            modules = _modules_in(value)
            tracked = model._modules.get(_TRACKED + name)
            if modules and (tracked is None or list(tracked) != modules):
                _track_container(model, name, value)


def _plain_torch_params(model) -> list:
    """Parameters of plain torch modules inside ``model`` that no layerfit Layer owns."""
    params, stack = [], [m for m in model.children() if not isinstance(m, Layer)]
    while stack:
        module = stack.pop()
        params += list(module.parameters(recurse=False))
        stack += [m for m in module.children() if not isinstance(m, Layer)]
    return params


def _functional_arguments(args: tuple, kwargs: dict) -> bool:
    """Whether a constructor got a graph's (inputs, outputs), positionally or by name."""
    return len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs


def _functional_class() -> type:
    """The Functional class, imported when first needed.

    Functional subclasses Model, and Model(inputs, outputs) must return one (as in Keras), so
    one of the two modules reaches the other at call time: this is the one place it does.
    """
    from layerfit.models._functional import Functional

    return Functional


_FUNCTIONAL_SUBCLASSES: dict = {}


def _with_functional(cls):
    """``cls`` with Functional's graph behind it: the subclass's methods first, then the graph's."""
    if cls not in _FUNCTIONAL_SUBCLASSES:
        Functional = _functional_class()
        _FUNCTIONAL_SUBCLASSES[cls] = type(
            cls.__name__,
            (cls, Functional),
            {"__module__": cls.__module__, "__qualname__": cls.__qualname__},
        )
    return _FUNCTIONAL_SUBCLASSES[cls]
