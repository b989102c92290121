"""keras.tree on plain Python values: Keras's documented examples, and our errors."""

import collections

import pytest

from layerfit import tree
from layerfit.errors import LayerfitTypeError


def test_keras_docstring_examples():
    assert tree.flatten([[1, 2, 3], [4, [5], [[6]]]]) == [1, 2, 3, 4, 5, 6]
    assert tree.flatten(None) == [None]
    assert tree.flatten({100: "world!", 6: "Hello"}) == ["Hello", "world!"]
    assert tree.flatten_with_path([{"foo": 42}]) == [((0, "foo"), 42)]
    foo = collections.namedtuple("Foo", ["a", "b"])
    assert tree.map_structure(lambda v: v * 2, foo(a=1, b=2)) == foo(a=2, b=4)
    assert tree.map_structure(lambda x, y: x * y, [[1], [2]], [[1], [2]]) == [[1], [4]]
    packed = tree.pack_sequence_as({"key3": "", "key1": "", "key2": ""}, ["v1", "v2", "v3"])
    assert packed == {"key3": "v3", "key1": "v1", "key2": "v2"} and list(packed) == [
        "key3",
        "key1",
        "key2",
    ]
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]]) == [2, 2]
    assert tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]) == [
        "[1, 1]",
        ["2", "2"],
    ]
    seen = []
    tree.traverse(seen.append, [(1, 2), [3], {"a": 4}], top_down=False)
    assert seen == [1, 2, (1, 2), 3, [3], 4, {"a": 4}, [(1, 2), [3], {"a": 4}]]


def test_mismatches_and_bad_arguments_get_our_errors():
    with pytest.raises(ValueError, match="same nested structure at path \\(1,\\)"):
        tree.assert_same_structure([1, [2]], [1, 2])
    with pytest.raises(ValueError, match="3 leaves but the flat sequence has 2"):
        tree.pack_sequence_as([1, [2, 3]], [1, 2])
    with pytest.raises(LayerfitTypeError, match="cannot be sorted"):
        tree.flatten({1: "a", "b": 2})
    with pytest.raises(LayerfitTypeError, match="needs a function first"):
        tree.map_structure([1], [2])
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)
