"""The Layer base class: every layer is a ``torch.nn.Module`` that builds on its first input.

The constructor stores arguments, ``build(input_shape)`` makes the weights with Keras's
initializers, ``call`` computes, ``get_config`` round-trips. After the first call a layer
call costs one flag check more than the plain module call.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import numpy as np
import torch

from layerfit import backend, dtype_policies
from layerfit._compat import bare_int_shape
from layerfit._registry import closest, edit_distance
from layerfit.errors import (
    LayerfitNotImplementedError,
    LayerfitTypeError,
    LayerfitValueError,
    explain,
    warn,
)
from layerfit.layers import _masks, _mixed, _strings, _symbolic
from layerfit.layers._input_spec import check_input_spec
from layerfit.layers._variable import Variable
from layerfit.mixed_precision._policy import DTypePolicy

_BASE_KWARGS = (
    "activity_regularizer",
    "name",
    "trainable",
    "dtype",
    "input_shape",
    "input_dim",
    "batch_input_shape",
    "batch_size",
    "autocast",
)
_RENAMED_KWARGS = {
    "names": "name",
    "lr": "learning_rate",
    "init": "kernel_initializer",
    "output_dim": "units",
    "nb_filter": "filters",
}


class Layer(torch.nn.Module):
    """Base class of all layers; subclass it with ``build``, ``call`` and ``get_config``.

    Args:
        activity_regularizer: a penalty on the layer's output, added to the loss divided by
            the batch size (as Keras does). Defaults to None.
        name: the layer's name. Defaults to the snake-case class name made unique
            ('dense', 'dense_1', ...).
        trainable: whether the weights are updated by training. Defaults to True.
        dtype: the weights' dtype. Defaults to ``backend.floatx()``.
        input_shape: shape of one sample (no batch axis); on a model's first layer it
            builds the model at once, so ``summary()`` works before any data.

    Example:
    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.scale
    """

    _makes_masks = False  # whether compute_mask is overridden (set per class below)
    input_spec = None  # an InputSpec (or several) checked at every call when set, as Keras
    _autocast = None  # the half dtype of a mixed policy: the call runs under torch.autocast
    _policy = None  # a mixed DTypePolicy; None: the plain policy of dtype_name
    # The first float weight, whose dtype float inputs are cast to (_find_cast_reference);
    # False until looked up (a plain value, so copies and pickles of a layer keep its meaning).
    _cast_reference: Any = False

    def __init__(
        self,
        *,
        activity_regularizer=None,
        name=None,
        trainable=True,
        dtype=None,
        input_shape=None,
        input_dim=None,
        batch_input_shape=None,
        batch_size=None,
        autocast=True,
        **unknown,
    ):
        super().__init__()
        if unknown:
            _reject_unknown_kwargs(type(self), unknown)
        if name is not None and not isinstance(name, str):
            raise LayerfitTypeError(
                explain(f"{type(self).__name__} got name={name!r}.", "a string.", "name='hidden'")
            )
        self.name = name or backend.unique_name(backend.snake_case(type(self).__name__))
        dtype = _dtype_argument(dtype)
        self.dtype_name = dtype if isinstance(dtype, str) else backend.floatx()
        if dtype is None or isinstance(dtype, DTypePolicy) or str(dtype).startswith("mixed_"):
            # A mixed policy (given, or global when dtype is None): float32 weights, half math.
            policy = dtype if isinstance(dtype, DTypePolicy) else DTypePolicy(dtype)
            if policy.is_mixed:
                self.dtype_name = policy.variable_dtype
                self._policy = policy
                self._autocast = policy.autocast_dtype if autocast else None
        elif dtype in ("float32", "float64") and DTypePolicy().is_mixed:
            # Keras's idiom under a mixed policy: Dense(10, dtype="float32") as the last layer
            # computes (and outputs) in float32, outside the model's autocast.
            self._autocast = False
        self.built = False
        self._trainable = bool(trainable)
        self._frozen_params: list[str] = []
        self._weight_names: list[str] = []
        self._created_frozen: set[str] = set()  # weights made with trainable=False
        self._regularized: list[tuple[torch.nn.Parameter, Any]] = []
        self._added_losses: list[torch.Tensor] = []  # add_loss() during the latest call
        self._adds_losses = False  # whether call() ever used add_loss()
        self._inbound_nodes: list[_symbolic.Node] = []
        self.input_shape_arg = _sample_shape(input_shape, input_dim, batch_input_shape)
        self.batch_size_arg = batch_size
        self.activity_regularizer = None
        if activity_regularizer is not None:
            from layerfit import regularizers

            self.activity_regularizer = regularizers.get(activity_regularizer)
            self._adds_losses = True  # so fit adds the penalty to the loss

    # Keras wraps every subclass's build so that calling it directly (``layer.build(shape)``,
    # then ``set_weights``) marks the layer built; otherwise the first call would build again
    # and discard those weights. Models build by running their graph and mark themselves.
    _wraps_build = True
    # Models with declared Inputs check the dtype of what they get themselves (InputAdapter).
    _checks_own_inputs = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Read on every call: a class attribute keeps the no-mask path to one lookup.
        cls._makes_masks = cls.compute_mask is not Layer.compute_mask
        build = cls.__dict__.get("build")
        if build is not None and cls._wraps_build and not hasattr(build, "_marks_built"):
            cls.build = _marking_built(build)

    # -- calling -------------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        if self._autocast is not None and _mixed.wraps(self):  # one check unless mixed
            return _mixed.call_autocast(self, args, kwargs)
        if not args and kwargs and "inputs" not in kwargs:
            # Keras takes call()'s first argument as the inputs when it is passed by name:
            # layer(logits=x, targets=y) for call(self, logits, targets=None).
            first = _first_call_argument(type(self))
            if first is not None and first in kwargs:
                kwargs = dict(kwargs)
                args = (kwargs.pop(first),)
        inputs = args[0] if args else kwargs.get("inputs")
        if type(inputs) is not torch.Tensor:
            if _symbolic.contains_symbolic((args, kwargs)):
                if self.input_spec is not None:
                    check_input_spec(self, inputs)
                return _symbolic.symbolic_call(self, args, kwargs)
            if any(isinstance(leaf, np.ndarray) for leaf in _symbolic.flatten((args, kwargs))):
                # Keras layers take numpy arrays anywhere in their arguments (dicts, lists).
                args, kwargs = _symbolic.map_structure(self._maybe_tensor, (args, kwargs))
                inputs = args[0] if args else kwargs.get("inputs")
        elif self.built and inputs.is_floating_point():
            reference = self._cast_reference
            if reference is False:
                reference = self._find_cast_reference()
            if reference is not None and inputs.dtype is not reference.dtype:
                # Keras casts float inputs to the layer's dtype: a float64 array into a
                # float32 Dense, or float32 data into Dense(dtype="float64"), just work.
                inputs = inputs.to(reference.dtype)
                args, kwargs = _replace_inputs(args, kwargs, inputs)
        if self.input_spec is not None:
            check_input_spec(self, inputs)
        if not self.built:
            # Sublayers built in this first call get this layer's name in their weight paths.
            with _symbolic.name_scope(self):
                self.build_from_inputs(inputs)
                self.built = True
                return self.__call__(*args, **kwargs)
        if self._added_losses:
            self._added_losses = []  # each call reports its own add_loss() terms
        if (
            self._makes_masks
            or len(args) > 1
            or kwargs.get("mask") is not None
            or (
                getattr(inputs, "_keras_mask", None) is not None
                if type(inputs) is torch.Tensor
                else _masks.has_mask(inputs)
            )
        ):
            outputs = _masks.call_with_masks(self, super().__call__, args, kwargs)
        else:
            outputs = super().__call__(*args, **kwargs)
        if self.activity_regularizer is not None:
            self._add_activity_penalty(outputs)
        return outputs

    def _find_cast_reference(self):
        """The layer's first float weight: float inputs are cast to its dtype on each call.

        Layers without weights of their own pass inputs through (their sublayers cast).
        """
        own = [*self._parameters.values(), *self._buffers.values()]
        reference = next((t for t in own if t is not None and t.is_floating_point()), None)
        # Held as a plain attribute: assigning a Parameter to a Module would register it again.
        object.__setattr__(self, "_cast_reference", reference)
        return reference

    def _add_activity_penalty(self, outputs) -> None:
        # Keras divides by the batch size so the penalty's strength does not depend on it.
        for output in _symbolic.flatten(outputs):
            if torch.is_tensor(output) and output.is_floating_point():
                penalty = self.activity_regularizer(output)
                if output.dim() > 0 and output.shape[0] > 0:
                    penalty = penalty / output.shape[0]
                self.add_loss(penalty)

    def _maybe_tensor(self, item):
        if not isinstance(item, np.ndarray):
            return item
        if item.dtype.kind in "USO" and _strings.is_text(item):
            if _strings.takes_strings(self) or self._checks_own_inputs:
                return item  # a text layer, or a model whose Inputs take or refuse text
            raise _strings.text_reached_error(self, item.dtype)
        return self._tensor_from(item)

    def _tensor_from(self, array: np.ndarray) -> torch.Tensor:
        """A float64 array becomes float32, on this layer's device, as Keras converts."""
        device = next((p.device for p in self.parameters()), None)
        return backend.to_tensor(array, device=device or backend.default_device())

    def forward(self, *args, **kwargs):
        if "training" in kwargs and not self.call_takes_training:
            del kwargs["training"]  # a user's call(inputs) without the flag still works
        return self.call(*args, **kwargs)

    def call(self, inputs, *args, **kwargs):
        """Computes the layer's output; the identity unless a subclass overrides it."""
        return inputs

    def build_from_inputs(self, inputs) -> None:
        """Builds from a real first input, making weights on that input's device."""
        shape = _symbolic.map_structure(lambda t: tuple(t.shape), inputs)
        device = next((t.device for t in _symbolic.flatten(inputs) if torch.is_tensor(t)), None)
        with _symbolic.weights_on(device):
            self.build_checked(shape)

    def build_checked(self, input_shape) -> None:
        """Runs ``build`` once, turning a shape mistake into an error that names this layer."""
        if self.built:
            return
        self.check_input_shape(input_shape)
        with _symbolic.name_scope(self):
            self.build(input_shape)
        self.built = True
        self._cast_reference = False  # the weights just made decide the input dtype
        self._build_input_shape = input_shape  # saved as Keras's build_config
        self._apply_trainable()

    def get_build_config(self) -> dict | None:
        """The input shape the layer was built with, as Keras's (None before it is built).

        Override it with ``build_from_config`` when a layer makes its state some other way."""
        shape = self.__dict__.get("_build_input_shape")
        return None if shape is None else {"input_shape": shape}

    def build_from_config(self, config) -> None:
        """Builds the layer from ``get_build_config()``'s dict, as Keras's."""
        if config and "input_shape" in config:
            self.build_checked(config["input_shape"])
        elif config and "shapes_dict" in config:  # Keras's several-input build(**shapes)
            self.build(**config["shapes_dict"])

    def save_own_variables(self, store) -> None:
        """Puts this layer's own weights (not its sublayers') in ``store`` under "0", "1", ...
        in Keras's order and layout, as Keras's."""
        for index, param in enumerate(self._own_weights()):
            store[str(index)] = self.weight_to_keras(param)

    def load_own_variables(self, store) -> None:
        """Sets this layer's own weights from ``store`` as ``save_own_variables`` wrote it."""
        own = self._own_weights()
        if len(store.keys()) != len(own):
            raise LayerfitValueError(
                explain(
                    f"Layer {self.name!r} expected {len(own)} variables, but the store holds "
                    f"{len(store.keys())}.",
                    "one entry per weight of the layer, keyed '0', '1', ...",
                    "build the layer first (layer.build(input_shape)), or load the file into "
                    "a layer with the same architecture.",
                )
            )
        with torch.no_grad():
            for index, param in enumerate(own):
                value = np.asarray(store[str(index)])
                self._assign_from_keras(
                    param,
                    value,
                    lambda index=index, param=param, value=value: LayerfitValueError(
                        explain(
                            f"Variable {index} of layer {self.name!r} has shape "
                            f"{tuple(self.weight_to_keras(param).shape)}; the store holds "
                            f"{tuple(value.shape)}.",
                            "arrays shaped like save_own_variables() writes them.",
                            "load the file into a layer with the same sizes.",
                        )
                    ),
                )

    def build(self, input_shape) -> None:
        """Creates the weights; called once with the first input's shape."""
        self.built = True

    def check_input_shape(self, input_shape) -> None:
        """Raises a clear error when ``input_shape`` cannot feed this layer (subclasses add rules)."""

    def compute_output_shape(self, input_shape):
        """The output shape for ``input_shape`` (batch axis None), found by a dry run on zeros."""
        return _symbolic.dry_run_shape(self, input_shape)

    # -- masks (padding steps, see _masks.py) -----------------------------------------------------

    @property
    def supports_masking(self) -> bool:
        """Whether the layer passes masks on (through ``compute_mask``); as Keras, True when a
        subclass overrides ``compute_mask``, else False unless set."""
        value = self.__dict__.get("_supports_masking")
        if value is None:
            return type(self).compute_mask is not Layer.compute_mask
        return value

    @supports_masking.setter
    def supports_masking(self, value: bool) -> None:
        self.__dict__["_supports_masking"] = bool(value)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs given the inputs and their mask; passes the mask on."""
        return previous_mask

    # -- weights ---------------------------------------------------------------------------

    def add_weight(
        self,
        *args,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight initialised the Keras way: a Parameter with Keras's Variable methods.

        As in Keras, ``shape``, ``initializer`` and ``dtype`` may come positionally (in that
        order); everything else is keyword-only.
        """
        from layerfit import initializers

        shape, initializer, dtype = _positional_weight_args(args, shape, initializer, dtype)
        if overwrite_with_gradient:
            warn(
                "add_weight(overwrite_with_gradient=True) is ignored: layerfit has no float8 "
                "training, the only use Keras makes of it.",
                fix="drop the argument; the weight trains by its gradient as usual.",
            )
        shape = tuple(int(d) for d in (shape or ()))
        if initializer is None:
            initializer = "glorot_uniform" if len(shape) > 1 else "zeros"
        init = initializers.get(initializer)
        _symbolic.charge_weight(shape)  # a loaded file's size bound (layerfit.saving)
        value = init(shape, dtype=backend.torch_dtype(dtype or self.dtype_name))
        device = _symbolic.current_weight_device()
        if device is not None:
            value = value.to(device)
        param = Variable(value, requires_grad=bool(trainable))
        keras_name = name or "variable"
        if isinstance(param, Variable):  # under torch.export a traced value stays a Parameter
            param.name, param.path = keras_name, _symbolic.weight_path(self, keras_name)
        name = name or f"weight_{len(self._weight_names)}"
        if name in self._weight_names or hasattr(type(self), name):
            name = f"{name}_{len(self._weight_names)}"
        self.register_parameter(name, param)
        self._weight_names.append(name)
        if not trainable:  # Keras lists a layer's weights made trainable first
            self._created_frozen.add(name)
        if regularizer is not None:
            from layerfit import regularizers

            self._regularized.append((param, regularizers.get(regularizer)))
        if constraint is not None:
            from layerfit import constraints

            param.constraint = constraints.get(constraint)
        return param

    def add_variable(
        self,
        shape,
        initializer,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        name=None,
    ):
        """Keras 3's other name for ``add_weight``, with ``shape`` and ``initializer`` first."""
        return self.add_weight(
            shape=shape,
            initializer=initializer,
            dtype=dtype,
            trainable=trainable,
            autocast=autocast,
            regularizer=regularizer,
            constraint=constraint,
            name=name,
        )

    def add_metric(self, *args, **kwargs):
        """Removed in Keras 3, as there: metrics belong in ``compile`` or in your own trackers."""
        raise LayerfitNotImplementedError(
            explain(
                f"Layer.add_metric() was removed in Keras 3 (called on {self.name!r}).",
                "metrics in Model.compile(metrics=[...]), or a metric object you update.",
                "self.tracker = keras.metrics.Mean(name='my_metric') in __init__, then "
                "self.tracker.update_state(value) in call() or train_step().",
            )
        )

    def _own_weights(self) -> list[torch.nn.Parameter]:
        """This layer's weights as Keras lists them: those made trainable, then the others."""
        frozen = self._created_frozen
        names = [n for n in self._weight_names if n not in frozen]
        names += [n for n in self._weight_names if n in frozen]
        return [getattr(self, name) for name in names]

    @property
    def weights(self) -> list[torch.nn.Parameter]:
        """Every weight, this layer's first then each sublayer's, without repeats."""
        seen, result = set(), []
        for param in self._own_weights() + [
            p for child in self._sublayers() for p in child.weights
        ]:
            if id(param) not in seen:
                seen.add(id(param))
                result.append(param)
        # Plain torch modules inside (wrapped or as attributes) count too.
        for param in self.parameters():
            if id(param) not in seen:
                seen.add(id(param))
                result.append(param)
        return result

    @property
    def trainable_weights(self) -> list[torch.nn.Parameter]:
        return [w for w in self.weights if w.requires_grad]

    @property
    def non_trainable_weights(self) -> list[torch.nn.Parameter]:
        return [w for w in self.weights if not w.requires_grad]

    @property
    def variables(self) -> list[torch.nn.Parameter]:
        return self.weights

    @property
    def trainable_variables(self) -> list[torch.nn.Parameter]:
        """Keras's name for ``trainable_weights``."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[torch.nn.Parameter]:
        """Keras's name for ``non_trainable_weights``."""
        return self.non_trainable_weights

    def count_params(self) -> int:
        return sum(w.numel() for w in self.weights)

    def get_weights(self) -> list[np.ndarray]:
        """The weights as numpy arrays in Keras's layout (Dense kernel (in, out), ...)."""
        return [self._owner_of(w).weight_to_keras(w) for w in self.weights]

    def set_weights(self, weights) -> None:
        """Sets weights from numpy arrays in Keras's layout; shapes must match exactly."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise LayerfitValueError(
                explain(
                    f"Layer {self.name!r} has {len(own)} weights but set_weights got {len(weights)}.",
                    f"a list of {len(own)} arrays with shapes "
                    f"{[tuple(a.shape) for a in self.get_weights()]}.",
                    "pass the list returned by get_weights() of a layer with the same architecture.",
                )
            )
        with torch.no_grad():
            for param, value in zip(own, weights):
                owner = self._owner_of(param)
                owner._assign_from_keras(
                    param,
                    value,
                    lambda owner=owner, param=param, value=value: LayerfitValueError(
                        explain(
                            f"Weight shape mismatch in layer {owner.name!r}: got "
                            f"{tuple(np.shape(value))}, the layer has "
                            f"{tuple(owner.weight_to_keras(param).shape)}.",
                            "arrays shaped like get_weights() returns.",
                            "check that both models were built with the same layer sizes.",
                        )
                    ),
                )

    def _assign_from_keras(self, param, value, mismatch) -> None:
        """Copies ``value`` (Keras's layout) into ``param``, one of this layer's own weights;
        raises ``mismatch()`` when the shapes differ. Callers hold ``torch.no_grad()``."""
        tensor = self.weight_from_keras(param, np.asarray(value))
        if tuple(tensor.shape) != tuple(param.shape):
            raise mismatch()
        param.copy_(tensor.to(device=param.device, dtype=param.dtype))

    def weight_to_keras(self, param: torch.nn.Parameter) -> np.ndarray:
        """Converts one of this layer's weights to Keras's layout (identity unless overridden)."""
        return backend.to_numpy(param)

    def weight_from_keras(self, param: torch.nn.Parameter, value: np.ndarray) -> torch.Tensor:
        """Converts an array in Keras's layout to this layer's storage layout."""
        return torch.as_tensor(value)

    def _owner_of(self, param) -> Layer:
        for layer in self._all_layers():
            if any(p is param for p in layer._own_weights()):
                return layer
        return self

    def _sublayers(self) -> list[Layer]:
        """The nearest Layers below this one, looking through ModuleLists and plain modules."""
        found: list[Layer] = []

        def walk(module: torch.nn.Module) -> None:
            for child in module.children():
                if isinstance(child, Layer):
                    found.append(child)
                else:
                    walk(child)

        walk(self)
        return found

    def _all_layers(self) -> list[Layer]:
        return [m for m in self.modules() if isinstance(m, Layer)]

    @property
    def losses(self) -> list[torch.Tensor]:
        """Weight penalties (recomputed on access) and ``add_loss`` terms of the latest call,
        of this layer and its sublayers; ``fit`` adds them to the loss."""
        layers = self._all_layers()
        penalties = [reg(param) for layer in layers for param, reg in layer._regularized]
        return penalties + [loss for layer in layers for loss in layer._added_losses]

    def add_loss(self, loss) -> None:
        """Adds a scalar term (an activity penalty, say) to the training loss, from ``call``.

        Example:
        >>> class ActivityRegularization(Layer):
        ...     def call(self, inputs):
        ...         self.add_loss(1e-2 * inputs.abs().mean())
        ...         return inputs
        """
        loss = loss if torch.is_tensor(loss) else torch.as_tensor(loss, dtype=torch.float32)
        if loss.dim() != 0:
            loss = loss.sum()  # Keras sums a non-scalar loss
        self._added_losses.append(loss)
        self._adds_losses = True

    # -- trainable -------------------------------------------------------------------------

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for layer in self._all_layers():
            layer._trainable = bool(value)
            layer._apply_trainable()

    def _apply_trainable(self) -> None:
        # Weights created non-trainable (moving statistics) stay frozen when unfrozen again.
        for name in self._weight_names:
            param = getattr(self, name)
            if not self._trainable and param.requires_grad:
                self._frozen_params.append(name)
                param.requires_grad_(False)
            elif self._trainable and name in self._frozen_params:
                param.requires_grad_(True)
        if self._trainable:
            self._frozen_params = []

    # -- config ----------------------------------------------------------------------------

    def get_config(self) -> dict:
        """The constructor arguments that recreate this layer (weights not included)."""
        dtype = self._policy.name if self._policy is not None else self.dtype_name
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype}
        if self.activity_regularizer is not None:
            from layerfit import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self.input_shape_arg is not None:
            config["input_shape"] = self.input_shape_arg
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        return cls(**config)

    # -- symbolic access (functional models) -------------------------------------------------

    @property
    def input(self):
        return self._node_attr("inputs")

    @property
    def output(self):
        return self._node_attr("outputs")

    def _node_attr(self, attr):
        if not self._inbound_nodes:
            raise LayerfitValueError(
                explain(
                    f"Layer {self.name!r} has not been called on a symbolic input yet.",
                    "a layer that is part of a functional model (called on layerfit.Input(...)).",
                    "build the model from layerfit.Input(shape=...) first.",
                )
            )
        return getattr(self._inbound_nodes[0], attr)

    @property
    def output_shape(self):
        return _symbolic.map_structure(lambda t: t.shape, self.output)

    @property
    def dtype(self) -> str:
        return self.dtype_name

    @property
    def dtype_policy(self) -> DTypePolicy:
        """The layer's policy: its weights' dtype and the dtype its call computes in."""
        return self._policy or DTypePolicy(self.dtype_name)

    @property
    def compute_dtype(self) -> str:
        return self.dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self.dtype_policy.variable_dtype

    @property
    def call_takes_training(self) -> bool:
        """Whether ``call`` accepts a ``training`` argument (Dropout, BatchNormalization, ...)."""
        cached = self.__dict__.get("_takes_training")
        if cached is None:
            parameters = inspect.signature(self.call).parameters.values()
            cached = any(p.name == "training" or p.kind is p.VAR_KEYWORD for p in parameters)
            self.__dict__["_takes_training"] = cached
        return cached

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def warn_lora(layer: str, lora_rank) -> None:
    """Keras's ``lora_rank=`` (LoRA fine-tuning) is taken but not built yet: say so once."""
    if lora_rank is not None:
        from layerfit.errors import warn

        warn(
            f"{layer}(lora_rank={lora_rank!r}) is ignored: layerfit does not build LoRA "
            "adapters yet, so the whole kernel trains.",
            "lora_rank=None.",
            "drop lora_rank=, or freeze the layer (trainable=False) and add a small Dense "
            "beside it.",
        )


def _marking_built(build):
    @functools.wraps(build)
    def build_and_mark(self, *args, **kwargs):
        build(self, *args, **kwargs)
        self.built = True
        if "_build_input_shape" not in self.__dict__:
            shape = args[0] if args else kwargs.get("input_shape")
            self._build_input_shape = shape  # saved as Keras's build_config
        self._apply_trainable()

    build_and_mark._marks_built = True
    return build_and_mark


def _sample_shape(input_shape, input_dim, batch_input_shape):
    if batch_input_shape is not None:
        return tuple(batch_input_shape[1:])
    if input_dim is not None:
        return (int(input_dim),)
    if input_shape is None:
        return None
    if isinstance(input_shape, int):
        # input_shape=(784) is a bare int, not a tuple: a common slip in learners' notes.
        return bare_int_shape("input_shape", input_shape, f"input_shape=({input_shape},)")
    return tuple(None if d is None else int(d) for d in input_shape)


def valid_kwargs(cls) -> list[str]:
    names = set(_BASE_KWARGS)
    for klass in cls.__mro__:
        if klass in (Layer, torch.nn.Module, object):
            continue
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for param in inspect.signature(init).parameters.values():
            if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
                names.add(param.name)
    names.discard("self")
    return sorted(names)


def _reject_unknown_kwargs(cls, unknown: dict) -> None:
    valid = valid_kwargs(cls)
    key = next(iter(unknown))
    renamed = _RENAMED_KWARGS.get(key)
    suggestions = [renamed] if renamed in valid else closest(key, valid)
    if len(suggestions) > 1 and _clear_winner(key, suggestions):
        suggestions = suggestions[:1]  # a one-letter slip names one argument, not a list
    hint = (
        "Did you mean " + " or ".join(f"{s}=" for s in suggestions) + "?"
        if suggestions
        else f"Valid keyword arguments: {', '.join(valid)}."
    )
    raise LayerfitTypeError(
        explain(
            f"{cls.__name__}() got an unexpected keyword argument {key}={unknown[key]!r}.",
            f"one of: {', '.join(valid)}.",
            hint,
        )
    )


def _clear_winner(key: str, suggestions: list[str]) -> bool:
    first, second = (edit_distance(key, s) for s in suggestions[:2])
    return first <= 2 < second


def _replace_inputs(args: tuple, kwargs: dict, inputs) -> tuple[tuple, dict]:
    if args:
        return (inputs, *args[1:]), kwargs
    return args, {**kwargs, "inputs": inputs}


def _dtype_argument(dtype):
    """A layer's ``dtype=`` as a name or a mixed policy: plain policies, Keras's policy config
    dicts and numpy/torch dtypes become their names (a float64 policy means float64 weights)."""
    if isinstance(dtype, dict) and "class_name" in dtype:
        dtype = dtype_policies.deserialize(dtype)  # refuses quantized policies by name
    if isinstance(dtype, DTypePolicy):
        return dtype if dtype.is_mixed else dtype.name
    if dtype is None or isinstance(dtype, str):
        return dtype
    return backend.standardize_dtype(dtype)


def _positional_weight_args(args: tuple, shape, initializer, dtype) -> tuple:
    """Keras 2's ``add_weight(shape, initializer, dtype)``, checked as Keras 3 checks it."""
    if not args:
        return shape, initializer, dtype
    if len(args) > 3 or isinstance(args[0], str):
        raise LayerfitTypeError(
            explain(
                f"add_weight got {len(args)} positional argument(s), the first {args[0]!r}.",
                "at most shape, initializer and dtype positionally; name and the rest by keyword.",
                "add_weight(shape=(3, 4), initializer='zeros', name='kernel').",
            )
        )
    given = {"shape": shape, "initializer": initializer, "dtype": dtype}
    for key, value in zip(given, args):
        if given[key] is not None:
            raise LayerfitTypeError(
                explain(
                    f"add_weight got {key} both positionally and by keyword.", fix="pass it once."
                )
            )
        given[key] = value
    return given["shape"], given["initializer"], given["dtype"]


@functools.cache
def _first_call_argument(cls) -> str | None:
    """The name of the first argument of ``cls.call`` after self (None if it takes *args)."""
    try:
        parameters = list(inspect.signature(cls.call).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    if parameters and parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
        return parameters[0].name
    return None
