"""The main job: `layerfit demo`, with data and without."""

import subprocess
import sys
from pathlib import Path

from layerfit import cli


def test_demo_one_epoch_trains_and_writes_outputs(data_dir, tmp_path, capsys):
    code = cli.main(["demo", "--epochs", "1", "--out", str(tmp_path), "--verbose", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Total params: 269,322" in out and "Dropout" in out
    assert "Epoch 1/1" not in out  # Keras prints no epoch header for a single epoch
    accuracy = float(out.split("test accuracy: ")[1].split()[0])
    assert accuracy > 0.9  # one epoch of the seed MLP on MNIST
    assert (tmp_path / "model.keras").stat().st_size > 1_000_000  # 269,322 float32 weights
    assert (tmp_path / "learning_curves.png").stat().st_size > 10_000


def test_demo_without_data_or_network_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LAYERFIT_MIRRORS", "http://127.0.0.1:9")
    result = subprocess.run(
        [sys.executable, "-m", "layerfit", "demo", "--epochs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "LAYERFIT_DATA_DIR" in result.stderr and "train-images-idx3-ubyte" in result.stderr


def test_help_lists_the_demo_options():
    result = subprocess.run(
        [sys.executable, "-m", "layerfit", "demo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for option in ("--dataset", "--model", "--epochs", "--out"):
        assert option in result.stdout


def test_demo_reports_the_restored_epochs_numbers(data_dir, tmp_path, capsys):
    argv = ["demo", "--samples", "2000", "--epochs", "20", "--patience", "1"]
    code = cli.main([*argv, "--out", str(tmp_path), "--verbose", "2"])
    out = capsys.readouterr().out
    assert code == 0
    last_epoch = int(out.split("early stopping")[0].rsplit("Epoch ", 1)[1].split(":")[0])
    line = out.split("Restored epoch ")[1].splitlines()[0]
    restored = int(line.split(":")[0])
    assert restored < last_epoch  # the restore went back past the last epoch
    again, logged = line.split(": ", 1)[1].split(" (logged at that epoch: ")
    # Printed to 4 decimals: evaluating the validation split again gives the logged numbers.
    assert again.replace("val_loss ", "").replace("val_accuracy ", "") == logged.rstrip(")")
    per_epoch = [
        part.split(" - val_loss: ")[1].split()[0]
        for part in out.split("Epoch ")[1:]
        if " - val_loss: " in part
    ]
    assert logged.split(" - ")[0] == f"{float(per_epoch[restored - 1]):.4f}"


def test_demo_on_two_processes_prints_and_writes_once(data_dir, tmp_path, monkeypatch, capfd):
    # `layerfit demo --nproc 2` relaunches itself under torchrun (gloo on CPU): both
    # processes train, process 0 alone prints its results and writes the model.
    monkeypatch.setenv("PYTHONPATH", str(Path(cli.__file__).parents[1]))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    argv = ["demo", "--nproc", "2", "--samples", "1000", "--epochs", "1", "--verbose", "0"]
    code = cli.main([*argv, "--out", str(tmp_path)])
    out = capfd.readouterr().out
    assert code == 0, out[-3000:]
    assert out.count("test accuracy: ") == 1 and out.count("Total params: 269,322") == 1
    assert (tmp_path / "model.keras").stat().st_size > 1_000_000


def test_demo_refuses_fewer_than_one_process(capsys):
    assert cli.main(["demo", "--nproc", "0"]) == 2
    assert "--nproc 0: expected 1 or more processes, e.g. --nproc 2." in capsys.readouterr().err
