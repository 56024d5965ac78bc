"""Zenodo uploads against a local deposit API speaking the corpus's codes and bodies."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import UploadResult, package_files, run_upload
from depositdesk.packaging.transfer.zenodo import ZenodoTransport

from .conftest import make_package, random_bytes
from .zenodoserver import FakeZenodo

FAST = RetryPolicy(attempts=6, initial=0.01, maximum=0.05)
METADATA = {"title": "ChIP-seq of Dmel embryos", "upload_type": "dataset",
            "description": "test", "creators": [{"name": "Doe, John"}]}
FILES = {"README.md": b"# study\n", "data/a.bed": random_bytes(11, 150_000),
         "data/b.bw": random_bytes(12, 2_100_000)}


def upload(pkg: Path, server: FakeZenodo, token: str, share: bool = False,
           publish: bool = False, jobs: int = 2) -> UploadResult:
    info, entries = package_files(pkg)
    journal = Journal(journal_path(pkg, info), f"zenodo {server.url}")
    transport = ZenodoTransport(server.url, token, journal, METADATA, FAST)
    try:
        return run_upload(pkg, entries, transport, jobs=jobs, before=transport.prepare,
                          after=lambda: transport.finish(share, publish))
    finally:
        transport.close()


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return make_package(tmp_path / "pkg", FILES, target="zenodo")


def test_upload_creates_one_draft_with_verified_files_and_a_share_link(pkg: Path,
                                                                       token: str) -> None:
    with FakeZenodo(token) as server:
        result = upload(pkg, server, token, share=True)
        assert result.ok, result.errors
        (dep_id,) = server.state.depositions
        assert server.state.files_of(dep_id) == FILES
        assert server.state.depositions[dep_id]["metadata"]["title"] == METADATA["title"]
        assert server.state.depositions[dep_id]["state"] == "unsubmitted"   # not published
    assert result.remote["doi"] == f"10.5072/zenodo.{dep_id}"
    assert f"/records/{dep_id}?preview=1&token=eyJ" in result.remote["share_link"]
    assert all(f.verified and f.bytes_confirmed == f.size for f in result.files)


def test_server_errors_rate_limits_and_resets_are_retried(pkg: Path, token: str) -> None:
    with FakeZenodo(token) as server:
        server.state.faults = [("500", "POST /api/deposit"), ("429", "PUT /api/deposit"),
                               ("reset", "b.bw"), ("502", "a.bed"), ("503", "README"),
                               ("reset", "b.bw")]
        result = upload(pkg, server, token, jobs=3)
        assert result.ok, result.errors
        assert not server.state.faults
        (dep_id,) = server.state.depositions
        assert server.state.files_of(dep_id) == FILES


def test_a_corrupt_copy_is_deleted_and_sent_again(pkg: Path, token: str) -> None:
    with FakeZenodo(token) as server:
        server.state.faults = [("corrupt", "a.bed")]
        result = upload(pkg, server, token)
        (dep_id,) = server.state.depositions
        assert result.ok, result.errors
        assert server.state.files_of(dep_id) == FILES
        assert server.state.puts["data/a.bed"] == 2


def test_second_run_reuses_the_draft_skips_good_files_and_replaces_a_wrong_one(
        pkg: Path, token: str) -> None:
    with FakeZenodo(token) as server:
        assert upload(pkg, server, token).ok
        (dep_id,) = server.state.depositions
        files = server.state.depositions[dep_id]["files"]
        files["data/a.bed"]["data"] = b"damaged on the server"
        server.state.puts.clear()
        again = upload(pkg, server, token)
        assert again.ok, again.errors
        assert list(server.state.depositions) == [dep_id]          # the same draft
        assert server.state.puts == {"data/a.bed": 1}               # only the wrong one re-sent
        assert server.state.files_of(dep_id) == FILES
        assert any(r.startswith("DELETE /api/deposit/depositions/") for r in server.state.requests)


def test_413_and_quota_are_reported_with_the_servers_message(pkg: Path, token: str) -> None:
    with FakeZenodo(token) as server:
        server.state.faults = [("413", "b.bw")]
        result = upload(pkg, server, token)
    assert not result.ok
    assert result.errors["data/b.bw"].endswith(
        "HTTP 413: The data value transmitted exceeds the capacity limit.")
    with FakeZenodo(token, quota=1_000_000) as server:
        result = upload(pkg, server, token)
    assert "HTTP 400: Bucket quota exceeded." in result.errors["data/b.bw"]
    assert result.files[0].verified   # what fits is there and verified


def test_a_wrong_token_is_one_401_line_and_publish_only_when_asked(pkg: Path, token: str) -> None:
    with FakeZenodo(token) as server:
        bad = upload(pkg, server, "x" + token)
        assert not bad.ok and len(server.state.requests) == 1
        assert "HTTP 401: The server could not verify" in bad.errors["(draft)"]
        published = upload(pkg, server, token, publish=True)
        (dep_id,) = server.state.depositions
        assert published.ok and server.state.depositions[dep_id]["state"] == "done"
    assert published.remote["doi"] == f"10.5072/zenodo.{dep_id}"
    journal = (pkg / ".depositdesk" / "transfer-journal.json").read_text()
    assert token not in journal
    entry = json.loads(journal)["uploads"][f"zenodo {server.url}"]["files"]["data/b.bw"]
    assert entry["md5"] == hashlib.md5(FILES["data/b.bw"]).hexdigest() and entry["verified"]
