"""Adaptive pooling layers: any input size pooled to a fixed ``output_size`` (Keras 3.12+)."""

from __future__ import annotations

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain
from layerfit.layers._conv_arguments import check_image_rank, standardize_data_format
from layerfit.layers._layer import Layer
from layerfit.ops._adaptive import adaptive_pool


class _AdaptivePooling(Layer):
    """Shared machinery: ``output_size`` per spatial axis, channels kept."""

    rank = 1
    kind = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        layer = type(self).__name__
        if isinstance(output_size, int) and not isinstance(output_size, bool):
            output_size = (output_size,) * self.rank
        if not isinstance(output_size, (tuple, list)):
            raise LayerfitTypeError(
                explain(
                    f"{layer} got output_size={output_size!r} of type "
                    f"{type(output_size).__name__}.",
                    f"an integer or a tuple of {self.rank} integers.",
                    f"{layer}({(8,) * self.rank if self.rank > 1 else 8})",
                )
            )
        if len(output_size) != self.rank or not all(
            isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in output_size
        ):
            raise LayerfitValueError(
                explain(
                    f"{layer} got output_size={output_size!r}.",
                    f"{self.rank} positive integer(s), one per spatial axis.",
                    f"{layer}({(8,) * self.rank if self.rank > 1 else 8})",
                )
            )
        self.output_size = tuple(output_size)
        self.data_format = standardize_data_format(data_format)

    def check_input_shape(self, input_shape) -> None:
        check_image_rank(self, input_shape, self.rank, self.data_format)

    def call(self, inputs):
        return adaptive_pool(
            self.kind, inputs, self.output_size, self.data_format, what=type(self).__name__
        )

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """Averages (batch, steps, channels) into ``output_size`` steps, whatever the input length.

    Bin ``i`` covers steps ``floor(i * n / out)`` to ``ceil((i + 1) * n / out)``, as Keras
    (and torch's adaptive pooling).

    Args:
        output_size: an int, the output length.
        data_format: 'channels_last' or 'channels_first'. Defaults to
            ``config.image_data_format()``.

    Example:
    >>> AdaptiveAveragePooling1D(4)(torch.zeros(2, 10, 3)).shape
    torch.Size([2, 4, 3])
    """


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """Max over adaptive bins of (batch, steps, channels) into ``output_size`` steps.

    Args: as ``AdaptiveAveragePooling1D``.

    Example:
    >>> AdaptiveMaxPooling1D(4)(torch.zeros(2, 10, 3)).shape
    torch.Size([2, 4, 3])
    """

    kind = "max"


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """Averages (batch, height, width, channels) into ``output_size`` bins.

    Args:
        output_size: an int (square) or (height, width).
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> AdaptiveAveragePooling2D((2, 3))(torch.zeros(1, 7, 9, 4)).shape
    torch.Size([1, 2, 3, 4])
    """

    rank = 2


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """Max over adaptive bins of (batch, height, width, channels).

    Args: as ``AdaptiveAveragePooling2D``.

    Example:
    >>> AdaptiveMaxPooling2D(2)(torch.zeros(1, 7, 9, 4)).shape
    torch.Size([1, 2, 2, 4])
    """

    rank = 2
    kind = "max"


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """Averages (batch, depth, height, width, channels) into ``output_size`` bins.

    Args:
        output_size: an int (cube) or (depth, height, width).
        data_format: Defaults to ``config.image_data_format()``.

    Example:
    >>> AdaptiveAveragePooling3D(2)(torch.zeros(1, 5, 6, 7, 2)).shape
    torch.Size([1, 2, 2, 2, 2])
    """

    rank = 3


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """Max over adaptive bins of (batch, depth, height, width, channels).

    Args: as ``AdaptiveAveragePooling3D``.

    Example:
    >>> AdaptiveMaxPooling3D(2)(torch.zeros(1, 5, 6, 7, 2)).shape
    torch.Size([1, 2, 2, 2, 2])
    """

    rank = 3
    kind = "max"
