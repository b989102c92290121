"""input_shape=(784) is the int 784 in Python: a slip from the seed notes ("input_shape는 무조건 튜플로").

Keras 3 rejects it ("Cannot convert '784' to a shape"); layerfit reads it as (784,) and says so,
naming the tuple spelling that runs in both.
"""

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import LayerfitDeprecationWarning


def test_input_shape_as_a_bare_int_builds_the_same_model_as_the_tuple_and_says_so():
    with pytest.warns(LayerfitDeprecationWarning) as caught:
        slipped = keras.Sequential([keras.layers.Dense(10, input_shape=(784))])
    message = str(caught[0].message)
    assert "input_shape=784 is a number, not a tuple" in message
    assert "Keras 3 rejects it" in message
    assert "write input_shape=(784,)" in message
    written = keras.Sequential([keras.layers.Dense(10, input_shape=(784,))])
    assert slipped.input_shape == written.input_shape == (None, 784)
    assert slipped.count_params() == written.count_params() == 7850
    # The same weights give the same outputs: the int was read as the one-axis shape.
    written.set_weights(slipped.get_weights())
    x = np.random.default_rng(0).random((4, 784)).astype("float32")
    np.testing.assert_allclose(slipped.predict(x, verbose=0), written.predict(x, verbose=0))


def test_input_with_a_bare_int_shape_says_how_to_write_the_tuple():
    with pytest.warns(LayerfitDeprecationWarning, match=r"write Input\(shape=\(8,\)\)"):
        inputs = keras.Input(shape=8)
    assert tuple(inputs.shape) == (None, 8)


def test_a_tuple_shape_gives_no_notice():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
        keras.layers.Dense(10, input_shape=(784,))
