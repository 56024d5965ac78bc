"""FTP uploads against a real pyftpdlib server on 127.0.0.1 with injected faults."""

from __future__ import annotations

import json
from pathlib import Path

from depositdesk.packaging.transfer.ftp import FtpServer, FtpTransport
from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import package_files, run_upload

from .conftest import make_package, random_bytes
from .ftpserver import FaultyFtp

FAST = RetryPolicy(attempts=6, initial=0.01, maximum=0.05)


def _upload(pkg: Path, ftp: FaultyFtp, password: str, jobs: int = 1):
    info, entries = package_files(pkg)
    journal = Journal(journal_path(pkg, info), f"geo ftp://127.0.0.1:{ftp.port}/uploads")
    server = FtpServer("127.0.0.1", ftp.port, "/uploads", "geoftp")
    transport = FtpTransport(server, password, journal, FAST)
    return run_upload(pkg, entries, transport, jobs=jobs)


def _remote_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _setup(tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    remote = tmp_path / "remote"
    (remote / "uploads").mkdir(parents=True)
    return make_package(tmp_path / "pkg", files), remote


def test_upload_is_complete_byte_identical_and_journaled(tmp_path: Path, token: str) -> None:
    files = {"README.md": b"# study\n", "reads/s1_R1.fastq.gz": random_bytes(1, 300_000),
             "reads/s1_R2.fastq.gz": random_bytes(2, 200_001), "empty.txt": b""}
    pkg, remote = _setup(tmp_path, files)
    with FaultyFtp(remote, "geoftp", token) as ftp:
        result = _upload(pkg, ftp, token, jobs=3)
    assert result.ok, result.errors
    assert _remote_tree(remote / "uploads") == files
    journal = json.loads((pkg / ".depositdesk" / "transfer-journal.json").read_text())
    (section,) = journal["uploads"].values()
    rec = section["files"]["reads/s1_R1.fastq.gz"]
    assert rec["verified"] and rec["bytes_confirmed"] == 300_000 and rec["target"] == "ftp"
    assert rec["url"].endswith("/uploads/reads/s1_R1.fastq.gz")


def test_dropped_data_connection_resumes_from_the_remote_size(tmp_path: Path, token: str) -> None:
    data = random_bytes(3, 1_500_000)
    pkg, remote = _setup(tmp_path, {"big.bam": data})
    with FaultyFtp(remote, "geoftp", token) as ftp:
        ftp.faults = [("drop", 600_000)]
        result = _upload(pkg, ftp, token)
        assert result.ok, result.errors
        assert ftp.commands.count("REST") == 1          # resumed, not re-sent from 0
        assert ftp.commands.count("STOR") == 2
    assert (remote / "uploads" / "big.bam").read_bytes() == data


def test_refused_rest_falls_back_to_a_whole_resend(tmp_path: Path, token: str) -> None:
    data = random_bytes(4, 900_000)
    pkg, remote = _setup(tmp_path, {"big.bam": data})
    with FaultyFtp(remote, "geoftp", token, refuse_rest=True) as ftp:
        ftp.faults = [("drop", 300_000)]
        result = _upload(pkg, ftp, token)
    assert result.ok, result.errors
    assert _remote_tree(remote / "uploads") == {"big.bam": data}


def test_421_and_426_replies_are_retried(tmp_path: Path, token: str) -> None:
    files = {"a.txt": random_bytes(5, 70_000), "b.txt": random_bytes(6, 10)}
    pkg, remote = _setup(tmp_path, files)
    with FaultyFtp(remote, "geoftp", token) as ftp:
        ftp.faults = [("421",), ("426",), ("421",)]
        result = _upload(pkg, ftp, token)
        assert not ftp.faults
    assert result.ok, result.errors
    assert _remote_tree(remote / "uploads") == files


def test_a_second_run_sends_nothing_and_a_partial_remote_file_is_completed(
        tmp_path: Path, token: str) -> None:
    data = random_bytes(7, 400_000)
    pkg, remote = _setup(tmp_path, {"x.bin": data, "y.bin": b"y" * 1000})
    (remote / "uploads" / "x.bin").write_bytes(data[:123_456])     # left by a killed run
    with FaultyFtp(remote, "geoftp", token) as ftp:
        assert _upload(pkg, ftp, token).ok
        assert ftp.commands.count("REST") == 1
        ftp.commands.clear()
        again = _upload(pkg, ftp, token)
        assert again.ok and "STOR" not in ftp.commands
    assert (remote / "uploads" / "x.bin").read_bytes() == data


def test_wrong_password_is_one_clear_error_without_retries(tmp_path: Path, token: str) -> None:
    pkg, remote = _setup(tmp_path, {"a.txt": b"a"})
    with FaultyFtp(remote, "geoftp", token) as ftp:
        result = _upload(pkg, ftp, "not-the-password")
        assert ftp.commands.count("PASS") == 1
    assert not result.ok
    assert "login as 'geoftp' refused" in result.errors["a.txt"]
    assert "not-the-password" not in json.dumps(result.as_dict())


def test_a_folder_made_by_another_connection_meanwhile_is_entered_not_an_error(tmp_path: Path,
                                                                              token: str) -> None:
    """Parallel uploads into one new folder: one connection's cwd fails, another makes the folder,
    this one's mkd gets '550 File exists' -- the file must still go up (CI saw it fail)."""
    import ftplib

    pkg, remote = _setup(tmp_path, {"reads/a.fastq.gz": random_bytes(5, 10_000)})
    with FaultyFtp(remote, "geoftp", token) as ftp:
        info, entries = package_files(pkg)
        journal = Journal(journal_path(pkg, info), f"geo ftp://127.0.0.1:{ftp.port}/uploads")
        transport = FtpTransport(FtpServer("127.0.0.1", ftp.port, "/uploads", "geoftp"), token,
                                 journal, FAST)
        connect = transport.connect

        def racing_connect() -> ftplib.FTP:
            conn = connect()
            cwd = conn.cwd

            def cwd_racing(name: str) -> str:
                if name == "reads" and not (remote / "uploads" / "reads").exists():
                    (remote / "uploads" / "reads").mkdir()      # the other connection wins the race
                    raise ftplib.error_perm("550 No such file or directory.")
                return cwd(name)
            conn.cwd = cwd_racing  # type: ignore[method-assign]
            return conn

        transport.connect = racing_connect  # type: ignore[method-assign]
        result = run_upload(pkg, entries, transport, jobs=1)
    assert result.ok, result.errors
    assert (remote / "uploads" / "reads" / "a.fastq.gz").stat().st_size == 10_000


def test_a_small_file_reports_progress_per_piece_sent_ending_at_its_size(tmp_path: Path,
                                                                         token: str) -> None:
    """A 4 MB file used to report once, when done: the panel's bars jumped from 0 to 100 %."""
    size = 4 * 1024 * 1024
    data = random_bytes(7, size)
    pkg, remote = _setup(tmp_path, {"small.bam": data})
    seen: list[tuple[str, int, int]] = []
    info, entries = package_files(pkg)
    journal = Journal(journal_path(pkg, info), "geo ftp://127.0.0.1/uploads")
    with FaultyFtp(remote, "geoftp", token) as ftp:
        server = FtpServer("127.0.0.1", ftp.port, "/uploads", "geoftp")
        transport = FtpTransport(server, token, journal, FAST,
                                 progress=lambda *args: seen.append(args))
        result = run_upload(pkg, entries, transport)
    assert result.ok, result.errors
    assert (remote / "uploads" / "small.bam").read_bytes() == data
    done = [n for path, n, total in seen if path == "small.bam" and total == size]
    assert len(done) == len(seen) >= 8, seen
    assert done == sorted(set(done)) and done[0] < size // 4
    assert done[-1] == size
