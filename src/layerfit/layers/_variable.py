"""Layer weights: ``torch.nn.Parameter`` with the methods Keras's ``Variable`` offers.

Custom layers from Keras's guides write ``self.total.assign_add(...)`` and learners read
``layer.kernel.numpy()``; a plain Parameter has neither (its ``numpy()`` refuses a tensor that
requires grad). Arithmetic on a Variable gives plain tensors, as on any Parameter.
"""

from __future__ import annotations

import numpy as np
import torch

from layerfit import backend
from layerfit.backend import to_numpy
from layerfit.errors import LayerfitValueError, explain


class Variable(torch.nn.Parameter):
    """A weight: a Parameter that also answers ``assign``, ``assign_add``, ``numpy``, ...

    ``constraint`` (Keras's attribute) is the projection the optimizer applies after each step.
    """

    constraint = None

    def __new__(
        cls,
        initializer=None,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        layout=None,
        *,
        requires_grad=None,
    ):
        """Keras's ``keras.Variable(initializer, shape, dtype, trainable, ..., name)``: a value
        (array, tensor, number) or an initializer with a shape."""
        if layout is not None:
            from layerfit.errors import warn

            warn(
                "Variable(layout=...) is ignored: layerfit does not shard single variables "
                "(Keras's distribution layouts).",
                "layout=None.",
                "drop layout=; torch.distributed shards whole models (DDP/FSDP).",
            )
        if isinstance(shape, bool):  # torch's own copies call type(p)(data, requires_grad)
            requires_grad, shape = shape, None
        requires_grad = bool(trainable) if requires_grad is None else bool(requires_grad)
        torch_dtype = None if dtype is None else backend.torch_dtype(dtype)
        if isinstance(initializer, torch.Tensor):
            data = initializer if torch_dtype is None else initializer.to(torch_dtype)
        elif isinstance(initializer, str) or (callable(initializer) and shape is not None):
            from layerfit import initializers

            data = initializers.get(initializer)(tuple(shape), dtype=torch_dtype)
        else:
            array = np.array(initializer)  # a copy, and 0-d stays 0-d
            if torch_dtype is None and array.dtype == np.float64:
                torch_dtype = backend.torch_dtype()  # Keras's floatx for Python floats
            data = torch.as_tensor(array, dtype=torch_dtype)
        # Integer variables (counters) cannot take gradients in torch.
        requires_grad = requires_grad and (data.is_floating_point() or data.is_complex())
        variable = super().__new__(cls, data.detach(), requires_grad)
        if name is not None:
            variable.__dict__["_keras_name"] = name
        return variable

    def numpy(self, *, force=False):
        """A copy of the values as a numpy array (off the GPU, outside autograd)."""
        return to_numpy(self)

    @property
    def value(self) -> torch.Tensor:
        return self

    @property
    def name(self) -> str | None:
        """Keras's weight name: 'kernel', 'bias', 'gamma', ..., or the name given to
        ``keras.Variable(..., name=)``."""
        return self.__dict__.get("_keras_name")

    @name.setter
    def name(self, value: str | None) -> None:
        self.__dict__["_keras_name"] = value

    @property
    def path(self) -> str | None:
        """The layers down to the weight and its name, as Keras: 'dense/kernel'."""
        return self.__dict__.get("_keras_path")

    @path.setter
    def path(self, value: str | None) -> None:
        self.__dict__["_keras_path"] = value

    @property
    def trainable(self) -> bool:
        return self.requires_grad

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self.requires_grad_(bool(value))

    def assign(self, value):
        """Overwrites the values in place (outside autograd); returns the variable."""
        with torch.no_grad():
            self.copy_(self._same_shape(value))
        return self

    def assign_add(self, delta):
        with torch.no_grad():
            self.add_(self._same_shape(delta))
        return self

    def assign_sub(self, delta):
        with torch.no_grad():
            self.sub_(self._same_shape(delta))
        return self

    def _same_shape(self, value) -> torch.Tensor:
        value = torch.as_tensor(value, dtype=self.dtype, device=self.device)
        if value.shape != self.shape and value.numel() != 1:
            raise LayerfitValueError(
                explain(
                    f"A value of shape {tuple(value.shape)} was assigned to a weight of shape "
                    f"{tuple(self.shape)}.",
                    f"a value of shape {tuple(self.shape)} (or a single number).",
                    "to replace a layer's weights with Keras-layout arrays, use "
                    "layer.set_weights([...]).",
                )
            )
        return value

    def __repr__(self) -> str:
        values = str(self.numpy()) if self.numel() <= 10 else "..."
        return f"<Variable path={self.path}, shape={tuple(self.shape)}, dtype={str(self.dtype)[6:]}, value={values}>"

    def __reduce_ex__(self, protocol):
        # Parameter's own reduction rebuilds a plain Parameter, losing these methods.
        return (_rebuild_variable, (self.detach(), self.requires_grad, self.name, self.path))

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.name, copied.path = self.name, self.path
        return copied


def _rebuild_variable(data: torch.Tensor, requires_grad: bool, name=None, path=None) -> Variable:
    variable = Variable(data, requires_grad=requires_grad)
    variable.name, variable.path = name, path
    return variable
