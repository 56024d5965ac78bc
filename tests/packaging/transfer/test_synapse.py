"""Synapse's multipart protocol against a local repository + presigned storage: a verified upload
into entities, a true resume (only the missing parts re-sent), faults, no duplicate entity."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import build_package
from depositdesk.packaging.packages.synapse import folder_body
from depositdesk.packaging.targets import check_targets
from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import UploadResult, package_files, run_upload
from depositdesk.packaging.transfer.synapse import (
    DEFAULT_SERVER,
    SynapseTransport,
    endpoint,
    part_size_for,
)
from depositdesk.packaging.upload_commands import main
from tests.packaging.packages.recipes import example_project

from .conftest import ROOT, make_package, random_bytes
from .synapseserver import FakeSynapse

PART = 64 * 1024
FAST = RetryPolicy(attempts=6, initial=0.01, maximum=0.05)
FOLDER = {"name": "Dmel ChIP-seq", "description": "embryos",
          "annotations": {"organism": "Drosophila melanogaster", "assay": ["ChIP-seq"]}}
FILES = {"README.md": b"# study\n", "data/big.h5": random_bytes(61, 10 * PART + 123),
         "data/sub/empty.txt": b""}


def upload(pkg: Path, server: FakeSynapse, token: str, policy: RetryPolicy = FAST,
           jobs: int = 2) -> UploadResult:
    info, entries = package_files(pkg)
    journal = Journal(journal_path(pkg, info), f"synapse {server.url}")
    transport = SynapseTransport(server.url, token, journal, "syn1", FOLDER, policy,
                                 part_size=PART)
    try:
        return run_upload(pkg, entries, transport, jobs=jobs, before=transport.prepare)
    finally:
        transport.close()


def _package_folder(server: FakeSynapse) -> dict:
    (folder,) = server.state.children("syn1").values()
    return folder


def test_upload_makes_file_entities_in_the_package_folder_all_verified(tmp_path: Path,
                                                                       token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="synapse")
    seen: list[tuple[str, int]] = []
    with FakeSynapse(token) as server:
        info, entries = package_files(pkg)
        journal = Journal(journal_path(pkg, info), f"synapse {server.url}")
        transport = SynapseTransport(server.url, token, journal, "syn1", FOLDER, FAST,
                                     part_size=PART,
                                     progress=lambda p, done, size: seen.append((p, done)))
        try:
            result = run_upload(pkg, entries, transport, jobs=2, before=transport.prepare)
        finally:
            transport.close()
        assert result.ok, result.errors
        folder = _package_folder(server)
        assert folder["name"] == "Dmel ChIP-seq" and folder["description"] == "embryos"
        assert server.state.tree(folder["id"]) == FILES
        assert folder["annotations"]["assay"] == {"type": "STRING", "value": ["ChIP-seq"]}
        assert sorted(n for name, n in server.state.part_puts if name == "big.h5") == \
            list(range(1, 12))
    big = next(f for f in result.files if f.path == "data/big.h5")
    assert big.verified and big.remote_id.startswith("syn") and big.bytes_confirmed == big.size
    assert result.remote["folder_id"] == folder["id"]
    big_progress = [done for p, done in seen if p == "data/big.h5"]
    assert big_progress == sorted(big_progress) and big_progress[-1] == len(FILES["data/big.h5"])
    assert len(big_progress) >= 11                                  # at least once per part
    assert part_size_for(100 * 10**9) * 10_000 >= 100 * 10**9 and part_size_for(10) == 8 << 20


def test_an_interrupted_file_resumes_with_only_the_missing_parts(tmp_path: Path,
                                                                 token: str) -> None:
    pkg = make_package(tmp_path / "pkg", {"data/big.h5": FILES["data/big.h5"]}, target="synapse")
    with FakeSynapse(token) as server:
        server.state.faults = [("reset", "PUT /s3/7000/6")]      # part 6 dies, no retry left
        first = upload(pkg, server, token, RetryPolicy(attempts=1))
        assert not first.ok
        assert [n for _, n in server.state.part_puts] == [1, 2, 3, 4, 5]
        # a new process: a fresh journal object, the same request -> the same upload
        second = upload(pkg, server, token)
        assert second.ok, second.errors
        assert [n for _, n in server.state.part_puts] == list(range(1, 12))   # 1-5 not again
        assert len(server.state.uploads) == 1
        assert server.state.tree(_package_folder(server)["id"]) == \
            {"data/big.h5": FILES["data/big.h5"]}


def test_server_errors_resets_expired_urls_and_damaged_parts_are_retried(tmp_path: Path,
                                                                         token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="synapse")
    with FakeSynapse(token) as server:
        server.state.faults = [("500", "POST /file/v1/file/multipart"), ("expired", "/s3/"),
                               ("reset", "/s3/"), ("corrupt", "/s3/"), ("503", "/add/"),
                               ("429", "/complete"), ("503", "POST /repo/v1/entity")]
        result = upload(pkg, server, token)
        assert result.ok, result.errors
        assert not server.state.faults
        assert server.state.tree(_package_folder(server)["id"]) == FILES


def test_a_second_run_on_a_fresh_machine_sends_nothing_and_makes_no_duplicate(
        tmp_path: Path, token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="synapse")
    with FakeSynapse(token) as server:
        assert upload(pkg, server, token).ok
        entities = dict(server.state.entities)
        puts = len(server.state.part_puts)
        (pkg / ".depositdesk" / "transfer-journal.json").unlink()      # the journal is gone
        again = upload(pkg, server, token)
        assert again.ok, again.errors
        assert server.state.entities.keys() == entities.keys()        # no new entity
        assert len(server.state.part_puts) == puts                    # the uploads were complete


def test_a_changed_file_becomes_a_new_version_of_the_same_entity(tmp_path: Path,
                                                                 token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="synapse")
    with FakeSynapse(token) as server:
        assert upload(pkg, server, token).ok
        changed = {**FILES, "README.md": b"# study, second edition\n"}
        pkg2 = make_package(tmp_path / "pkg", changed, target="synapse")
        again = upload(pkg2, server, token)
        assert again.ok, again.errors
        folder = _package_folder(server)
        assert server.state.tree(folder["id"]) == changed
        readme = server.state.children(folder["id"])["README.md"]
        assert readme["versionNumber"] == 2


def test_a_wrong_token_is_one_line_with_synapses_reason(tmp_path: Path, token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="synapse")
    with FakeSynapse(token) as server:
        result = upload(pkg, server, "x" + token)
    assert not result.ok
    assert result.errors["(draft)"].endswith("HTTP 401: Invalid access token")
    assert token not in (pkg / ".depositdesk" / "transfer-journal.json").read_text()


def test_campaign_of_random_faults_always_ends_verified_without_duplicates(
        tmp_path: Path, token: str) -> None:
    policy = RetryPolicy(attempts=12, initial=0.005, maximum=0.02)
    kinds = ["500", "503", "429", "reset", "expired", "corrupt"]
    keys = ["POST /file/v1/file/multipart", "/s3/", "/add/", "/complete", "/presigned/",
            "POST /repo/v1/entity", "/fileHandle/"]
    with FakeSynapse(token) as server:
        for run in range(int(os.environ.get("DEPOSITDESK_CAMPAIGN_RUNS", "20"))):
            rng = random.Random(3000 + run)
            names = rng.sample(["README.md", "a.fastq.gz", "sub/b.bam", "sub/deeper/c.txt"],
                               rng.randint(1, 4))
            files = {n: rng.randbytes(rng.choice([0, 17, PART, rng.randint(1, 6 * PART)]))
                     for n in names}
            server.state.faults = [(rng.choice(kinds), rng.choice(keys))
                                   for _ in range(rng.randint(0, 6))]
            pkg = make_package(tmp_path / f"pkg{run}", files, target="synapse")
            info, entries = package_files(pkg)
            journal = Journal(journal_path(pkg, info), "synapse campaign")
            transport = SynapseTransport(server.url, token, journal, "syn1",
                                         {"name": f"run {run}"}, policy, part_size=PART)
            try:
                result = run_upload(pkg, entries, transport, jobs=rng.randint(1, 3),
                                    before=transport.prepare)
            finally:
                transport.close()
            assert result.ok, (run, result.errors)
            folder = server.state.children("syn1")[f"run {run}"]
            assert server.state.tree(folder["id"]) == files, run
        pairs = [(e["parentId"], e["name"]) for e in server.state.entities.values()]
        assert len(pairs) == len(set(pairs))                            # no duplicate entity


# -- the target, its package and the command line ------------------------------------------------
def _secret_scan(root: Path, token: str) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path


def test_the_example_builds_a_synapse_package_that_the_cli_uploads(
        tmp_path: Path, token: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DEPOSITDESK_TOKEN", token)
    project = example_project(tmp_path / "proj")
    out = tmp_path / "out"
    result = build_package(Project.open(project), "synapse", out)
    assert result.built, [f.describe() for f in result.findings]
    body = json.loads((out / "synapse.json").read_text(encoding="utf-8"))
    assert body["name"] and body["annotations"]["organism"] == ["Drosophila melanogaster"]
    with FakeSynapse(token) as server:
        assert main(["upload", str(out), "--server", server.url, "--parent", "syn1"]) == 0
        folder = _package_folder(server)
        assert folder["name"] == body["name"]
        listed = [line.split("\t")[0]
                  for line in (out / "MANIFEST.tsv").read_text().splitlines()[1:]]
        assert server.state.tree(folder["id"]) == {n: (out / n).read_bytes() for n in listed}
        sent = len(server.state.part_puts)
        assert main(["upload", str(out), "--server", server.url, "--parent", "syn1"]) == 0
        assert len(server.state.part_puts) == sent                    # all verified: nothing
    printed = capsys.readouterr()
    assert f"{len(listed)} of {len(listed)} files verified" in printed.out
    assert f"/repo/v1/entity/{folder['id']}" in printed.out          # where it went
    assert token not in printed.out + printed.err
    status = json.loads((project / ".depositdesk" / "status.json").read_text(encoding="utf-8"))
    assert "uploaded" in json.dumps(status)
    _secret_scan(tmp_path, token)


def test_the_parent_comes_from_parent_or_the_projects_address_else_one_line(
        tmp_path: Path, token: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DEPOSITDESK_TOKEN", token)
    pkg = make_package(tmp_path / "pkg", {"README.md": b"# x\n"}, target="synapse")
    assert main(["upload", str(pkg)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--parent synNNN" in err
    assert main(["upload", str(pkg), "--parent", "project1"]) == 2
    assert "'project1' is not a Synapse id" in capsys.readouterr().err
    assert endpoint("https://www.synapse.org/#!Synapse:syn123") == (DEFAULT_SERVER, "syn123")
    assert endpoint("https://www.synapse.org/Synapse:syn9/files/") == (DEFAULT_SERVER, "syn9")
    assert endpoint(None) == (DEFAULT_SERVER, "")
    with FakeSynapse(token) as server:                 # the parent in the server's address
        assert main(["upload", str(pkg), "--server", f"{server.url}/syn1"]) == 0
        assert server.state.tree() == {"README.md": b"# x\n"}


def test_killed_mid_file_the_next_process_sends_only_the_missing_parts(tmp_path: Path,
                                                                     token: str) -> None:
    big = random_bytes(62, 20 * 1024 * 1024)                # 8 MiB parts: 8 + 8 + 4 MiB
    files = {"README.md": b"# small first\n", "z_big.bam": big}
    pkg = make_package(tmp_path / "pkg", files, target="synapse")
    env = {**os.environ, "DEPOSITDESK_TOKEN": token,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with FakeSynapse(token, min_part=5 * 1024 * 1024, rate=8_000_000) as server:
        args = [sys.executable, "-m", "depositdesk.packaging.upload_commands", "upload", str(pkg),
                "--server", server.url, "--parent", "syn1", "--jobs", "1"]
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        def added() -> set[int]:
            return next((u["added"] for u in list(server.state.uploads.values())
                         if u["name"] == "z_big.bam"), set())

        while not (added() == {1} and server.state.receiving.get("z_big.bam", 0) > 1_000_000):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the upload never got going"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
        assert [n for name, n in server.state.part_puts if name == "z_big.bam"] == [1]
        server.state.rate = 0
        again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, timeout=30)
        assert again.returncode == 0, again.stderr
        assert [n for name, n in server.state.part_puts if name == "z_big.bam"] == [1, 2, 3]
        assert [n for name, n in server.state.part_puts if name == "README.md"] == [1]
        assert server.state.tree() == files
        assert len([u for u in server.state.uploads.values() if u["name"] == "z_big.bam"]) == 1
    _secret_scan(tmp_path, token)


def test_a_title_synapse_cannot_name_is_a_warning_and_the_folder_name_cleaned(
        tmp_path: Path) -> None:
    project = example_project(tmp_path / "proj")
    idf = next(project.glob("*.idf.txt"))
    text = idf.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("Investigation Title"))
    idf.write_text(text.replace(title, "Investigation Title\tGAGA: ChIP-seq / embryos"),
                   encoding="utf-8")
    opened = Project.open(project)
    (warning,) = [f for f in check_targets(opened, ["synapse"]) if f.code == "SYNAPSE-NAME"]
    assert warning.severity.label == "warning" and "'/:'" in warning.message
    assert folder_body(opened)["name"] == "GAGA_ ChIP-seq _ embryos"
