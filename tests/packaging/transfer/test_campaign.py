"""Seeded random fault campaigns: every run a complete, verified, byte-identical upload, no duplicates.

20 runs per transport in the suite; DEPOSITDESK_CAMPAIGN_RUNS=50 runs the long campaign.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from depositdesk.packaging.transfer.ftp import FtpServer, FtpTransport
from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import package_files, run_upload
from depositdesk.packaging.transfer.zenodo import ZenodoTransport

from .conftest import make_package
from .ftpserver import FaultyFtp
from .zenodoserver import FakeZenodo

RUNS = int(os.environ.get("DEPOSITDESK_CAMPAIGN_RUNS", "20"))
POLICY = RetryPolicy(attempts=12, initial=0.005, maximum=0.02)


def _files(rng: random.Random) -> dict[str, bytes]:
    names = ["README.md", "a.fastq.gz", "sub/b.bam", "sub/deeper/c.txt", "d.bw"]
    chosen = rng.sample(names, rng.randint(1, len(names)))
    return {n: rng.randbytes(rng.choice([0, 1, 17, 8192, rng.randint(1, 300_000)])) for n in chosen}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_ftp_campaign(tmp_path: Path, token: str) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    with FaultyFtp(remote, "geoftp", token) as ftp:
        for run in range(RUNS):
            rng = random.Random(1000 + run)
            files = _files(rng)
            size = max(len(d) for d in files.values())
            ftp.faults = [rng.choice([("drop", rng.randint(0, max(size - 1, 0))), ("421",),
                                      ("426",), ("norest",)]) for _ in range(rng.randint(0, 4))]
            ftp.refuse_rest = rng.random() < 0.2
            (remote / f"run{run}").mkdir()
            pkg = make_package(tmp_path / f"pkg{run}", files)
            info, entries = package_files(pkg)
            journal = Journal(journal_path(pkg, info), "geo campaign")
            server = FtpServer("127.0.0.1", ftp.port, f"/run{run}", "geoftp")
            result = run_upload(pkg, entries, FtpTransport(server, token, journal, POLICY),
                                jobs=rng.randint(1, 3))
            assert result.ok, (run, result.errors)
            assert _tree(remote / f"run{run}") == files, run       # identical, nothing extra


def test_zenodo_campaign(tmp_path: Path, token: str) -> None:
    metadata = {"title": "campaign", "upload_type": "dataset", "creators": [{"name": "D, J"}]}
    with FakeZenodo(token) as server:
        server.state.retry_after = "0"
        for run in range(RUNS):
            rng = random.Random(2000 + run)
            files = _files(rng)
            keys = [*files, "POST /api/deposit", "PUT /api/deposit", "/files"]
            kinds = ["500", "502", "503", "429", "reset", "corrupt"]
            server.state.faults = [(rng.choice(kinds), rng.choice(keys))
                                   for _ in range(rng.randint(0, 5))]
            before = set(server.state.depositions)
            pkg = make_package(tmp_path / f"pkg{run}", files, target="zenodo")
            info, entries = package_files(pkg)
            journal = Journal(journal_path(pkg, info), "zenodo campaign")
            zen = ZenodoTransport(server.url, token, journal, metadata, POLICY)
            try:
                result = run_upload(pkg, entries, zen, jobs=rng.randint(1, 3),
                                    before=zen.prepare, after=lambda z=zen: z.finish(True, False))
            finally:
                zen.close()
            assert result.ok, (run, result.errors)
            (dep_id,) = set(server.state.depositions) - before      # one draft per upload
            assert server.state.files_of(dep_id) == files, run
