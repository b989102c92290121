"""Keras's ``keras.tree`` rules for nested structures, in plain Python.

Nested: lists, tuples, namedtuples, dicts (OrderedDict, defaultdict) and deques; everything
else, None and strings included, is a leaf. Dicts flatten in sorted-key order and pack back
in their own key order; an OrderedDict keeps its insertion order (as Keras's optree rules).
"""

from __future__ import annotations

import collections
from collections.abc import Mapping

from layerfit.errors import LayerfitTypeError, LayerfitValueError, explain


class _MapToNone:
    """Returned by a ``traverse`` function to put None in place of a sub-tree."""

    def __repr__(self) -> str:
        return "keras.tree.MAP_TO_NONE"


MAP_TO_NONE = _MapToNone()


def is_nested(structure) -> bool:
    return isinstance(structure, (list, tuple, dict, collections.deque))


def _is_namedtuple(structure) -> bool:
    return isinstance(structure, tuple) and hasattr(type(structure), "_fields")


def _keys(structure: Mapping) -> list:
    if isinstance(structure, collections.OrderedDict):
        return list(structure)
    try:
        return sorted(structure)
    except TypeError:
        raise LayerfitTypeError(
            explain(
                f"A dict in the structure has keys that cannot be sorted: {list(structure)}.",
                "dict keys of one sortable kind (all strings, or all numbers).",
                "use string keys, or an OrderedDict to fix the order yourself.",
            )
        ) from None


def children(structure) -> list[tuple[object, object]]:
    """(path key, child) pairs of a nested value, in flattening order."""
    if isinstance(structure, Mapping):
        return [(key, structure[key]) for key in _keys(structure)]
    return list(enumerate(structure))


def rebuild(structure, values: list):
    """A container of ``structure``'s type holding ``values`` (in flattening order)."""
    if isinstance(structure, Mapping):
        by_key = dict(zip(_keys(structure), values))
        ordered = [(key, by_key[key]) for key in structure]
        if isinstance(structure, collections.defaultdict):
            return collections.defaultdict(structure.default_factory, ordered)
        return type(structure)(ordered)
    if _is_namedtuple(structure):
        return type(structure)(*values)
    if isinstance(structure, collections.deque):
        return collections.deque(values, maxlen=structure.maxlen)
    return type(structure)(values)


def flatten_with_path(structure, none_is_leaf: bool = True, prefix: tuple = ()) -> list:
    if structure is None and not none_is_leaf:
        return []
    if not is_nested(structure):
        return [(prefix, structure)]
    found = []
    for key, child in children(structure):
        found.extend(flatten_with_path(child, none_is_leaf, (*prefix, key)))
    return found


def flatten(structure, none_is_leaf: bool = True) -> list:
    return [leaf for _, leaf in flatten_with_path(structure, none_is_leaf)]


def _kind(structure):
    if isinstance(structure, Mapping):
        return dict
    return type(structure)


def assert_same_structure(a, b, paths_only: bool = False, where: tuple = ()) -> None:
    a_nested, b_nested = is_nested(a), is_nested(b)
    if not a_nested and not b_nested:
        return
    mismatch = a_nested != b_nested
    if not mismatch and not paths_only:
        mismatch = _kind(a) is not _kind(b)
    if not mismatch:
        a_keys = [key for key, _ in children(a)]
        b_keys = [key for key, _ in children(b)]
        mismatch = a_keys != b_keys
    if mismatch:
        raise LayerfitValueError(
            explain(
                f"The two structures don't have the same nested structure at path {where}: "
                f"{_describe(a)} and {_describe(b)}.",
                "structures with the same containers and the same keys or lengths at every level.",
                "compare keras.tree.flatten_with_path(a) with keras.tree.flatten_with_path(b).",
            )
        )
    for (key, a_child), (_, b_child) in zip(children(a), children(b)):
        assert_same_structure(a_child, b_child, paths_only, (*where, key))


def _describe(value) -> str:
    """Code-like, so a message in any language can hold it: int, list(len=2), dict(keys=[...])."""
    if not is_nested(value):
        return type(value).__name__
    if isinstance(value, Mapping):
        return f"{type(value).__name__}(keys={_keys(value)})"
    return f"{type(value).__name__}(len={len(value)})"


