"""Where dataset files come from (data dir > cache > mirrors), verification, and the memo."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from layerfit.datasets import _idx, _sources
from layerfit.errors import LayerfitRuntimeError, LayerfitValueError, LayerfitWarning


def cache_of(source):
    return _sources.cache_folder(source)


def serve_all(http_server, fake, behaviour="ok"):
    for name, body in fake.gz.items():
        http_server.serve(f"{fake.source.subdir}/{name}", body, behaviour)


def assert_arrays(loaded, fake):
    (x_train, y_train), (x_test, y_test) = loaded
    for got, want in zip((x_train, y_train, x_test, y_test), fake.arrays):
        assert got.dtype == np.uint8 and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_download_verifies_caches_and_parses(http_server, fake_dataset, monkeypatch):
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    serve_all(http_server, fake_dataset)
    assert_arrays(_idx.load_idx_dataset(fake_dataset.source), fake_dataset)
    cached = sorted(p.name for p in cache_of(fake_dataset.source).iterdir())
    assert cached == sorted(fake_dataset.gz)  # the four files and nothing else
    _sources.clear_memo()
    assert_arrays(_idx.load_idx_dataset(fake_dataset.source), fake_dataset)
    assert len(http_server.requests) == 4  # the second load read the cache


def test_data_dir_comes_first_and_accepts_recompressed_or_raw_copies(
    http_server, fake_dataset, tmp_path, monkeypatch
):
    folder = tmp_path / "data" / "fake"
    folder.mkdir(parents=True)
    for name, raw in fake_dataset.raw.items():
        if "images" in name:  # recompressed: other bytes, same content
            (folder / name).write_bytes(gzip.compress(raw, compresslevel=9, mtime=12345))
            assert (folder / name).read_bytes() != fake_dataset.gz[name]
        else:  # uncompressed, under the name without .gz
            (folder / name[:-3]).write_bytes(raw)
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    assert_arrays(_idx.load_idx_dataset(fake_dataset.source), fake_dataset)
    assert http_server.requests == []
    assert not cache_of(fake_dataset.source).exists() or not any(
        cache_of(fake_dataset.source).iterdir()
    )


def test_corrupt_cache_file_is_reported_and_fetched_again(http_server, fake_dataset, monkeypatch):
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    serve_all(http_server, fake_dataset)
    folder = cache_of(fake_dataset.source)
    folder.mkdir(parents=True)
    for name, body in fake_dataset.gz.items():
        (folder / name).write_bytes(body)
    bad = folder / "train-labels-idx1-ubyte.gz"
    bad.write_bytes(gzip.compress(b"\x00\x00\x08\x01" + b"\x00" * 16))
    with pytest.warns(LayerfitWarning, match="failed verification") as record:
        assert_arrays(_idx.load_idx_dataset(fake_dataset.source), fake_dataset)
    assert str(bad) in str(record[0].message) and "downloading it again" in str(record[0].message)
    assert http_server.requests == ["/fake/train-labels-idx1-ubyte.gz"]
    assert bad.read_bytes() == fake_dataset.gz["train-labels-idx1-ubyte.gz"]


def test_bad_data_dir_copy_is_ignored_with_a_warning(
    http_server, fake_dataset, tmp_path, monkeypatch
):
    folder = tmp_path / "data" / "fake"
    folder.mkdir(parents=True)
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip and not the file")
    monkeypatch.setenv("LAYERFIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    serve_all(http_server, fake_dataset)
    with pytest.warns(LayerfitWarning, match="in LAYERFIT_DATA_DIR failed verification"):
        assert_arrays(_idx.load_idx_dataset(fake_dataset.source), fake_dataset)
    assert (folder / "t10k-labels-idx1-ubyte.gz").read_bytes() == b"not gzip and not the file"


def test_offline_error_names_files_mirrors_and_both_fixes(fake_dataset, dead_url, monkeypatch):
    second = dead_url.replace("127.0.0.1", "localhost")
    monkeypatch.setenv("LAYERFIT_MIRRORS", f"{dead_url} , {second}")
    with pytest.raises(LayerfitRuntimeError) as caught:
        _idx.load_idx_dataset(fake_dataset.source)
    message = str(caught.value)
    assert "4 file(s) missing: " + ", ".join(fake_dataset.gz) in message
    assert f"{dead_url}fake/train-images-idx3-ubyte.gz: connection refused" in message
    assert f"{second}fake/train-images-idx3-ubyte.gz: connection refused" in message
    assert "LAYERFIT_DATA_DIR is not set" in message
    assert "set LAYERFIT_DATA_DIR to a folder holding fake/train-images-idx3-ubyte.gz" in message
    assert f"copy the files into {str(cache_of(fake_dataset.source))!r}" in message
    assert not any(cache_of(fake_dataset.source).iterdir())


def test_unreachable_mirror_is_skipped_for_later_files(
    http_server, fake_dataset, dead_url, monkeypatch
):
    from layerfit.utils import _get_file

    monkeypatch.setenv("LAYERFIT_MIRRORS", f"{dead_url} {http_server.url}")
    serve_all(http_server, fake_dataset)
    url_lists = []
    original = _get_file.download
    monkeypatch.setattr(
        _get_file,
        "download",
        lambda urls, *a, **k: url_lists.append(urls) or original(urls, *a, **k),
    )
    assert_arrays(_idx.load_idx_dataset(fake_dataset.source), fake_dataset)
    assert [len(urls) for urls in url_lists] == [2, 1, 1, 1]
    assert all(urls[-1].startswith(http_server.url) for urls in url_lists)


def test_partly_missing_files_are_listed_alone(http_server, fake_dataset, monkeypatch):
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    serve_all(http_server, fake_dataset)
    http_server.serve("fake/t10k-images-idx3-ubyte.gz", b"", "404")
    with pytest.raises(LayerfitRuntimeError, match=r"1 file\(s\) missing: t10k-images") as caught:
        _idx.load_idx_dataset(fake_dataset.source)
    assert "HTTP 404" in str(caught.value)
    kept = sorted(p.name for p in cache_of(fake_dataset.source).iterdir())
    assert kept == sorted(set(fake_dataset.gz) - {"t10k-images-idx3-ubyte.gz"})


def test_gzip_bomb_is_refused_before_hashing(tmp_path, fake_dataset):
    spec = fake_dataset.source.files[1]  # labels: 20 bytes of content expected
    path = tmp_path / spec.name
    path.write_bytes(gzip.compress(b"\x00" * 10_000_000))
    with pytest.raises(_sources._Rejected, match=f"more than the expected {spec.size} bytes"):
        _sources.check(path, spec)


def test_memo_returns_copies_and_does_not_rehash(http_server, fake_dataset, monkeypatch):
    monkeypatch.setenv("LAYERFIT_MIRRORS", http_server.url)
    serve_all(http_server, fake_dataset)
    calls = []
    original = _sources._new_hasher
    monkeypatch.setattr(_sources, "_new_hasher", lambda name: calls.append(1) or original(name))
    (x_train, _), _ = _idx.load_idx_dataset(fake_dataset.source)
    assert len(calls) == 4
    x_train[:] = 0  # a learner's in-place edit must not reach the next call
    (again, _), _ = _idx.load_idx_dataset(fake_dataset.source)
    assert len(calls) == 4
    np.testing.assert_array_equal(again, fake_dataset.arrays[0])


def test_parse_idx_rejects_bad_headers_and_sizes():
    with pytest.raises(LayerfitValueError, match="not an unsigned-byte IDX file"):
        _idx.parse_idx(b"\x00\x00\x0d\x01\x00\x00\x00\x01abcd", "floats.idx")
    with pytest.raises(LayerfitValueError, match=r"holds 3 values; its header \(4,\) says 4"):
        _idx.parse_idx(b"\x00\x00\x08\x01\x00\x00\x00\x04abc", "short.idx")
    parsed = _idx.parse_idx(b"\x00\x00\x08\x02\x00\x00\x00\x02\x00\x00\x00\x03abcdef")
    np.testing.assert_array_equal(parsed, np.frombuffer(b"abcdef", np.uint8).reshape(2, 3))


_CHILD = textwrap.dedent(
    """
    import hashlib, json, os, sys, time
    from pathlib import Path
    from layerfit.datasets import _sources
    from layerfit.utils import _get_file  # import before the barrier so both start together

    spec = _sources.FileSpec(**json.loads(sys.argv[1]))
    source = _sources.DatasetSource("Fake", "fake", (spec,), mirrors=())
    barrier = Path(sys.argv[2])
    (barrier / sys.argv[3]).touch()
    while len(list(barrier.iterdir())) < 2:
        time.sleep(0.005)
    found = _sources.fetch(source)
    print(hashlib.sha256(found[spec.name].content).hexdigest())
    """
)


def test_two_processes_loading_at_once_both_succeed(http_server, fake_dataset, tmp_path):
    name = "train-images-idx3-ubyte.gz"
    body = fake_dataset.gz[name]
    http_server.serve(f"fake/{name}", body, "slow")  # ~0.4 s per transfer, so they overlap
    spec = next(s for s in fake_dataset.source.files if s.name == name)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "LAYERFIT_MIRRORS": http_server.url}
    args = json.dumps(
        {"name": spec.name, "digest": spec.digest, "size": spec.size, "gzipped": True}
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, args, str(barrier), tag],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    results = [child.communicate(timeout=60) for child in children]
    for child, (out, err) in zip(children, results):
        assert child.returncode == 0, err
        assert out.strip() == spec.digest
    folder = cache_of(fake_dataset.source)
    assert [p.name for p in folder.iterdir()] == [name]  # one file, no temporary leftovers
    assert (folder / name).read_bytes() == body


def test_mirror_list_from_the_environment(fake_dataset, monkeypatch):
    monkeypatch.setenv("LAYERFIT_MIRRORS", " http://a.example/x/, https://b.example ,")
    assert _sources.mirror_urls(fake_dataset.source) == [
        "http://a.example/x/fake/",
        "https://b.example/fake/",
    ]
    monkeypatch.delenv("LAYERFIT_MIRRORS")
    source = dataclasses.replace(fake_dataset.source, mirrors=("https://mirror.example/fake/",))
    assert _sources.mirror_urls(source) == ["https://mirror.example/fake/"]


def test_a_malformed_mirror_url_is_reported_not_raised(fake_dataset, monkeypatch):
    monkeypatch.setenv("LAYERFIT_MIRRORS", "not-a-url")
    with pytest.raises(LayerfitRuntimeError, match="not a usable URL"):
        _idx.load_idx_dataset(fake_dataset.source)


def test_wrong_size_is_refused_before_hashing(tmp_path, fake_dataset, monkeypatch):
    spec = fake_dataset.source.files[3]
    path = tmp_path / "t10k-labels-idx1-ubyte"
    path.write_bytes(b"abc")
    monkeypatch.setattr(_sources, "_new_hasher", lambda name: pytest.fail("hashed anyway"))
    with pytest.raises(_sources._Rejected, match=f"content is 3 bytes, expected {spec.size}"):
        _sources.check(path, spec)
