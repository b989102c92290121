"""keras.distribution's names on one process, and how data is split between processes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.backend._buckets import GradientBuckets
from layerfit.data import ArrayBatches
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, LayerfitWarning


@pytest.fixture(autouse=True)
def no_distribution():
    yield
    keras.distribution.set_distribution(None)


def test_list_devices_names_devices_as_keras_does():
    assert keras.distribution.list_devices("cpu") == ["cpu:0"]
    gpus = keras.distribution.list_devices("gpu")
    assert gpus == [f"gpu:{i}" for i in range(torch.cuda.device_count())]
    assert keras.distribution.get_device_count("cpu") == 1
    with pytest.raises(LayerfitValueError, match="'cpu' or 'gpu'"):
        keras.distribution.list_devices("tpu")


def test_data_parallel_is_set_and_read_back():
    distribution = keras.distribution.DataParallel(devices=["cpu:0"])
    keras.distribution.set_distribution(distribution)
    assert keras.distribution.distribution() is distribution
    assert distribution.devices == ["cpu:0"]


def test_data_parallel_over_several_devices_in_one_process_warns_how_to_launch():
    distribution = keras.distribution.DataParallel(devices=["gpu:0", "gpu:1"])
    with pytest.warns(LayerfitWarning, match=r"torchrun --nproc_per_node=2 train.py"):
        keras.distribution.set_distribution(distribution)


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.distribution.ModelParallel(layout_map=None),
        lambda: keras.distribution.LayoutMap(None),
        lambda: keras.distribution.DeviceMesh((2,), ["batch"]),
        lambda: keras.distribution.DataParallel(device_mesh=object()),
    ],
)
def test_model_parallelism_is_refused_naming_data_parallel(make):
    with pytest.raises(LayerfitRuntimeError) as info:
        make()
    message = str(info.value)
    assert "model parallelism" in message and "DataParallel(devices=" in message
    assert "torchrun --nproc_per_node=N" in message


def test_initialize_rejects_an_address_without_a_port():
    with pytest.raises(LayerfitValueError, match="'host:port' of process 0"):
        keras.distribution.initialize(job_addresses="10.0.0.1")


def test_one_process_is_not_distributed():
    world = keras.backend.distributed.world()
    assert (world.rank, world.size, world.is_chief, world.active) == (0, 1, True, False)


def _indices(batches) -> list[list[int]]:
    return [x[:, 0].long().tolist() for x, _, _ in batches]


@pytest.mark.parametrize("shuffle", [False, True])
def test_each_global_batch_is_split_between_the_processes(shuffle):
    # 11 samples, global batch 4, 3 processes: batches of 4, 4, 3 split 2/1/1, 2/1/1, 1/1/1.
    x = torch.arange(11, dtype=torch.float32).reshape(11, 1)
    parts = []
    for rank in range(3):
        torch.manual_seed(0)  # the same order on each (processes take rank 0's)
        batches = ArrayBatches(x, batch_size=4, shuffle=shuffle)
        batches.split_batches(rank, 3)
        parts.append(_indices(batches))
    assert [len(p) for p in parts] == [3, 3, 3]  # the same number of steps everywhere
    assert [[len(b) for b in p] for p in parts] == [[2, 2, 1], [1, 1, 1], [1, 1, 1]]
    torch.manual_seed(0)
    whole = _indices(ArrayBatches(x, batch_size=4, shuffle=shuffle))
    for step, batch in enumerate(whole):  # rank order rebuilds each global batch
        assert sum((p[step] for p in parts), []) == batch


def test_a_last_batch_smaller_than_the_process_count_leaves_an_empty_part():
    x = torch.arange(5, dtype=torch.float32).reshape(5, 1)
    batches = ArrayBatches(x, batch_size=4)
    batches.split_batches(1, 2)
    assert [len(b) for b in _indices(batches)] == [2, 0]


def test_evaluate_and_predict_take_contiguous_slices_in_input_order():
    x = np.arange(10, dtype="float32").reshape(10, 1)
    whole = ArrayBatches(torch.from_numpy(x), batch_size=4)
    slices = [whole.contiguous_part(rank, 3) for rank in range(3)]
    assert [s.batch_size for s in slices] == [2, 2, 2]  # the global batch, split
    joined = [i for s in slices for batch in _indices(s) for i in batch]
    assert joined == list(range(10))
    assert [s.size for s in slices] == [4, 3, 3]


@pytest.fixture
def two_processes(monkeypatch):
    """This process seen as rank 0 of 2, for the checks that run before any collective."""
    from layerfit.backend import _distributed

    monkeypatch.setattr(_distributed, "_world", _distributed.World(rank=0, size=2))


@pytest.mark.parametrize("kind", ["loader", "pydataset", "dataset"])
def test_sources_that_batch_themselves_give_each_process_every_other_batch(kind):
    from layerfit.data._iterables import IterableBatches

    x, y = torch.arange(10, dtype=torch.float32).reshape(10, 1), torch.arange(10)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, index):
            return x[3 * index : 3 * index + 3], y[3 * index : 3 * index + 3]

    def source():
        if kind == "loader":  # a map-style loader: each process loads only its batches
            return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=3)
        if kind == "pydataset":
            return Batches()
        return keras.data.Dataset.from_tensor_slices((x, y)).batch(3)

    seen = []
    for rank in (0, 1):
        batches = IterableBatches(source(), device="cpu")
        batches.select(rank, 2)
        assert len(batches) == 4  # both processes' batches: the step count is agreed from it
        seen.append([batch[0][:, 0].long().tolist() for batch in batches])
        assert batches.first_batch()[0][:, 0].tolist() == [0, 1, 2]  # every rank probes batch 0
    assert seen == [[[0, 1, 2], [6, 7, 8]], [[3, 4, 5], [9]]]


def test_a_custom_train_step_that_steps_the_optimizer_itself_is_stopped(two_processes):
    # Its gradients never pass through optimizer.apply, where they are summed across
    # processes: the replicas would drift apart, so the first step says how to fix it.
    from layerfit.training._steps import ModelStep

    class Stepper(keras.Sequential):
        def train_step(self, data):
            x, y = data
            loss = self.compute_loss(x, y, self(x, training=True))
            loss.backward()
            self.optimizer.step()
            self.optimizer.zero_grad()
            return {"loss": loss}

    model = Stepper([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.optimizer.build(model.trainable_weights)
    step = ModelStep(model, model.train_step, None, training=True)
    with pytest.raises(LayerfitRuntimeError, match="without optimizer.apply()") as info:
        step.call(torch.ones(4, 3), torch.ones(4, 1), None)
    assert "replace optimizer.step() in train_step by self.optimizer.apply(" in str(info.value)


def test_initialize_without_an_address_says_to_use_torchrun(monkeypatch):
    for name, value in (("WORLD_SIZE", "1"), ("RANK", "0"), ("LOCAL_RANK", "0")):
        monkeypatch.setenv(name, value)  # restored after the test, whatever initialize sets
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    monkeypatch.delenv("MASTER_PORT", raising=False)
    with pytest.raises(LayerfitRuntimeError, match=r"\['MASTER_ADDR', 'MASTER_PORT'\]") as info:
        keras.distribution.initialize(num_processes=2, process_id=0)
    assert "torchrun --nproc_per_node=2 train.py" in str(info.value)


def test_gradient_buckets_fill_from_the_last_weight_and_split_by_size_and_dtype():
    shapes = [(784, 256), (256,), (256, 256), (256,), (256, 10), (10,)]
    weights = [torch.nn.Parameter(torch.zeros(shape)) for shape in shapes]
    buckets = GradientBuckets(weights, capacity=2**18)  # 256 KiB: the 784x256 kernel alone
    assert buckets.buckets == [[5, 4, 3], [2], [1], [0]]
    assert GradientBuckets(weights, capacity=2**22).buckets == [[5, 4, 3, 2, 1, 0]]
    mixed = [torch.nn.Parameter(torch.zeros(4)), torch.nn.Parameter(torch.zeros(4).double())]
    assert GradientBuckets(mixed, capacity=2**22).buckets == [[1], [0]]


def test_gradient_buckets_give_the_mean_gradient_on_one_process():
    # One process: the bucketed path ends with the gradient backward computed.
    torch.manual_seed(0)
    layer = torch.nn.Linear(5, 3)
    x = torch.randn(8, 5)
    buckets = GradientBuckets(list(layer.parameters()), capacity=32)
    buckets.begin(8, stop=False)
    layer(x).square().mean().backward()
    expected = [p.grad.clone() for p in layer.parameters()]
    assert buckets.finish() is False
    for p, grad in zip(layer.parameters(), expected):
        torch.testing.assert_close(p.grad, grad, rtol=1e-6, atol=0)


def test_a_bad_bucket_size_names_the_variable(monkeypatch):
    monkeypatch.setenv("LAYERFIT_DIST_BUCKET_MB", "big")
    with pytest.raises(LayerfitValueError, match="a positive number of MiB per gradient bucket"):
        GradientBuckets([torch.nn.Parameter(torch.zeros(2))])
