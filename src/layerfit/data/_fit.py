"""The data of one fit/evaluate/predict call: checked, converted, split, weighted, batched."""

from __future__ import annotations

from layerfit.data._adapters import make_batches, prepare_xy
from layerfit.data._arrays import is_array_like, split_validation
from layerfit.data._checks import check_arrays
from layerfit.data._weights import class_sample_weight
from layerfit.errors import LayerfitValueError, explain


def fit_batches(
    x,
    y,
    sample_weight,
    *,
    batch_size,
    shuffle,
    steps,
    validation_split,
    validation_data,
    validation_batch_size,
    validation_steps,
    class_weight,
    y_dtype,
    device,
):
    """(training batches, validation batches or None) for ``fit``'s arguments of those names."""
    validation = None
    if validation_split and validation_data is None:
        if not _is_arrays(x):
            raise LayerfitValueError(
                explain(
                    "validation_split works only with arrays and tensors.",
                    "x and y as arrays, or a separate validation_data.",
                    "pass validation_data=(x_val, y_val) or a validation DataLoader.",
                )
            )
        check_arrays(x, y, "x", "y")
        x, y, sample_weight = prepare_xy(x, y, sample_weight, y_dtype=y_dtype, device=device)
        (x, y, sample_weight), validation = split_validation(x, y, sample_weight, validation_split)
    elif _is_arrays(x):
        check_arrays(x, y, "x", "y")
    if class_weight is not None:
        sample_weight = class_sample_weight(x, y, sample_weight, class_weight)
    train = make_batches(
        x,
        y,
        sample_weight,
        batch_size=batch_size,
        shuffle=shuffle,
        steps=steps,
        y_dtype=y_dtype,
        device=device,
    )
    if validation_data is not None:
        validation = _unpack_validation(validation_data)
    if validation is None:
        return train, None
    return train, make_batches(
        *validation,
        batch_size=validation_batch_size or batch_size,
        steps=validation_steps,
        y_dtype=y_dtype,
        device=device,
        argument="validation_data",
    )


def checked_batches(x, y=None, sample_weight=None, **options):
    """``make_batches`` after the raw-array checks (evaluate and predict)."""
    if _is_arrays(x):
        check_arrays(x, y, "x", None if y is None else "y")
    return make_batches(x, y, sample_weight, **options)


class OneBatch:
    """The single batch of a ``*_on_batch`` call, converted once, shaped like other batches."""

    def __init__(self, x, y=None, sample_weight=None, *, class_weight=None, y_dtype, device):
        if class_weight is not None:
            sample_weight = class_sample_weight(x, y, sample_weight, class_weight)
        self.batch = prepare_xy(x, y, sample_weight, y_dtype=y_dtype, device=device)

    def __len__(self) -> int:
        return 1

    def __iter__(self):
        yield self.batch

    def first_batch(self):
        return self.batch


def _is_arrays(x) -> bool:
    return x is not None and is_array_like(x)


def _unpack_validation(validation_data):
    if isinstance(validation_data, tuple) and len(validation_data) in (2, 3):
        x_val, y_val, *rest = validation_data
        check_arrays(x_val, y_val, "validation_data[0]", "validation_data[1]")
        return x_val, y_val, (rest[0] if rest else None)
    if _is_arrays(validation_data):
        raise LayerfitValueError(
            explain(
                "validation_data is a single array.",
                "a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val), or a DataLoader.",
                "fit(x, y, validation_data=(x_val, y_val))",
            )
        )
    return validation_data, None, None
