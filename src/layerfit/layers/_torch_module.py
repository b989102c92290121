"""TorchModuleWrapper: any ``torch.nn.Module`` as a layer of a layerfit model."""

from __future__ import annotations

import torch

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers import _symbolic
from layerfit.layers._layer import Layer


class TorchModuleWrapper(Layer):
    """Wraps a ``torch.nn.Module`` so it trains, summarises and saves inside a layerfit model.

    ``Sequential`` wraps plain modules itself; in a functional model, wrap them by hand.

    Args:
        module: the ``torch.nn.Module`` (a lazy module must have run once first).
        name: the layer's name. Defaults to 'torch_module_wrapper', 'torch_module_wrapper_1', ...
        output_shape: the output shape, when a dry run on zeros cannot find it (modules that
            take integer inputs). With or without the batch axis. Defaults to None.

    Example:
    >>> inputs = layerfit.Input(shape=(784,))
    >>> x = TorchModuleWrapper(torch.nn.Linear(784, 64))(inputs)
    >>> x.shape
    (None, 64)
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, torch.nn.Module):
            raise LayerfitTypeError(
                explain(
                    f"TorchModuleWrapper got {type(module).__name__}, not a torch.nn.Module.",
                    "a torch.nn.Module instance such as torch.nn.Linear(784, 10).",
                    "pass the module itself: TorchModuleWrapper(torch.nn.Linear(784, 10)).",
                )
            )
        lazy = isinstance(module, torch.nn.modules.lazy.LazyModuleMixin)
        if lazy and module.has_uninitialized_params():
            raise LayerfitValueError(
                explain(
                    f"TorchModuleWrapper got the lazy module {type(module).__name__} before its "
                    "parameters exist.",
                    "a module whose parameters are created.",
                    "call the module once on a sample batch first, or use the non-lazy "
                    "module (torch.nn.Linear instead of torch.nn.LazyLinear).",
                )
            )
        self.module = module
        self.output_shape_arg = None if output_shape is None else tuple(output_shape)
        self._frozen_module_params: list[int] = []
        self.built = True
        self._apply_trainable()

    def call(self, *args, training=None, **kwargs):
        # training=None leaves the mode set by model.train()/eval() (fit, evaluate, predict).
        if training is not None and self.module.training != bool(training):
            self.module.train(bool(training))
        return self.module(*args, **kwargs)

    @property
    def weights(self) -> list:
        """The module's parameters, then its floating-point buffers (BatchNorm's running
        statistics) as non-trainable weights, so they save, load and count like Keras's own."""
        buffers = [b for b in self.module.buffers() if b.is_floating_point()]
        return list(self.module.parameters()) + buffers

    def compute_output_shape(self, input_shape):
        if self.output_shape_arg is not None:
            shape = self.output_shape_arg
            return shape if shape and shape[0] is None else (None, *shape)
        try:
            return _symbolic.dry_run_shape(self, input_shape)
        except LayerfitValueError as error:
            raise LayerfitValueError(
                f"{error}\nIf the module needs integer inputs or more than one input, give "
                "the shape: TorchModuleWrapper(module, output_shape=(None, 10))."
            ) from None

    def _apply_trainable(self) -> None:
        # Parameters created frozen stay frozen when the layer is unfrozen again.
        for param in self.module.parameters():
            if not self._trainable and param.requires_grad:
                self._frozen_module_params.append(id(param))
                param.requires_grad_(False)
            elif self._trainable and id(param) in self._frozen_module_params:
                param.requires_grad_(True)
        if self._trainable:
            self._frozen_module_params = []

    def get_config(self) -> dict:
        shape = None if self.output_shape_arg is None else list(self.output_shape_arg)
        return {**super().get_config(), "module": type(self.module).__name__, "output_shape": shape}

    @classmethod
    def from_config(cls, config: dict) -> TorchModuleWrapper:
        module = config.get("module")
        if not isinstance(module, torch.nn.Module):
            raise LayerfitValueError(
                explain(
                    f"TorchModuleWrapper.from_config() cannot rebuild the torch module {module!r} "
                    "from a config: layerfit never unpickles code.",
                    "the module itself under config['module'].",
                    "create the module in code, then TorchModuleWrapper.from_config("
                    "{**config, 'module': MyModule()}) and load the saved weights.",
                )
            )
        return cls(**config)

    def __repr__(self) -> str:
        return f"<TorchModuleWrapper name={self.name}, module={type(self.module).__name__}>"
