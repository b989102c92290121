"""Keras-2's ``keras.utils.np_utils``, kept so old notes run (see DECISIONS.md).

Each use of a name from here emits a deprecation notice pointing to ``keras.utils``.
"""

from layerfit import _compat
from layerfit.utils import _numerical

__all__ = ["normalize", "to_categorical"]  # noqa: F822 (served by __getattr__, with a notice)


def __getattr__(name: str):
    if name in __all__:
        _compat.np_utils_used(name)
        return getattr(_numerical, name)
    raise AttributeError(f"module 'layerfit.utils.np_utils' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
