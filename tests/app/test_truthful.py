"""What the window says is true at every moment: findings follow every edit, the GUI and the CLI agree."""

from __future__ import annotations

from PySide6.QtCore import Qt

from depositdesk.magetab import codes


def _metadata_codes(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in window.findings_panel.model.group("metadata")}


def _rename_factor(window, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Type a new Experimental Factor Name into the IDF form and press Return, as a person would."""
    form = window.idf_form
    tab = form.sections["experimental_factor"]
    form.setCurrentWidget(tab)
    tab.list.setCurrentRow(0)
    editor = tab.editors["Experimental Factor Name"]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_renaming_a_factor_in_the_idf_form_updates_the_sdrf_findings_at_once(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.pages.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.checker.project_worker is None and not window.checker.timer.isActive())
    factor = window.project.idf.factor_names()[0]
    assert codes.SDRF_FACTOR_UNKNOWN not in _metadata_codes(window)
    _rename_factor(window, qtbot, "temperature")
    assert window.project.idf.factor_names()[0] == "temperature"
    qtbot.waitUntil(lambda: codes.SDRF_FACTOR_UNKNOWN in _metadata_codes(window), timeout=5000)
    assert codes.SDRF_FACTOR_MISSING in _metadata_codes(window)  # 'temperature' has no Factor Value column
    _rename_factor(window, qtbot, factor)
    qtbot.waitUntil(lambda: not {codes.SDRF_FACTOR_UNKNOWN, codes.SDRF_FACTOR_MISSING} & _metadata_codes(window),
                    timeout=5000)
    window.undo_stack.undo()  # an undo in the IDF is an edit too
    qtbot.waitUntil(lambda: codes.SDRF_FACTOR_UNKNOWN in _metadata_codes(window), timeout=5000)
