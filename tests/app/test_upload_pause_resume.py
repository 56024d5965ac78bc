"""Pause and Resume in the upload panel, against a throttled local FTP server: the pause is clean
(recorded by the upload command itself), Resume finishes from the journal and the remote size."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from depositdesk.packaging.status import read_status
from depositdesk.packaging.transfer import credentials
from depositdesk.widgets.upload_options import unfinished_uploads
from depositdesk.widgets.upload_panel import UploadPanel
from tests.packaging.transfer.conftest import make_package, random_bytes
from tests.packaging.transfer.ftpserver import FaultyFtp
from tests.packaging.transfer.memory_keyring import MemoryKeyring

BIG = 3_000_000


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A random FTP password for geoftp in an in-memory keyring (none in the environment)."""
    monkeypatch.delenv("DEPOSITDESK_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    secret = secrets.token_urlsafe(24)
    credentials.store("geo", "geoftp", secret)
    yield secret
    keyring.set_keyring(previous)


@pytest.fixture
def files() -> dict[str, bytes]:
    return {"a_first.txt": b"first file\n" * 500, "b_big.bin": random_bytes(7, BIG),
            "c_last.txt": b"last file\n" * 300}


@pytest.fixture
def panel(qtbot, settings, tmp_path: Path, files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    project = tmp_path / "proj"
    (project / ".depositdesk").mkdir(parents=True)
    package = make_package(tmp_path / "proj-geo-package", files, "geo", project)
    widget = UploadPanel(settings)
    qtbot.addWidget(widget)
    widget.folder = project
    widget.set_package("geo", package, "ftp")
    widget.user.setText("geoftp")
    widget.jobs.setValue(1)
    widget.show()
    yield widget
    widget.cancel()
    qtbot.waitUntil(lambda: not widget.running(), timeout=10_000)


def _stors(ftp: FaultyFtp, name: str) -> int:
    return sum(1 for cmd, arg in ftp.args if cmd in ("STOR", "APPE") and arg.endswith(name))


def test_pause_in_a_big_file_then_resume_finishes_without_sending_twice(  # type: ignore[no-untyped-def]
        qtbot, panel, password: str, tmp_path: Path, files: dict[str, bytes]) -> None:
    remote = tmp_path / "remote"
    (remote / "uploads").mkdir(parents=True)
    partial = remote / "uploads" / "b_big.bin"
    with FaultyFtp(remote, "geoftp", password, rate=400_000) as ftp:
        panel.server.setText(f"ftp://127.0.0.1:{ftp.port}/uploads")
        assert not panel.pause_button.isEnabled()
        panel.upload_button.click()
        assert panel.pause_button.isEnabled() and panel.pause_button.text() == "&Pause"
        qtbot.waitUntil(lambda: partial.exists() and partial.stat().st_size > 600_000, timeout=30_000)
        # FTP reports progress per 8 MB handed to the kernel: a 3 MB file shows as sent at once
        qtbot.waitUntil(lambda: panel.table.item(1, 3).text() in ("sending", "sent, verifying"),
                        timeout=10_000)
        assert panel.overall.value() > 0 and panel.speed.text().endswith(" left")
        with qtbot.waitSignal(panel.finished, timeout=20_000):
            panel.pause_button.click()
        shown = re.match(r"Paused — (\d) of 3 files verified", panel.message.text())
        assert shown and int(shown.group(1)) == 1, panel.message.text()
        assert panel.pause_button.text() == "R&esume" and panel.pause_button.isEnabled()
        assert panel.speed.text() == "paused" and not panel.upload_button.isVisible()
        states = [panel.table.item(r, 3).text() for r in range(3)]
        assert states == ["verified", "paused", "waiting"]
        stopped_at = partial.stat().st_size
        assert 600_000 <= stopped_at < BIG
        history = read_status(panel.folder)["targets"]["geo"]["history"]
        assert "paused: 1 of 3 files verified" in history[-1]["what"]   # the command's own record
        assert [u.verified for u in unfinished_uploads(panel.folder)] == [1]
        ftp.data_handler.read_limit = 0
        with qtbot.waitSignal(panel.finished, timeout=60_000) as ended:
            panel.pause_button.click()
        assert ended.args == [0], panel.message.text()
        rests = [int(arg) for cmd, arg in ftp.args if cmd == "REST" and arg.isdigit()]
        sent_once = (_stors(ftp, "a_first.txt"), _stors(ftp, "c_last.txt"))
    for name, data in files.items():
        assert (remote / "uploads" / name).read_bytes() == data
    assert sent_once == (1, 1)                   # verified before the pause: not sent again
    assert rests and max(rests) >= 600_000       # the big file continued from the remote size
    assert panel.message.text() == "All 3 files are verified on the server."
    assert panel.pause_button.text() == "&Pause" and not panel.pause_button.isEnabled()
    assert unfinished_uploads(panel.folder) == []
