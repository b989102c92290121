"""The download machinery against a real HTTP server on 127.0.0.1 (layerfit.utils._get_file)."""

from __future__ import annotations

import hashlib

import pytest

from layerfit.utils import _get_file

FAST = _get_file.DownloadSettings(timeout=2.0, retries=2, backoff=0.01)
BODY = bytes(range(256)) * 400  # 102,400 bytes


def sha256_checker(expected: bytes):
    digest = hashlib.sha256(expected).hexdigest()

    def verify(path):
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise _get_file.ChecksumMismatch(f"sha256 {actual}, expected {digest}")
        return "verified"

    return verify


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_success_moves_the_verified_file_into_place(http_server, tmp_path):
    url = http_server.serve("data.bin", BODY)
    target = tmp_path / "cache" / "data.bin"
    result = _get_file.download([url], target, sha256_checker(BODY), settings=FAST)
    assert result == "verified"
    assert target.read_bytes() == BODY
    assert leftovers(target.parent) == ["data.bin"]  # no temporary file left


def test_checksum_mismatch_fails_and_leaves_nothing(http_server, tmp_path):
    url = http_server.serve("data.bin", BODY[::-1])
    target = tmp_path / "cache" / "data.bin"
    with pytest.raises(_get_file.DownloadFailed) as caught:
        _get_file.download([url], target, sha256_checker(BODY), settings=FAST)
    (attempt,) = caught.value.attempts
    assert attempt.mismatch and "checksum mismatch" in attempt.reason
    assert http_server.count("data.bin") == 1  # a whole but wrong file is not retried
    assert leftovers(target.parent) == []


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [("truncate", "cut short after 51200 of 102400 bytes"), ("reset", "reset")],
)
def test_broken_transfers_are_retried_then_reported(http_server, tmp_path, behaviour, words):
    url = http_server.serve("data.bin", BODY, behaviour)
    target = tmp_path / "cache" / "data.bin"
    with pytest.raises(_get_file.DownloadFailed) as caught:
        _get_file.download([url], target, sha256_checker(BODY), settings=FAST)
    (attempt,) = caught.value.attempts
    assert words in attempt.reason and "after 3 attempts" in attempt.reason
    assert http_server.count("data.bin") == FAST.retries + 1
    assert leftovers(target.parent) == []


def test_a_transfer_that_heals_on_retry_succeeds(http_server, tmp_path, monkeypatch):
    url = http_server.serve("data.bin", BODY, "truncate")
    original = _get_file._stream_to

    def stream_then_heal(*args, **kwargs):
        try:
            return original(*args, **kwargs)
        finally:
            http_server.serve("data.bin", BODY)  # the mirror recovers after one bad transfer

    monkeypatch.setattr(_get_file, "_stream_to", stream_then_heal)
    target = tmp_path / "data.bin"
    _get_file.download([url], target, sha256_checker(BODY), settings=FAST)
    assert target.read_bytes() == BODY
    assert http_server.count("data.bin") == 2


def test_stalled_server_times_out(http_server, tmp_path):
    http_server.hang_seconds = 1.0
    url = http_server.serve("data.bin", BODY, "hang")
    settings = _get_file.DownloadSettings(timeout=0.2, retries=0, backoff=0.0)
    with pytest.raises(_get_file.DownloadFailed) as caught:
        _get_file.download([url], tmp_path / "data.bin", None, settings=settings)
    assert "0.2 s" in caught.value.attempts[0].reason


def test_dead_first_mirror_falls_back_to_the_second(http_server, tmp_path, dead_url):
    dead = dead_url + "data.bin"
    live = http_server.serve("data.bin", BODY)
    target = tmp_path / "data.bin"
    _get_file.download([dead, live], target, sha256_checker(BODY), settings=FAST)
    assert target.read_bytes() == BODY


def test_http_404_moves_on_without_retrying(http_server, tmp_path):
    missing = http_server.url + "nothing-here.bin"
    live = http_server.serve("data.bin", BODY)
    _get_file.download([missing, live], tmp_path / "data.bin", None, settings=FAST)
    assert http_server.count("nothing-here.bin") == 1


def test_no_server_at_all_is_refused_at_once(tmp_path, dead_url):
    url = dead_url + "data.bin"
    with pytest.raises(_get_file.DownloadFailed) as caught:
        _get_file.download([url], tmp_path / "data.bin", None, settings=FAST)
    (attempt,) = caught.value.attempts
    assert attempt.unreachable and "connection refused" in attempt.reason
    assert "attempts" not in attempt.reason  # a refusal is not retried: other mirrors are


def test_progress_bar_only_when_asked(http_server, tmp_path, capsys, monkeypatch):
    url = http_server.serve("data.bin", BODY)
    _get_file.download([url], tmp_path / "a.bin", None, settings=FAST)
    assert capsys.readouterr().err == ""  # stderr is not a terminal under pytest
    monkeypatch.setenv("LAYERFIT_PROGRESS", "1")
    _get_file.download([url], tmp_path / "b.bin", None, settings=FAST)
    err = capsys.readouterr().err
    assert f"Downloading data from {url}" in err
    assert "100% 0.1/0.1 MB" in err and err.endswith("\n")


def test_stale_partial_files_are_cleaned(http_server, tmp_path):
    import os
    import time

    stale = tmp_path / ".data.bin.abc.part"
    fresh = tmp_path / ".data.bin.def.part"  # maybe another process, still downloading
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    _get_file.download([http_server.serve("data.bin", BODY)], tmp_path / "data.bin", None)
    assert not stale.exists() and fresh.exists()
