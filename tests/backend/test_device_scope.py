"""keras.device: the block's device for new tensors and weights; our errors for bad names."""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.errors import LayerfitValueError


def test_weights_and_tensors_made_in_a_cpu_block_are_on_the_cpu_and_blocks_nest():
    outside = keras.backend.default_device()
    with keras.device("cpu"):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        assert keras.ops.convert_to_tensor([1.0]).device.type == "cpu"
        with keras.device(torch.device("cpu")):
            assert keras.backend.default_device() == torch.device("cpu")
    assert all(p.device.type == "cpu" for p in model.parameters())
    assert keras.backend.default_device() == outside  # the block is over
    assert model.predict(np.ones((1, 3)), verbose=0).shape == (1, 2)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_a_gpu_block_puts_weights_on_that_gpu():
    with keras.device("gpu:0"):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert all(p.device == torch.device("cuda:0") for p in model.parameters())


def test_names_that_are_not_devices_get_our_error():
    for name in ("tpu", "gpu:x", 3):
        with pytest.raises(LayerfitValueError, match="not a device layerfit knows"):
            with keras.device(name):
                pass
    assert keras.backend.default_device() == keras.backend._device._automatic_device()


@pytest.mark.skipif(
    torch.cuda.is_available(), reason="checks the message of a machine without a GPU"
)
def test_asking_for_a_gpu_without_one_says_so():
    with pytest.raises(LayerfitValueError, match="sees no CUDA device"):
        with keras.device("gpu"):
            pass
