"""SIGKILL the upload process in the middle of a large file; the next run finishes from the journal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .conftest import ROOT, make_package, random_bytes
from .ftpserver import FaultyFtp
from .zenodoserver import FakeZenodo

BIG = 3_000_000


def _run(args: list[str], secret_env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, **secret_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.Popen([sys.executable, "-m", "depositdesk.packaging.upload_commands",
                             "upload", *args, "--jobs", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_until(proc: subprocess.Popen, ready: Callable[[], bool]) -> None:
    """Until ``ready()``, while the upload process is still running (8 s at most)."""
    deadline = time.monotonic() + 8
    while not ready():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the upload never got going"
        time.sleep(0.02)


def _kill_when(proc: subprocess.Popen, ready: Callable[[], bool]) -> None:
    _wait_until(proc, ready)
    proc.send_signal(signal.SIGKILL)
    proc.wait(5)
    assert proc.returncode == -signal.SIGKILL


def test_ftp_upload_killed_mid_file_resumes_from_the_offset(tmp_path: Path, token: str) -> None:
    files = {"README.md": b"# small first\n", "z_big.bam": random_bytes(41, BIG)}
    pkg = make_package(tmp_path / "pkg", files, target="geo")
    remote = tmp_path / "remote"
    (remote / "uploads").mkdir(parents=True)
    partial = remote / "uploads" / "z_big.bam"
    args = [str(pkg), "--user", "geoftp"]
    with FaultyFtp(remote, "geoftp", token, rate=1_000_000) as ftp:
        args += ["--server", f"ftp://127.0.0.1:{ftp.port}/uploads"]
        proc = _run(args, {"DEPOSITDESK_PASSWORD": token})
        _kill_when(proc, lambda: partial.exists() and partial.stat().st_size > 600_000)
        time.sleep(0.3)                       # the server notices the dead data connection
        offset = partial.stat().st_size
        assert 0 < offset < BIG
        ftp.data_handler.read_limit = 0
        ftp.args.clear()
        again = _run(args, {"DEPOSITDESK_PASSWORD": token})
        out, err = again.communicate(timeout=20)
        assert again.returncode == 0, err
    assert ("REST", str(offset)) in ftp.args                        # resumed at the offset
    assert [a for c, a in ftp.args if c == "STOR"] == ["z_big.bam"]   # README not sent again
    assert {p.name: p.read_bytes() for p in (remote / "uploads").iterdir()} == files


def test_zenodo_upload_killed_mid_file_resends_only_that_file(tmp_path: Path, token: str) -> None:
    files = {"README.md": b"# small first\n",
             "zenodo.json": b'{"metadata": {"title": "t", "creators": [{"name": "D, J"}]}}',
             "z_big.bw": random_bytes(42, BIG)}
    pkg = make_package(tmp_path / "pkg", files, target="zenodo")
    with FakeZenodo(token, rate=1_000_000) as server:
        args = [str(pkg), "--server", server.url]
        proc = _run(args, {"DEPOSITDESK_TOKEN": token})
        _kill_when(proc, lambda: server.state.receiving.get("z_big.bw", 0) > 600_000)
        assert "z_big.bw" not in server.state.puts
        server.state.rate = 0
        server.state.puts.clear()
        again = _run(args, {"DEPOSITDESK_TOKEN": token})
        out, err = again.communicate(timeout=20)
        assert again.returncode == 0, err
        (dep_id,) = server.state.depositions                      # the same draft reused
        assert server.state.puts == {"z_big.bw": 1}
        assert server.state.files_of(dep_id) == files


def test_zenodo_upload_paused_then_resumed_sends_only_the_unverified_file(tmp_path: Path,
                                                                          token: str) -> None:
    """The app's Pause (SIGTERM to the upload process) mid-file; the same upload run again sends
    only the file that was in flight, into the same draft, and leaves one copy of each file."""
    files = {"README.md": b"# small first\n", "a_table.tsv": random_bytes(43, 200_000),
             "zenodo.json": b'{"metadata": {"title": "t", "creators": [{"name": "D, J"}]}}',
             "zz_big.bw": random_bytes(44, BIG)}
    pkg = make_package(tmp_path / "pkg", files, target="zenodo")
    with FakeZenodo(token, rate=1_000_000) as server:
        args = [str(pkg), "--server", server.url]
        proc = _run(args, {"DEPOSITDESK_TOKEN": token})
        _wait_until(proc, lambda: server.state.receiving.get("zz_big.bw", 0) > 600_000)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 1
        assert b"paused: 3 of 4 files verified" in err
        assert server.state.puts == {"README.md": 1, "a_table.tsv": 1, "zenodo.json": 1}
        server.state.rate = 0
        server.state.puts.clear()
        again = _run(args, {"DEPOSITDESK_TOKEN": token})
        out, err = again.communicate(timeout=20)
        assert again.returncode == 0, err
        (dep_id,) = server.state.depositions                      # the same draft reused
        assert server.state.puts == {"zz_big.bw": 1}               # only the unverified file
        assert server.state.files_of(dep_id) == files             # one copy each, all intact
    from depositdesk.packaging.status import read_status

    history = [line["what"] for line in read_status(pkg)["targets"]["zenodo"]["history"]]
    assert any("paused: 3 of 4 files verified" in what for what in history), history
    assert "4 files verified" in history[-1]
