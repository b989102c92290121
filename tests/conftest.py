"""Shared fixtures: a fresh session and seed per test, and the real datasets folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

import layerfit

# Two cores: one intra-op thread keeps parallel test runs from fighting over them.
torch.set_num_threads(max(1, int(os.environ.get("LAYERFIT_TEST_THREADS", "1"))))

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh_session():
    # free_memory=False: a full garbage collection per test costs ~0.4 s once Keras is loaded.
    layerfit.backend.clear_session(free_memory=False)
    layerfit.utils.set_random_seed(1234)
    yield


def _shared_datasets() -> Path | None:
    configured = os.environ.get("LAYERFIT_DATA_DIR")
    if configured and (Path(configured) / "mnist").is_dir():
        return Path(configured)
    beside = REPO.parent / "shared" / "datasets"
    return beside if (beside / "mnist").is_dir() else None


@pytest.fixture
def data_dir(monkeypatch) -> Path:
    """Points LAYERFIT_DATA_DIR at the real MNIST/Fashion-MNIST folder, or skips."""
    path = _shared_datasets()
    if path is None:
        pytest.skip("real datasets not found: set LAYERFIT_DATA_DIR to ../shared/datasets")
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(path))
    return path
