"""Keras 3's activation functions on torch tensors, and the 'activation' registry.

Every function takes a tensor (or anything ``backend.to_tensor`` accepts) and returns a tensor
of the same shape. Formulas follow ``keras/src/activations/activations.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from layerfit._registry import Registry
from layerfit.backend import to_tensor
from layerfit.errors import LayerfitValueError, explain

ACTIVATIONS = Registry("activation", keras_exact=True)


def _tensor(x) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Applies the rectified linear unit activation function.

    With default values this is `max(x, 0)`. Values below `threshold` are set to
    `negative_slope * (x - threshold)`, and the output is capped at `max_value`.

    Args:
        x: Input tensor.
        negative_slope: Slope for values below the threshold. Defaults to `0.0`.
        max_value: Largest value the function returns. Defaults to `None` (no cap).
        threshold: Value below which inputs are damped. Defaults to `0.0`.

    Example:
    >>> relu(torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0]), max_value=5.0)
    tensor([0., 0., 0., 5., 5.])
    """
    x = _tensor(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return F.relu(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return F.leaky_relu(x, negative_slope)
    negative_part = F.relu(threshold - x) if negative_slope != 0.0 else None
    if threshold != 0.0:
        positive = x * (x > threshold).to(x.dtype)
    else:
        positive = F.relu(x)
    if max_value is not None:
        positive = positive.clamp(0.0, float(max_value))
    if negative_part is not None:
        positive = positive - negative_slope * negative_part
    return positive


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` if `x >= 0` else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope of the negative part. Defaults to `0.2`.

    Example:
    >>> leaky_relu(torch.tensor([-1.0, 2.0]))
    tensor([-0.2000,  2.0000])
    """
    return F.leaky_relu(_tensor(x), negative_slope)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Example:
    >>> relu6(torch.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return F.relu6(_tensor(x))


def sigmoid(x):
    """Sigmoid: `1 / (1 + exp(-x))`.

    Example:
    >>> sigmoid(torch.tensor([0.0]))
    tensor([0.5000])
    """
    return torch.sigmoid(_tensor(x))


def softmax(x, axis=-1):
    """Softmax: `exp(x) / sum(exp(x))` along `axis`.

    Args:
        x: Input tensor.
        axis: Axis along which the softmax is normalized. Defaults to `-1`.

    Example:
    >>> softmax(torch.tensor([[0.0, 0.0]]))
    tensor([[0.5000, 0.5000]])
    """
    return torch.softmax(_tensor(x), dim=axis)


def log_softmax(x, axis=-1):
    """Log of the softmax along `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: Axis along which the softmax is normalized. Defaults to `-1`.

    Example:
    >>> log_softmax(torch.tensor([[0.0, 0.0]]))
    tensor([[-0.6931, -0.6931]])
    """
    return torch.log_softmax(_tensor(x), dim=axis)


def tanh(x):
    """Hyperbolic tangent.

    Example:
    >>> tanh(torch.tensor([0.0]))
    tensor([0.])
    """
    return torch.tanh(_tensor(x))


def silu(x):
    """Swish (or SiLU): `x * sigmoid(x)`.

    Example:
    >>> silu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.silu(_tensor(x))


swish = silu


def gelu(x, approximate=False):
    """Gaussian error linear unit: `0.5 * x * (1 + erf(x / sqrt(2)))`.

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation. Defaults to `False`.

    Example:
    >>> gelu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.gelu(_tensor(x), approximate="tanh" if approximate else "none")


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if `x > 0` else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part. Defaults to `1.0`.

    Example:
    >>> elu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.elu(_tensor(x), alpha=alpha)


def selu(x):
    """Scaled ELU with `alpha=1.67326324` and `scale=1.05070098`.

    Example:
    >>> selu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.selu(_tensor(x))


def softplus(x):
    """Softplus: `log(exp(x) + 1)`.

    Example:
    >>> softplus(torch.tensor([0.0]))
    tensor([0.6931])
    """
    return F.softplus(_tensor(x))


def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    Example:
    >>> softsign(torch.tensor([1.0]))
    tensor([0.5000])
    """
    return F.softsign(_tensor(x))


def hard_sigmoid(x):
    """Hard sigmoid (Keras 3): `0` below -3, `1` above 3, `x / 6 + 0.5` between.

    Example:
    >>> hard_sigmoid(torch.tensor([-4.0, 0.0, 4.0]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    return F.hardsigmoid(_tensor(x))


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`.

    Example:
    >>> hard_silu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.hardswish(_tensor(x))


hard_swish = hard_silu


def exponential(x):
    """Exponential: `exp(x)`.

    Example:
    >>> exponential(torch.tensor([0.0]))
    tensor([1.])
    """
    return torch.exp(_tensor(x))


def linear(x):
    """Identity: returns the input unchanged.

    Example:
    >>> linear(torch.tensor([2.0]))
    tensor([2.])
    """
    return x


def mish(x):
    """Mish: `x * tanh(softplus(x))`.

    Example:
    >>> mish(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.mish(_tensor(x))


def crelu(x, axis=-1):
    """Concatenated ReLU: `concat([relu(x), relu(-x)], axis)`.

    Args:
        x: Input tensor.
        axis: Axis along which the two halves are concatenated. Defaults to `-1`.

    Example:
    >>> crelu(torch.tensor([1.0, -2.0]))
    tensor([1., 0., 0., 2.])
    """
    x = _tensor(x)
    return torch.cat([F.relu(x), F.relu(-x)], dim=axis)


# -- Keras 3's newer activations: the same formulas as layerfit.ops (``ops.nn``) --------------


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))`.

    Example:
    >>> celu(torch.tensor([0.0, 1.0]))
    tensor([0., 1.])
    """
    return F.celu(_tensor(x), alpha)


def glu(x, axis=-1):
    """Gated linear unit: the first half of `axis` times the sigmoid of the second half.

    Example:
    >>> glu(torch.tensor([1.0, 0.0]))
    tensor([0.5000])
    """
    return F.glu(_tensor(x), dim=axis)


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0.

    Example:
    >>> hard_shrink(torch.tensor([-1.0, 0.2]))
    tensor([-1.,  0.])
    """
    return F.hardshrink(_tensor(x), threshold)


def hard_tanh(x):
    """`x` clipped to [-1, 1].

    Example:
    >>> hard_tanh(torch.tensor([-2.0, 0.5]))
    tensor([-1.0000,  0.5000])
    """
    return F.hardtanh(_tensor(x))


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably.

    Example:
    >>> log_sigmoid(torch.tensor([0.0]))
    tensor([-0.6931])
    """
    return F.logsigmoid(_tensor(x))


def soft_shrink(x, threshold=0.5):
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0.

    Example:
    >>> soft_shrink(torch.tensor([1.0, 0.2]))
    tensor([0.5000, 0.0000])
    """
    return F.softshrink(_tensor(x), threshold)


def sparse_plus(x):
    """0 for `x <= -1`, `x` for `x >= 1`, `(x + 1)**2 / 4` between: a softplus with exact zeros.

    Example:
    >>> sparse_plus(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.0000, 0.2500, 2.0000])
    """
    x = _tensor(x)
    return torch.where(x <= -1, 0.0, torch.where(x >= 1, x, (x + 1) ** 2 / 4))


def sparse_sigmoid(x):
    """0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` between.

    Example:
    >>> sparse_sigmoid(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    return ((_tensor(x) + 1) / 2).clamp(0.0, 1.0)


def sparsemax(x, axis=-1):
    """Projection onto the probability simplex along `axis`: sums to one with exact zeros.

    Example:
    >>> sparsemax(torch.tensor([0.0, 1.0, 3.0]))
    tensor([0., 0., 1.])
    """
    x = _tensor(x)
    ordered = torch.sort(x, dim=axis, descending=True).values
    running = ordered.cumsum(axis)
    shape = [1] * x.dim()
    shape[axis] = -1
    rank = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    count = (ordered - (running - 1) / rank > 0).sum(axis, keepdim=True)
    tau = (running.gather(axis, count - 1) - 1) / count.to(x.dtype)
    return (x - tau).clamp_min(0.0)


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Example:
    >>> squareplus(torch.tensor([0.0]))
    tensor([1.])
    """
    x = _tensor(x)
    return (x + torch.sqrt(x * x + b)) / 2


def tanh_shrink(x):
    """`x - tanh(x)`.

    Example:
    >>> tanh_shrink(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.tanhshrink(_tensor(x))


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Example:
    >>> threshold(torch.tensor([0.5, 2.0]), 1.0, 0.0)
    tensor([0., 2.])
    """
    x = _tensor(x)
    return torch.where(x > threshold, x, torch.as_tensor(default_value, dtype=x.dtype))


_BUILTINS = (
    (relu, ()),
    (leaky_relu, ()),
    (relu6, ()),
    (softmax, ()),
    (log_softmax, ()),
    (elu, ()),
    (selu, ()),
    (softplus, ()),
    (softsign, ()),
    (silu, ("swish",)),
    (gelu, ()),
    (tanh, ()),
    (sigmoid, ()),
    (exponential, ()),
    (hard_sigmoid, ()),
    (hard_silu, ("hard_swish",)),
    (linear, ()),
    (mish, ()),
    (crelu, ()),
    (celu, ()),
    (glu, ()),
    (hard_shrink, ()),
    (hard_tanh, ()),
    (log_sigmoid, ()),
    (soft_shrink, ()),
    (sparse_plus, ()),
    (sparse_sigmoid, ()),
    (sparsemax, ()),
    (squareplus, ()),
    (tanh_shrink, ()),
    (threshold, ()),
)
for _fn, _aliases in _BUILTINS:
    ACTIVATIONS.register(_fn, _fn.__name__, *_aliases)

# Canonical names, found by identity so aliases (swish -> silu) serialize as Keras does.
_NAME_OF = {id(fn): fn.__name__ for fn, _ in _BUILTINS}


def get(identifier) -> Callable:
    """Returns the activation function for `identifier`.

    Args:
        identifier: `None` (linear), a name such as `"relu"` (case and `_`/`-` insensitive),
            a serialized config, or a callable (returned as is).

    Example:
    >>> get("ReLU") is relu
    True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise LayerfitValueError(
        explain(
            f"Could not interpret activation function identifier: {identifier!r} "
            f"(of type {type(identifier).__name__}).",
            "None, an activation name such as 'relu', or a callable.",
            "pass activation='relu' (or another name), or a function of one tensor.",
        )
    )


def serialize(activation):
    """Returns the canonical name of a built-in activation (e.g. `"relu"`).

    A custom function is returned as a small dict naming it, as Keras does.

    Example:
    >>> serialize(swish)
    'silu'
    """
    if activation is None:
        return None
    name = _NAME_OF.get(id(activation))
    if name is not None:
        return name
    if callable(activation) and not isinstance(activation, type):
        fn_name = getattr(activation, "__name__", type(activation).__name__)
        return {
            "module": getattr(activation, "__module__", None),
            "class_name": "function",
            "config": fn_name,
            "registered_name": fn_name,
        }
    raise LayerfitValueError(
        explain(
            f"Cannot serialize activation {activation!r}.",
            "a built-in activation function or a named Python function.",
        )
    )


def deserialize(config, custom_objects=None) -> Callable:
    """Returns the activation function named by `config` (a name or a serialized dict).

    Args:
        config: A name such as `"relu"`, or a dict from `serialize`.
        custom_objects: Optional dict mapping names to your own functions. Defaults to `None`.

    Example:
    >>> deserialize("relu") is relu
    True
    """
    if callable(config) and not isinstance(config, (str, dict)):
        return config  # already a function (Keras returns it as is)
    if isinstance(config, dict):
        name = config.get("config", config.get("class_name"))
        if isinstance(name, dict):  # a serialized activation object: {"name": ...}
            name = name.get("name")
    else:
        name = config
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if not isinstance(name, str):
        raise LayerfitValueError(
            explain(
                f"Could not interpret activation config {config!r}.",
                "a name such as 'relu' or a dict made by activations.serialize.",
            )
        )
    return ACTIVATIONS.get(name)
