"""keras.tree against Keras 3's own, on the same structures (exact equality of results)."""

from __future__ import annotations

import collections

import pytest

keras = pytest.importorskip("keras")

import layerfit  # noqa: E402

Point = collections.namedtuple("Point", ["x", "y"])
STRUCTURES = [
    1,
    None,
    "text",
    [],
    [1],
    [[1, 2, 3], [4, [5], [[6]]]],
    {100: "world!", 6: "Hello"},
    {"b": [1, None], "a": (2, {"d": 3, "c": 4})},
    collections.OrderedDict([("z", 1), ("a", 2)]),
    Point(1, [2, 3]),
    ((1, 2), (3, 4, 5), 6),
    [(None, 4), {"shape": (None, 8)}],
]


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_flatten_paths_nesting_and_maps_agree(structure):
    ours, theirs = layerfit.tree, keras.tree
    assert ours.flatten(structure) == theirs.flatten(structure)
    assert ours.flatten_with_path(structure) == theirs.flatten_with_path(structure)
    assert ours.is_nested(structure) == theirs.is_nested(structure)
    assert ours.lists_to_tuples(structure) == theirs.lists_to_tuples(structure)

    def label(v):
        return f"<{v}>"

    assert ours.map_structure(label, structure) == theirs.map_structure(label, structure)
    assert ours.map_structure(label, structure, none_is_leaf=False) == theirs.map_structure(
        label, structure, none_is_leaf=False
    )
    assert ours.map_shape_structure(repr, structure) == theirs.map_shape_structure(repr, structure)
    flat = list(range(len(theirs.flatten(structure))))
    assert ours.pack_sequence_as(structure, flat) == theirs.pack_sequence_as(structure, flat)


@pytest.mark.parametrize("top_down", [True, False])
def test_traverse_visits_in_keras_order(top_down):
    structure = [(1, 2), [3], {"a": 4}]
    seen = {"ours": [], "theirs": []}
    got = layerfit.tree.traverse(seen["ours"].append, structure, top_down=top_down)
    expected = keras.tree.traverse(seen["theirs"].append, structure, top_down=top_down)
    assert got == expected and seen["ours"] == seen["theirs"]

    def cut(v):
        return layerfit.tree.MAP_TO_NONE if v == [3] else None

    def their_cut(v):
        return keras.tree.MAP_TO_NONE if v == [3] else None

    assert layerfit.tree.traverse(cut, structure, top_down) == keras.tree.traverse(
        their_cut, structure, top_down
    )


@pytest.mark.parametrize(
    "a, b",
    [
        ([0, 1], (2, 3)),
        ({"a": 1}, {"b": 1}),
        ([1, [2]], [1, 2]),
        (Point(1, 2), (1, 2)),
        ([1], [1, 2]),
    ],
)
def test_structure_checks_raise_where_keras_raises(a, b):
    for check in ("assert_same_structure", "assert_same_paths"):
        try:
            getattr(keras.tree, check)(a, b)
            keras_raises = False
        except (ValueError, TypeError):
            keras_raises = True
        if keras_raises:
            with pytest.raises(ValueError):
                getattr(layerfit.tree, check)(a, b)
        else:
            getattr(layerfit.tree, check)(a, b)


def test_map_structure_up_to_agrees():
    # Keras's docstring uses None as the shallow leaves, which its optree path refuses
    # (None is an empty node there); ours follows the docstring (tests/tree), and zeros agree.
    deep = [[1, 1], [2, 2]]
    for shallow, func in (([0, 0], len), ([0, [0, 0]], str)):
        assert layerfit.tree.map_structure_up_to(shallow, func, deep) == (
            keras.tree.map_structure_up_to(shallow, func, deep)
        )
