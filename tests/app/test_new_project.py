"""New projects from what the user knows; imports never write beside their file; journal; file dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.app import dialogs, project_ops
from depositdesk.magetab import codes

STUDY = ('"Source Name"\t"Characteristics[organism]"\t"Term Source REF"\t"Term Accession Number"\t'
         '"Protocol REF"\t"Sample Name"\n'
         '"liver 1"\t"Mus musculus"\t"NCBITaxon"\t"10090"\t"sample collection"\t"liver 1.a"\n')


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_isatab_study_opened_in_place_is_not_modified(window, shared: Path) -> None:  # type: ignore[no-untyped-def]
    folder = shared / "metadata-corpus" / "isatab" / "BII-S-4"
    before = _listing(folder)
    assert project_ops.open_project(window, folder / "s_BII-S-4.txt")
    assert not window.is_modified() and not window.windowTitle().startswith("*")
    assert project_ops.autosave(window) is False
    assert _listing(folder) == before


def test_the_first_save_of_an_import_asks_for_a_new_folder(window, tmp_path: Path, monkeypatch,
                                                            no_dialogs) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "isa"
    source.mkdir()
    (source / "s_liver.txt").write_text(STUDY, encoding="utf-8")
    assert project_ops.open_project(window, source / "s_liver.txt")
    assert not window.is_modified()
    window.current_grid().model.sdrf.set_cells([(0, 0, "liver one")])
    assert project_ops.autosave(window) is False           # no journal beside the import either
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "save_folder", lambda _w, title, start="": asked.append(start) or "")
    assert not project_ops.save(window)                     # cancelled: nothing written anywhere
    assert _listing(source) == ["s_liver.txt"]
    monkeypatch.setattr(dialogs, "save_folder", lambda *_a, **_k: str(source))
    assert not project_ops.save(window)                     # its own folder is refused
    assert _listing(source) == ["s_liver.txt"] and no_dialogs[-1][0] == "Choose another folder"
    target = tmp_path / "liver-project"
    target.mkdir()
    monkeypatch.setattr(dialogs, "save_folder", lambda *_a, **_k: str(target))
    assert project_ops.save(window)
    assert _listing(source) == ["s_liver.txt"]
    assert window.project.folder == target and (target / "s_liver.idf.txt").is_file()
    assert "liver one" in (target / "s_liver.txt").read_text(encoding="utf-8")
    assert project_ops.save(window) and _listing(source) == ["s_liver.txt"]   # later saves: no question
    assert not window.is_modified() and str(target) in window.windowTitle()


def test_restored_work_is_not_offered_again(window, qtbot, settings, term_service, project_dir,
                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    window.current_grid().model.sdrf.set_cells([(0, 0, "edited before the crash")])
    assert project_ops.autosave(window)
    window.project.dirty = False
    window.undo_stack.setClean()
    monkeypatch.setattr(dialogs, "ask", lambda *_a, **_k: "yes")
    again = MainWindow(settings, term_service)
    qtbot.addWidget(again)
    assert project_ops.open_project(again, project_dir)
    qtbot.waitUntil(lambda: again.checker.project_worker is None and not again.checker.timer.isActive(),
                    timeout=10000)
    shown = [f.code for f in again.findings_panel.model.findings()]
    assert codes.PROJECT_JOURNAL not in shown
    again.undo_stack.setClean()
    again.project.dirty = False


@pytest.mark.parametrize("action", ["open_dialog", "open_folder_dialog", "add_files_dialog"])
def test_file_dialogs_start_in_the_project_folder(window, project_dir: Path, monkeypatch,
                                                  action: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, d, *_a: starts.append(d) or ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda _p, _t, d, *_a: starts.append(d) or ([], ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda _p, _t, d, *_a: starts.append(d) or "")
    getattr(project_ops, action)(window)
    assert starts == [str(project_dir)]


def test_without_a_project_file_dialogs_start_at_home(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog, QWidget

    monkeypatch.setattr(dialogs, "_last_folder", "")
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, d, *_a: starts.append(d) or ("", ""))
    widget = QWidget()
    qtbot.addWidget(widget)
    dialogs.open_path(widget, "Open")
    assert starts == [str(Path.home())]
