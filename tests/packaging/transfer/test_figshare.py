"""Figshare's part protocol against a local API + upload service: faults, and a true resume."""

from __future__ import annotations

from pathlib import Path

from depositdesk.packaging.transfer.figshare import FigshareTransport
from depositdesk.packaging.transfer.journal import Journal, journal_path
from depositdesk.packaging.transfer.retry import RetryPolicy
from depositdesk.packaging.transfer.runner import UploadResult, package_files, run_upload

from .conftest import make_package, random_bytes
from .figshareserver import PART, FakeFigshare

FAST = RetryPolicy(attempts=6, initial=0.01, maximum=0.05)
FILES = {"README.md": b"# item\n", "data/big.h5": random_bytes(51, 10 * PART + 123)}


def upload(pkg: Path, server: FakeFigshare, token: str,
           policy: RetryPolicy = FAST) -> UploadResult:
    info, entries = package_files(pkg)
    journal = Journal(journal_path(pkg, info), f"figshare {server.url}")
    transport = FigshareTransport(server.url, token, journal, "an item", policy)
    try:
        return run_upload(pkg, entries, transport, jobs=2, before=transport.prepare)
    finally:
        transport.close()


def test_parts_with_faults_end_in_one_verified_item(tmp_path: Path, token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="figshare")
    with FakeFigshare(token) as server:
        server.state.faults = [("500", "POST /v2/account/articles"), ("reset", "/upload/"),
                               ("409", "PUT /upload/"), ("corrupt", "PUT /upload/"),
                               ("503", "/files")]
        result = upload(pkg, server, token)
        assert result.ok, result.errors
        (article,) = server.state.articles
        assert server.state.files_of(article) == FILES
        assert not server.state.faults


def test_an_interrupted_file_resumes_with_only_the_pending_parts(tmp_path: Path,
                                                                 token: str) -> None:
    pkg = make_package(tmp_path / "pkg", {"data/big.h5": FILES["data/big.h5"]},
                       target="figshare")
    with FakeFigshare(token) as server:
        server.state.faults = [("reset", "/6")]           # the 6th part dies, no retries left
        first = upload(pkg, server, token, RetryPolicy(attempts=1))
        assert not first.ok
        sent_before = len(server.state.part_puts)
        assert sent_before == 5
        second = upload(pkg, server, token)
        assert second.ok, second.errors
        resent = [n for _, n in server.state.part_puts[sent_before:]]
        assert resent == [6, 7, 8, 9, 10, 11]               # parts 1-5 were not sent again
        (article,) = server.state.articles
        assert server.state.files_of(article) == {"data/big.h5": FILES["data/big.h5"]}
        assert len(server.state.articles[article]["files"]) == 1


def test_a_file_already_there_is_skipped_and_a_wrong_one_replaced(tmp_path: Path,
                                                                  token: str) -> None:
    pkg = make_package(tmp_path / "pkg", FILES, target="figshare")
    with FakeFigshare(token) as server:
        assert upload(pkg, server, token).ok
        (article,) = server.state.articles
        readme = next(f for f in server.state.articles[article]["files"].values()
                      if f["name"] == "README.md")
        server.state.uploads[readme["token"]]["data"][:] = b"# edit\n"
        (pkg / ".depositdesk" / "transfer-journal.json").unlink()   # a fresh machine
        # ... but the item id is known: keep it by uploading into the same item again
        journal = Journal(pkg / ".depositdesk" / "transfer-journal.json",
                          f"figshare {server.url}")
        journal.set_remote(article_id=article)
        server.state.part_puts.clear()
        again = upload(pkg, server, token)
        assert again.ok, again.errors
        assert server.state.files_of(article) == FILES
        assert len(server.state.part_puts) == 1             # only README.md, one part
