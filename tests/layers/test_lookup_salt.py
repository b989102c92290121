"""StringLookup / IntegerLookup spread unknown tokens over their OOV indices as Keras does:
FarmHash64, or SipHash-2-4 keyed by ``salt`` (``tf.strings.to_hash_bucket_strong``), and
IntegerLookup's ``oov_method='farmhash'`` (decimal strings hashed).

The expected indices were recorded from Keras 3.15.1 with TensorFlow 2.21 (Keras's lookups
run on TensorFlow on every backend) on exactly these inputs and arguments.
"""

from __future__ import annotations

import numpy as np
import pytest

from layerfit.errors import LayerfitValueError
from layerfit.layers import IntegerLookup, StringLookup

WORDS = np.array([["a", "zebra", "b", "yak", "xylophone", "", "한국어", "c"]])
INTS = np.array([[1, 7, 2, -3, 1000000007, 0, 42, 2**40]])


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"num_oov_indices": 4, "salt": 133}, [4, 0, 5, 0, 2, 3, 0, 1]),
        ({"num_oov_indices": 5, "salt": (7, 11)}, [5, 4, 6, 2, 1, 2, 3, 4]),
        (
            {"num_oov_indices": 3, "salt": [2**63 - 1, 5], "mask_token": ""},
            [4, 1, 5, 3, 2, 0, 3, 2],
        ),
    ],
)
def test_salted_string_lookup_equals_keras(kwargs, expected):
    layer = StringLookup(vocabulary=["a", "b"], **kwargs)
    assert layer(WORDS).tolist() == [expected]
    again = StringLookup.from_config(layer.get_config())  # the salt travels in the config
    assert again(WORDS).tolist() == [expected]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"num_oov_indices": 4, "oov_method": "farmhash"}, [4, 0, 5, 3, 0, 3, 0, 2]),
        ({"num_oov_indices": 5, "oov_method": "farmhash", "salt": 133}, [5, 2, 6, 1, 4, 0, 4, 3]),
        (
            {"num_oov_indices": 3, "oov_method": "farmhash", "salt": (7, 11), "mask_token": 0},
            [4, 3, 5, 1, 1, 0, 1, 1],
        ),
    ],
)
def test_farmhash_integer_lookup_equals_keras(kwargs, expected):
    layer = IntegerLookup(vocabulary=[1, 2], **kwargs)
    assert layer(INTS).tolist() == [expected]
    config = layer.get_config()
    assert config["oov_method"] == "farmhash"
    assert IntegerLookup.from_config(config)(INTS).tolist() == [expected]


def test_config_keys_as_keras():
    config = StringLookup(vocabulary=["a"], num_oov_indices=2, salt=1).get_config()
    assert config["salt"] == [1, 1] and config["oov_method"] == "floormod"
    assert StringLookup(oov_method="floormod").oov_method == "floormod"  # Keras configs carry it


def test_bad_salt():
    for layer in (StringLookup, IntegerLookup):
        for salt in (1.5, (1, 2, 3), "x"):
            with pytest.raises(LayerfitValueError, match="pair of integers"):
                layer(salt=salt, **({"oov_method": "farmhash"} if layer is IntegerLookup else {}))


def test_integer_salt_needs_farmhash():
    with pytest.raises(LayerfitValueError, match="salt only with oov_method='farmhash'"):
        IntegerLookup(salt=1)


def test_bad_oov_method():
    with pytest.raises(LayerfitValueError, match="oov_method='mod'"):
        IntegerLookup(oov_method="mod")
