"""Keras's ``keras.tree``: flatten, map and rebuild nested lists, tuples and dicts.

Dicts flatten in sorted-key order (an OrderedDict in its own order) and are rebuilt in their
own key order; None is a leaf unless ``none_is_leaf=False``.
"""

from __future__ import annotations

import warnings

from layerfit.tree import _nest
from layerfit.tree._nest import MAP_TO_NONE, is_nested, lists_to_tuples, map_shape_structure

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]


def flatten(structure):
    """The leaves of a nested structure, in a list (dict values by sorted key).

    Example:
    >>> flatten({100: "world!", 6: "Hello"})
    ['Hello', 'world!']
    """
    return _nest.flatten(structure)


def flatten_with_path(structure):
    """``(path, leaf)`` pairs; a path is a tuple of indices and keys.

    Example:
    >>> flatten_with_path([{"foo": 42}])
    [((0, 'foo'), 42)]
    """
    return _nest.flatten_with_path(structure)


def map_structure(func, *structures, none_is_leaf=True):
    """Applies ``func`` to the leaves of one or more structures of the same layout.

    Args:
        func: A callable taking as many arguments as there are structures.
        *structures: Nested structures of the same layout.
        none_is_leaf: Whether ``func`` is called on None leaves (else they stay None).
            Defaults to `True`.

    Example:
    >>> map_structure(lambda v: v**2, [[1], [2], [3]])
    [[1], [4], [9]]
    """
    return _nest.map_structure(func, *structures, none_is_leaf=none_is_leaf)


def map_structure_up_to(shallow_structure, func, *structures):
    """Like ``map_structure``, but stops at the leaves of ``shallow_structure``.

    Example:
    >>> map_structure_up_to([None, None], len, [[1, 1], [2, 2]])
    [2, 2]
    """
    return _nest.map_structure_up_to(shallow_structure, func, *structures)


def assert_same_structure(a, b, check_types=None):
    """Raises ValueError unless ``a`` and ``b`` have the same containers and keys everywhere.

    Args:
        a: A nested structure.
        b: A nested structure.
        check_types: Deprecated in Keras and without effect (a DeprecationWarning says so).
            Defaults to `None`.
    """
    if check_types is not None:
        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect; "
            "keras.tree.assert_same_paths() is the looser check.",
            DeprecationWarning,
            stacklevel=2,
        )
    _nest.assert_same_structure(a, b)


def assert_same_paths(a, b):
    """Raises ValueError unless ``a`` and ``b`` have the same paths (container types ignored).

    Example:
    >>> assert_same_paths([0, 1], (2, 3))
    """
    _nest.assert_same_structure(a, b, paths_only=True)


def pack_sequence_as(structure, flat_sequence):
    """Puts the items of ``flat_sequence`` into the layout of ``structure``.

    Example:
    >>> pack_sequence_as((("a", "b"), "c"), [1, 2, 3])
    ((1, 2), 3)
    """
    return _nest.pack_sequence_as(structure, flat_sequence)


def traverse(func, structure, top_down=True):
    """Visits every sub-structure depth first; a non-None result of ``func`` replaces it.

    Top-down, a replaced sub-tree is not visited further; ``MAP_TO_NONE`` replaces with None.

    Example:
    >>> seen = []
    >>> traverse(seen.append, [(1, 2), [3]])
    [(1, 2), [3]]
    """
    return _nest.traverse(func, structure, top_down=top_down)
