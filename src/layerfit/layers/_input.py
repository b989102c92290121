"""Input and InputLayer: where a model's data enters and its shape is declared."""

from __future__ import annotations

from layerfit._compat import bare_int_shape
from layerfit.errors import LayerfitValueError, explain, warn
from layerfit.layers._layer import Layer
from layerfit.layers._symbolic import KerasTensor, Node


class InputLayer(Layer):
    """Declares the shape of one sample; ``Input(...)`` returns its symbolic output.

    Args:
        shape: shape of one sample, without the batch axis, e.g. ``(784,)``.
        batch_size: a fixed batch size. Defaults to None (any).
        dtype: the input dtype. Defaults to ``floatx()``.
        batch_shape: the shape with the batch axis, instead of ``shape``.
        name: the layer's name. Defaults to 'input_layer', 'input_layer_1', ...
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        ragged=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        if shape is None and batch_shape is None:
            shape = kwargs.pop("input_shape", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        _check_dense_only(sparse, ragged)
        _check_plain_input(input_tensor, optional)
        if batch_shape is not None:
            batch_size, shape = batch_shape[0], batch_shape[1:]
        if shape is None:
            raise LayerfitValueError(
                explain(
                    "Input() needs the shape of one sample.",
                    "shape=(features,) for tables or shape=(28, 28, 1) for images.",
                    "Input(shape=(784,))",
                )
            )
        if isinstance(shape, int):
            # shape=(784) is a bare int, not a tuple: a common slip in learners' notes.
            shape = bare_int_shape("shape", shape, f"Input(shape=({shape},))")
        self.shape = _checked_shape(shape, batch_size)
        self.batch_size = batch_size
        self.built = True
        node = Node(self, (), {}, None)
        node.outputs = KerasTensor(
            (batch_size, *self.shape), dtype=self.dtype_name, node=node, name=self.name
        )
        self._inbound_nodes.append(node)

    @property
    def batch_shape(self) -> tuple:
        return (self.batch_size, *self.shape)

    def compute_output_shape(self, input_shape):
        return self.batch_shape

    def get_config(self) -> dict:
        return {"batch_shape": self.batch_shape, "dtype": self.dtype_name, "name": self.name}


def _checked_shape(shape, batch_size) -> tuple:
    """Each axis a whole number, 0 or more, or None (any size); the same for batch_size."""
    import numbers

    def fits(d) -> bool:
        return d is None or (
            isinstance(d, numbers.Integral) and not isinstance(d, bool) and int(d) >= 0
        )

    if not isinstance(shape, (tuple, list)) or not all(map(fits, shape)) or not fits(batch_size):
        raise LayerfitValueError(
            explain(
                f"Input got shape={shape!r}"
                + (f" and batch_size={batch_size!r}." if batch_size is not None else "."),
                "the size of each axis of one sample as whole numbers (None for an axis of "
                "any size), without the batch axis; batch_size a whole number or None.",
                "Input(shape=(784,)) for 784 features, Input(shape=(None, 8)) for sequences "
                "of any length; -1 is not 'any size' here: write None.",
            )
        )
    return tuple(None if d is None else int(d) for d in shape)


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    ragged=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
) -> KerasTensor:
    """Returns a symbolic tensor that starts a model: ``Input(shape=(784,))``.

    Args:
        shape: shape of one sample, without the batch axis.
        batch_size: a fixed batch size. Defaults to None.
        dtype: the input dtype. Defaults to ``floatx()``. ``"string"`` takes text (lists or
            numpy arrays of strings) for a TextVectorization, StringLookup or Hashing layer.
        name: the input's name. Defaults to 'input_layer', 'input_layer_1', ...

    Example:
    >>> inputs = Input(shape=(784,))
    >>> inputs.shape
    (None, 784)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
    )
    return layer.output


def _check_plain_input(input_tensor, optional) -> None:
    """Keras's ``tensor=`` (wrap an existing backend tensor) and ``optional=`` (an input that
    may be None) have no counterpart here: say so rather than drop them."""
    if input_tensor is not None:
        raise LayerfitValueError(
            explain(
                "Input(tensor=...): wrapping an existing tensor into a symbolic input is not "
                "supported by layerfit.",
                "Input(shape=...) alone; the data is given when the model is called.",
                "inputs = keras.Input(shape=tuple(t.shape[1:])); then model(t) or "
                "model.predict(t).",
            )
        )
    if optional:
        warn(
            "Input(optional=True) is ignored: layerfit models need every input at each call.",
            fix="drop optional=True and pass a value (e.g. zeros) for that input.",
        )


def _check_dense_only(sparse, ragged) -> None:
    """Keras itself refuses ragged inputs outside TensorFlow; layerfit has dense tensors only."""
    if ragged:
        raise LayerfitValueError(
            explain(
                "Input(ragged=True): ragged tensors exist only in Keras's TensorFlow backend, "
                "and layerfit (on PyTorch) has none.",
                "dense inputs of one shape per batch.",
                "pad the sequences to one length: keras.utils.pad_sequences(sequences), "
                "and mask the padding with Embedding(mask_zero=True).",
            )
        )
    if sparse:
        warn(
            "Input(sparse=True) is ignored: layerfit has dense tensors only.",
            fix="drop sparse=True and pass dense arrays (scipy: x.toarray()).",
        )