def map_structure(func, *structures, none_is_leaf: bool = True):
    if not callable(func):
        raise LayerfitTypeError(
            explain(
                f"map_structure() needs a function first, got {type(func).__name__}.",
                "map_structure(func, *structures).",
                "keras.tree.map_structure(lambda x: x * 2, structure)",
            )
        )
    if not structures:
        raise LayerfitTypeError(
            explain(
                "map_structure() got no structure to map over.",
                "at least one structure after the function.",
                "keras.tree.map_structure(lambda x: x * 2, structure)",
            )
        )
    first = structures[0]
    for other in structures[1:]:
        assert_same_structure(first, other)
    return _map(func, structures, none_is_leaf)


def _map(func, structures, none_is_leaf):
    first = structures[0]
    if first is None and not none_is_leaf:
        return None
    if not is_nested(first):
        return func(*structures)
    columns = [[child for _, child in children(s)] for s in structures]
    return rebuild(first, [_map(func, items, none_is_leaf) for items in zip(*columns)])


def map_structure_up_to(shallow_structure, func, *structures):
    for structure in structures:
        _check_up_to(shallow_structure, structure, ())
    return _map_up_to(shallow_structure, func, structures)


def _check_up_to(shallow, deep, where) -> None:
    if not is_nested(shallow):
        return
    if not is_nested(deep) or [k for k, _ in children(shallow)] != [k for k, _ in children(deep)]:
        raise LayerfitValueError(
            explain(
                f"The structure does not match shallow_structure at path {where}: "
                f"{_describe(deep)} where shallow_structure has {_describe(shallow)}.",
                "structures at least as deep as shallow_structure, with the same keys or lengths.",
                "compare keras.tree.flatten_with_path of both.",
            )
        )
    for (key, shallow_child), (_, deep_child) in zip(children(shallow), children(deep)):
        _check_up_to(shallow_child, deep_child, (*where, key))


def _map_up_to(shallow, func, structures):
    if not is_nested(shallow):
        return func(*structures)
    columns = [[child for _, child in children(s)] for s in structures]
    parts = [
        _map_up_to(child, func, items)
        for (_, child), items in zip(children(shallow), zip(*columns))
    ]
    return rebuild(shallow, parts)


def pack_sequence_as(structure, flat_sequence):
    try:
        values = list(flat_sequence)
    except TypeError:
        raise LayerfitTypeError(
            explain(
                f"pack_sequence_as() needs a flat sequence, got {type(flat_sequence).__name__}.",
                "a list or tuple of leaves, as keras.tree.flatten returns.",
                "keras.tree.pack_sequence_as(structure, keras.tree.flatten(structure))",
            )
        ) from None
    wanted = len(flatten(structure))
    if wanted != len(values):
        raise LayerfitValueError(
            explain(
                f"The structure has {wanted} leaves but the flat sequence has {len(values)} items.",
                "as many items as keras.tree.flatten(structure) returns.",
                "check which leaves are missing or extra.",
            )
        )
    position = iter(values)
    return _map(lambda _: next(position), (structure,), True)


def lists_to_tuples(structure):
    if isinstance(structure, list):
        return tuple(lists_to_tuples(item) for item in structure)
    if not is_nested(structure):
        return structure
    return rebuild(structure, [lists_to_tuples(child) for _, child in children(structure)])


def _is_shape(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(d, int) or d is None for d in value)


def map_shape_structure(func, structure):
    if _is_shape(structure):
        return func(structure)
    if not is_nested(structure):
        return func(structure)
    return rebuild(
        structure, [map_shape_structure(func, child) for _, child in children(structure)]
    )


def traverse(func, structure, top_down: bool = True):
    if not callable(func):
        raise LayerfitTypeError(
            explain(
                f"traverse() needs a function first, got {type(func).__name__}.",
                "traverse(func, structure).",
                "keras.tree.traverse(visited.append, structure)",
            )
        )
    result = _traverse(func, structure, top_down)
    return None if result is MAP_TO_NONE else result


def _traverse(func, structure, top_down):
    if top_down:
        replaced = func(structure)
        if replaced is not None:
            return None if replaced is MAP_TO_NONE else replaced
        if not is_nested(structure):
            return structure
        return rebuild(structure, [_traverse(func, c, True) for _, c in children(structure)])
    if is_nested(structure):
        rebuilt = rebuild(structure, [_traverse(func, c, False) for _, c in children(structure)])
    else:
        rebuilt = structure
    replaced = func(rebuilt)
    if replaced is None:
        return rebuilt
    return None if replaced is MAP_TO_NONE else replaced
