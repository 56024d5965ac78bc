"""A new version of a published Zenodo deposition: the previous files linked, only the changed ones
sent, the removed ones deleted, the published version untouched - by the legacy newversion action
and, where Zenodo-RDM refuses it, by the RDM versions + files-import endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import UploadResult, package_files, run_upload
from depositdesk.packaging.transfer.zenodo import ZenodoTransport, deposition_from_doi
from depositdesk.packaging.upload_commands import main

from .conftest import make_package, random_bytes
from .zenodoserver import FakeZenodo

FAST = RetryPolicy(attempts=6, initial=0.01, maximum=0.05)
METADATA = {"title": "ChIP-seq of Dmel embryos", "upload_type": "dataset",
            "description": "test", "creators": [{"name": "Doe, John"}],
            "publication_date": "2026-12-03"}
V1 = {"README.md": b"# study\n", "data/a.bed": random_bytes(21, 150_000),
      "data/b.bw": random_bytes(22, 400_000)}
V2 = {"README.md": b"# study, version 2\n", "data/a.bed": V1["data/a.bed"],
      "data/c.txt": b"a file new in version 2\n"}


def upload(pkg: Path, server: FakeZenodo, token: str, new_version: bool = False,
           publish: bool = True, policy: RetryPolicy = FAST) -> UploadResult:
    info, entries = package_files(pkg)
    journal = Journal(journal_path(pkg, info), f"zenodo {server.url}")
    transport = ZenodoTransport(server.url, token, journal, METADATA, policy,
                                new_version=new_version)
    try:
        return run_upload(pkg, entries, transport, jobs=2,
                          before=lambda: transport.prepare(keep=[e.path for e in entries]),
                          after=lambda: transport.finish(False, publish))
    finally:
        transport.close()


def second_edition(pkg: Path) -> Path:
    (pkg / "data" / "b.bw").unlink()
    return make_package(pkg, V2, target="zenodo")


@pytest.mark.parametrize("rdm", [False, True], ids=["legacy-newversion", "rdm-files-import"])
def test_a_new_version_sends_only_the_changed_files(tmp_path: Path, token: str,
                                                    rdm: bool) -> None:
    pkg = make_package(tmp_path / "pkg", V1, target="zenodo")
    with FakeZenodo(token) as server:
        server.state.legacy_newversion_fails = rdm
        first = upload(pkg, server, token)
        assert first.ok, first.errors
        (v1,) = server.state.depositions
        server.state.puts.clear()
        second = upload(second_edition(pkg), server, token, new_version=True)
        assert second.ok, second.errors
        (v2,) = set(server.state.depositions) - {v1}
        assert server.state.files_of(v1) == V1                   # the published one untouched
        assert server.state.depositions[v1]["state"] == "done"
        assert server.state.files_of(v2) == V2
        assert server.state.depositions[v2]["state"] == "done"
        assert server.state.puts == {"README.md": 1, "data/c.txt": 1}   # a.bed stayed linked
        imported = any("files-import" in r for r in server.state.requests)
        assert imported == rdm
    assert second.remote["previous_id"] == v1 and second.remote["deposition_id"] == v2
    assert second.remote["doi"] == f"10.5072/zenodo.{v2}" != first.remote["doi"]


def test_without_new_version_a_published_deposition_is_one_clear_error(tmp_path: Path,
                                                                        token: str) -> None:
    pkg = make_package(tmp_path / "pkg", V1, target="zenodo")
    with FakeZenodo(token) as server:
        assert upload(pkg, server, token).ok
        again = upload(second_edition(pkg), server, token)
        assert len(server.state.depositions) == 1
    assert not again.ok
    assert "already published; run again with --new-version" in again.errors["(draft)"]


def test_a_new_version_run_that_dies_continues_in_the_same_draft(tmp_path: Path,
                                                                 token: str) -> None:
    pkg = make_package(tmp_path / "pkg", V1, target="zenodo")
    with FakeZenodo(token) as server:
        assert upload(pkg, server, token).ok
        server.state.faults = [("503", "PUT /api/deposit/depositions/")]
        dead = upload(second_edition(pkg), server, token, new_version=True,
                      policy=RetryPolicy(attempts=1))
        assert not dead.ok and len(server.state.depositions) == 2
        again = upload(pkg, server, token, new_version=True)
        assert again.ok, again.errors
        assert len(server.state.depositions) == 2                 # no third deposition
        (v2,) = set(server.state.depositions) - {min(server.state.depositions)}
        assert server.state.files_of(v2) == V2


def test_the_cli_makes_a_new_version_from_the_status_when_the_journal_is_gone(
        tmp_path: Path, token: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DEPOSITDESK_TOKEN", token)
    project = tmp_path / "proj"
    project.mkdir()
    zenodo_json = json.dumps({"metadata": METADATA}).encode()
    pkg = make_package(tmp_path / "pkg", {**V1, "zenodo.json": zenodo_json}, target="zenodo",
                       project=project)
    with FakeZenodo(token) as server:
        assert main(["upload", str(pkg), "--server", server.url, "--new-version"]) == 1
        assert "no published Zenodo deposition" in capsys.readouterr().out
        assert not server.state.depositions
        assert main(["upload", str(pkg), "--server", server.url, "--publish"]) == 0
        (v1,) = server.state.depositions
        (project / ".depositdesk" / "transfer-journal.json").unlink()
        (pkg / "data" / "b.bw").unlink()
        make_package(pkg, {**V2, "zenodo.json": zenodo_json}, target="zenodo", project=project)
        server.state.puts.clear()
        assert main(["upload", str(pkg), "--server", server.url, "--new-version",
                     "--publish"]) == 0
        (v2,) = set(server.state.depositions) - {v1}
        assert server.state.files_of(v2) == {**V2, "zenodo.json": zenodo_json}
        assert server.state.puts == {"README.md": 1, "data/c.txt": 1}
    status = json.loads((project / ".depositdesk" / "status.json").read_text(encoding="utf-8"))
    assert status["targets"]["zenodo"]["doi"] == f"10.5072/zenodo.{v2}"
    assert status["targets"]["zenodo"]["state"] == "submitted"
    assert deposition_from_doi("10.5281/zenodo.1234567") == 1234567
    assert deposition_from_doi("10.1234/other.5") is None
