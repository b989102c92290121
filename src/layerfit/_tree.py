"""Nested structures (lists, tuples, dicts) of leaves: flatten and map. Standard library only."""

from __future__ import annotations


def flatten(structure) -> list:
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in flatten(structure[key])]
    return [structure]


def is_shape(value) -> bool:
    return isinstance(value, tuple) and all(d is None or isinstance(d, int) for d in value)


def map_structure(fn, structure):
    """Applies ``fn`` to every leaf; a tuple of ints/None counts as one leaf (a shape)."""
    if isinstance(structure, list):
        return [map_structure(fn, item) for item in structure]
    if isinstance(structure, tuple) and not is_shape(structure):
        return tuple(map_structure(fn, item) for item in structure)
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    return fn(structure)
