"""Shapes as Keras prints them: ``(None, 10)``, ``(None,)``, ``[(None, 4), (None, 2)]``."""

from __future__ import annotations


def shape_text(shape) -> str:
    """A shape tuple (or a list of them) as text; None is '?'.

    Example:
    >>> shape_text((None, 10))
    '(None, 10)'
    """
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(shape_text(s) for s in shape) + "]"
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
