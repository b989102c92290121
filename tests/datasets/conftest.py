"""Fixtures for dataset tests: an isolated environment, the real data folder, a local HTTP server.

No test here ever reaches the internet: ``LAYERFIT_MIRRORS`` points at a closed local port
unless a test points it at the server it started.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from layerfit.datasets import _sources
from layerfit.datasets._sources import DatasetSource, FileSpec
from layerfit.utils import _get_file


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def dead_url() -> str:
    return closed_port_url()


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Empty cache, no data dir, no reachable mirror, short network timeouts, no memo."""
    monkeypatch.delenv("LAYERFIT_DATA_DIR", raising=False)
    monkeypatch.delenv("LAYERFIT_PROGRESS", raising=False)
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LAYERFIT_MIRRORS", closed_port_url())
    monkeypatch.setattr(_get_file, "DEFAULTS", _get_file.DownloadSettings(2.0, 2, 0.01))
    _sources.clear_memo()
    yield
    _sources.clear_memo()


@pytest.fixture
def shared_data_dir(monkeypatch) -> Path:
    """The real MNIST / Fashion-MNIST folder, set as LAYERFIT_DATA_DIR; skips when absent.

    CI sets LAYERFIT_TEST_DATA_DIR; locally it is ../shared/datasets beside the repository.
    """
    repo_root = Path(__file__).resolve().parents[2]
    folder = Path(
        os.environ.get("LAYERFIT_TEST_DATA_DIR") or repo_root / ".." / "shared" / "datasets"
    )
    if not (folder / "mnist").is_dir() or not (folder / "fashion-mnist").is_dir():
        pytest.skip(f"real datasets not found at {folder} (set LAYERFIT_TEST_DATA_DIR)")
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(folder))
    return folder


# -----------------------------------------------------------------------------------------------
# Small generated datasets


def idx_bytes(array: np.ndarray) -> bytes:
    """``array`` (uint8) in the IDX format."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


@dataclass
class FakeDataset:
    source: DatasetSource
    arrays: list[np.ndarray]  # train images, train labels, test images, test labels
    raw: dict[str, bytes]  # file name -> uncompressed IDX
    gz: dict[str, bytes]  # file name -> gzip at level 6, as served


@pytest.fixture
def fake_dataset() -> FakeDataset:
    """A four-file IDX dataset (12 train, 4 test images of 28x28) with its own checksums."""
    rng = np.random.default_rng(0)
    arrays = [
        rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, 12, dtype=np.uint8),
        rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, 4, dtype=np.uint8),
    ]
    names = [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ]
    raw = {name: idx_bytes(array) for name, array in zip(names, arrays)}
    gz = {name: gzip.compress(data, compresslevel=6, mtime=0) for name, data in raw.items()}
    specs = tuple(
        FileSpec(name, hashlib.sha256(raw[name]).hexdigest(), size=len(raw[name]), gzipped=True)
        for name in names
    )
    source = DatasetSource("Fake", "fake", specs, mirrors=())
    return FakeDataset(source, arrays, raw, gz)


# -----------------------------------------------------------------------------------------------
# A real HTTP server on 127.0.0.1 with scripted misbehaviour


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        server: LocalServer = self.server.owner
        server.requests.append(self.path)
        behaviour, body = server.route(self.path)
        if behaviour == "404":
            self.send_error(404, "Not Found")
            return
        if behaviour == "hang":
            time.sleep(server.hang_seconds)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour in ("ok", "hang"):
            self.wfile.write(body)
        elif behaviour == "slow":
            for start in range(0, len(body), max(1, len(body) // 8)):
                self.wfile.write(body[start : start + max(1, len(body) // 8)])
                time.sleep(0.05)
        elif behaviour == "truncate":  # promise the whole body, send half, close cleanly
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif behaviour == "reset":  # send half, then abort the connection (TCP RST)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(0.05)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):  # a reset socket is expected here
        pass


class LocalServer:
    """Serves ``routes`` (path -> (behaviour, bytes)), then files under ``root`` if set."""

    def __init__(self):
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.root: Path | None = None
        self.requests: list[str] = []
        self.hang_seconds = 1.0
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def route(self, path: str) -> tuple[str, bytes]:
        if path in self.routes:
            return self.routes[path]
        if self.root is not None:
            candidate = (self.root / path.lstrip("/")).resolve()
            if candidate.is_file() and self.root.resolve() in candidate.parents:
                return "ok", candidate.read_bytes()
        return "404", b""

    def serve(self, path: str, body: bytes, behaviour: str = "ok") -> str:
        """Adds a route and returns its full URL."""
        self.routes["/" + path.lstrip("/")] = (behaviour, body)
        return self.url + path.lstrip("/")

    def count(self, path: str) -> int:
        return self.requests.count("/" + path.lstrip("/"))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def http_server():
    server = LocalServer()
    yield server
    server.close()
