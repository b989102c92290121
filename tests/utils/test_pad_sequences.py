"""pad_sequences against Keras's documented behaviour, worked out by hand."""

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import LayerfitValueError
from layerfit.utils import pad_sequences

SEQUENCES = [[1, 2, 3], [4, 5], [6, 7, 8, 9]]


def test_pads_and_truncates_before_by_default():
    np.testing.assert_array_equal(
        pad_sequences(SEQUENCES), [[0, 1, 2, 3], [0, 0, 4, 5], [6, 7, 8, 9]]
    )
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2), [[2, 3], [4, 5], [8, 9]])
    assert pad_sequences(SEQUENCES).dtype == np.int32


def test_post_padding_post_truncating_and_a_padding_value():
    got = pad_sequences(SEQUENCES, maxlen=3, padding="post", truncating="post", value=-1)
    np.testing.assert_array_equal(got, [[1, 2, 3], [4, 5, -1], [6, 7, 8]])


def test_float_steps_with_features_and_empty_sequences():
    steps = [np.ones((2, 3)), np.zeros((0, 3)), np.full((1, 3), 2.0)]
    got = pad_sequences(steps, dtype="float32")
    assert got.shape == (3, 2, 3) and got.dtype == np.float32
    np.testing.assert_array_equal(got[1], np.zeros((2, 3)))
    np.testing.assert_array_equal(got[2], [[0, 0, 0], [2, 2, 2]])


def test_the_keras_2_import_path_is_the_same_function():
    assert keras.preprocessing.sequence.pad_sequences is pad_sequences


def test_mistakes_explain_themselves():
    with pytest.raises(LayerfitValueError, match="padding='middle'"):
        pad_sequences(SEQUENCES, padding="middle")
    with pytest.raises(LayerfitValueError, match=r"sequences\[1\] is 7, not a sequence"):
        pad_sequences([[1], 7])
    with pytest.raises(LayerfitValueError, match="has no length(.|\n)*Fix: pass a list"):
        pad_sequences(iter([[1], [2]]))
    with pytest.raises(LayerfitValueError, match="steps of shape"):
        pad_sequences([np.ones((2, 3)), np.ones((2, 4))])
