"""keras.utils.get_file against a real HTTP server on 127.0.0.1 serving files the test makes."""

from __future__ import annotations

import functools
import hashlib
import io
import socket
import tarfile
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, LayerfitWarning
from layerfit.utils import _get_file, get_file

BODY = b"layerfit test payload\n" * 1000


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        self.server.requests.append(self.path)
        super().do_GET()


@pytest.fixture
def served(tmp_path, monkeypatch):
    """(folder served at the URL, base URL, list of request paths)."""
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LAYERFIT_PROGRESS", raising=False)
    monkeypatch.setattr(_get_file, "DEFAULTS", _get_file.DownloadSettings(2.0, 1, 0.01))
    yield root, f"http://127.0.0.1:{server.server_address[1]}/", server.requests
    server.shutdown()
    server.server_close()
    thread.join()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_downloads_into_the_cache_once(served, tmp_path):
    root, url, requests = served
    (root / "payload.txt").write_bytes(BODY)
    path = get_file("data.txt", origin=url + "payload.txt", file_hash=sha256(BODY))
    assert isinstance(path, str)
    assert Path(path) == tmp_path / "cache" / "datasets" / "data.txt"
    assert Path(path).read_bytes() == BODY
    assert get_file("data.txt", url + "payload.txt", file_hash=sha256(BODY)) == path
    assert requests == ["/payload.txt"]
    get_file("data.txt", url + "payload.txt", force_download=True)
    assert len(requests) == 2


def test_name_from_url_md5_and_custom_cache(served, tmp_path):
    root, url, _ = served
    (root / "payload.txt").write_bytes(BODY)
    md5 = hashlib.md5(BODY).hexdigest()
    path = get_file(origin=url + "payload.txt", md5_hash=md5, cache_dir=tmp_path / "mine")
    assert Path(path) == tmp_path / "mine" / "datasets" / "payload.txt"
    path = get_file(origin=url + "payload.txt", file_hash=md5, cache_subdir=str(tmp_path / "abs"))
    assert Path(path) == tmp_path / "abs" / "payload.txt"


def test_checksum_mismatch_raises_and_leaves_nothing(served, tmp_path):
    root, url, _ = served
    (root / "payload.txt").write_bytes(BODY)
    wrong = sha256(b"something else")
    with pytest.raises(LayerfitValueError) as caught:
        get_file("data.txt", url + "payload.txt", file_hash=wrong)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert f"expected {wrong}" in message and sha256(BODY) in message
    assert "check file_hash" in message
    assert list((tmp_path / "cache" / "datasets").iterdir()) == []


def test_outdated_cached_file_is_reported_and_replaced(served, tmp_path):
    root, url, requests = served
    (root / "payload.txt").write_bytes(BODY)
    cached = tmp_path / "cache" / "datasets" / "data.txt"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    with pytest.warns(LayerfitWarning, match="incomplete or outdated"):
        get_file("data.txt", url + "payload.txt", file_hash=sha256(BODY))
    assert cached.read_bytes() == BODY and requests == ["/payload.txt"]


def make_tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_extract_tar_with_keras_folder_names(served, tmp_path):
    root, url, requests = served
    (root / "pack.tar.gz").write_bytes(make_tar({"pack/a.txt": b"A", "pack/b/c.txt": b"C"}))
    datasets = tmp_path / "cache" / "datasets"
    folder = get_file("pack.tar.gz", url + "pack.tar.gz", extract=True)
    assert Path(folder) == datasets / "pack_extracted"
    assert (Path(folder) / "pack" / "b" / "c.txt").read_bytes() == b"C"
    assert (datasets / "pack.tar.gz").is_file()
    folder = get_file("pack", url + "pack.tar.gz", untar=True)
    assert Path(folder) == datasets / "pack"
    assert (datasets / "pack_archive").is_file()
    assert (Path(folder) / "pack" / "a.txt").read_bytes() == b"A"
    get_file("pack", url + "pack.tar.gz", untar=True)  # cached and extracted: no new request
    assert len(requests) == 2


def test_extract_zip_and_unsafe_members(served):
    root, url, _ = served
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/x.txt", "X")
    (root / "z.zip").write_bytes(buffer.getvalue())
    folder = get_file(origin=url + "z.zip", extract=True)
    assert (Path(folder) / "inner" / "x.txt").read_text() == "X"
    (root / "evil.tar.gz").write_bytes(make_tar({"../escape.txt": b"!", "ok.txt": b"ok"}))
    with pytest.warns(LayerfitWarning, match=r"Skipped archive member '\.\./escape\.txt'"):
        folder = get_file(origin=url + "evil.tar.gz", extract=True)
    assert (Path(folder) / "ok.txt").read_bytes() == b"ok"
    assert not (Path(folder).parent / "escape.txt").exists()


def test_extract_of_a_non_archive_warns(served):
    root, url, _ = served
    (root / "plain.bin").write_bytes(BODY)
    with pytest.warns(LayerfitWarning, match="Could not extract"):
        get_file(origin=url + "plain.bin", extract=True)


def test_argument_errors_are_explained(served):
    _, url, _ = served
    with pytest.raises(LayerfitValueError, match="needs the URL") as caught:
        get_file("x.txt")
    assert "origin=" in str(caught.value)
    with pytest.raises(LayerfitValueError, match="not a path") as caught:
        get_file("sub/x.txt", url + "x.txt")
    assert "cache_dir=" in str(caught.value)
    with pytest.raises(LayerfitValueError, match="Did you mean 'sha256'"):
        get_file("x.txt", url + "x.txt", file_hash="ab", hash_algorithm="sha265")


def test_unreachable_origin_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYERFIT_CACHE_DIR", str(tmp_path / "cache"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/file.bin"
    with pytest.raises(LayerfitRuntimeError) as caught:
        get_file(origin=url)
    message = str(caught.value)
    assert f"{url}: connection refused" in message
    assert str(tmp_path / "cache" / "datasets" / "file.bin") in message
    assert list((tmp_path / "cache" / "datasets").iterdir()) == []


def test_unwritable_cache_falls_back_to_the_temp_folder(served, tmp_path, monkeypatch):
    root, url, _ = served
    (root / "payload.txt").write_bytes(BODY)
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setattr(_get_file.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    path = get_file(origin=url + "payload.txt", cache_dir=blocker / "cache")
    assert Path(path) == tmp_path / "tmp" / "layerfit" / "datasets" / "payload.txt"
