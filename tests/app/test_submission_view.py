"""The Submission view: a whole journey from the open example to a verified upload on a local Zenodo."""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QMessageBox

from depositdesk.app import project_ops
from depositdesk.app.actions import open_submission
from depositdesk.packaging import checklist
from depositdesk.packaging.status import read_status
from depositdesk.resources import examples
from tests.packaging.transfer.memory_keyring import MemoryKeyring
from tests.packaging.transfer.zenodoserver import FakeZenodo

EXAMPLE = Path(examples.__file__).parent / "chipseq-dmel"


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A random Zenodo token in an in-memory keyring (and none in the environment)."""
    monkeypatch.delenv("DEPOSITDESK_TOKEN", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    secret = secrets.token_urlsafe(24)
    backend.set_password("depositdesk", "zenodo", secret)
    yield secret
    keyring.set_keyring(previous)


@pytest.fixture
def dialog(qtbot, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    folder = tmp_path / "lab" / "zelda"
    shutil.copytree(EXAMPLE, folder)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert project_ops.open_project(window, folder)
    window.show()
    view = open_submission(window)
    yield view
    view.upload.cancel()
    qtbot.waitUntil(lambda: not view.upload.running(), timeout=10_000)


def _choose(view, target: str) -> None:  # type: ignore[no-untyped-def]
    view.target.setCurrentIndex(view.target.findData(target))


def _build(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    view.last_build = None
    view.build()
    qtbot.waitUntil(lambda: view.last_build is not None and view.build_worker is None, timeout=60_000)


def test_build_then_upload_to_zenodo_with_a_share_link(qtbot, dialog, token: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = dialog
    _choose(view, "zenodo")
    assert Path(view.out_dir.text()) == tmp_path / "lab" / "zelda-zenodo-package"
    _build(qtbot, view)
    assert view.last_build.built, [f.describe() for f in view.last_build.findings]
    assert view.state.text().startswith("zenodo: packaged") and view.open_button.isEnabled()
    assert view.upload.upload_button.isEnabled() and view.upload.table.rowCount() > 5
    with FakeZenodo(token) as server:
        view.upload.server.setText(server.url)
        view.upload.share_link.setChecked(True)
        with qtbot.waitSignal(view.upload.finished, timeout=120_000) as ended:
            view.upload.upload_button.click()
        assert ended.args == [0], view.upload.message.text()
        (dep_id,) = server.state.depositions
        remote = server.state.files_of(dep_id)
    package = Path(view.out_dir.text())
    for r in range(view.upload.table.rowCount()):
        name = view.upload.table.item(r, 0).text()
        assert view.upload.table.item(r, 3).text() == "verified"
        assert remote[name] == (package / name).read_bytes()
    assert view.upload.message.text().startswith("All ") and view.upload.link.text().startswith("http")
    assert read_status(view.folder)["targets"]["zenodo"]["state"] == "uploaded"
    assert view.state.text().startswith("zenodo: uploaded")
    written = [p.read_text(encoding="utf-8", errors="replace") for p in view.folder.rglob("*") if p.is_file()
               and p.stat().st_size < 5_000_000]
    assert not any(token in text for text in written)


def test_a_target_the_project_does_not_meet_is_not_built_and_says_why(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    view = dialog
    _choose(view, "sra")
    _build(qtbot, view)
    assert not view.last_build.built and view.build_findings.count() > 0
    assert view.build_note.text().startswith("Not built:")
    assert not (Path(view.out_dir.text()) / "MANIFEST.tsv").exists()
    assert not view.upload.upload_button.isEnabled()


def test_a_cancelled_upload_resumes_without_sending_twice(qtbot, dialog, token: str) -> None:  # type: ignore[no-untyped-def]
    view = dialog
    _choose(view, "zenodo")
    _build(qtbot, view)
    with FakeZenodo(token, rate=20_000) as server:       # 20 kB/s: slow enough to stop half-way
        view.upload.server.setText(server.url)
        view.upload.jobs.setValue(1)
        view.upload.start()
        qtbot.waitUntil(lambda: any(view.upload.table.item(r, 3).text() in ("sending", "sent, verifying")
                                    for r in range(view.upload.table.rowCount())), timeout=60_000)
        with qtbot.waitSignal(view.upload.finished, timeout=20_000):
            view.upload.cancel_button.click()
        assert view.upload.message.text().startswith("Upload stopped")
        assert view.upload.upload_button.text() == "&Resume upload"
        server.state.rate = 0
        with qtbot.waitSignal(view.upload.finished, timeout=120_000) as ended:
            view.upload.upload_button.click()
        assert ended.args == [0], view.upload.message.text()
        (dep_id,) = server.state.depositions
        remote = server.state.files_of(dep_id)
        again = [name for name, n in server.state.puts.items() if n > 1]
    package = Path(view.out_dir.text())
    assert {name: package.joinpath(name).read_bytes() for name in remote} == remote
    assert len(remote) == view.upload.table.rowCount()
    assert len(again) <= 1          # only the file in flight when it was stopped went twice


def test_checklist_ticks_and_accession(qtbot, dialog, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    view = dialog
    _choose(view, "geo")
    first = view.checks.item(0)
    first.setCheckState(first.checkState().Checked)
    ticks = checklist.read_ticks(view.folder, "geo")
    assert list(ticks) == [checklist.items_for("geo")[0].key] and ticks[list(ticks)[0]]["by"]
    assert view.checks_note.text().startswith("1 of ")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    view.accession.setText("GSE12X")
    view.record_accession()
    assert warned and read_status(view.folder)["targets"].get("geo", {}).get("state") != "accessioned"
    view.accession.setText("GSE123456")
    view.record_accession()
    assert view.state.text() == "geo: accessioned" and "GSE123456" in view.details.text()
    status = json.loads((view.folder / ".depositdesk" / "status.json").read_text(encoding="utf-8"))
    assert status["targets"]["geo"]["accession"] == "GSE123456"


def test_quitting_during_an_upload_asks_and_no_keeps_it_running(qtbot, dialog, token: str,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from depositdesk.app import dialogs

    view = dialog
    _choose(view, "zenodo")
    _build(qtbot, view)
    asked: list[str] = []
    answers = iter(["cancel", "yes"])
    monkeypatch.setattr(dialogs, "ask", lambda _p, title, _t, _c=(): asked.append(title) or next(answers))
    with FakeZenodo(token, rate=5_000) as server:
        view.upload.server.setText(server.url)
        view.upload.start()
        assert view.upload.running()
        window = view.parent()
        assert not window.close() and view.upload.running()      # "cancel": the upload goes on
        with qtbot.waitSignal(view.upload.finished, timeout=20_000):
            assert window.close()                                # "yes": stopped, quit
    assert asked == ["Upload running", "Upload running"]
