"""Window-level behaviour: add column dialog, drops, xlsx import, settings, About, remembered layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from depositdesk.app import dialogs, project_ops
from depositdesk.app.main_window import MainWindow


def test_add_column_inserts_the_column_with_its_companions_in_one_step(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.add_column import AddColumnDialog

    grid = window.current_grid()
    sdrf = grid.model.sdrf
    width = len(sdrf.header)
    grid.select_cell(0, 0)

    def fill(dialog: AddColumnDialog) -> bool:
        dialog.kind.setCurrentText("Characteristics[…]")
        dialog.name.setCurrentText("age")
        dialog.unit.setText("day")
        return True

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.actions_by_name["add_column"].trigger()
    assert sdrf.header[1:5] == ["Characteristics[age]", "Unit[day]", "Term Source REF", "Term Accession Number"]
    assert sdrf.column(2).kind == "unit" and sdrf.column(2).attached_to == 1
    window.undo_stack.undo()
    assert len(sdrf.header) == width


def test_dropping_a_folder_lists_its_files(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "a_R1.fastq.gz").write_bytes(b"x")
    (folder / ".hidden").write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert [e.path.name for e in window.files_panel.model.entries] == ["a_R1.fastq.gz"]
    assert window.pages.currentWidget() is window.files_panel


def test_an_excel_workbook_is_imported(qtbot, settings, project_dir: Path, tmp_path: Path, no_dialogs) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.magetab.project import Project
    from depositdesk.magetab.xlsx import write_xlsx

    project = Project.open(project_dir)
    book = tmp_path / "sheet.xlsx"
    write_xlsx(book, project.idf, project.sdrfs)
    window = MainWindow(settings, None)
    qtbot.addWidget(window)
    assert project_ops.open_project(window, book)
    assert window.current_grid().model.sdrf.header == project.sdrfs[0].header
    assert window.project.idf.first("Investigation Title") == "Zelda binding in early embryos"


def test_settings_dialog_keeps_profile_and_jobs(qtbot, settings, term_service) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, term_service)
    qtbot.addWidget(dialog)
    assert any("CL: ready" in dialog.sources.item(i).text() for i in range(dialog.sources.count()))
    dialog.profile.setCurrentIndex(dialog.profile.findData("strict-modencode"))
    dialog.jobs.setValue(3)
    dialog.accept()
    assert (settings.profile, settings.jobs) == ("strict-modencode", 3)


def test_about_credits_the_ontologies_with_their_licences(term_service) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.about import about_html

    html = about_html(term_service)
    assert "CL" in html and "CC BY 4.0" in html


def test_window_layout_is_remembered(qtbot, settings, term_service, project_dir) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(settings, term_service)
    qtbot.addWidget(first)
    first.findings_dock.hide()
    first.resize(1111, 777)
    first.close()
    second = MainWindow(settings, term_service)
    qtbot.addWidget(second)
    second.restore_window_state()
    assert second.findings_dock.isHidden()


def test_a_screenshot_shows_the_findings_of_the_project_just_opened(  # type: ignore[no-untyped-def]
        qtbot, settings, term_service, tmp_path: Path, no_dialogs) -> None:
    from depositdesk.app import project_ops
    from depositdesk.app.main import save_screenshot
    from depositdesk.app.main_window import MainWindow

    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "t.idf.txt").write_text("Investigation Title\tTypo\nSDRF File\tt.sdrf.txt\n", encoding="utf-8")
    (folder / "t.sdrf.txt").write_text("Source Name\tCharacteristic[organism]\ns1\tDrosophila melanogaster\n",
                                       encoding="utf-8")
    win = MainWindow(settings, term_service)
    qtbot.addWidget(win)
    assert project_ops.open_project(win, folder)
    assert save_screenshot(win, tmp_path / "shot.png") == 0
    assert "SDRF-HEADING-TYPO" in {f.code for f in win.findings_panel.model.findings()}
