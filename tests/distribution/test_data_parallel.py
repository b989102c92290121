"""Data parallelism end to end: 2 CPU processes (gloo) train the seed MLP on real MNIST.

Each test launches ``mlp_worker.py``, an ordinary training script, as real processes: once
alone, and as two processes (through torchrun, or with torchrun's environment set by hand
where a test needs to see how the surviving process ends).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np

WORKER = Path(__file__).with_name("mlp_worker.py")
SRC = Path(__file__).resolve().parents[2] / "src"
LIMIT = 240  # seconds: a hang fails the test instead of the suite


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(**extra) -> dict:
    launcher = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")
    env = {name: value for name, value in os.environ.items() if name not in launcher}
    return {**env, "PYTHONPATH": str(SRC), "OMP_NUM_THREADS": "1", **extra}


def _one_process(out: Path, mode: str = "train", worker=WORKER) -> subprocess.CompletedProcess:
    out.mkdir()
    return subprocess.run(
        [sys.executable, str(worker), str(out), mode],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=LIMIT,
    )


def _torchrun(out: Path, mode: str = "train", worker=WORKER, **env) -> subprocess.CompletedProcess:
    out.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2"]
    command += ["--master_addr=127.0.0.1", f"--master_port={_free_port()}"]
    return subprocess.run(
        [*command, str(worker), str(out), mode],
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=LIMIT,
    )


def _by_hand(out: Path, mode: str) -> list[tuple[int, str]]:
    """Two processes with torchrun's environment, no torchrun: nobody kills a survivor, so
    each must end by itself. Returns (exit status, output) per rank."""
    out.mkdir()
    port = str(_free_port())
    processes = []
    for rank in (0, 1):
        env = _env(
            RANK=str(rank),
            LOCAL_RANK=str(rank),
            WORLD_SIZE="2",
            MASTER_ADDR="127.0.0.1",
            MASTER_PORT=port,
            LAYERFIT_DIST_TIMEOUT="60",
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, str(WORKER), str(out), mode],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    results = []
    try:
        for process in processes:
            output, _ = process.communicate(timeout=LIMIT)
            results.append((process.returncode, output))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return results


def _read(out: Path, rank: int):
    arrays = np.load(out / f"rank{rank}.npz")
    return arrays, json.loads((out / f"rank{rank}.json").read_text())


def test_two_processes_train_as_one_process_on_the_global_batch(tmp_path, data_dir):
    single = _one_process(tmp_path / "one")
    assert single.returncode == 0, single.stderr[-3000:]
    # Small gradient buckets (0.25 MiB): the MLP's gradients travel as 4 all-reduces started
    # during backward, in a fixed order on both processes.
    double = _torchrun(tmp_path / "two", LAYERFIT_DIST_BUCKET_MB="0.25")
    assert double.returncode == 0, double.stderr[-3000:]
    one, one_logs = _read(tmp_path / "one", 0)
    (rank0, logs0), (rank1, logs1) = _read(tmp_path / "two", 0), _read(tmp_path / "two", 1)

    # Replicas identical bit for bit: the same averaged gradient is applied on both.
    for name in rank0.files:
        np.testing.assert_array_equal(rank0[name], rank1[name])
    assert logs0 == logs1  # every process reports the same numbers
    # Against one process with the same global batch (SGD, 2 epochs, a last batch of one
    # sample that leaves process 1 empty): only the float32 summation order differs.
    for name in one.files:
        np.testing.assert_allclose(rank0[name], one[name], rtol=0, atol=1e-6, err_msg=name)
    for part in ("history", "evaluate"):
        flat_one, flat_two = json.dumps(one_logs[part]), json.dumps(logs0[part])
        assert one_logs[part].keys() == logs0[part].keys(), (flat_one, flat_two)
    for name, values in one_logs["history"].items():
        np.testing.assert_allclose(logs0["history"][name], values, rtol=1e-5, err_msg=name)
    for name, value in one_logs["evaluate"].items():
        np.testing.assert_allclose(logs0["evaluate"][name], value, rtol=1e-5, err_msg=name)
    assert rank0["predicted"].shape == (37, 10)  # the whole input, in order, on every rank

    # Written once, by process 0: one checkpoint, no leftover temporary files, one CSV row
    # per epoch (a second writer would have added rows or torn the file).
    two = tmp_path / "two"
    assert sorted(p.name for p in two.iterdir() if not p.name.startswith("rank")) == [
        "log.csv",
        "model.keras",
    ]
    rows = (two / "log.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + 2, rows


def test_a_stop_on_one_process_is_a_stop_on_all(tmp_path, data_dir):
    result = _torchrun(tmp_path / "run", "stop")
    assert result.returncode == 0, result.stderr[-3000:]
    (_, logs0), (_, logs1) = _read(tmp_path / "run", 0), _read(tmp_path / "run", 1)
    assert logs0["ran"] == logs1["ran"] == [0]  # of epochs=2: both stopped after the first
    assert logs0 == logs1
    rows = (tmp_path / "run" / "log.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + 1


def test_a_batch_level_stop_on_one_process_stops_all_at_the_next_step(tmp_path, data_dir):
    # Process 1 alone sets stop_training after batch 2 (TerminateOnNaN's way): the request
    # travels with the next step's sample counts, so both processes end after batch 3,
    # in step, with the same weights -- no deadlock, no timeout.
    result = _torchrun(tmp_path / "run", "batchstop")
    assert result.returncode == 0, result.stderr[-3000:]
    (rank0, logs0), (rank1, logs1) = _read(tmp_path / "run", 0), _read(tmp_path / "run", 1)
    assert logs0["ran"] == logs1["ran"] == [0]
    assert logs0["batches"] == logs1["batches"] == [0, 1, 2, 3]
    assert logs0 == logs1
    for name in rank0.files:
        np.testing.assert_array_equal(rank0[name], rank1[name])


def test_a_crashing_process_ends_the_others_with_our_error(tmp_path, data_dir):
    (status0, output0), (status1, output1) = _by_hand(tmp_path / "run", "crash")
    assert status1 != 0 and "process 1 crashed on purpose" in output1
    # Process 0 was waiting in a collective: it stops with our message, not a hang.
    assert status0 != 0
    assert "LayerfitRuntimeError" in output0, output0[-3000:]
    assert "stopped waiting for the others" in output0
    assert "read the other processes' output for the first error" in output0


def test_different_models_on_the_processes_are_refused_at_start(tmp_path, data_dir):
    results = _by_hand(tmp_path / "run", "mismatch")
    for status, output in results:
        assert status != 0
        assert "The processes hold different models: process(es) [1] differ" in output, output
        assert "the same model, built the same way, on every process" in output
    assert not (tmp_path / "run" / "model.keras").exists()  # nothing trained or written


def test_a_killed_run_resumes_on_every_process_as_if_never_stopped(tmp_path, data_dir):
    killed = _torchrun(tmp_path / "resumed", "interrupted")
    assert killed.returncode != 0  # every process died before the third epoch
    assert (tmp_path / "resumed" / "backup").is_dir()  # written by process 0 after epoch 2
    assert not (tmp_path / "resumed" / "rank0.json").exists()
    resumed = _torchrun(tmp_path / "resumed", "resumed")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    straight = _torchrun(tmp_path / "straight", "straight")
    assert straight.returncode == 0, straight.stderr[-3000:]

    (ours, logs0), (other, logs1) = _read(tmp_path / "resumed", 0), _read(tmp_path / "resumed", 1)
    reference, reference_logs = _read(tmp_path / "straight", 0)
    assert logs0 == logs1
    assert logs0["ran"] == [2] and reference_logs["ran"] == [0, 1, 2]  # restored on both
    # The resumed run trained the third epoch from the backup, with the same shuffle (rank
    # 0's restored random state), its History restored too: the numbers of a run never stopped.
    assert logs0["history"].keys() == reference_logs["history"].keys()
    for name, values in reference_logs["history"].items():
        np.testing.assert_allclose(logs0["history"][name], values, rtol=1e-6, err_msg=name)
    for name in reference.files:
        np.testing.assert_array_equal(ours[name], other[name])
        np.testing.assert_allclose(ours[name], reference[name], rtol=0, atol=1e-6, err_msg=name)


def test_two_nodes_on_one_machine_train_as_one_job(tmp_path, data_dir):
    # torchrun --nnodes 2: two launchers meet at process 0's address (static rendezvous);
    # each node's only process has LOCAL_RANK 0, global ranks 0 and 1.
    out = tmp_path / "nodes"
    out.mkdir()
    port = _free_port()
    launchers = []
    for node in (0, 1):
        command = [sys.executable, "-m", "torch.distributed.run", "--nnodes=2"]
        command += ["--nproc_per_node=1", f"--node_rank={node}", "--master_addr=127.0.0.1"]
        command += [f"--master_port={port}", str(WORKER), str(out), "train"]
        launchers.append(
            subprocess.Popen(
                command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
        )
    try:
        outputs = [launcher.communicate(timeout=LIMIT)[0] for launcher in launchers]
    finally:
        for launcher in launchers:
            if launcher.poll() is None:
                launcher.kill()
    assert [launcher.returncode for launcher in launchers] == [0, 0], outputs[0][-3000:]
    (rank0, logs0), (rank1, logs1) = _read(out, 0), _read(out, 1)
    assert logs0 == logs1
    for name in rank0.files:
        np.testing.assert_array_equal(rank0[name], rank1[name])
    assert logs0["ran"] == [0, 1] and len(logs0["history"]["loss"]) == 2


SOURCES = Path(__file__).with_name("sources_worker.py")


def test_loaders_datasets_generators_and_pydatasets_are_shared_between_processes(
    tmp_path, data_dir
):
    # One process on a DataLoader of batch 100; two on the same script's DataLoader of
    # batch 50, each taking every other batch: the same global batches, step for step (901
    # samples: the last step is one sample on process 0 and an empty step on process 1).
    single = _one_process(tmp_path / "one", "ordered", worker=SOURCES)
    assert single.returncode == 0, single.stderr[-3000:]
    double = _torchrun(tmp_path / "two", "ordered", worker=SOURCES)
    assert double.returncode == 0, double.stderr[-3000:]
    one, one_logs = _read(tmp_path / "one", 0)
    (rank0, logs0), (rank1, logs1) = _read(tmp_path / "two", 0), _read(tmp_path / "two", 1)
    assert logs0 == logs1
    assert one_logs["steps"] == logs0["steps"] == list(range(10)) * 2  # 2 epochs of 10 steps
    for name in one.files:
        np.testing.assert_array_equal(rank0[name], rank1[name])
        # predictions of a PyDataset come back whole and in order (37 rows)
        np.testing.assert_allclose(rank0[name], one[name], rtol=0, atol=1e-6, err_msg=name)
    assert rank0["predicted"].shape == (37, 10)
    # validation on a layerfit Dataset, evaluate on a generator: the numbers of one process
    for part in ("history", "evaluate"):
        assert logs0[part].keys() == one_logs[part].keys()
        for name, value in one_logs[part].items():
            np.testing.assert_allclose(logs0[part][name], value, rtol=1e-5, err_msg=name)


def test_a_shuffling_loader_gives_each_process_its_own_samples(tmp_path, data_dir):
    # Processes seeded differently still share one shuffle (seeded from process 0, as
    # DistributedSampler does): together they load each of the 901 samples exactly once.
    result = _torchrun(tmp_path / "run", "shuffled", worker=SOURCES)
    assert result.returncode == 0, result.stderr[-3000:]
    (_, logs0), (_, logs1) = _read(tmp_path / "run", 0), _read(tmp_path / "run", 1)
    probe = 50  # every process reads the loader's first batch once, to build and check
    loaded0, loaded1 = logs0["loaded"][probe:], logs1["loaded"][probe:]
    assert sorted(loaded0 + loaded1) == list(range(901))
    assert len(loaded0) == 450 + 1 and len(loaded1) == 450  # batches 0, 2, ..., 18 / 1, ..., 17
    assert logs0["steps"] == logs1["steps"] == list(range(10))
    assert logs0["history"] == logs1["history"]


def test_processes_reading_different_data_are_stopped_with_our_error(tmp_path, data_dir):
    result = _torchrun(tmp_path / "run", "unseeded", worker=SOURCES)
    assert result.returncode != 0
    assert "The processes read different data: the first batch of the epoch on" in result.stderr
    assert "Dataset.shuffle(1000, seed=1)" in result.stderr


def test_a_custom_train_step_trains_as_on_one_process(tmp_path, data_dir):
    # The model's own train_step hands its gradients to optimizer.apply, where they are
    # summed over the processes (process 1's share of the last batch is empty).
    single = _one_process(tmp_path / "one", "custom", worker=SOURCES)
    assert single.returncode == 0, single.stderr[-3000:]
    double = _torchrun(tmp_path / "two", "custom", worker=SOURCES)
    assert double.returncode == 0, double.stderr[-3000:]
    one, one_logs = _read(tmp_path / "one", 0)
    (rank0, logs0), (rank1, logs1) = _read(tmp_path / "two", 0), _read(tmp_path / "two", 1)
    assert logs0 == logs1
    for name in one.files:
        np.testing.assert_array_equal(rank0[name], rank1[name])
        np.testing.assert_allclose(rank0[name], one[name], rtol=0, atol=1e-6, err_msg=name)
    # accuracy's counts are summed across processes: the value of one process on all data
    np.testing.assert_allclose(
        logs0["history"]["accuracy"], one_logs["history"]["accuracy"], rtol=1e-6
    )


def test_batch_normalization_replicas_agree_after_fit(tmp_path, data_dir):
    # Each process normalises with its own batch statistics; the moving mean and variance
    # are averaged over the processes at the end of each training epoch, before validation.
    result = _torchrun(tmp_path / "run", "batchnorm", worker=SOURCES)
    assert result.returncode == 0, result.stderr[-3000:]
    (rank0, logs0), (rank1, logs1) = _read(tmp_path / "run", 0), _read(tmp_path / "run", 1)
    # weights: Dense kernel, bias, then gamma, beta, moving_mean, moving_variance
    assert len(rank0.files) == 1 + 8
    moving_mean, moving_variance = rank0["w4"], rank0["w5"]
    assert np.abs(moving_mean).max() > 0.01 and np.abs(moving_variance - 1).max() > 0.01
    for name in rank0.files:
        np.testing.assert_allclose(rank0[name], rank1[name], rtol=0, atol=1e-7, err_msg=name)
    assert logs0 == logs1  # validation read the same moving statistics on both
