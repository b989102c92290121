"""layerfit's exceptions and warnings, and the one helper that formats their messages.

Every error also subclasses the builtin that Keras raises in the same place, so a user's
existing ``except ValueError`` keeps working.
"""

from __future__ import annotations

import warnings


class LayerfitError(Exception):
    """Base class of every error layerfit raises on purpose."""


class LayerfitValueError(LayerfitError, ValueError):
    """A value the user passed is wrong (a shape, a name, a range)."""


class LayerfitTypeError(LayerfitError, TypeError):
    """An argument of the wrong kind, or an unknown keyword argument."""


class LayerfitRuntimeError(LayerfitError, RuntimeError):
    """Something went wrong while running (a NaN loss, fit before compile)."""


class LayerfitNotImplementedError(LayerfitError, NotImplementedError):
    """Something Keras itself removed or leaves unimplemented (``Layer.add_metric``)."""


class LayerfitWarning(UserWarning):
    """Category of every warning layerfit emits; filter it with ``warnings.filterwarnings``."""


class LayerfitDeprecationWarning(LayerfitWarning, DeprecationWarning):
    """A Keras-2 spelling that still works but has a newer name."""


def explain(what: str, expected: str | None = None, fix: str | None = None) -> str:
    """Formats a message as: what happened, what was expected, how to fix it.

    Each part is written in English at the call site and translated here, in the one place, when
    the language is not English (``layerfit.config.set_language``, ``LAYERFIT_LANG``, the locale).
    """
    from layerfit._messages import get_language, label, translate

    language = get_language()
    parts = [translate(what.rstrip(), language)]
    if expected:
        parts.append(f"{label('Expected', language)}: {translate(expected.rstrip(), language)}")
    if fix:
        parts.append(f"{label('Fix', language)}: {translate(fix.rstrip(), language)}")
    return "\n".join(parts)


def localize(text: str) -> str:
    """A printed notice (``Epoch 3: early stopping``) in the language of messages.

    The same catalogue as :func:`explain`; a line without a translation prints as written.
    """
    from layerfit._messages import translate

    return translate(text)


def warn(what: str, expected: str | None = None, fix: str | None = None, *, category=None):
    """Emits a LayerfitWarning (or ``category``) pointing at the user's line, not ours."""
    message = explain(what, expected, fix)
    warnings.warn(message, category or LayerfitWarning, stacklevel=_user_stacklevel())


def _user_stacklevel() -> int:
    """Counts frames until the first one outside the layerfit package."""
    import sys

    frame = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("layerfit"):
        frame = frame.f_back
        level += 1
    return level
