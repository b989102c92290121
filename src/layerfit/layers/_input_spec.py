"""InputSpec: what a layer accepts (rank, dtype, axis sizes), checked at every call as Keras."""

from __future__ import annotations

from layerfit._tree import flatten
from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain


def _dtype_name(dtype) -> str | None:
    if dtype is None:
        return None
    return str(dtype).replace("torch.", "")


class InputSpec:
    """Describes the inputs a layer accepts; set ``self.input_spec`` and every call is checked.

    Args:
        dtype: the expected dtype name (e.g. 'float32'). Defaults to None (any).
        shape: the expected shape, None for any size on an axis (sets ``ndim``).
            Defaults to None.
        ndim: the expected rank. Defaults to None.
        max_ndim, min_ndim: bounds on the rank. Defaults to None.
        axes: {axis: size} the input must have. Defaults to None.
        allow_last_axis_squeeze: ignore a trailing axis of size 1 when comparing ``shape``
            (the rank is then not checked). Defaults to False.
        name: the key of this input when the layer takes a dict. Defaults to None.
        optional: a None input is allowed. Defaults to False.

    Example:
    >>> class Pairwise(layers.Layer):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.input_spec = InputSpec(ndim=3, axes={-1: 4})
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = _dtype_name(dtype)
        if shape is not None:
            self.shape = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError, AttributeError):
            raise LayerfitTypeError(
                explain(
                    f"InputSpec got axes={axes!r}.",
                    "a dict with integer keys: {axis: size}.",
                    "InputSpec(axes={-1: 16})",
                )
            ) from None
        top = self.ndim if self.ndim else self.max_ndim
        if self.axes and top is not None and max(self.axes) > top - 1:
            raise LayerfitValueError(
                explain(
                    f"InputSpec got axes={self.axes} for inputs of at most {top} axes.",
                    f"axis numbers up to {top - 1}.",
                    "use a smaller axis (or a negative one, counted from the end).",
                )
            )

    def __repr__(self) -> str:
        parts = [
            f"dtype={self.dtype}" if self.dtype else "",
            f"shape={self.shape}" if self.shape else "",
            f"ndim={self.ndim}" if self.ndim else "",
            f"max_ndim={self.max_ndim}" if self.max_ndim else "",
            f"min_ndim={self.min_ndim}" if self.min_ndim else "",
            f"axes={self.axes}" if self.axes else "",
        ]
        return f"InputSpec({', '.join(p for p in parts if p)})"

    def get_config(self) -> dict:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config: dict) -> InputSpec:
        return cls(**config)


def _problem(spec: InputSpec, shape: tuple, dtype: str | None) -> str | None:
    """What about (shape, dtype) breaks ``spec``, in Keras's words; None when it fits."""
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        return f"expected ndim={spec.ndim}, found ndim={ndim}"
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        return f"expected max_ndim={spec.max_ndim}, found ndim={ndim}"
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        return f"expected min_ndim={spec.min_ndim}, found ndim={ndim}"
    if spec.dtype is not None and dtype is not None and dtype != spec.dtype:
        return f"expected dtype={spec.dtype}, found dtype={dtype}"
    for axis, value in spec.axes.items():
        if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
            return f"expected axis {axis} to have size {value}, found {shape[axis]}"
    if spec.shape is not None:
        expected, got = spec.shape, shape
        if spec.allow_last_axis_squeeze:
            got = got[:-1] if got and got[-1] == 1 else got
            expected = expected[:-1] if expected and expected[-1] == 1 else expected
        for want, have in zip(expected, got):
            if want is not None and have is not None and want != have:
                return f"expected shape={spec.shape}, found shape={shape}"
    return None


def check_input_spec(layer, inputs) -> None:
    """Raises our error naming the input and the broken rule when ``inputs`` break
    ``layer.input_spec`` (one spec, or a list/dict of them for several inputs)."""
    specs = flatten(layer.input_spec)
    if not specs:
        return
    kind = f"{layer.name!r} ({type(layer).__name__})"
    if isinstance(inputs, dict) and all(s is not None and s.name for s in specs):
        missing = [s.name for s in specs if s.name not in inputs]
        if missing:
            raise LayerfitValueError(
                explain(
                    f"Layer {kind} got a dict of inputs without the key(s) {missing} "
                    f"(keys given: {list(inputs)}).",
                    f"the keys {[s.name for s in specs]}, as the layer's input_spec names them.",
                    "pass a dict with those keys.",
                )
            )
        inputs = [inputs[s.name] for s in specs]
    values = flatten(inputs)
    if len(values) != len(specs):
        raise LayerfitValueError(
            explain(
                f"Layer {kind} expects {len(specs)} input(s), but it received {len(values)}.",
                f"{len(specs)} input tensor(s), as its input_spec says.",
                "pass one tensor per input (a list or tuple for several).",
            )
        )
    for index, (x, spec) in enumerate(zip(values, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        if not hasattr(x, "shape"):
            raise LayerfitTypeError(
                explain(
                    f"Input {index} of layer {kind} is a {type(x).__name__}, not a tensor.",
                    "a tensor or numpy array.",
                    "convert it, e.g. with np.asarray(value).",
                )
            )
        shape = tuple(x.shape)
        problem = _problem(spec, shape, _dtype_name(getattr(x, "dtype", None)))
        if problem is not None:
            raise LayerfitValueError(
                explain(
                    f"Input {index} of layer {kind} is incompatible with the layer: {problem} "
                    f"(input shape {shape}).",
                    f"inputs matching the layer's {spec!r}.",
                    "reshape or cast the input to match, or build the layer for this input.",
                )
            )
