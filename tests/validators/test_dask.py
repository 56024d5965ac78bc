"""Validation on a Dask cluster gives the reports of a local run, survives a dying worker, uses the cache."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from depositdesk.progress import run
from depositdesk.validators import codes
from depositdesk.validators.dask_runner import SchedulerError, parse_scheduler
from depositdesk.validators.engine import FileReport, validate_files

distributed = pytest.importorskip("distributed")

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "conformance"


def _comparable(report: FileReport) -> dict[str, Any]:
    data = report.to_dict()
    data.pop("seconds", None)
    data.pop("from_cache", None)
    return data


@pytest.fixture(scope="module")
def cluster() -> Any:
    """Two single-threaded worker processes, each watched by a nanny that restarts it when it dies."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=50) as local:
        yield local


def test_the_corpus_on_two_workers_gives_the_local_reports(cluster: Any) -> None:
    folders = [CORPUS / name for name in ("fastq", "bed", "gff3", "wig", "sam", "bigwig")]
    local = run(validate_files(folders, use_cache=False, jobs=1))
    remote = run(validate_files(folders, use_cache=False, scheduler=cluster.scheduler_address))
    assert len(remote) == len(local) > 100
    assert [_comparable(r) for r in remote] == [_comparable(r) for r in local]


def test_reports_come_back_into_the_local_cache(cluster: Any, tmp_path: Path) -> None:
    data = tmp_path / "reads.fastq"
    data.write_text("".join(f"@r{i}\nACGT\n+\nIIII\n" for i in range(100)))
    first = run(validate_files([data], scheduler=cluster.scheduler_address))
    again = run(validate_files([data]))  # a local run: answered from the cache the cluster run filled
    assert not first[0].from_cache and again[0].from_cache
    assert again[0].md5 == hashlib.md5(data.read_bytes()).hexdigest()


def _write_fastq(path: Path, reads: int) -> None:
    record = "ACGTACGTAC" * 10
    quality = "I" * 100
    with path.open("w") as out:
        for start in range(0, reads, 10_000):
            out.write("".join(f"@read{i}\n{record}\n+\n{quality}\n" for i in range(start, start + 10_000)))


def test_a_worker_killed_mid_run_costs_nothing(cluster: Any, tmp_path: Path) -> None:
    files = []
    for n in range(6):
        path = tmp_path / f"big{n}.fastq"
        _write_fastq(path, 150_000)  # ~33 MB: a fraction of a second to a second each
        files.append(path)
    client = distributed.Client(cluster)
    killed: list[int] = []

    def kill_a_busy_worker(_report: FileReport) -> None:
        if killed:
            return
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    try:
        reports = run(validate_files(files, use_cache=False, scheduler=cluster.scheduler_address,
                                     on_report=kill_a_busy_worker))
    finally:
        client.close()
    assert killed, "no worker was busy when the first report came back"
    assert [r.path for r in reports] == [str(f) for f in files]
    assert not [f for r in reports for f in r.findings if f.code == codes.FILE_VALIDATOR_FAILED]
    assert [r.md5 for r in reports] == [hashlib.md5(f.read_bytes()).hexdigest() for f in files]


def test_scheduler_addresses_are_checked_before_any_work() -> None:
    assert parse_scheduler("local:3") == ("local", 3)
    assert parse_scheduler("tcp://10.0.0.5:8786") == ("address", "tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "cluster", "tcp://"):
        with pytest.raises(SchedulerError):
            parse_scheduler(bad)


def test_the_command_line_runs_a_local_cluster_and_says_when_a_scheduler_is_wrong(tmp_path: Path) -> None:
    data = tmp_path / "reads.fastq"
    data.write_text("@a\nACGT\n+\nIIII\n@a\nACGT\n+\nIIII\n")
    cmd = [sys.executable, "-m", "depositdesk", "validate", str(data), "--no-cache"]
    done = subprocess.run([*cmd, "--scheduler", "local:1"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "FASTQ-DUPLICATE-NAME" in done.stdout
    bad = subprocess.run([*cmd, "--scheduler", "nowhere"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "not a scheduler" in bad.stderr and "Traceback" not in bad.stderr
