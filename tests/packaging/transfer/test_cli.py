"""`depositdesk upload / login / status` end to end against the local servers; the secret scan."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from depositdesk.packaging.upload_commands import TRANSPORTS, main

from .conftest import make_package, random_bytes
from .ftpserver import FaultyFtp
from .memory_keyring import MemoryKeyring
from .zenodoserver import FakeZenodo

ZENODO_JSON = json.dumps({"metadata": {"title": "Dmel ChIP-seq", "upload_type": "dataset",
                                       "creators": [{"name": "Doe, John"}]}}).encode()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("DEPOSITDESK_TOKEN", raising=False)
    monkeypatch.delenv("DEPOSITDESK_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DEPOSITDESK_TOKEN", raising=False)
    monkeypatch.delenv("DEPOSITDESK_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _zenodo_package(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    project.mkdir()
    files = {"README.md": b"# Dmel\n", "zenodo.json": ZENODO_JSON,
             "peaks/a.bed": random_bytes(21, 50_000), "tracks/a.bw": random_bytes(22, 400_000)}
    return make_package(tmp_path / "pkg", files, target="zenodo", project=project), project


def test_login_then_upload_with_share_link_and_no_token_anywhere(
        tmp_path: Path, token: str, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.INFO)
    pkg, project = _zenodo_package(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(["login", "zenodo"]) == 0
    assert memory_keyring.store[("depositdesk", "zenodo")] == token
    assert token not in capsys.readouterr().out
    with FakeZenodo(token) as server:
        server.state.faults = [("503", "a.bw"), ("reset", "a.bw")]
        code = main(["upload", str(pkg), "--server", server.url, "--share-link",
                     "--format", "json"])
        out, err = capsys.readouterr()
        (dep_id,) = server.state.depositions
        assert server.state.depositions[dep_id]["metadata"]["title"] == "Dmel ChIP-seq"
    assert code == 0, err
    result = json.loads(out)
    assert result["ok"] and all(f["verified"] for f in result["files"])
    assert "preview=1&token=" in result["remote"]["share_link"]
    assert (project / ".depositdesk" / "transfer-journal.json").is_file()
    # the secret scan: nothing written during the upload holds the token
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 6
    for path in written:
        assert token.encode() not in path.read_bytes(), path
    assert token not in out + err + caplog.text
    assert main(["status", str(project)]) == 0
    status = capsys.readouterr().out
    assert "zenodo: uploaded" in status and "uploading" in status
    assert "4 of 4 files verified" in status and f"10.5072/zenodo.{dep_id}" in status


def test_upload_without_any_credential_is_one_line_exit_2(
        tmp_path: Path, no_keyring: None, capsys: pytest.CaptureFixture) -> None:
    pkg, _ = _zenodo_package(tmp_path)
    assert main(["upload", str(pkg), "--server", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no system keyring" in err and "DEPOSITDESK_TOKEN" in err
    assert main(["login", "zenodo"]) == 2
    assert "DEPOSITDESK_TOKEN" in capsys.readouterr().err


def test_ftp_upload_with_password_from_the_environment(
        tmp_path: Path, token: str, no_keyring: None, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"README.md": b"# GEO\n", "s1.fastq.gz": random_bytes(31, 700_000)}
    pkg = make_package(tmp_path / "pkg", files, target="geo")
    remote = tmp_path / "remote" / "uploads" / "jdoe_abc123"
    remote.mkdir(parents=True)
    monkeypatch.setenv("DEPOSITDESK_PASSWORD", token)
    with FaultyFtp(tmp_path / "remote", "geoftp", token) as ftp:
        ftp.faults = [("drop", 200_000)]
        code = main(["upload", str(pkg), "--server",
                     f"ftp://127.0.0.1:{ftp.port}/uploads/jdoe_abc123", "--user", "geoftp"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "using the credential from DEPOSITDESK_PASSWORD" in err
    assert "2 of 2 files verified on the server" in out
    assert {p.name: p.read_bytes() for p in remote.iterdir()} == files
    assert token not in out + err
    assert token.encode() not in (pkg / ".depositdesk" / "transfer-journal.json").read_bytes()


def test_a_refused_file_exits_1_with_the_servers_message(
        tmp_path: Path, token: str, no_keyring: None, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, _ = _zenodo_package(tmp_path)
    monkeypatch.setenv("DEPOSITDESK_TOKEN", token)
    with FakeZenodo(token) as server:
        server.state.faults = [("413", "a.bw")]
        code = main(["upload", str(pkg), "--server", server.url])
    out = capsys.readouterr().out
    assert code == 1
    assert "The data value transmitted exceeds the capacity limit." in out
    assert "3 of 4 files verified" in out


def test_ftp_target_without_server_or_user_says_what_to_give(
        tmp_path: Path, no_keyring: None, capsys: pytest.CaptureFixture) -> None:
    pkg = make_package(tmp_path / "pkg", {"a.txt": b"a"}, target="geo")
    assert main(["upload", str(pkg)]) == 2
    assert "--server ftp://" in capsys.readouterr().err
    assert main(["upload", str(pkg), "--server", "ftp://127.0.0.1/x"]) == 2
    assert "--user" in capsys.readouterr().err
    assert main(["upload", str(tmp_path / "nothing")]) == 2
    assert "not a package folder" in capsys.readouterr().err


def test_registered_in_the_cli_and_transports_agree_with_the_target_declarations() -> None:
    from depositdesk.app import cli
    from depositdesk.packaging.targets import all_targets

    assert "depositdesk.packaging.upload_commands" in cli.COMMAND_MODULES
    # `depositdesk upload|login|status` builds its parser from this module alone
    alone = cli._command_names(cli.build_parser(("depositdesk.packaging.upload_commands",)))
    assert alone == {c for c, m in cli.LAZY_COMMANDS.items()
                     if m == "depositdesk.packaging.upload_commands"}
    for target in all_targets():
        if target.transport or target.name in TRANSPORTS:
            assert TRANSPORTS.get(target.name, target.transport) == target.transport or (
                not target.transport and TRANSPORTS[target.name] == "ftp"), target.name


def test_status_records_a_checked_accession_and_notices_a_changed_package(
        tmp_path: Path, token: str, no_keyring: None, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, project = _zenodo_package(tmp_path)
    monkeypatch.setenv("DEPOSITDESK_TOKEN", token)
    with FakeZenodo(token) as server:
        assert main(["upload", str(pkg), "--server", server.url, "--publish"]) == 0
    capsys.readouterr()
    assert main(["status", str(project), "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)["targets"]["zenodo"]
    assert record["state"] == "submitted"
    assert [h["state"] for h in record["history"]] == ["uploading", "submitted"]
    assert main(["status", str(project), "--target", "zenodo", "--accession", "GSE12345"]) == 2
    assert "is not a zenodo accession (expected DOI)" in capsys.readouterr().err
    assert main(["status", str(project), "--target", "zenodo", "--accession",
                 "10.5072/zenodo.542201"]) == 0
    assert "zenodo: accessioned" in capsys.readouterr().out
    (pkg / "tracks" / "a.bw").write_bytes(b"edited after packaging")
    assert main(["status", str(project)]) == 0
    assert "zenodo: changed since packaged" in capsys.readouterr().out


def test_depositdesk_upload_by_ftp_starts_without_the_heavy_imports(
        tmp_path: Path, token: str) -> None:
    """The whole `depositdesk upload` process, as a user runs it: the FTP upload is verified and
    the process never loaded the target rules (bioregistry, ~1 s), httpx, tenacity (no retry was
    needed), Qt, openpyxl or numpy."""
    files = {"README.md": b"# GEO\n", "s1.fastq.gz": random_bytes(32, 300_000)}
    pkg = make_package(tmp_path / "pkg", files, target="geo")
    remote = tmp_path / "remote" / "uploads" / "jdoe_abc123"
    remote.mkdir(parents=True)
    env = {**os.environ, "DEPOSITDESK_PASSWORD": token,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with FaultyFtp(tmp_path / "remote", "geoftp", token) as ftp:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "depositdesk", "upload", str(pkg),
             "--server", f"ftp://127.0.0.1:{ftp.port}/uploads/jdoe_abc123", "--user", "geoftp"],
            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "2 of 2 files verified on the server" in proc.stdout
    assert {p.name: p.read_bytes() for p in remote.iterdir()} == files
    loaded = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
              if line.startswith("import time:")}
    assert "depositdesk.packaging.transfer.ftp" in loaded
    heavy = {"httpx", "tenacity", "bioregistry", "PySide6", "openpyxl", "numpy",
             "depositdesk.packaging.targets", "depositdesk.packaging.transfer.zenodo"}
    assert not heavy & loaded, heavy & loaded
