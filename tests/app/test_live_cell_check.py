"""The cell editor says, while the person types, whether the text is a term of the column's ontologies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit


def _open_cell_type_editor(window):  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    col = grid.model.sdrf.find_columns("characteristics", "cell type")[0]
    index = grid.proxy.index(1, col)
    grid.view.setCurrentIndex(index)
    grid.view.edit(index)
    editor = grid.view.findChild(QLineEdit)
    assert editor is not None
    return grid, col, editor


def test_free_text_marks_the_editor_and_a_real_label_clears_it(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    grid, col, editor = _open_cell_type_editor(window)
    live = window.delegates[0].last_live_check
    assert live is not None and not live.is_marked()
    QTest.keyClicks(editor, "my favourite cells")
    qtbot.waitUntil(lambda: "'my favourite cells' is not a term of CL" in editor.toolTip())
    assert "choose one from the list, or keep it as free text" in editor.toolTip()
    assert live.icon_action.isVisible() and "border" in editor.styleSheet()
    assert "is not a term of CL" in window.statusBar().currentMessage()
    assert editor.hasFocus() or QApplication.focusWidget() is window.delegates[0].last_completer.popup()
    assert editor.text() == "my favourite cells"  # typing went on undisturbed
    assert grid.model.sdrf.rows[1][col] == ""  # nothing committed yet
    window.grab().save(str(tmp_path / "live-mark.png"))

    editor.clear()
    QTest.keyClicks(editor, "T cell")
    qtbot.waitUntil(lambda: editor.toolTip() == "")
    assert not live.icon_action.isVisible() and editor.styleSheet() == ""
    popup = window.delegates[0].last_completer.popup()
    if popup.isVisible():
        QTest.keyClick(popup, Qt.Key.Key_Escape)
    QTest.keyClick(editor, Qt.Key.Key_Escape)  # cancel: the editor and its mark go, nothing is written
    qtbot.waitUntil(lambda: grid.view.findChild(QLineEdit) is None)
    assert grid.model.sdrf.rows[1][col] == ""


def test_a_synonym_typed_without_its_accession_names_its_term(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _grid, _col, editor = _open_cell_type_editor(window)
    live = window.delegates[0].last_live_check
    QTest.keyClicks(editor, "T lymphocyte")
    qtbot.waitUntil(lambda: not live.timer.isActive())
    # a synonym without its accession: the term it belongs to is named, to be chosen from the list
    qtbot.waitUntil(lambda: "synonym of CL:0000084 (T cell)" in editor.toolTip())


def test_closing_the_window_with_a_cell_being_typed_keeps_the_text_and_asks_to_save(  # type: ignore[no-untyped-def]
        window, qtbot, no_dialogs) -> None:
    grid, col, editor = _open_cell_type_editor(window)
    QTest.keyClicks(editor, "T cell")
    assert grid.model.sdrf.rows[1][col] == ""
    window.close()  # no_dialogs answers "cancel" to "Unsaved changes": the window stays
    assert grid.model.sdrf.rows[1][col] == "T cell"
    assert no_dialogs and no_dialogs[-1][0] == "Unsaved changes"
    assert window.isVisible()


def test_saving_while_a_cell_is_being_typed_saves_the_text(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app import project_ops
    from depositdesk.magetab.sdrf import Sdrf

    grid, col, editor = _open_cell_type_editor(window)
    QTest.keyClicks(editor, "T cell")
    assert project_ops.save(window)
    on_disk, _ = Sdrf.read(window.project.sdrfs[0].path)
    assert on_disk.rows[1][col] == "T cell"
