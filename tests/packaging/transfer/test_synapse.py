"""Synapse's multipart protocol against a local repository + presigned storage: a verified upload
into entities, a true resume (only the missing parts re-sent), faults, no duplicate entity."""

from __future__ import annotations

import random
from pathlib import Path

from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import UploadResult, package_files, run_upload
from depositdesk.packaging.transfer.synapse import SynapseTransport

from .conftest import make_package, random_bytes
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
    with FakeSynapse(token) as server:
        result = upload(pkg, server, token)
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
        for run in range(20):
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
        names = [(e["parentId"], e["name"]) for e in server.state.entities.values()]
        assert len(names) == len(set(names))                            # no duplicate entity
