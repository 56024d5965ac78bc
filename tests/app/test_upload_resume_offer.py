"""The next start offers to resume a stopped upload (a bar, not a modal question), and the upload
panel's Synapse parent / Zenodo new-version fields: checked, remembered in the project, used."""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from depositdesk.app import project_ops
from depositdesk.packaging.status import set_status
from depositdesk.packaging.transfer import credentials
from depositdesk.packaging.transfer.journal import JOURNAL_NAME, Journal
from depositdesk.resources import examples
from depositdesk.widgets.upload_options import OPTIONS_NAME
from depositdesk.widgets.upload_panel import UploadPanel
from tests.packaging.transfer.conftest import make_package, random_bytes
from tests.packaging.transfer.ftpserver import FaultyFtp
from tests.packaging.transfer.memory_keyring import MemoryKeyring
from tests.packaging.transfer.zenodoserver import FakeZenodo

EXAMPLE = Path(examples.__file__).parent / "chipseq-dmel"
FILES = {"a_first.txt": b"first\n" * 400, "b_big.bin": random_bytes(3, 400_000),
         "c_last.txt": b"last\n" * 300}


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("DEPOSITDESK_PASSWORD", "DEPOSITDESK_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    value = secrets.token_urlsafe(24)
    for target, user in (("geo", "geoftp"), ("zenodo", ""), ("synapse", "")):
        credentials.store(target, user, value)
    yield value
    keyring.set_keyring(previous)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "lab" / "zelda"
    shutil.copytree(EXAMPLE, folder)
    return folder, make_package(tmp_path / "lab" / "zelda-geo-package", FILES, "geo", folder)


def _stopped_upload(folder: Path, package: Path, where: str, verified: list[str]) -> None:
    """What an upload that stopped leaves: its journal (these files verified) and its status."""
    journal = Journal(folder / ".depositdesk" / JOURNAL_NAME, f"geo {where}")
    for name in verified:
        data = FILES[name]
        journal.record(name, "ftp", len(data), hashlib.md5(data).hexdigest())
        journal.update(name, verified=True, bytes_confirmed=len(data))
    state = "uploaded" if len(verified) == len(FILES) else "uploading"
    set_status(folder, "geo", state, f"upload to {where}", package=str(package))


def _window(qtbot, settings, folder: Path):  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert project_ops.open_project(window, folder)
    window.show()
    return window


def test_a_stopped_upload_is_offered_and_resumed_from_the_bar(  # type: ignore[no-untyped-def]
        qtbot, settings, project, secret: str, tmp_path: Path) -> None:
    folder, package = project
    remote = tmp_path / "remote"
    (remote / "uploads").mkdir(parents=True)
    (remote / "uploads" / "a_first.txt").write_bytes(FILES["a_first.txt"])   # sent before the stop
    with FaultyFtp(remote, "geoftp", secret) as ftp:
        where = f"ftp://127.0.0.1:{ftp.port}/uploads"
        _stopped_upload(folder, package, where, ["a_first.txt"])
        settings.q.setValue("upload/geo/user", "geoftp")
        window = _window(qtbot, settings, folder)
        banner = window.resume_banner
        assert banner is not None and banner.isVisible()
        assert banner.label.text() == (f"An upload of geo to 127.0.0.1:{ftp.port} stopped at 1 of "
                                       "3 files. Resume?")
        banner.resume_button.click()
        view = window.submission_dialog
        assert view.target_name == "geo" and view.tabs.currentWidget() is view.upload
        try:
            assert view.upload.running(), view.upload.message.text()
            qtbot.waitUntil(lambda: not view.upload.running(), timeout=60_000)
        finally:
            view.upload.cancel()
        assert view.upload.message.text() == "All 3 files are verified on the server."
        stored = [arg for cmd, arg in ftp.args if cmd == "STOR"]
    assert window.resume_banner is None
    assert not any(name.endswith("a_first.txt") for name in stored)      # not sent twice
    for name, data in FILES.items():
        assert (remote / "uploads" / name).read_bytes() == data
    view.close()


def test_no_offer_for_a_finished_upload(qtbot, settings, project) -> None:  # type: ignore[no-untyped-def]
    folder, package = project
    _stopped_upload(folder, package, "ftp://127.0.0.1:2121/uploads", list(FILES))
    window = _window(qtbot, settings, folder)
    assert getattr(window, "resume_banner", None) is None


def test_not_now_keeps_the_upload_resumable(qtbot, settings, project) -> None:  # type: ignore[no-untyped-def]
    folder, package = project
    _stopped_upload(folder, package, "ftp://127.0.0.1:2121/uploads", ["a_first.txt", "c_last.txt"])
    window = _window(qtbot, settings, folder)
    assert window.resume_banner.label.text().endswith("stopped at 2 of 3 files. Resume?")
    window.resume_banner.dismiss_button.click()
    assert window.resume_banner is None and not hasattr(window, "submission_dialog")
    assert project_ops.open_project(window, folder)          # offered again the next time
    assert window.resume_banner is not None


def test_synapse_parent_is_checked_and_remembered_per_project(  # type: ignore[no-untyped-def]
        qtbot, settings, tmp_path: Path, secret: str) -> None:
    folder = tmp_path / "proj"
    package = make_package(tmp_path / "syn-package", {"x.txt": b"x\n"}, "synapse", folder)
    panel = UploadPanel(settings)
    qtbot.addWidget(panel)
    panel.folder = folder
    panel.set_package("synapse", package, "synapse")
    panel.show()
    assert panel.parent_id.isVisible() and not panel.version_of.isVisible()
    panel.parent_id.setText("my-folder")
    panel.upload_button.click()
    assert not panel.running() and "is not a Synapse id" in panel.message.text()
    panel.parent_id.setText("")
    panel.upload_button.click()
    assert not panel.running() and panel.message.text().startswith("Give the Synapse parent")
    panel.parent_id.setText("syn4242")
    assert panel._options("synapse") == ["--parent", "syn4242"]
    again = UploadPanel(settings)
    qtbot.addWidget(again)
    again.folder = folder
    again.set_package("synapse", package, "synapse")
    assert again.parent_id.text() == "syn4242"
    kept = (folder / ".depositdesk" / OPTIONS_NAME).read_text(encoding="utf-8")
    assert json.loads(kept) == {"synapse": {"parent": "syn4242"}} and secret not in kept


def test_zenodo_new_version_of_a_published_record(  # type: ignore[no-untyped-def]
        qtbot, settings, tmp_path: Path, secret: str) -> None:
    folder = tmp_path / "proj"
    (folder / ".depositdesk").mkdir(parents=True)
    metadata = {"title": "ChIP-seq of Dmel embryos", "upload_type": "dataset", "description": "t",
                "creators": [{"name": "Doe, John"}], "access_right": "open", "license": "cc-by-4.0"}
    files = {"data.csv": b"a,b\n1,2\n", "zenodo.json": json.dumps({"metadata": metadata}).encode()}
    package = make_package(tmp_path / "zen-package", files, "zenodo", folder)
    panel = UploadPanel(settings)
    qtbot.addWidget(panel)
    panel.folder = folder
    panel.set_package("zenodo", package, "zenodo")
    panel.show()
    assert panel.version_of.isVisible() and not panel.parent_id.isVisible()
    with FakeZenodo(secret) as server:
        panel.server.setText(server.url)
        panel.publish.setChecked(True)
        with qtbot.waitSignal(panel.finished, timeout=60_000) as ended:
            panel.upload_button.click()
        assert ended.args == [0], panel.message.text()
        (first,) = server.state.depositions
        (folder / ".depositdesk" / JOURNAL_NAME).unlink()      # the record is all that is known
        panel.set_package("zenodo", package, "zenodo")
        panel.version_of.setText("zenodo record 12")
        panel.upload_button.click()
        assert not panel.running() and "is not a Zenodo record" in panel.message.text()
        panel.version_of.setText(f"10.5281/zenodo.{first}")
        panel.publish.setChecked(False)
        with qtbot.waitSignal(panel.finished, timeout=60_000) as ended:
            panel.upload_button.click()
        assert ended.args == [0], panel.message.text()
        assert len(server.state.depositions) == 2                # the new version's draft
    panel.set_package("zenodo", package, "zenodo")
    assert panel.version_of.text() == f"10.5281/zenodo.{first}"
